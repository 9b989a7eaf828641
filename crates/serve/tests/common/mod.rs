//! What the server tests share: a server on 127.0.0.1 port 0 over a store
//! in a temporary folder, and a minimal HTTP/1.1 client that sends exactly
//! the bytes a test writes (so malformed and hostile requests can be sent
//! too) and reads the answer until the server closes the connection.

#![allow(dead_code)] // each test file uses its own part of this

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use parallax_serve::state::EngineStatus;
use parallax_serve::{AppState, ServeConfig, Server};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// A server running in the test's runtime.
pub struct Running {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Running {
    /// Shuts the server down gracefully and checks it ran without error.
    pub async fn stop(mut self) {
        self.stop.take().expect("running").send(()).ok();
        self.task.await.expect("server task").expect("server ran");
    }
}

/// Serves `config` (whose store lives in `dir`, kept until the server
/// stops) and waits until its engine has opened the store.
pub async fn serve(dir: tempfile::TempDir, config: ServeConfig) -> Running {
    let server = Server::bind(&config).await.expect("bind");
    let addr = server.local_addr();
    let state = server.state();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    loop {
        match state.writer.status() {
            EngineStatus::Ready => break,
            EngineStatus::Failed(why) => panic!("engine failed: {why}"),
            EngineStatus::Loading => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    Running {
        addr,
        state,
        stop: Some(tx),
        task,
        _dir: dir,
    }
}

/// A parsed answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The `error` message of a JSON error answer.
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .expect("an error message")
            .to_owned()
    }
}

/// Parses a whole HTTP/1.1 answer (head and body as read until close).
pub fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no full response head in {raw:?}"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Sends `raw` on a fresh connection and reads until the server closes it
/// (at most 10 s).
pub async fn exchange(addr: SocketAddr, raw: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out))
        .await
        .expect("the server answers and closes within 10 s")
        .unwrap();
    out
}

/// One HTTP/1.1 request with `headers` on a fresh connection.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut raw = head.into_bytes();
    raw.extend_from_slice(body);
    parse(&exchange(addr, &raw).await)
}

pub async fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], b"").await
}
