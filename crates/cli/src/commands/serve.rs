//! `parallax serve`: the HTTP API and the web page over the store.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use parallax_serve::{ServeConfig, Server, shutdown_signal};

/// Port used when `--addr` names a host only.
const DEFAULT_PORT: u16 = 8080;

/// `HOST:PORT`, `HOST` (port 8080) or `[v6]:PORT`, resolved to the first
/// address.
fn parse_addr(addr: &str) -> Result<SocketAddr> {
    if let Ok(a) = addr.parse::<SocketAddr>() {
        return Ok(a);
    }
    let with_port =
        if addr.contains(':') && !addr.starts_with('[') && addr.matches(':').count() == 1 {
            addr.to_owned()
        } else if let Ok(ip) = addr.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
            return Ok(SocketAddr::new(ip, DEFAULT_PORT));
        } else {
            format!("{addr}:{DEFAULT_PORT}")
        };
    with_port
        .to_socket_addrs()
        .with_context(|| format!("--addr {addr}: not HOST:PORT"))?
        .next()
        .ok_or_else(|| anyhow!("--addr {addr}: resolves to no address"))
}

/// Serves the store at `db` on `addr` until Ctrl-C or SIGTERM.
pub fn serve(db: &Path, addr: &str, max_body: usize, no_cache: bool) -> Result<ExitCode> {
    let addr = parse_addr(addr)?;
    let mut config = ServeConfig::new(db.to_owned(), addr);
    config.max_body = max_body;
    config.cache = !no_cache;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let server = Server::bind(&config).await?;
        eprintln!(
            "parallax: serving {} on http://{} (Ctrl-C to stop)",
            parallax_engine::display_db(db),
            server.local_addr()
        );
        server.run(shutdown_signal()).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_take_a_default_port() {
        assert_eq!(
            parse_addr("127.0.0.1").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(
            parse_addr("0.0.0.0:9000").unwrap(),
            "0.0.0.0:9000".parse().unwrap()
        );
        assert_eq!(parse_addr("::1").unwrap(), "[::1]:8080".parse().unwrap());
        assert_eq!(parse_addr("localhost:81").unwrap().port(), 81);
        assert!(parse_addr("no such host at all:x").is_err());
    }
}
