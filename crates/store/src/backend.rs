//! The store interface at the seam: what the engine (and readers) need of a
//! store, whichever database keeps it.
//!
//! Two implementations: [`Store`] (an SQLite file, the default: no server)
//! and [`crate::PgStore`] (a PostgreSQL server, so several ingest workers and
//! API servers share one database). [`open`] picks one from the `--db` value:
//! a `postgres://` or `postgresql://` URL means PostgreSQL, anything else is
//! an SQLite file path.
//!
//! Writers follow one protocol so that concurrent writers agree on which
//! story each article joins: [`Backend::begin_placement`] (from then until
//! the batch is written or abandoned, no other writer of the same database
//! can place or write), read what others stored since
//! ([`Backend::articles_after`]), place the batch, then
//! [`Backend::commit_batch`]. SQLite takes the file's write lock
//! (`BEGIN IMMEDIATE`); PostgreSQL takes a transaction-scoped advisory lock
//! (see `postgres/mod.rs`). SQLite's placement holds the file's write
//! lock (`BEGIN IMMEDIATE`), so two processes writing one file take turns
//! the same way.

use std::collections::HashMap;
use std::path::Path;

use parallax_model::{ArticleId, Brief, CopyLink, StoryEvent, StoryId};

use crate::{
    ArticleFilter, ArticleHit, Batch, Page, PgStore, Result, SourceCount, Store, StoredArticle,
    StoryFilter, StoryRow, StorySummary,
};

/// A store: articles, stories and briefs, read and written in batches.
///
/// Every method behaves the same on each backend; the store test suite
/// (`crates/store/tests`) runs against all of them.
pub trait Backend: Send {
    /// The content hash stored for `id`, or `None` when it is not stored.
    fn content_hash(&self, id: &ArticleId) -> Result<Option<String>>;

    /// The stored content hashes of those of `ids` that are stored.
    fn content_hashes(&self, ids: &[&ArticleId]) -> Result<HashMap<ArticleId, String>> {
        let mut out = HashMap::new();
        for id in ids {
            if let Some(hash) = self.content_hash(id)? {
                out.insert((*id).clone(), hash);
            }
        }
        Ok(out)
    }

    /// Number of stored articles.
    fn article_count(&self) -> Result<u64>;

    /// Every stored article in arrival order.
    fn articles(&self) -> Result<Vec<StoredArticle>>;

    /// The stored articles with `seq` greater than `seq`, in arrival order:
    /// what other writers stored since this one last looked.
    fn articles_after(&self, seq: i64) -> Result<Vec<StoredArticle>>;

    /// The articles of one story in arrival order.
    fn story_articles(&self, story: &StoryId) -> Result<Vec<StoredArticle>>;

    /// Every story, oldest first, with its members.
    fn stories(&self) -> Result<Vec<StoryRow>>;

    /// Every story, oldest first, with its members, handed to `each` as it
    /// is read, until `each` returns false: a listing piped into `head`
    /// costs what its first lines do, not the whole store.
    fn each_story(&self, each: &mut dyn FnMut(StoryRow) -> bool) -> Result<()> {
        for story in self.stories()? {
            if !each(story) {
                break;
            }
        }
        Ok(())
    }

    /// The stored brief of `story`.
    fn brief(&self, story: &StoryId) -> Result<Option<Brief>>;

    /// Story ids that start with `prefix`, in byte order.
    fn stories_with_prefix(&self, prefix: &str) -> Result<Vec<StoryId>>;

    /// Number of stored stories.
    fn story_count(&self) -> Result<u64>;

    /// One page of stories matching `filter`.
    fn find_stories(&self, filter: &StoryFilter) -> Result<Page<StorySummary>>;

    /// One page of articles matching `filter`.
    fn find_articles(&self, filter: &ArticleFilter) -> Result<Page<ArticleHit>>;

    /// The article with id `id`, when stored.
    fn article(&self, id: &ArticleId) -> Result<Option<StoredArticle>>;

    /// Every outlet with its article and story counts, biggest first.
    fn sources(&self) -> Result<Vec<SourceCount>>;

    /// Number of stored copy pairs.
    fn copy_count(&self) -> Result<u64>;

    /// Every stored copy pair, by copy then original.
    fn copies(&self) -> Result<Vec<CopyLink>>;

    /// The copy pairs between two articles of `story` (pairs with an
    /// article of another story are left out), in arrival order.
    fn story_copies(&self, story: &StoryId) -> Result<Vec<CopyLink>>;

    /// The copy pairs `article` is part of, as copy or as original.
    fn article_copies(&self, article: &ArticleId) -> Result<Vec<CopyLink>>;

    /// The story events of the placements after `seq` (every event when 0),
    /// in order: each stored article's `founded` or `joined`, after the
    /// `merged` events its placement made. Replay reads them to rebuild the
    /// clustering state, merges included.
    fn events_after(&self, seq: i64) -> Result<Vec<StoryEvent>>;

    /// The events of `story` and of every story merged into it, in order.
    fn story_events(&self, story: &StoryId) -> Result<Vec<StoryEvent>>;

    /// The story whose articles a merged (absorbed) story's are now,
    /// following every merge; `None` when `story` was never merged away.
    fn merged_into(&self, story: &StoryId) -> Result<Option<StoryId>>;

    /// Stores `briefs` (insert or replace), in one transaction, outside any
    /// placement: briefs are a projection of the stored stream, written
    /// after the articles they describe. A brief of a story that has no
    /// articles any more (merged away since) is left out, and so is one
    /// older ([`Brief::seq`]) than the story's stored brief (two writers'
    /// projections may finish in either order).
    fn write_briefs(&mut self, briefs: &[Brief]) -> Result<()>;

    /// Brings the article search index up to `seq` (a projection of the
    /// stored articles, like briefs), and the story search index up to the
    /// stored stories; returns the `seq` it reaches. A store that indexes
    /// as it writes answers at once.
    fn index_articles(&mut self, seq: i64) -> Result<i64>;

    /// Brings the story search index up to the stored stories (briefs
    /// written, stories merged away): the projection calls it after it
    /// writes briefs. A store that indexes as it writes (PostgreSQL's
    /// `tsvector` columns) has nothing to do.
    fn index_stories(&mut self) -> Result<()> {
        Ok(())
    }

    /// The `seq` each stored brief reflects ([`Brief::seq`]), by story.
    fn brief_seqs(&self) -> Result<HashMap<StoryId, i64>>;

    /// [`Self::brief_seqs`] for `stories` only (those stored): opening a
    /// big store asks about the few stories its tail touched, not all.
    fn brief_seqs_of(&self, stories: &[&StoryId]) -> Result<HashMap<StoryId, i64>> {
        Ok(only_stories(self.brief_seqs()?, stories))
    }

    /// Stores a checkpoint: an engine's state as of `seq` (opaque bytes,
    /// which their reader checks), and deletes all but the `keep` newest.
    fn write_checkpoint(&mut self, seq: i64, state: &[u8], keep: usize) -> Result<()>;

    /// The `seq`s of the stored checkpoints, newest first.
    fn checkpoint_seqs(&self) -> Result<Vec<i64>>;

    /// The state of the checkpoint at `seq`.
    fn checkpoint(&self, seq: i64) -> Result<Option<Vec<u8>>>;

    /// Starts a placement: until [`Self::commit_batch`] or
    /// [`Self::abandon_placement`], no other writer of this database places
    /// or writes, and reads see everything committed before.
    fn begin_placement(&mut self) -> Result<()>;

    /// Ends a placement without writing (the placement failed).
    fn abandon_placement(&mut self);

    /// Writes `batch` in one transaction (all of it or none) and ends the
    /// placement, if one was begun. Returns the highest `seq` stored once
    /// the batch is in: the caller has seen everything up to it.
    fn commit_batch(&mut self, batch: &Batch) -> Result<i64>;
}

/// The entries of `all` for `stories`.
pub(crate) fn only_stories<T>(
    mut all: HashMap<StoryId, T>,
    stories: &[&StoryId],
) -> HashMap<StoryId, T> {
    stories
        .iter()
        .filter_map(|&s| all.remove_entry(s))
        .collect()
}

/// True when `db` names a PostgreSQL database (a `postgres://` or
/// `postgresql://` URL) rather than an SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// How to name the store `db` in messages: a PostgreSQL URL without its
/// password, else the file path.
pub fn display(db: &Path) -> String {
    let text = db.display().to_string();
    if is_postgres_url(&text) {
        crate::redact(&text)
    } else {
        text
    }
}

/// Opens (creating and migrating) the store `db` names: a PostgreSQL URL or
/// an SQLite file path.
pub fn open(db: &Path) -> Result<Box<dyn Backend>> {
    match db.to_str().filter(|s| is_postgres_url(s)) {
        Some(url) => Ok(Box::new(PgStore::open(url)?)),
        None => Ok(Box::new(Store::open(db)?)),
    }
}

/// Opens the store `db` names for reading only: for SQLite a read-only
/// connection to a file that must already be at this build's schema (see
/// [`Store::open_reader`]); for PostgreSQL an ordinary connection.
pub fn open_reader(db: &Path) -> Result<Box<dyn Backend>> {
    match db.to_str().filter(|s| is_postgres_url(s)) {
        Some(url) => Ok(Box::new(PgStore::open(url)?)),
        None => Ok(Box::new(Store::open_reader(db)?)),
    }
}

impl Backend for Store {
    fn content_hash(&self, id: &ArticleId) -> Result<Option<String>> {
        Store::content_hash(self, id)
    }

    fn article_count(&self) -> Result<u64> {
        Store::article_count(self)
    }

    fn articles(&self) -> Result<Vec<StoredArticle>> {
        Store::articles(self)
    }

    fn articles_after(&self, seq: i64) -> Result<Vec<StoredArticle>> {
        Store::articles_after(self, seq)
    }

    fn story_articles(&self, story: &StoryId) -> Result<Vec<StoredArticle>> {
        Store::story_articles(self, story)
    }

    fn stories(&self) -> Result<Vec<StoryRow>> {
        Store::stories(self)
    }

    fn each_story(&self, each: &mut dyn FnMut(StoryRow) -> bool) -> Result<()> {
        Store::each_story(self, each)
    }

    fn brief(&self, story: &StoryId) -> Result<Option<Brief>> {
        Store::brief(self, story)
    }

    fn stories_with_prefix(&self, prefix: &str) -> Result<Vec<StoryId>> {
        Store::stories_with_prefix(self, prefix)
    }

    fn story_count(&self) -> Result<u64> {
        Store::story_count(self)
    }

    fn find_stories(&self, filter: &StoryFilter) -> Result<Page<StorySummary>> {
        Store::find_stories(self, filter)
    }

    fn find_articles(&self, filter: &ArticleFilter) -> Result<Page<ArticleHit>> {
        Store::find_articles(self, filter)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<StoredArticle>> {
        Store::article(self, id)
    }

    fn sources(&self) -> Result<Vec<SourceCount>> {
        Store::sources(self)
    }

    fn copy_count(&self) -> Result<u64> {
        Store::copy_count(self)
    }

    fn copies(&self) -> Result<Vec<CopyLink>> {
        Store::copies(self)
    }

    fn story_copies(&self, story: &StoryId) -> Result<Vec<CopyLink>> {
        Store::story_copies(self, story)
    }

    fn article_copies(&self, article: &ArticleId) -> Result<Vec<CopyLink>> {
        Store::article_copies(self, article)
    }

    fn events_after(&self, seq: i64) -> Result<Vec<StoryEvent>> {
        Store::events_after(self, seq)
    }

    fn story_events(&self, story: &StoryId) -> Result<Vec<StoryEvent>> {
        Store::story_events(self, story)
    }

    fn merged_into(&self, story: &StoryId) -> Result<Option<StoryId>> {
        Store::merged_into(self, story)
    }

    fn write_briefs(&mut self, briefs: &[Brief]) -> Result<()> {
        Store::write_briefs(self, briefs)
    }

    fn brief_seqs(&self) -> Result<HashMap<StoryId, i64>> {
        Store::brief_seqs(self)
    }

    fn brief_seqs_of(&self, stories: &[&StoryId]) -> Result<HashMap<StoryId, i64>> {
        Store::brief_seqs_of(self, stories)
    }

    fn write_checkpoint(&mut self, seq: i64, state: &[u8], keep: usize) -> Result<()> {
        Store::write_checkpoint(self, seq, state, keep)
    }

    fn checkpoint_seqs(&self) -> Result<Vec<i64>> {
        Store::checkpoint_seqs(self)
    }

    fn checkpoint(&self, seq: i64) -> Result<Option<Vec<u8>>> {
        Store::checkpoint(self, seq)
    }

    fn index_articles(&mut self, seq: i64) -> Result<i64> {
        Store::index_articles(self, seq)
    }

    fn index_stories(&mut self) -> Result<()> {
        Store::index_stories(self)
    }

    // The file's write lock (`BEGIN IMMEDIATE`): another process's writer
    // waits here, then catches up on what this one stored, as PostgreSQL's
    // writers do under their advisory lock.
    fn begin_placement(&mut self) -> Result<()> {
        Store::begin_placement(self)
    }

    fn abandon_placement(&mut self) {
        Store::abandon_placement(self)
    }

    fn commit_batch(&mut self, batch: &Batch) -> Result<i64> {
        self.write(batch)?;
        self.max_seq()
    }
}

// Kept here rather than in `store.rs`: these exist for the writer protocol
// above.
impl Store {
    /// The stored articles with `seq` greater than `seq`, in arrival order.
    pub fn articles_after(&self, seq: i64) -> Result<Vec<StoredArticle>> {
        use crate::error::Context;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM articles WHERE seq > ?1 ORDER BY seq",
                crate::store::ARTICLE_COLUMNS
            ))
            .context("listing new articles")?;
        let rows = stmt
            .query_map([seq], crate::store::read_article)
            .context("listing new articles")?;
        rows.map(|r| r.context("reading an article")?).collect()
    }

    /// The highest stored `seq`, 0 for an empty store.
    pub fn max_seq(&self) -> Result<i64> {
        use crate::error::Context;
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                r.get(0)
            })
            .context("reading the last sequence number")
    }
}
