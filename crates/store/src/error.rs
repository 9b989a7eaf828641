use std::path::PathBuf;

/// What can go wrong in the store; every variant says where.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error("cannot open store {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The file was written by a newer Parallax than this one.
    #[error(
        "store schema version {found} is newer than this build supports ({supported}); upgrade parallax"
    )]
    TooNew {
        /// Version found in the file.
        found: i64,
        /// Latest version this build knows.
        supported: i64,
    },
    /// A migration failed.
    #[error("migrating store to version {version} failed: {source}")]
    Migration {
        /// The version being applied.
        version: i64,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("store query failed while {context}: {source}")]
    Query {
        /// What the store was doing.
        context: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The PostgreSQL server could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL store {url}: {source}")]
    PgConnect {
        /// The connection URL, password left out.
        url: String,
        /// The PostgreSQL client error.
        source: postgres::Error,
    },
    /// A PostgreSQL migration failed.
    #[error("migrating PostgreSQL store to version {version} failed: {source}")]
    PgMigration {
        /// The version being applied.
        version: i64,
        /// The PostgreSQL client error.
        source: postgres::Error,
    },
    /// A PostgreSQL query failed.
    #[error("PostgreSQL store query failed while {context}: {source}")]
    PgQuery {
        /// What the store was doing.
        context: &'static str,
        /// The PostgreSQL client error.
        source: postgres::Error,
    },
    /// Another process kept the store's write lock for longer than a
    /// writer waits.
    #[error(
        "the store is in use by another writer (waited {} s for its batch to commit); try again when it is done",
        .waited.as_secs()
    )]
    Busy {
        /// How long this writer waited.
        waited: std::time::Duration,
    },
    /// Another process writes the article search index of this store (two
    /// writers on one file): this one leaves the indexing to it for now.
    #[error("the article search index is being written by another process")]
    SearchBusy,
    /// The article search index failed (reading, writing or opening it).
    #[error("article search index failed while {context}: {detail}")]
    Search {
        /// What was being done.
        context: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// A listing was asked to start after a cursor it cannot follow (one
    /// of another listing's order).
    #[error("{0}")]
    BadCursor(String),
    /// A stored value could not be decoded.
    #[error("corrupt stored value for {what}: {detail}")]
    Corrupt {
        /// Which value.
        what: String,
        /// What is wrong with it.
        detail: String,
    },
}

/// Adds the store's context to a rusqlite result.
pub(crate) trait Context<T> {
    fn context(self, context: &'static str) -> Result<T, StoreError>;
}

impl<T> Context<T> for Result<T, rusqlite::Error> {
    fn context(self, context: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Query { context, source })
    }
}

impl<T> Context<T> for Result<T, postgres::Error> {
    fn context(self, context: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::PgQuery { context, source })
    }
}
