//! `parallax serve`: the front of Parallax. One binary serves a JSON API
//! over the store (stories, briefs, articles, sources, search, ingestion),
//! its OpenAPI document, and a web page where a reader sees one story from
//! every side.
//!
//! # Why it is built this way
//!
//! * **One writer, many readers.** The [`Engine`](parallax_engine::Engine)
//!   holds the clustering state and a SQLite connection; a connection may
//!   move between threads but not be shared, and clustering must see
//!   articles one at a time anyway. So the engine lives behind one async
//!   mutex ([`state::Writer`]): an ingest request takes it, runs on a
//!   blocking thread, and commits batch by batch. Reads never touch it: they
//!   use a small pool of read-only connections ([`state::Readers`]), which
//!   SQLite's write-ahead log lets run beside the writer without blocking
//!   or being blocked. A semaphore bounds reads in flight to the pool size,
//!   so a burst of requests queues instead of opening connections without
//!   end. With `--db postgres://...` the same pool holds PostgreSQL
//!   connections, and several servers (and `parallax run` workers) may
//!   share the database: each engine places its batches under the store's
//!   placement lock after catching up with the others' articles.
//! * **Ready early.** Opening the engine replays the stored stream to
//!   rebuild the clustering state (seconds for a large store). The server
//!   binds and answers reads at once; `GET /api/health` says `503 starting`
//!   and ingestion is refused with `503` until the engine is loaded.
//! * **Cached reads.** Lists and searches are cached for a second and
//!   dropped whenever this server commits a batch
//!   ([`state::ResponseCache`]): readers see their own writes at once and
//!   another process's within a second.
//! * **One route table.** [`openapi::ROUTES`] lists every endpoint once; the
//!   router is built from it and the OpenAPI document generated from it, so
//!   the two cannot drift.
//! * **Embedded page.** The web page ([`web`]) is three static files
//!   compiled into the binary: no Node at run time, no template engine.
//!   Every piece of article text reaches the page as JSON and is put in the
//!   DOM as text (`textContent`), never parsed as HTML.
//! * **Bounded bodies.** Request bodies above a limit (64 MiB by default)
//!   are refused with `413` before they are read whole, and the bodies of
//!   all requests together are bounded too (4 times that by default): past
//!   it a `POST` is answered `503` with `Retry-After` before its body is
//!   read, so concurrent large posts cannot take the server's memory.
//! * **Every error is JSON** (`{"error": ...}`), whoever made it: the
//!   handlers, the guards, or axum's own refusals (`405`, a path that is
//!   not UTF-8), and store failures are logged but answered with a generic
//!   message.
//! * **Guarded.** Writes need a bearer token when one is configured (only
//!   clients on the server's machine may write without one), clients are
//!   rate-limited per address, reads, bodies and request heads have time
//!   limits, and every answer carries the safety headers ([`security`],
//!   `docs/SERVE.md`).
//!
//! Search itself is SQLite FTS5 inside the store (`parallax_store`'s
//! `search` module); [`search`] turns query strings into its filters.

pub mod openapi;
pub mod routes;
pub mod search;
pub mod security;
pub mod state;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::Layer;
use tracing::{debug, info, warn};

pub use security::{Access, RateLimit, Token};
pub use state::AppState;

/// Default limit on a request body: 64 MiB.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;
/// Request bodies that may be in flight at once, in multiples of the limit
/// on one (see [`ServeConfig::body_budget`]).
pub const BODY_BUDGET_FACTOR: usize = 4;
/// Default request timeout (see [`ServeConfig::request_timeout`]).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit on receiving a request head (see
/// [`ServeConfig::header_timeout`]).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The store file.
    pub db: PathBuf,
    /// Address to bind (`127.0.0.1:8080` by default on the command line).
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Most request-body bytes held at once across all requests (being
    /// received or ingested); a body that would go past it is refused with
    /// `503` and `Retry-After` before a byte of it is read. `None`:
    /// [`BODY_BUDGET_FACTOR`] times `max_body`.
    pub body_budget: Option<usize>,
    /// Read-only store connections (and reads in flight).
    pub readers: usize,
    /// Cache list and search responses.
    pub cache: bool,
    /// Who may read and write ([`security`]).
    pub access: Access,
    /// Requests per second and burst per client.
    pub rate_limit: RateLimit,
    /// A read must be answered, a request body received and an ingest
    /// admitted to the writer within this (`503`, `408`, `503`).
    pub request_timeout: Duration,
    /// A request head must arrive within this after the connection opens or
    /// the previous response (the connection is closed otherwise): slow or
    /// idle clients do not hold connections.
    pub header_timeout: Duration,
}

impl ServeConfig {
    /// Defaults for `db` on `addr`.
    pub fn new(db: PathBuf, addr: SocketAddr) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            db,
            addr,
            max_body: DEFAULT_MAX_BODY,
            body_budget: None,
            readers: (cores * 2).clamp(4, 32),
            cache: true,
            access: Access::default(),
            rate_limit: RateLimit::default(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
        }
    }
}

/// What can stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store could not be opened or migrated.
    #[error(transparent)]
    Store(#[from] parallax_store::StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A bound server, not yet serving.
pub struct Server {
    listener: TcpListener,
    state: Arc<AppState>,
    header_timeout: Duration,
}

impl Server {
    /// Opens (migrating) the store, opens the readers, binds the address
    /// and starts loading the engine in the background.
    pub async fn bind(config: &ServeConfig) -> Result<Self, ServeError> {
        // Opening runs the store's sync clients (the PostgreSQL one blocks
        // on a runtime of its own): not on an async thread.
        let open_config = config.clone();
        let state = tokio::task::spawn_blocking(move || AppState::open(&open_config))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        state.start_engine(config.db.clone());
        Ok(Self {
            listener,
            state,
            header_timeout: config.header_timeout,
        })
    }

    /// The address actually bound (the port, when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The shared state (tests wait on readiness through it).
    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting, lets the
    /// requests in flight finish (an ingest commits what it read) and
    /// returns.
    ///
    /// The accept loop is ours rather than `axum::serve` because that one
    /// sets no timer on hyper's connections, and without a timer hyper
    /// cannot time out a request head: a client sending one header byte a
    /// minute (slow-loris) would hold its connection for ever. Each
    /// connection also carries its peer address ([`ConnectInfo`]) for the
    /// rate limit and the loopback rule.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        info!(addr = %self.local_addr(), "serving");
        let app = routes::router(self.state.clone());
        let mut http = http1::Builder::new();
        // hyper answers a head over its own limits with a bare status and
        // no body; its limits are set above the server's own
        // (`routes::check_head`), which answer `414`/`431` with a JSON error.
        http.timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .max_headers(routes::HYPER_MAX_HEADERS)
            .max_buf_size(routes::HYPER_MAX_HEAD_BYTES);
        let graceful = GracefulShutdown::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Out of file descriptors, or a connection reset
                        // before it was accepted: the listener itself is
                        // fine, so pause briefly instead of spinning.
                        warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let _ = stream.set_nodelay(true);
            let service =
                TowerToHyperService::new(axum::Extension(ConnectInfo(peer)).layer(app.clone()));
            let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    debug!(%peer, error = %e, "connection ended with an error");
                }
            });
        }
        drop(self.listener);
        // Idle connections close now; those with a request in flight close
        // once it is answered.
        graceful.shutdown().await;
        // Wait for an ingest still holding the engine (its client may have
        // gone) so the last batch is committed before the process exits.
        self.state.writer.quiesce().await;
        info!("stopped");
        Ok(())
    }
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    info!("shutdown requested");
}
