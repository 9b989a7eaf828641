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
