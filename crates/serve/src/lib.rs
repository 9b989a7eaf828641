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
//!   are refused with `413` before they are read whole.
//!
//! Search itself is SQLite FTS5 inside the store (`parallax_store`'s
//! `search` module); [`search`] turns query strings into its filters.

pub mod openapi;
pub mod routes;
pub mod search;
pub mod state;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tracing::info;

pub use state::AppState;

/// Default limit on a request body: 64 MiB.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The store file.
    pub db: PathBuf,
    /// Address to bind (`127.0.0.1:8080` by default on the command line).
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Read-only store connections (and reads in flight).
    pub readers: usize,
    /// Cache list and search responses.
    pub cache: bool,
}

impl ServeConfig {
    /// Defaults for `db` on `addr`.
    pub fn new(db: PathBuf, addr: SocketAddr) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            db,
            addr,
            max_body: DEFAULT_MAX_BODY,
            readers: (cores * 2).clamp(4, 32),
            cache: true,
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
        Ok(Self { listener, state })
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
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        info!(addr = %self.local_addr(), "serving");
        let app = routes::router(self.state.clone());
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await?;
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
