//! Versioned schema migrations of the PostgreSQL store.
//!
//! The version lives in a one-row table, `parallax_schema`. All pending
//! migrations run in one transaction under an advisory lock, so several
//! workers starting at once on an empty database create the schema exactly
//! once and each sees it whole. Never edit a released migration: append one.
//! The numbering is the PostgreSQL store's own; it does not follow the
//! SQLite file's `user_version`.

use ::postgres::Client;

use super::MIGRATE_LOCK;
use crate::{Result, StoreError};

/// The migrations, in order; entry `i` upgrades version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles in arrival order, their stories and stored briefs, with
    // full-text search vectors (English configuration: stemmed, stop words
    // left out) and the indexes that listing and filtering use. Text sorts
    // byte-wise ("C"), as in SQLite.
    r#"CREATE TABLE articles (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id           TEXT COLLATE "C" NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        story_id     TEXT COLLATE "C" NOT NULL,
        title        TEXT,
        url          TEXT,
        source       TEXT COLLATE "C",
        published    TEXT COLLATE "C",
        lang         TEXT,
        body         TEXT NOT NULL,
        removed      TEXT NOT NULL,
        origin       TEXT NOT NULL,
        ingested_at  TEXT COLLATE "C" NOT NULL,
        search       tsvector GENERATED ALWAYS AS
                     (to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED
     );
     CREATE INDEX articles_by_story ON articles (story_id, seq);
     CREATE INDEX articles_by_source ON articles (source);
     CREATE INDEX articles_search ON articles USING GIN (search);
     CREATE TABLE stories (
        id          TEXT COLLATE "C" PRIMARY KEY,
        first_seq   BIGINT NOT NULL,
        title       TEXT NOT NULL,
        brief       TEXT NOT NULL,
        updated_at  TEXT COLLATE "C" NOT NULL,
        search      tsvector NOT NULL
     );
     CREATE INDEX stories_by_first_seq ON stories (first_seq);
     CREATE INDEX stories_by_update ON stories (updated_at, first_seq);
     CREATE INDEX stories_search ON stories USING GIN (search);"#,
    // 2: copies: which stored article reuses which one's text (duplicate,
    // near-duplicate, syndicated), found by the dedup stage at ingestion
    // and written in the same transaction as the articles; `evidence` is
    // what decided the direction. As the SQLite store's migration 3.
    r#"CREATE TABLE copies (
        copy_id      TEXT COLLATE "C" NOT NULL,
        original_id  TEXT COLLATE "C" NOT NULL,
        relation     TEXT NOT NULL
                     CHECK (relation IN ('duplicate', 'near-duplicate', 'syndicated')),
        score        DOUBLE PRECISION NOT NULL,
        evidence     TEXT,
        PRIMARY KEY (copy_id, original_id)
     );
     CREATE INDEX copies_by_original ON copies (original_id, copy_id);"#,
    // 3: story events (founded, joined, merged), as the SQLite store's
    // migration 4, rebuilt from the articles for a store written before.
    r#"CREATE TABLE story_events (
        seq         BIGINT NOT NULL,
        ord         INTEGER NOT NULL,
        story_id    TEXT COLLATE "C" NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('founded', 'joined', 'merged')),
        article_id  TEXT COLLATE "C" NOT NULL,
        from_story  TEXT COLLATE "C",
        at          TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (seq, ord)
     );
     CREATE INDEX story_events_by_story ON story_events (story_id, seq, ord);
     CREATE INDEX story_events_by_absorbed ON story_events (from_story)
        WHERE from_story IS NOT NULL;
     INSERT INTO story_events (seq, ord, story_id, kind, article_id, at)
        SELECT a.seq, 0, a.story_id,
               CASE WHEN a.seq = (SELECT MIN(b.seq) FROM articles b WHERE b.story_id = a.story_id)
                    THEN 'founded' ELSE 'joined' END,
               a.id, a.ingested_at
          FROM articles a;"#,
    // 4: the `seq` each brief reflects, as the SQLite store's migration 5.
    r#"ALTER TABLE stories ADD COLUMN brief_seq BIGINT NOT NULL DEFAULT 0;
     UPDATE stories SET brief_seq =
        COALESCE((SELECT MAX(seq) FROM articles WHERE story_id = stories.id), 0);"#,
    // 5: engine checkpoints, as the SQLite store's migration 7.
    r#"CREATE TABLE checkpoints (
        seq         BIGINT PRIMARY KEY,
        written_at  TEXT NOT NULL,
        state       BYTEA NOT NULL
     );"#,
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the schema on `client`'s search path up to [`latest`], refusing
/// one from a newer build.
pub fn migrate(client: &mut Client) -> Result<()> {
    let wrap = |version| move |source| StoreError::PgMigration { version, source };
    let mut tx = client.transaction().map_err(wrap(0))?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))",
        &[&MIGRATE_LOCK],
    )
    .map_err(wrap(0))?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS parallax_schema (version BIGINT NOT NULL)")
        .map_err(wrap(0))?;
    let found: i64 = match tx
        .query_opt("SELECT version FROM parallax_schema", &[])
        .map_err(wrap(0))?
    {
        Some(row) => row.get(0),
        None => {
            tx.execute("INSERT INTO parallax_schema (version) VALUES (0)", &[])
                .map_err(wrap(0))?;
            0
        }
    };
    if found > latest() {
        return Err(StoreError::TooNew {
            found,
            supported: latest(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        tx.batch_execute(sql).map_err(wrap(version))?;
        tx.execute("UPDATE parallax_schema SET version = $1", &[&version])
            .map_err(wrap(version))?;
    }
    tx.commit().map_err(wrap(latest()))
}
