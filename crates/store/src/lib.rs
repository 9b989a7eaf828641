//! The store: every article, story and brief Parallax has seen, in one
//! SQLite file ([`Store`]) or on a PostgreSQL server ([`PgStore`]), both
//! behind one interface, [`Backend`]; [`open`] picks one from the `--db`
//! value (a `postgres://` URL, else a file path).
//!
//! SQLite is the default because it needs no server, survives crashes
//! (write-ahead log, one transaction per batch), and is fast enough for a
//! single machine's stream. The schema is versioned: [`migrations`] brings a
//! file of any earlier version up to date when it is opened.
//!
//! Writes come in [`Batch`]es: a batch is either stored whole or not at all,
//! so an article the engine reports as stored is on disk, and a kill
//! mid-batch loses only what was never acknowledged.
//!
//! ```
//! use parallax_store::{Batch, Store};
//! let mut store = Store::open_in_memory().unwrap();
//! store.write(&Batch::default()).unwrap();
//! assert!(store.stories().unwrap().is_empty());
//! ```

mod article_index;
mod backend;
mod error;
pub mod migrations;
mod postgres;
mod search;
mod store;
mod story_index;

pub use backend::{Backend, display, is_postgres_url, open, open_reader};
pub use postgres::{PG_MIGRATIONS, PgStore, redact};

pub use error::StoreError;
pub use search::{
    ArticleFilter, ArticleHit, Cursor, Page, SnippetPart, SourceCount, StoryFilter, StorySummary,
    fts_query,
};
pub use store::{Batch, NewArticle, Store, StoredArticle, StoryRow};

/// Result type of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;
