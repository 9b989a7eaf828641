//! Versioned schema migrations.
//!
//! The schema version lives in SQLite's `user_version`. Each entry of
//! [`MIGRATIONS`] moves the schema from version `i` to `i + 1` and is applied
//! in its own transaction, so a file is always at some exact version.
//! Never edit a released migration: append a new one.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// The migrations, in order; entry `i` upgrades version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles in arrival order, their stories, and stored briefs.
    "CREATE TABLE articles (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        story_id     TEXT NOT NULL,
        title        TEXT,
        url          TEXT,
        source       TEXT,
        published    TEXT,
        lang         TEXT,
        body         TEXT NOT NULL,
        removed      TEXT NOT NULL,
        origin       TEXT NOT NULL,
        ingested_at  TEXT NOT NULL
     );
     CREATE INDEX articles_by_story ON articles (story_id, seq);
     CREATE TABLE stories (
        id          TEXT PRIMARY KEY,
        first_seq   INTEGER NOT NULL,
        title       TEXT NOT NULL,
        brief       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
     );",
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings `conn` up to [`latest`], refusing files from a newer build.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|source| StoreError::Migration { version: 0, source })?;
    if found > latest() {
        return Err(StoreError::TooNew {
            found,
            supported: latest(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        let wrap = |source| StoreError::Migration { version, source };
        let tx = conn.transaction().map_err(wrap)?;
        tx.execute_batch(sql).map_err(wrap)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(wrap)?;
        tx.commit().map_err(wrap)?;
    }
    Ok(())
}
