//! `parallax serve`: the HTTP API and the web page over the store.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use parallax_serve::{Access, RateLimit, ServeConfig, Server, Token, shutdown_signal};

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

/// Who may read and write, how often, for how long (`docs/SERVE.md`,
/// "Security").
#[derive(Debug, clap::Args)]
pub struct SecurityArgs {
    /// File holding the token writes need (`Authorization: Bearer TOKEN`);
    /// or set PARALLAX_TOKEN. Without a token, only clients on this machine
    /// may write.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Refuse every write (POST answers 403).
    #[arg(long)]
    pub read_only: bool,
    /// Require the token for reads too (all but /api/health).
    #[arg(long)]
    pub token_for_reads: bool,
    /// Accept writes without a token from any client, not only from this
    /// machine (only behind something that authenticates).
    #[arg(long)]
    pub allow_anonymous_writes: bool,
    /// Requests per second per client address; 0 turns the limit off.
    #[arg(long, default_value_t = RateLimit::default().per_second, value_name = "N")]
    pub rate_limit: f64,
    /// Requests a client may make at once before the rate applies.
    #[arg(long, default_value_t = RateLimit::default().burst, value_name = "N")]
    pub rate_burst: u32,
    /// Rate-limit clients on this machine too (exempt otherwise).
    #[arg(long)]
    pub rate_limit_loopback: bool,
    /// Seconds a read may take, a request body may take to arrive and an
    /// ingest may wait for the writer (503, 408, 503).
    #[arg(long, default_value_t = parallax_serve::DEFAULT_REQUEST_TIMEOUT.as_secs(), value_name = "SECS")]
    pub timeout: u64,
    /// Seconds a client has to send a request head (slow clients are
    /// disconnected).
    #[arg(long, default_value_t = parallax_serve::DEFAULT_HEADER_TIMEOUT.as_secs(), value_name = "SECS")]
    pub header_timeout: u64,
}

/// The token from `--token-file` or `PARALLAX_TOKEN` (`env`), never both.
fn token(file: Option<&Path>, env: Option<String>) -> Result<Option<Token>> {
    let (text, from) = match (file, env) {
        (Some(_), Some(_)) => {
            return Err(anyhow!(
                "both --token-file and PARALLAX_TOKEN are set: give the token one way"
            ));
        }
        (Some(path), None) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("--token-file {}", path.display()))?,
            format!("--token-file {}", path.display()),
        ),
        (None, Some(text)) => (text, "PARALLAX_TOKEN".to_owned()),
        (None, None) => return Ok(None),
    };
    Token::new(&text)
        .map(Some)
        .map_err(|e| anyhow!("{from}: {e}"))
}

/// The access rules and limits `args` ask for.
fn apply(args: &SecurityArgs, config: &mut ServeConfig) -> Result<()> {
    let token = token(
        args.token_file.as_deref(),
        std::env::var("PARALLAX_TOKEN").ok(),
    )?;
    if args.token_for_reads && token.is_none() {
        return Err(anyhow!(
            "--token-for-reads needs a token (--token-file or PARALLAX_TOKEN)"
        ));
    }
    if !args.rate_limit.is_finite() || args.rate_limit < 0.0 {
        return Err(anyhow!(
            "--rate-limit must be a number of requests per second, 0 or more"
        ));
    }
    if args.timeout == 0 || args.header_timeout == 0 {
        return Err(anyhow!(
            "--timeout and --header-timeout must be at least 1 second"
        ));
    }
    config.access = Access {
        token,
        read_only: args.read_only,
        token_for_reads: args.token_for_reads,
        allow_anonymous_writes: args.allow_anonymous_writes,
    };
    config.rate_limit = RateLimit {
        per_second: args.rate_limit,
        burst: args.rate_burst,
        loopback: args.rate_limit_loopback,
    };
    config.request_timeout = Duration::from_secs(args.timeout);
    config.header_timeout = Duration::from_secs(args.header_timeout);
    Ok(())
}

/// Serves the store at `db` on `addr` until Ctrl-C or SIGTERM.
pub fn serve(
    db: &Path,
    addr: &str,
    max_body: usize,
    no_cache: bool,
    security: &SecurityArgs,
) -> Result<ExitCode> {
    let addr = parse_addr(addr)?;
    let mut config = ServeConfig::new(db.to_owned(), addr);
    config.max_body = max_body;
    config.cache = !no_cache;
    apply(security, &mut config)?;
    let access = &config.access;
    if !addr.ip().is_loopback()
        && access.token.is_none()
        && !access.read_only
        && !access.allow_anonymous_writes
    {
        eprintln!(
            "parallax: no token: writes are accepted from loopback clients only \
             (set PARALLAX_TOKEN or --token-file to accept them from the network)"
        );
    }
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

    #[test]
    fn the_token_comes_one_way_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "abc123\n").unwrap();
        assert!(token(None, None).unwrap().is_none());
        assert!(token(Some(file.as_path()), None).unwrap().is_some());
        assert!(token(None, Some("xyz".into())).unwrap().is_some());
        assert!(token(Some(file.as_path()), Some("xyz".into())).is_err());
        std::fs::write(&file, "\n").unwrap();
        let err = token(Some(file.as_path()), None).unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
        assert!(token(Some(dir.path().join("missing").as_path()), None).is_err());
    }
}
