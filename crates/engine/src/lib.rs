//! The engine: one place that wires the Parallax stages together.
//!
//! ```text
//! ingest (read + clean) -> prepare (language, content hash)
//!        -> dedup (copy pairs) -> stories (online clustering)
//!        -> store (one transaction per batch)
//!        -> briefs (a projection of the stored stream, after the commit)
//! ```
//!
//! The stages never import each other; this crate is where their outputs
//! meet. Two ways in:
//!
//! * [`Engine`]: the stateful path behind `parallax run`: a store on disk,
//!   a copy detector, a clusterer and a briefer that resume from it,
//!   idempotent ingestion.
//! * [`pipeline`]: stateless runs over an in-memory list of articles, behind
//!   the contract commands `parallax cluster` and `parallax brief`.

mod briefs;
mod checkpoint;
mod copies;
pub mod dedup_run;
mod engine;
mod error;
pub mod pipeline;
mod prepare;

pub use briefs::{FlushHook, ProjectorConfig};
pub use copies::copies;
pub use engine::{Catalog, Engine, EngineConfig, IngestNotice, IngestReport};
pub use error::EngineError;
pub use parallax_store::{display as display_db, is_postgres_url};
pub use prepare::{analyzer_for, content_hash, prepare};

/// Result type of engine operations.
pub type Result<T> = std::result::Result<T, EngineError>;

/// Drops `value` on a thread of its own, not waited for. The state of a
/// big store (a million articles' placement, copy and brief state) is
/// millions of allocations, a second or more to free: a command that ends
/// there should not wait for it, and a process that goes on frees it in
/// the background.
pub(crate) fn free_in_background<T: Send + 'static>(value: T) {
    let spare = std::thread::Builder::new()
        .name("parallax-free".into())
        .spawn(move || drop(value));
    // With no thread to spare, freeing here is what would have happened.
    drop(spare);
}
