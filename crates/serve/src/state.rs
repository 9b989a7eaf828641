//! What the handlers share: the one writer, the pool of readers and the
//! response cache.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use parallax_engine::{Engine, EngineConfig, FlushHook};
use parallax_store::Backend;
use tokio::sync::{OwnedMutexGuard, Semaphore};
use tracing::{error, info};

use crate::ServeConfig;
use crate::routes::ApiError;
use crate::security::{Access, RateLimiter};

/// Everything a handler can reach.
pub struct AppState {
    /// Read-only connections.
    pub readers: Readers,
    /// The engine, for ingestion.
    pub writer: Writer,
    /// Recent list and search responses.
    pub cache: ResponseCache,
    /// Largest request body accepted.
    pub max_body: usize,
    /// The budget of request-body bytes in flight across all requests
    /// ([`crate::ServeConfig::body_budget`]), in permits of
    /// [`BODY_PERMIT_BYTES`].
    pub bodies: Arc<tokio::sync::Semaphore>,
    /// The same budget in bytes, for messages.
    pub body_budget: usize,
    /// Who may read and write.
    pub access: Access,
    /// Requests per client, when limited.
    pub limiter: Option<RateLimiter>,
    /// How long a read may take, a body may take to arrive and an ingest
    /// may wait for the writer.
    pub timeout: Duration,
}

/// Bytes per permit of [`AppState::bodies`] (a semaphore counts at most
/// `u32::MAX` permits at once).
pub const BODY_PERMIT_BYTES: usize = 1024;

/// Permits for `bytes` of body, rounded up, at least one, within what a
/// semaphore counts.
pub fn body_permits(bytes: usize) -> usize {
    bytes
        .div_ceil(BODY_PERMIT_BYTES)
        .clamp(1, u32::MAX as usize)
}

impl AppState {
    /// Opens (creating and migrating) the store so readers can open it.
    pub fn open(config: &ServeConfig) -> Result<Arc<Self>, parallax_store::StoreError> {
        // Opening for writing once migrates the file; the engine opens its
        // own connection later.
        drop(parallax_store::open(&config.db)?);
        let readers = Readers::open(&config.db, config.readers.max(1))?;
        let budget = config
            .body_budget
            .unwrap_or_else(|| config.max_body.saturating_mul(crate::BODY_BUDGET_FACTOR));
        Ok(Arc::new(Self {
            readers,
            writer: Writer::default(),
            cache: ResponseCache::new(config.cache),
            max_body: config.max_body,
            bodies: Arc::new(tokio::sync::Semaphore::new(body_permits(budget))),
            body_budget: budget,
            access: config.access.clone(),
            limiter: RateLimiter::new(config.rate_limit),
            timeout: config.request_timeout,
        }))
    }

    /// Loads the engine on a blocking thread; ingestion waits for it.
    pub fn start_engine(self: &Arc<Self>, db: PathBuf) {
        let state = self.clone();
        // Briefs land after the POST that stored their articles is answered:
        // each flush drops the response cache, so lists and searches show
        // them at once. A weak handle: the engine lives inside the state.
        let weak = Arc::downgrade(self);
        let mut config = EngineConfig::default();
        config.projector.quiet = Some(Duration::from_millis(50));
        config.projector.on_flush = Some(FlushHook(Arc::new(move || {
            if let Some(state) = weak.upgrade() {
                state.cache.invalidate();
            }
        })));
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            match Engine::open(&db, config) {
                Ok(engine) => {
                    *state.writer.engine.blocking_lock() = Some(engine);
                    *state.writer.status.lock().expect("status lock") = EngineStatus::Ready;
                    info!(seconds = started.elapsed().as_secs_f32(), "engine ready");
                }
                Err(e) => {
                    error!(error = %e, "engine failed to load");
                    *state.writer.status.lock().expect("status lock") =
                        EngineStatus::Failed(e.to_string());
                }
            }
        });
    }

    /// Runs `f` on a reader, on a blocking thread, at most one per reader
    /// at a time.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = self
            .readers
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::unavailable("the server is shutting down"))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let store = state.readers.checkout()?;
            let out = f(store.as_ref());
            state.readers.checkin(store);
            out
        })
        .await
        .map_err(|e| {
            error!(error = %e, "read task failed");
            ApiError::internal(crate::routes::INTERNAL)
        })?
    }
}

/// Where the engine stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineStatus {
    /// Replaying the store.
    Loading,
    /// Ready for ingestion.
    Ready,
    /// Could not be loaded (the message says why).
    Failed(String),
}

/// The engine behind an async mutex: one ingest at a time.
pub struct Writer {
    engine: Arc<tokio::sync::Mutex<Option<Engine>>>,
    status: Mutex<EngineStatus>,
}

impl Default for Writer {
    fn default() -> Self {
        Self {
            engine: Arc::new(tokio::sync::Mutex::new(None)),
            status: Mutex::new(EngineStatus::Loading),
        }
    }
}

impl Writer {
    /// Where the engine stands.
    pub fn status(&self) -> EngineStatus {
        self.status.lock().expect("status lock").clone()
    }

    /// The engine, exclusively, once it is loaded; waits for an ingest in
    /// progress to finish.
    pub async fn lock(&self) -> Result<OwnedMutexGuard<Option<Engine>>, ApiError> {
        match self.status() {
            EngineStatus::Ready => Ok(self.engine.clone().lock_owned().await),
            EngineStatus::Loading => Err(ApiError::unavailable(
                "the engine is still loading the store; retry shortly",
            )),
            // Why is in the log (`start_engine`), not for clients.
            EngineStatus::Failed(_) => Err(ApiError::internal(
                "the engine could not be loaded; the cause is in the server's log",
            )),
        }
    }

    /// Waits until no ingest holds the engine.
    pub async fn quiesce(&self) {
        drop(self.engine.lock().await);
    }
}

/// A pool of read-only connections.
pub struct Readers {
    db: PathBuf,
    idle: Mutex<Vec<Box<dyn Backend>>>,
    permits: Arc<Semaphore>,
}

impl Readers {
    fn open(db: &Path, size: usize) -> Result<Self, parallax_store::StoreError> {
        let mut idle = Vec::with_capacity(size);
        for _ in 0..size {
            idle.push(parallax_store::open_reader(db)?);
        }
        Ok(Self {
            db: db.to_owned(),
            idle: Mutex::new(idle),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    fn checkout(&self) -> Result<Box<dyn Backend>, ApiError> {
        if let Some(store) = self.idle.lock().expect("reader pool lock").pop() {
            return Ok(store);
        }
        // Only after a reader was lost to a panic.
        parallax_store::open_reader(&self.db).map_err(ApiError::from)
    }

    fn checkin(&self, store: Box<dyn Backend>) {
        self.idle.lock().expect("reader pool lock").push(store);
    }
}

/// A cached response: its body and its extra headers.
#[derive(Clone)]
pub struct Cached {
    /// JSON body.
    pub body: Bytes,
    /// Extra headers (pagination).
    pub headers: Vec<(&'static str, String)>,
}

/// Responses to recent GETs, keyed by path and query, refreshed after
/// [`ResponseCache::TTL`] or once this server commits a write. When an
/// entry is out of date, the first request recomputes it while the others
/// are still answered from the old one, so a popular page never sends every
/// connection to the database at the same instant, not even right after a
/// commit (under steady ingestion every batch would otherwise put the
/// whole load on the database at once). A client that reads after its own
/// write is that first request, or comes after it: it sees the write.
pub struct ResponseCache {
    enabled: bool,
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    generation: u64,
    at: Instant,
    value: Cached,
    /// When a request began recomputing this entry, if one is.
    refreshing: Option<Instant>,
}

impl ResponseCache {
    /// How long an entry is served: bounds how stale a read can be after
    /// another process wrote to the store.
    pub const TTL: Duration = Duration::from_secs(1);
    /// Most entries kept; the cache is emptied when full.
    pub const CAPACITY: usize = 4096;
    /// A refresh that has not come back after this long (its request
    /// failed or was dropped) is taken over by the next request.
    pub const REFRESH_GIVE_UP: Duration = Duration::from_secs(10);

    fn new(enabled: bool) -> Self {
        Self {
            enabled,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The current write generation (taken before computing a response).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The entry for `key` when it is fresh, or out of date (expired, or
    /// from before the last write) but already being refreshed by another
    /// request; `None` tells the caller to compute it.
    pub fn get(&self, key: &str) -> Option<Cached> {
        if !self.enabled {
            return None;
        }
        let generation = self.generation();
        let mut entries = self.entries.lock().expect("cache lock");
        let entry = entries.get_mut(key)?;
        if entry.generation == generation && entry.at.elapsed() < Self::TTL {
            return Some(entry.value.clone());
        }
        match entry.refreshing {
            Some(since) if since.elapsed() < Self::REFRESH_GIVE_UP => Some(entry.value.clone()),
            _ => {
                entry.refreshing = Some(Instant::now());
                None
            }
        }
    }

    /// Keeps `value` for `key`, computed at `generation`.
    pub fn put(&self, key: String, generation: u64, value: Cached) {
        if !self.enabled {
            return;
        }
        let mut entries = self.entries.lock().expect("cache lock");
        // An answer computed before a write that a newer answer already
        // reflects is not put back.
        if entries.get(&key).is_some_and(|e| e.generation > generation) {
            return;
        }
        if entries.len() >= Self::CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                at: Instant::now(),
                value,
                refreshing: None,
            },
        );
    }

    /// Marks every entry out of date (after a write): each is recomputed
    /// by the next request for it.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(text: &'static str) -> Cached {
        Cached {
            body: Bytes::from_static(text.as_bytes()),
            headers: Vec::new(),
        }
    }

    #[test]
    fn after_a_write_one_request_recomputes_while_the_others_get_the_old_answer() {
        let cache = ResponseCache::new(true);
        assert!(cache.get("/api/stories").is_none());
        cache.put("/api/stories".into(), cache.generation(), cached("old"));
        assert_eq!(cache.get("/api/stories").unwrap().body, "old");

        cache.invalidate();
        // The first reader after the write computes the new answer...
        assert!(cache.get("/api/stories").is_none());
        let generation = cache.generation();
        // ...while the others are answered from the old one meanwhile.
        assert_eq!(cache.get("/api/stories").unwrap().body, "old");
        cache.put("/api/stories".into(), generation, cached("new"));
        assert_eq!(cache.get("/api/stories").unwrap().body, "new");

        // An answer computed before a later write is not put back over a
        // newer one.
        cache.invalidate();
        assert!(cache.get("/api/stories").is_none());
        cache.put("/api/stories".into(), cache.generation(), cached("newer"));
        cache.put("/api/stories".into(), generation, cached("late"));
        assert_eq!(cache.get("/api/stories").unwrap().body, "newer");
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let cache = ResponseCache::new(false);
        cache.put("k".into(), cache.generation(), cached("v"));
        assert!(cache.get("k").is_none());
    }
}
