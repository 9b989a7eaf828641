use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use parallax_model::{
    Article, ArticleId, Brief, CopyLink, CopyRelation, Origin, Source, StoryEvent, StoryEventKind,
    StoryId,
};
use rusqlite::{Connection, MAIN_DB, OptionalExtension, Row, params};

use crate::article_index::{self, ArticleIndex, Indexer};
use crate::error::Context;
use crate::story_index::{self, StoryIndex, StoryIndexer};
use crate::{Result, StoreError, migrations};

/// An article to store, with the story it joined.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The article.
    pub article: Article,
    /// Hash of its content, to tell a re-ingest of the same text from a
    /// different text under a reused id.
    pub content_hash: String,
    /// The story it was assigned to.
    pub story: StoryId,
    /// Stories merged into `story` as this article was placed, in order
    /// (`Assignment::absorbed` of the clusterer). Writing the article
    /// records a `merged` event for each, moves their articles (stored and
    /// earlier in the batch) to `story` and drops their story rows; their
    /// ids go on resolving to `story` ([`crate::Backend::merged_into`]).
    pub absorbed: Vec<StoryId>,
}

/// One atomic write: new articles (with the story events their placement
/// made), the copy pairs they form, and the (re)computed briefs of the
/// stories they touched. Writing them together means a crash never leaves
/// an article without its pairs or its events, nor a pair naming an
/// article that was never stored.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Articles to insert, in arrival order.
    pub articles: Vec<NewArticle>,
    /// Copy pairs found as these articles arrived (each names at least one
    /// of them; the other may be stored already).
    pub copies: Vec<CopyLink>,
    /// Briefs to insert or replace, one per touched story (never one of a
    /// story the batch merges into another).
    pub briefs: Vec<Brief>,
}

/// An article as stored.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    /// Arrival order across the whole store, from 1.
    pub seq: i64,
    /// The article.
    pub article: Article,
    /// Hash of its content.
    pub content_hash: String,
    /// The story it belongs to.
    pub story: StoryId,
}

/// A story as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRow {
    /// Stable id.
    pub id: StoryId,
    /// Headline from its latest brief.
    pub title: String,
    /// Member articles in arrival order.
    pub articles: Vec<ArticleId>,
}

/// A handle on one store file.
pub struct Store {
    pub(crate) conn: Connection,
    /// A placement is open: this connection holds the file's write lock
    /// (`BEGIN IMMEDIATE`) until the batch commits or is abandoned.
    pub(crate) placing: bool,
    /// Batches committed through this handle, to reset the WAL now and then.
    pub(crate) commits: u32,
    /// Where the article search index is.
    pub(crate) search: SearchHome,
    /// The index's writer, once this handle indexed (the projection's).
    pub(crate) indexer: Option<Indexer>,
    /// The story index's writer, likewise.
    pub(crate) story_indexer: Option<StoryIndexer>,
}

/// Where a store's search indexes live.
pub(crate) enum SearchHome {
    /// Beside the database file at this path (`<db>.search/`,
    /// `<db>.stories/`).
    Beside(PathBuf),
    /// In memory, with a store in memory.
    Memory(Arc<ArticleIndex>, Arc<StoryIndex>),
}

/// Batches between two resets of the write-ahead log. With a second
/// connection (the brief projection, a server's readers) always at work,
/// SQLite's own checkpoints copy pages back but never get the log to
/// itself to restart it, and it grows by every batch: at 1M articles, 7 GB.
const RESET_WAL_EVERY: u32 = 32;

/// How long a writer waits for another process's batch before giving up
/// with [`StoreError::Busy`]: far longer than any batch takes.
pub(crate) const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

impl Store {
    /// Opens (creating if needed) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing parent folder would surface as an opaque SQLite
            // error; create it so a default path just works.
            let _ = std::fs::create_dir_all(dir);
        }
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        let search = SearchHome::Beside(path.to_owned());
        // Another process may be creating or writing the file: wait for it
        // (set first, so that switching to WAL waits too).
        conn.busy_timeout(WRITE_WAIT).map_err(open_err)?;
        // WAL: readers never block the writer and a crash mid-write leaves
        // the last committed batch intact. NORMAL sync is durable in WAL
        // mode against process crashes. Switching a new file to WAL while
        // another process creates it can fail as busy without waiting:
        // retry until it is the other's turn to be done.
        let started = std::time::Instant::now();
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Err(e)
                    if matches!(
                        e.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) && started.elapsed() < WRITE_WAIT =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other.map_err(open_err)?,
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        Self::init(conn, search)
    }

    /// A throw-away store in memory (tests, one-shot commands).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(
            conn,
            SearchHome::Memory(ArticleIndex::in_memory()?, StoryIndex::in_memory()?),
        )
    }

    fn init(mut conn: Connection, search: SearchHome) -> Result<Self> {
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn,
            placing: false,
            commits: 0,
            search,
            indexer: None,
            story_indexer: None,
        })
    }

    /// The article search index for searching; `None` while there is none
    /// yet (no article indexed so far).
    pub(crate) fn article_index(&self) -> Result<Option<Arc<ArticleIndex>>> {
        match &self.search {
            SearchHome::Beside(db) => ArticleIndex::for_reading(&article_index::dir_for(db)),
            SearchHome::Memory(index, _) => Ok(Some(index.clone())),
        }
    }

    /// The story search index for searching; `None` while there is none
    /// yet.
    pub(crate) fn story_index(&self) -> Result<Option<Arc<StoryIndex>>> {
        match &self.search {
            SearchHome::Beside(db) => StoryIndex::for_reading(&story_index::dir_for(db)),
            SearchHome::Memory(_, index) => Ok(Some(index.clone())),
        }
    }

    /// The content hash stored for `id`, or `None` when it is not stored.
    pub fn content_hash(&self, id: &ArticleId) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT content_hash FROM articles WHERE id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .optional()
            .context("looking up an article")
    }

    /// Number of stored articles.
    pub fn article_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))
            .context("counting articles")
            .map(|n| n as u64)
    }

    /// Writes `batch` in one transaction: all of it is stored, or none. In
    /// an open placement ([`crate::Backend::begin_placement`]) the batch is
    /// written in its transaction, which then commits.
    pub fn write(&mut self, batch: &Batch) -> Result<()> {
        if self.placing {
            self.placing = false;
            let written = write_batch(&self.conn, batch);
            let done = written.and_then(|()| {
                self.conn
                    .execute_batch("COMMIT")
                    .context("committing a batch")
            });
            if done.is_err() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            done?;
        } else {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .context("starting a write transaction")?;
            write_batch(&tx, batch)?;
            tx.commit().context("committing a batch")?;
        }
        self.commits += 1;
        if self.commits.is_multiple_of(RESET_WAL_EVERY) {
            // Waits (busy handler) for the other connections' current
            // transactions, then starts the log over. A failure only
            // leaves the log longer: the batch is committed.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(())
    }

    /// Takes the file's write lock for a placement, waiting (up to
    /// [`WRITE_WAIT`]) for another process's batch to commit.
    pub fn begin_placement(&mut self) -> Result<()> {
        if self.placing {
            return Ok(());
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    StoreError::Busy { waited: WRITE_WAIT }
                }
                _ => StoreError::Query {
                    context: "taking the store's write lock",
                    source: e,
                },
            })?;
        self.placing = true;
        Ok(())
    }

    /// Ends a placement without writing.
    pub fn abandon_placement(&mut self) {
        if std::mem::take(&mut self.placing) {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Stores `briefs` (insert or replace) in one transaction. A brief of a
    /// story that has no articles any more (merged into another since it
    /// was built) is left out.
    pub fn write_briefs(&mut self, briefs: &[Brief]) -> Result<()> {
        let now = Utc::now().to_rfc3339();
        // Immediate: a transaction that reads first and writes later fails
        // at once (no waiting) when another connection wrote in between.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .context("starting a brief transaction")?;
        write_briefs(&tx, briefs, &now)?;
        tx.commit().context("committing briefs")
    }

    /// Stores an engine checkpoint at `seq` and deletes all but the `keep`
    /// newest (see [`Backend::write_checkpoint`]).
    pub fn write_checkpoint(&mut self, seq: i64, state: &[u8], keep: usize) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .context("starting a checkpoint transaction")?;
        tx.execute(
            "INSERT OR REPLACE INTO checkpoints (seq, written_at, state) VALUES (?1, ?2, ?3)",
            params![seq, Utc::now().to_rfc3339(), state],
        )
        .context("writing a checkpoint")?;
        tx.execute(
            "DELETE FROM checkpoints WHERE seq NOT IN
                (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT ?1)",
            params![keep.max(1) as i64],
        )
        .context("dropping old checkpoints")?;
        tx.commit().context("committing a checkpoint")
    }

    /// The `seq`s of the stored checkpoints, newest first.
    pub fn checkpoint_seqs(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq FROM checkpoints ORDER BY seq DESC")
            .context("listing checkpoints")?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .context("listing checkpoints")?;
        rows.map(|r| r.context("listing checkpoints")).collect()
    }

    /// The state of the checkpoint at `seq`.
    pub fn checkpoint(&self, seq: i64) -> Result<Option<Vec<u8>>> {
        let stored = self
            .conn
            .query_row(
                "SELECT 1 FROM checkpoints WHERE seq = ?1",
                [seq],
                |_| Ok(()),
            )
            .optional()
            .context("reading a checkpoint")?;
        if stored.is_none() {
            return Ok(None);
        }
        // Read straight into one buffer: at a million articles the state is
        // hundreds of megabytes, which a query would copy twice (SQLite's
        // value, then ours), and restart time is mostly the kernel handing
        // out fresh pages. `seq` is the table's rowid.
        let blob = self
            .conn
            .blob_open(MAIN_DB, c"checkpoints", c"state", seq, true)
            .context("opening a checkpoint")?;
        let mut state = vec![0; blob.len()];
        blob.read_at_exact(&mut state, 0)
            .context("reading a checkpoint")?;
        Ok(Some(state))
    }

    /// Adds the articles stored up to `seq` to the article search index
    /// (those not in it yet) and commits it with the `seq` it reaches,
    /// which it returns. Reads the database without its write lock, so the
    /// write path never waits for indexing. The first call opens the index
    /// for writing: one left behind catches up from where it stopped; a
    /// missing, damaged or foreign one is rebuilt from the stored articles.
    pub fn index_articles(&mut self, seq: i64) -> Result<i64> {
        self.index_stories()?;
        if self.indexer.is_none() {
            let opened = match &self.search {
                SearchHome::Beside(db) => Indexer::open(&article_index::dir_for(db), &self.conn),
                SearchHome::Memory(index, _) => Indexer::in_memory(index.clone()),
            };
            self.indexer = Some(match opened {
                Ok(indexer) => indexer,
                // Another writer of this file indexes what is stored (this
                // one's articles too, as far as it follows the store); this
                // handle tries again next time and catches up then.
                Err(StoreError::SearchBusy) => {
                    tracing::debug!("another process writes the search index");
                    return Ok(0);
                }
                Err(e) => return Err(e),
            });
        }
        let indexer = self.indexer.as_mut().expect("opened above");
        indexer.catch_up(&self.conn, seq)
    }

    /// Brings the story search index up to the stories stored (briefs
    /// written, stories merged away since it last did). Reads the database
    /// without its write lock but for pruning the change log now and then.
    /// The first call opens the index for writing: one left behind catches
    /// up; a missing, damaged or foreign one is rebuilt from the stories.
    /// When another process writes the index, nothing is done: it catches
    /// up with this one's stories too.
    pub fn index_stories(&mut self) -> Result<()> {
        if self.story_indexer.is_none() {
            let opened = match &self.search {
                SearchHome::Beside(db) => StoryIndexer::open(&story_index::dir_for(db), &self.conn),
                SearchHome::Memory(_, index) => StoryIndexer::in_memory(index.clone(), &self.conn),
            };
            self.story_indexer = Some(match opened {
                Ok(indexer) => indexer,
                Err(StoreError::SearchBusy) => {
                    tracing::debug!("another process writes the story index");
                    return Ok(());
                }
                Err(e) => return Err(e),
            });
        }
        let indexer = self.story_indexer.as_mut().expect("opened above");
        indexer.catch_up(&self.conn).map(|_| ())
    }

    /// The `seq` each stored brief reflects, by story.
    pub fn brief_seqs(&self) -> Result<std::collections::HashMap<StoryId, i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, brief_seq FROM stories")
            .context("reading brief positions")?;
        let rows = stmt
            .query_map([], |r| Ok((StoryId(r.get(0)?), r.get(1)?)))
            .context("reading brief positions")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading brief positions")
    }

    /// [`Self::brief_seqs`] for `stories` only, each looked up by id (a
    /// scan of every story reads every stored brief: a third of a second
    /// at a million articles).
    pub fn brief_seqs_of(
        &self,
        stories: &[&StoryId],
    ) -> Result<std::collections::HashMap<StoryId, i64>> {
        if stories.len() > 4096 {
            // Many: one scan costs less than as many lookups.
            return Ok(crate::backend::only_stories(self.brief_seqs()?, stories));
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT brief_seq FROM stories WHERE id = ?1")
            .context("reading brief positions")?;
        let mut out = std::collections::HashMap::with_capacity(stories.len());
        for &story in stories {
            let seq: Option<i64> = stmt
                .query_row([&story.0], |r| r.get(0))
                .optional()
                .context("reading brief positions")?;
            if let Some(seq) = seq {
                out.insert(story.clone(), seq);
            }
        }
        Ok(out)
    }

    /// Every stored article in arrival order.
    pub fn articles(&self) -> Result<Vec<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY seq"
            ))
            .context("listing articles")?;
        let rows = stmt
            .query_map([], read_article)
            .context("listing articles")?;
        rows.map(|r| r.context("reading an article")?).collect()
    }

    /// The articles of one story in arrival order.
    pub fn story_articles(&self, story: &StoryId) -> Result<Vec<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles WHERE story_id = ?1 ORDER BY seq"
            ))
            .context("listing a story's articles")?;
        let rows = stmt
            .query_map([story.as_str()], read_article)
            .context("listing a story's articles")?;
        rows.map(|r| r.context("reading an article")?).collect()
    }

    /// Number of stored copy pairs.
    pub fn copy_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM copies", [], |r| r.get::<_, i64>(0))
            .context("counting copy pairs")
            .map(|n| n as u64)
    }

    /// Every stored copy pair, by copy then original.
    pub fn copies(&self) -> Result<Vec<CopyLink>> {
        self.read_copies(
            "SELECT copy_id, original_id, relation, score, evidence FROM copies
             ORDER BY copy_id, original_id",
            [],
        )
    }

    /// The copy pairs between two articles of `story` (pairs with an
    /// article of another story are left out).
    pub fn story_copies(&self, story: &StoryId) -> Result<Vec<CopyLink>> {
        self.read_copies(
            "SELECT c.copy_id, c.original_id, c.relation, c.score, c.evidence
             FROM articles a
             JOIN copies c ON c.copy_id = a.id
             JOIN articles o ON o.id = c.original_id
             WHERE a.story_id = ?1 AND o.story_id = ?1
             ORDER BY a.seq, o.seq",
            [story.as_str()],
        )
    }

    /// The copy pairs `article` is part of, as copy or as original.
    pub fn article_copies(&self, article: &ArticleId) -> Result<Vec<CopyLink>> {
        self.read_copies(
            "SELECT copy_id, original_id, relation, score, evidence FROM copies
             WHERE copy_id = ?1
             UNION ALL
             SELECT copy_id, original_id, relation, score, evidence FROM copies
             WHERE original_id = ?1 AND copy_id <> ?1",
            [article.as_str()],
        )
    }

    fn read_copies<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<Vec<CopyLink>> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .context("listing copy pairs")?;
        let rows = stmt
            .query_map(params, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .context("listing copy pairs")?;
        rows.map(|row| {
            let (copy, original, relation, score, evidence) = row.context("reading a copy pair")?;
            copy_link(copy, original, &relation, score, evidence)
        })
        .collect()
    }

    /// Every story, oldest first, with its members.
    pub fn stories(&self) -> Result<Vec<StoryRow>> {
        let mut out = Vec::new();
        self.each_story(&mut |story| {
            out.push(story);
            true
        })?;
        Ok(out)
    }

    /// Every story, oldest first, with its members, handed to `each` as it
    /// is read, until `each` returns false.
    pub fn each_story(&self, each: &mut dyn FnMut(StoryRow) -> bool) -> Result<()> {
        // Stories as the outer loop (`CROSS JOIN` fixes the order in
        // SQLite), in `first_seq` order by its index, each story's
        // articles by `articles_in_story`: rows stream out in order with
        // no sort of the whole store first (the plain join sorted a million
        // rows before the first one: 2.8 s).
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.title, a.id FROM stories s
                 CROSS JOIN articles a ON a.story_id = s.id
                 ORDER BY s.first_seq, a.seq",
            )
            .context("listing stories")?;
        let mut rows = stmt.query([]).context("listing stories")?;
        let mut current: Option<StoryRow> = None;
        while let Some(row) = rows.next().context("listing stories")? {
            let id: String = row.get(0).context("reading a story")?;
            let article: String = row.get(2).context("reading a story")?;
            match &mut current {
                Some(story) if story.id.0 == id => story.articles.push(ArticleId(article)),
                _ => {
                    let next = StoryRow {
                        id: StoryId(id),
                        title: row.get(1).context("reading a story")?,
                        articles: vec![ArticleId(article)],
                    };
                    if let Some(done) = current.replace(next)
                        && !each(done)
                    {
                        return Ok(());
                    }
                }
            }
        }
        if let Some(last) = current {
            each(last);
        }
        Ok(())
    }

    /// The stored brief of `story`.
    pub fn brief(&self, story: &StoryId) -> Result<Option<Brief>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT brief FROM stories WHERE id = ?1",
                [story.as_str()],
                |r| r.get(0),
            )
            .optional()
            .context("reading a brief")?;
        json.map(|j| from_json(&j, || format!("brief of story {story}")))
            .transpose()
    }

    /// The events at placements after `seq`, in order (by `seq`, then
    /// their order within the placement).
    pub fn events_after(&self, seq: i64) -> Result<Vec<StoryEvent>> {
        self.read_events(
            &format!("SELECT {EVENT_COLUMNS} FROM story_events WHERE seq > ?1 ORDER BY seq, ord"),
            [seq],
        )
    }

    /// The events of `story` and of every story merged into it (through
    /// earlier merges too), in order.
    pub fn story_events(&self, story: &StoryId) -> Result<Vec<StoryEvent>> {
        self.read_events(&story_events_sql("?1", ""), [story.as_str()])
    }

    /// The story an absorbed story's articles belong to now, following
    /// every merge; `None` when `story` was never merged into another.
    pub fn merged_into(&self, story: &StoryId) -> Result<Option<StoryId>> {
        let mut found: Option<StoryId> = None;
        let mut stmt = self
            .conn
            .prepare_cached(MERGED_INTO)
            .context("resolving a merged story")?;
        // A story is absorbed at most once, and only into an older one,
        // so the chain ends.
        loop {
            let from = found.as_ref().unwrap_or(story).as_str();
            let next: Option<String> = stmt
                .query_row([from], |r| r.get(0))
                .optional()
                .context("resolving a merged story")?;
            match next {
                Some(next) => found = Some(StoryId(next)),
                None => return Ok(found),
            }
        }
    }

    fn read_events<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<Vec<StoryEvent>> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .context("listing story events")?;
        let rows = stmt
            .query_map(params, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .context("listing story events")?;
        rows.map(|row| {
            let (seq, story, kind, article, from, at) = row.context("reading a story event")?;
            story_event(seq, story, &kind, article, from, at)
        })
        .collect()
    }

    /// Story ids that start with `prefix` (so users can type a short id).
    pub fn stories_with_prefix(&self, prefix: &str) -> Result<Vec<StoryId>> {
        // A range over the primary key: a full id resolves in one lookup
        // whatever the number of stories, not a scan of them all.
        let rows: Vec<StoryId> = match prefix_end(prefix) {
            Some(end) => {
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT id FROM stories WHERE id >= ?1 AND id < ?2 ORDER BY id")
                    .context("resolving a story id")?;
                stmt.query_map([prefix, end.as_str()], |r| {
                    r.get::<_, String>(0).map(StoryId)
                })
                .context("resolving a story id")?
                .collect::<rusqlite::Result<_>>()
                .context("resolving a story id")?
            }
            None => {
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT id FROM stories WHERE id >= ?1 ORDER BY id")
                    .context("resolving a story id")?;
                stmt.query_map([prefix], |r| r.get::<_, String>(0).map(StoryId))
                    .context("resolving a story id")?
                    .collect::<rusqlite::Result<_>>()
                    .context("resolving a story id")?
            }
        };
        Ok(rows
            .into_iter()
            .filter(|s| s.as_str().starts_with(prefix))
            .collect())
    }
}

/// The least string above every string that starts with `prefix`, in
/// byte order (`None`: no such bound, as for the empty prefix): the last
/// character that can grow is incremented and what follows it dropped.
pub(crate) fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = last as u32 + 1;
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The columns [`story_event`] decodes, in its order.
pub(crate) const EVENT_COLUMNS: &str = "seq, story_id, kind, article_id, from_story, at";

/// The absorbed story `from_story` was merged into (one step).
pub(crate) const MERGED_INTO: &str =
    "SELECT story_id FROM story_events WHERE from_story = $1 AND kind = 'merged'";

/// The events of the story `param` names and of every story merged into
/// it, in order; the same SQL serves both backends.
/// (`collate` is appended to the seed id, for PostgreSQL's byte-wise
/// columns).
/// Inserts `batch` through `tx` (an open transaction).
fn write_batch(tx: &Connection, batch: &Batch) -> Result<()> {
    let now = Utc::now().to_rfc3339();
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO articles (id, content_hash, story_id, title, url, source,
                    published, lang, body, removed, origin, ingested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .context("preparing the article insert")?;
    let mut merged = tx
        .prepare_cached(
            "INSERT INTO story_events (seq, ord, story_id, kind, article_id, from_story, at)
                 VALUES (?1, ?2, ?3, 'merged', ?4, ?5, ?6)",
        )
        .context("preparing the event insert")?;
    let mut repoint = tx
        .prepare_cached("UPDATE articles SET story_id = ?1 WHERE story_id = ?2")
        .context("preparing a merge")?;
    let mut drop_story = tx
        .prepare_cached("DELETE FROM stories WHERE id = ?1")
        .context("preparing a merge")?;
    // Founded when the story has no event yet: ids are never
    // reused, not even an absorbed story's.
    let mut placed = tx
        .prepare_cached(
            "INSERT INTO story_events (seq, ord, story_id, kind, article_id, at)
                 VALUES (?1, ?2, ?3,
                         CASE WHEN EXISTS (SELECT 1 FROM story_events WHERE story_id = ?3)
                              THEN 'joined' ELSE 'founded' END,
                         ?4, ?5)",
        )
        .context("preparing the event insert")?;
    for new in &batch.articles {
        let a = &new.article;
        insert
            .execute(params![
                a.id.as_str(),
                new.content_hash,
                new.story.as_str(),
                a.title,
                a.url,
                a.source.as_ref().map(|s| s.0.as_str()),
                a.published.map(|d| d.to_rfc3339()),
                a.lang,
                a.body,
                to_json(&a.removed),
                to_json(&a.origin),
                now,
            ])
            .context("inserting an article")?;
        let seq = tx.last_insert_rowid();
        for (ord, from) in new.absorbed.iter().enumerate() {
            merged
                .execute(params![
                    seq,
                    ord as i64,
                    new.story.as_str(),
                    a.id.as_str(),
                    from.as_str(),
                    now
                ])
                .context("recording a merge")?;
            repoint
                .execute(params![new.story.as_str(), from.as_str()])
                .context("moving a merged story's articles")?;
            drop_story
                .execute([from.as_str()])
                .context("dropping a merged story")?;
        }
        placed
            .execute(params![
                seq,
                new.absorbed.len() as i64,
                new.story.as_str(),
                a.id.as_str(),
                now
            ])
            .context("recording a placement")?;
    }
    // A pair already stored is left as it is: the detector finds a
    // pair once, when the later article arrives, so a repeat can
    // only come from a replayed backfill.
    let mut copy = tx
        .prepare_cached(
            "INSERT INTO copies (copy_id, original_id, relation, score, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (copy_id, original_id) DO NOTHING",
        )
        .context("preparing the copy insert")?;
    for link in &batch.copies {
        copy.execute(params![
            link.copy.as_str(),
            link.original.as_str(),
            link.relation.as_str(),
            link.score,
            link.evidence,
        ])
        .context("inserting a copy pair")?;
    }
    write_briefs(tx, &batch.briefs, &now)?;
    Ok(())
}

/// Inserts or replaces `briefs` inside `tx`; a story without articles
/// (merged away after the brief was built) gets no row.
fn write_briefs(tx: &Connection, briefs: &[Brief], now: &str) -> Result<()> {
    // The SELECT yields no row when the story has no articles; its WHERE
    // also keeps SQLite's upsert grammar unambiguous.
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO stories (id, first_seq, title, brief, updated_at, brief_seq)
             SELECT ?1, MIN(seq), ?2, ?3, ?4, COALESCE(?5, MAX(seq))
               FROM articles WHERE story_id = ?1 GROUP BY story_id
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, brief = excluded.brief,
                updated_at = excluded.updated_at, brief_seq = excluded.brief_seq
             WHERE excluded.brief_seq >= stories.brief_seq",
        )
        .context("preparing the story upsert")?;
    for brief in briefs {
        upsert
            .execute(params![
                brief.story.as_str(),
                brief.title,
                to_json(brief),
                now,
                brief.seq
            ])
            .context("storing a brief")?;
    }
    Ok(())
}

pub(crate) fn story_events_sql(param: &str, collate: &str) -> String {
    format!(
        "WITH RECURSIVE members (id) AS (
            SELECT CAST({param} AS TEXT){collate}
            UNION
            SELECT e.from_story FROM story_events e JOIN members m ON e.story_id = m.id
             WHERE e.kind = 'merged'
         )
         SELECT {EVENT_COLUMNS} FROM story_events
          WHERE story_id IN (SELECT id FROM members)
          ORDER BY seq, ord"
    )
}

/// A stored event's columns back to a [`StoryEvent`].
pub(crate) fn story_event(
    seq: i64,
    story: String,
    kind: &str,
    article: String,
    from: Option<String>,
    at: String,
) -> Result<StoryEvent> {
    let kind = match (kind, from) {
        ("founded", _) => StoryEventKind::Founded,
        ("joined", _) => StoryEventKind::Joined,
        ("merged", Some(from)) => StoryEventKind::Merged {
            from: StoryId(from),
        },
        (kind, _) => {
            return Err(StoreError::Corrupt {
                what: format!("story event at seq {seq}"),
                detail: format!("unknown kind {kind:?} or merge without its story"),
            });
        }
    };
    Ok(StoryEvent {
        seq,
        story: StoryId(story),
        kind,
        article: ArticleId(article),
        at,
    })
}

pub(crate) const ARTICLE_COLUMNS: &str =
    "seq, id, content_hash, story_id, title, url, source, published, lang, body, removed, origin";

pub(crate) fn read_article(row: &Row<'_>) -> rusqlite::Result<Result<StoredArticle>> {
    let id: String = row.get(1)?;
    let published: Option<String> = row.get(7)?;
    let removed: String = row.get(10)?;
    let origin: String = row.get(11)?;
    let decode = || -> Result<StoredArticle> {
        let published = published_date(&id, published)?;
        Ok(StoredArticle {
            seq: row.get(0).context("reading an article")?,
            content_hash: row.get(2).context("reading an article")?,
            story: StoryId(row.get(3).context("reading an article")?),
            article: Article {
                title: row.get(4).context("reading an article")?,
                url: row.get(5).context("reading an article")?,
                source: row
                    .get::<_, Option<String>>(6)
                    .context("reading an article")?
                    .map(Source),
                published,
                lang: row.get(8).context("reading an article")?,
                body: row.get(9).context("reading an article")?,
                removed: from_json(&removed, || format!("removals of article {id}"))?,
                origin: from_json::<Origin>(&origin, || format!("origin of article {id}"))?,
                id: ArticleId(id.clone()),
            },
        })
    };
    Ok(decode())
}

/// A stored publication date (RFC 3339) back to UTC; every backend stores
/// it the same way.
pub(crate) fn published_date(id: &str, stored: Option<String>) -> Result<Option<DateTime<Utc>>> {
    stored
        .map(|p| {
            DateTime::parse_from_rfc3339(&p)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| StoreError::Corrupt {
                    what: format!("published date of article {id}"),
                    detail: e.to_string(),
                })
        })
        .transpose()
}

/// A stored copy pair's columns back to a [`CopyLink`]; every backend
/// stores the relation by its [`CopyRelation::as_str`] name.
pub(crate) fn copy_link(
    copy: String,
    original: String,
    relation: &str,
    score: f64,
    evidence: Option<String>,
) -> Result<CopyLink> {
    let relation = CopyRelation::parse(relation).ok_or_else(|| StoreError::Corrupt {
        what: format!("copy pair {copy} -> {original}"),
        detail: format!("unknown relation {relation:?}"),
    })?;
    Ok(CopyLink {
        copy: ArticleId(copy),
        original: ArticleId(original),
        relation,
        score,
        evidence,
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Our own model types always serialise.
    serde_json::to_string(value).expect("model types serialise to JSON")
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: impl Fn() -> String,
) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        what: what(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod prefix_tests {
    use super::prefix_end;

    #[test]
    fn the_bound_is_above_every_extension_and_below_the_next_prefix() {
        assert_eq!(prefix_end("s1a").as_deref(), Some("s1b"));
        assert_eq!(prefix_end(""), None);
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{D7FF}").as_deref(), Some("\u{E000}"));
        let end = prefix_end("s1").unwrap();
        for id in ["s1", "s10", "s1\u{10FFFF}", "s1zzz"] {
            assert!(id < end.as_str(), "{id}");
        }
        assert!("s2" >= end.as_str());
    }
}
