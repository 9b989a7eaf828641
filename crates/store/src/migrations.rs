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
    // 2: full-text search (FTS5, Porter stemming over Unicode words, accents
    // folded) over articles (title, body) and stories (headline, summary,
    // source titles, entity names), kept in step by triggers so an index
    // entry is written in the same transaction as its row; plus the indexes
    // that story listing and filtering use. See `search.rs`.
    "CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body,
        content = 'articles', content_rowid = 'seq',
        tokenize = 'porter unicode61 remove_diacritics 2'
     );
     INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
     CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
     END;
     CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
        VALUES ('delete', old.seq, old.title, old.body);
     END;
     CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
        VALUES ('delete', old.seq, old.title, old.body);
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
     END;
     CREATE INDEX articles_by_source ON articles (source);
     CREATE INDEX stories_by_first_seq ON stories (first_seq);
     CREATE INDEX stories_by_update ON stories (updated_at, first_seq);
     -- A story's search row has the story's founding article seq as rowid:
     -- an integer that never changes (a text primary key's rowid may be
     -- renumbered by VACUUM).
     CREATE VIRTUAL TABLE stories_fts USING fts5(
        title, summary, extra,
        tokenize = 'porter unicode61 remove_diacritics 2'
     );
     CREATE VIEW stories_fts_source (first_seq, title, summary, extra) AS
        SELECT s.first_seq, s.title, json_extract(s.brief, '$.summary'),
               (SELECT group_concat(t, ' ') FROM (
                   SELECT json_extract(value, '$.title') AS t
                     FROM json_each(s.brief, '$.sources')
                   UNION ALL
                   SELECT json_extract(value, '$.name') FROM json_each(s.brief, '$.entities')))
          FROM stories s;
     INSERT INTO stories_fts (rowid, title, summary, extra) SELECT * FROM stories_fts_source;
     CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
        INSERT INTO stories_fts (rowid, title, summary, extra)
        SELECT * FROM stories_fts_source WHERE first_seq = new.first_seq;
     END;
     CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, brief ON stories BEGIN
        DELETE FROM stories_fts WHERE rowid = old.first_seq;
        INSERT INTO stories_fts (rowid, title, summary, extra)
        SELECT * FROM stories_fts_source WHERE first_seq = new.first_seq;
     END;
     CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
        DELETE FROM stories_fts WHERE rowid = old.first_seq;
     END;",
    // 3: copies: which stored article reuses which one's text (duplicate,
    // near-duplicate, syndicated), found by the dedup stage at ingestion
    // and written in the same transaction as the articles. `evidence` is
    // what decided the direction. Keyed by the copy, then its original; an
    // index by original answers "who copied this".
    "CREATE TABLE copies (
        copy_id      TEXT NOT NULL,
        original_id  TEXT NOT NULL,
        relation     TEXT NOT NULL
                     CHECK (relation IN ('duplicate', 'near-duplicate', 'syndicated')),
        score        REAL NOT NULL,
        evidence     TEXT,
        PRIMARY KEY (copy_id, original_id)
     ) WITHOUT ROWID;
     CREATE INDEX copies_by_original ON copies (original_id, copy_id);",
    // 4: story events: how each story grew. Every placed article records
    // `founded` or `joined` (the story it was placed in then, which a later
    // merge does not change, so replay can rebuild the clustering state);
    // a merge records `merged` on the survivor with the absorbed story in
    // `from_story`, at the placement that caused it. Keyed by the
    // article's `seq` and the event's place among that placement's events
    // (merges first, then the article's own). Stores written before have
    // no merges: their events are rebuilt from the articles.
    "CREATE TABLE story_events (
        seq         INTEGER NOT NULL,
        ord         INTEGER NOT NULL,
        story_id    TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('founded', 'joined', 'merged')),
        article_id  TEXT NOT NULL,
        from_story  TEXT,
        at          TEXT NOT NULL,
        PRIMARY KEY (seq, ord)
     ) WITHOUT ROWID;
     CREATE INDEX story_events_by_story ON story_events (story_id, seq, ord);
     CREATE INDEX story_events_by_absorbed ON story_events (from_story)
        WHERE from_story IS NOT NULL;
     INSERT INTO story_events (seq, ord, story_id, kind, article_id, at)
        SELECT a.seq, 0, a.story_id,
               CASE WHEN a.seq = (SELECT MIN(b.seq) FROM articles b WHERE b.story_id = a.story_id)
                    THEN 'founded' ELSE 'joined' END,
               a.id, a.ingested_at
          FROM articles a;",
    // 5: which point of the stream each stored brief reflects (the `seq`
    // of the story's latest article when it was built). Briefs are a
    // projection built after the articles commit; a story whose latest
    // article is newer than its brief is due for one (after a crash too).
    // Briefs written before were built with every member: they are current.
    "ALTER TABLE stories ADD COLUMN brief_seq INTEGER NOT NULL DEFAULT 0;
     UPDATE stories SET brief_seq =
        COALESCE((SELECT MAX(seq) FROM articles WHERE story_id = stories.id), 0);",
    // 6: article search is a projection too: articles are indexed after
    // they commit, outside the write path (`Store::index_articles`), up to
    // the `seq` kept in `search_position`; a crash between the two leaves
    // the index behind, never wrong, and the next run catches it up.
    "DROP TRIGGER articles_fts_insert;
     CREATE TABLE search_position (seq INTEGER NOT NULL);
     INSERT INTO search_position (seq) SELECT COALESCE(MAX(seq), 0) FROM articles;",
    // 7: engine checkpoints: the clustering, copy-detection and brief
    // state as of a `seq`, so that opening the store replays only the
    // articles after it. The state is opaque here (the engine encodes and
    // checks it); the newest few are kept.
    "CREATE TABLE checkpoints (
        seq         INTEGER PRIMARY KEY,
        written_at  TEXT NOT NULL,
        state       BLOB NOT NULL
     );",
    // 8: article search moves to a tantivy index beside the database file
    // (`article_index.rs`), which records the `seq` it reaches in its own
    // commits: the FTS5 article index, its triggers and `search_position`
    // go. The first run after this rebuilds the new index from the
    // articles. Story search kept `stories_fts` (until 9).
    "DROP TRIGGER IF EXISTS articles_fts_delete;
     DROP TRIGGER IF EXISTS articles_fts_update;
     DROP TABLE articles_fts;
     DROP TABLE search_position;",
    // 9: story search moves to a tantivy index too (`story_index.rs`, in
    // `<db>.stories/`): `stories_fts`, its view and triggers go. Triggers
    // log every story written or deleted in `story_changes`, in the same
    // transaction; the index follows the log and records the `rev` it
    // reaches in its own commits. The first run after this builds the
    // index from `stories`.
    "DROP TRIGGER IF EXISTS stories_fts_insert;
     DROP TRIGGER IF EXISTS stories_fts_update;
     DROP TRIGGER IF EXISTS stories_fts_delete;
     DROP VIEW IF EXISTS stories_fts_source;
     DROP TABLE IF EXISTS stories_fts;
     CREATE TABLE story_changes (
        rev       INTEGER PRIMARY KEY AUTOINCREMENT,
        story_id  TEXT NOT NULL
     );
     CREATE TRIGGER story_changes_insert AFTER INSERT ON stories BEGIN
        INSERT INTO story_changes (story_id) VALUES (new.id);
     END;
     CREATE TRIGGER story_changes_update AFTER UPDATE OF title, brief ON stories BEGIN
        INSERT INTO story_changes (story_id) VALUES (new.id);
     END;
     CREATE TRIGGER story_changes_delete AFTER DELETE ON stories BEGIN
        INSERT INTO story_changes (story_id) VALUES (old.id);
     END;",
    // 10: covering indexes for what listings and story search read of
    // many articles, so neither touches the article rows (a few KB each,
    // the body inline): a story's members with their ids and publication
    // times (`articles_in_story`, in place of `articles_by_story`: the
    // listed stories' first and last dates and member lists), each
    // article's story (`articles_story_of`: the stories of a story
    // search's 1,000 best article hits), and each story's `first_seq` by
    // id (`stories_first_seq_of`: the story rows hold the briefs).
    "CREATE INDEX articles_in_story ON articles (story_id, seq, id, published);
     DROP INDEX articles_by_story;
     CREATE INDEX articles_story_of ON articles (seq, story_id);
     CREATE INDEX stories_first_seq_of ON stories (id, first_seq);",
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings `conn` up to [`latest`], refusing files from a newer build.
///
/// Each step takes the file's write lock before reading the version, so two
/// processes opening a new file at once migrate it once: the second waits,
/// then finds the version already moved on.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let wrap0 = |source| StoreError::Migration { version: 0, source };
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap0)?;
        let found: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(wrap0)?;
        if found > latest() {
            return Err(StoreError::TooNew {
                found,
                supported: latest(),
            });
        }
        if found == latest() {
            return Ok(());
        }
        let version = found + 1;
        let wrap = |source| StoreError::Migration { version, source };
        tx.execute_batch(MIGRATIONS[found as usize]).map_err(wrap)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(wrap)?;
        tx.commit().map_err(wrap)?;
    }
}
