//! The store on a PostgreSQL server, so several ingest workers and API
//! servers share one database.
//!
//! Same tables and behaviour as the SQLite store (see [`crate::Backend`]):
//! articles in arrival order (`seq`, an identity column), stories with their
//! stored briefs, one transaction per batch, versioned migrations
//! ([`migrations`]), full-text search with PostgreSQL's `tsvector` and the
//! English configuration ([`search`](self)). Text columns use the "C"
//! collation so ids, dates and sources sort byte-wise, as SQLite sorts them.
//!
//! # Several writers
//!
//! Each worker keeps its own clustering state, built by replaying the
//! stored stream in `seq` order; a new article's story depends on everything
//! placed before it. For every worker to see the same stream as the store,
//! placing and writing a batch is serialised across the database:
//!
//! 1. [`Backend::begin_placement`] opens a transaction and takes a
//!    transaction-scoped advisory lock (one per schema). Only one writer
//!    holds it; the others wait.
//! 2. Under the lock the worker reads what others stored since it last
//!    looked ([`Backend::articles_after`] its last seen `seq`) and replays
//!    it, re-checks which of its articles are stored by now (so an article
//!    read by two workers is stored once), places the rest and builds the
//!    briefs of the stories they touched from the stored members.
//! 3. [`Backend::commit_batch`] inserts and commits, which releases the lock.
//!    Because every insert happens under the lock, `seq` order is commit
//!    order, so "everything after my last seq" is exactly what others added.
//!
//! The unique article id is the backstop: a duplicate can never be stored,
//! it fails (and rolls back) the batch instead. Reading the stream back and
//! analysing articles happen outside the lock, so workers overlap there;
//! only placement (fast, in memory) and the insert are serial.

mod migrations;
mod search;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use ::postgres::types::ToSql;
use ::postgres::{Client, NoTls, Row};
use chrono::Utc;
use parallax_model::{Article, ArticleId, Brief, CopyLink, Origin, Source, StoryEvent, StoryId};

use crate::error::Context;
use crate::store::{
    ARTICLE_COLUMNS, EVENT_COLUMNS, MERGED_INTO, copy_link, from_json, published_date, story_event,
    story_events_sql, to_json,
};
use crate::{
    ArticleFilter, ArticleHit, Backend, Batch, Page, Result, SourceCount, StoreError,
    StoredArticle, StoryFilter, StoryRow, StorySummary,
};

pub use migrations::MIGRATIONS as PG_MIGRATIONS;

/// First key of the advisory locks; the second is a hash of the schema, so
/// stores in different schemas of one database never wait on each other.
const LOCK_SPACE: i32 = 0x5058_4c00;
/// Advisory lock class taken while migrating.
const MIGRATE_LOCK: i32 = LOCK_SPACE + 1;
/// Advisory lock class taken while placing and writing a batch.
const PLACE_LOCK: i32 = LOCK_SPACE + 2;

/// A handle on a PostgreSQL store: one connection.
pub struct PgStore {
    // The sync client needs `&mut` for every query; the store's readers take
    // `&self`, so the connection sits behind a lock (never contended: one
    // handle is used by one thread at a time).
    // `None` only while dropping.
    client: Option<Mutex<Client>>,
    /// A placement transaction is open (and holds the advisory lock).
    placing: bool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`, any
    /// libpq-style URL the `postgres` crate reads) and migrates the schema
    /// its `search_path` names (`public` by default).
    pub fn open(url: &str) -> Result<Self> {
        let connect_err = |source| StoreError::PgConnect {
            url: redact(url),
            source,
        };
        let mut config: ::postgres::Config = url.parse().map_err(connect_err)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let mut client = config.connect(NoTls).map_err(connect_err)?;
        migrations::migrate(&mut client)?;
        Ok(Self {
            client: Some(Mutex::new(client)),
            placing: false,
        })
    }

    fn client(&self) -> MutexGuard<'_, Client> {
        // A panic while holding the lock leaves the connection usable: the
        // server aborts any half-done transaction on the next BEGIN.
        self.client
            .as_ref()
            .expect("the connection lives until drop")
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn client_mut(&mut self) -> &mut Client {
        self.client
            .as_mut()
            .expect("the connection lives until drop")
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        context: &'static str,
    ) -> Result<Vec<Row>> {
        self.client().query(sql, params).context(context)
    }

    fn read_articles(
        &self,
        filter: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<StoredArticle>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles {filter}");
        self.query(&sql, params, "listing articles")?
            .iter()
            .map(read_article)
            .collect()
    }

    /// Opens the write transaction and takes the placement lock.
    fn lock(client: &mut Client) -> Result<()> {
        client
            .batch_execute("BEGIN")
            .context("starting a write transaction")?;
        client
            .execute(
                "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))",
                &[&PLACE_LOCK],
            )
            .context("waiting for the placement lock")?;
        Ok(())
    }

    /// Inserts or replaces `briefs` in the open transaction; a story without
    /// articles (merged away after the brief was built) gets no row.
    fn write_briefs_in(client: &mut Client, briefs: &[Brief], now: &str) -> Result<()> {
        let upsert = client
            .prepare(
                "INSERT INTO stories (id, first_seq, title, brief, updated_at, search, brief_seq)
                 SELECT $1, MIN(seq), $2, $3, $4, to_tsvector('english', $5),
                        COALESCE($6, MAX(seq))
                   FROM articles WHERE story_id = $1 GROUP BY story_id
                 ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, brief = EXCLUDED.brief,
                    updated_at = EXCLUDED.updated_at, search = EXCLUDED.search,
                    brief_seq = EXCLUDED.brief_seq
                 WHERE EXCLUDED.brief_seq >= stories.brief_seq",
            )
            .context("preparing the story upsert")?;
        for brief in briefs {
            client
                .execute(
                    &upsert,
                    &[
                        &brief.story.as_str(),
                        &brief.title,
                        &to_json(brief),
                        &now,
                        &search::story_text(brief),
                        &brief.seq,
                    ],
                )
                .context("storing a brief")?;
        }
        Ok(())
    }

    fn write_in_transaction(client: &mut Client, batch: &Batch) -> Result<i64> {
        let now = Utc::now().to_rfc3339();
        let insert = client
            .prepare(
                "INSERT INTO articles (id, content_hash, story_id, title, url, source,
                    published, lang, body, removed, origin, ingested_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 RETURNING seq",
            )
            .context("preparing the article insert")?;
        // Events, merges and placements, as in the SQLite store.
        let merged = client
            .prepare(
                "INSERT INTO story_events (seq, ord, story_id, kind, article_id, from_story, at)
                 VALUES ($1, $2, $3, 'merged', $4, $5, $6)",
            )
            .context("preparing the event insert")?;
        let repoint = client
            .prepare("UPDATE articles SET story_id = $1 WHERE story_id = $2")
            .context("preparing a merge")?;
        let drop_story = client
            .prepare("DELETE FROM stories WHERE id = $1")
            .context("preparing a merge")?;
        let placed = client
            .prepare(
                "INSERT INTO story_events (seq, ord, story_id, kind, article_id, at)
                 VALUES ($1, $2, $3,
                         CASE WHEN EXISTS (SELECT 1 FROM story_events WHERE story_id = $3)
                              THEN 'joined' ELSE 'founded' END,
                         $4, $5)",
            )
            .context("preparing the event insert")?;
        for new in &batch.articles {
            let a = &new.article;
            let seq: i64 = client
                .query_one(
                    &insert,
                    &[
                        &a.id.as_str(),
                        &new.content_hash,
                        &new.story.as_str(),
                        &a.title,
                        &a.url,
                        &a.source.as_ref().map(|s| s.0.as_str()),
                        &a.published.map(|d| d.to_rfc3339()),
                        &a.lang,
                        &a.body,
                        &to_json(&a.removed),
                        &to_json(&a.origin),
                        &now,
                    ],
                )
                .context("inserting an article")?
                .get(0);
            for (ord, from) in new.absorbed.iter().enumerate() {
                let ord = ord as i32;
                client
                    .execute(
                        &merged,
                        &[
                            &seq,
                            &ord,
                            &new.story.as_str(),
                            &a.id.as_str(),
                            &from.as_str(),
                            &now,
                        ],
                    )
                    .context("recording a merge")?;
                client
                    .execute(&repoint, &[&new.story.as_str(), &from.as_str()])
                    .context("moving a merged story's articles")?;
                client
                    .execute(&drop_story, &[&from.as_str()])
                    .context("dropping a merged story")?;
            }
            let ord = new.absorbed.len() as i32;
            client
                .execute(
                    &placed,
                    &[&seq, &ord, &new.story.as_str(), &a.id.as_str(), &now],
                )
                .context("recording a placement")?;
        }
        // A pair already stored is left as it is (only a replayed backfill
        // repeats one), as in the SQLite store.
        let copy = client
            .prepare(
                "INSERT INTO copies (copy_id, original_id, relation, score, evidence)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (copy_id, original_id) DO NOTHING",
            )
            .context("preparing the copy insert")?;
        for link in &batch.copies {
            client
                .execute(
                    &copy,
                    &[
                        &link.copy.as_str(),
                        &link.original.as_str(),
                        &link.relation.as_str(),
                        &link.score,
                        &link.evidence,
                    ],
                )
                .context("inserting a copy pair")?;
        }
        Self::write_briefs_in(client, &batch.briefs, &now)?;
        let last: i64 = client
            .query_one("SELECT COALESCE(MAX(seq), 0) FROM articles", &[])
            .context("reading the last sequence number")?
            .get(0);
        client
            .batch_execute("COMMIT")
            .context("committing a batch")?;
        Ok(last)
    }
}

impl Backend for PgStore {
    fn content_hash(&self, id: &ArticleId) -> Result<Option<String>> {
        Ok(self
            .query(
                "SELECT content_hash FROM articles WHERE id = $1",
                &[&id.as_str()],
                "looking up an article",
            )?
            .first()
            .map(|r| r.get(0)))
    }

    fn content_hashes(&self, ids: &[&ArticleId]) -> Result<HashMap<ArticleId, String>> {
        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        Ok(self
            .query(
                "SELECT id, content_hash FROM articles WHERE id = ANY($1)",
                &[&ids],
                "looking up articles",
            )?
            .iter()
            .map(|r| (ArticleId(r.get(0)), r.get(1)))
            .collect())
    }

    fn article_count(&self) -> Result<u64> {
        let rows = self.query("SELECT COUNT(*) FROM articles", &[], "counting articles")?;
        Ok(rows[0].get::<_, i64>(0) as u64)
    }

    fn articles(&self) -> Result<Vec<StoredArticle>> {
        self.read_articles("ORDER BY seq", &[])
    }

    fn articles_after(&self, seq: i64) -> Result<Vec<StoredArticle>> {
        self.read_articles("WHERE seq > $1 ORDER BY seq", &[&seq])
    }

    fn story_articles(&self, story: &StoryId) -> Result<Vec<StoredArticle>> {
        self.read_articles("WHERE story_id = $1 ORDER BY seq", &[&story.as_str()])
    }

    fn stories(&self) -> Result<Vec<StoryRow>> {
        let rows = self.query(
            "SELECT s.id, s.title, a.id FROM stories s
             JOIN articles a ON a.story_id = s.id
             ORDER BY s.first_seq, a.seq",
            &[],
            "listing stories",
        )?;
        let mut out: Vec<StoryRow> = Vec::new();
        for row in &rows {
            let id: String = row.get(0);
            let article = ArticleId(row.get(2));
            match out.last_mut() {
                Some(last) if last.id.0 == id => last.articles.push(article),
                _ => out.push(StoryRow {
                    id: StoryId(id),
                    title: row.get(1),
                    articles: vec![article],
                }),
            }
        }
        Ok(out)
    }

    fn brief(&self, story: &StoryId) -> Result<Option<Brief>> {
        self.query(
            "SELECT brief FROM stories WHERE id = $1",
            &[&story.as_str()],
            "reading a brief",
        )?
        .first()
        .map(|r| from_json(r.get(0), || format!("brief of story {story}")))
        .transpose()
    }

    fn stories_with_prefix(&self, prefix: &str) -> Result<Vec<StoryId>> {
        // A range over the primary key (byte-wise "C" collation), so a
        // full id is one index lookup rather than a scan.
        let rows = match crate::store::prefix_end(prefix) {
            Some(end) => self.query(
                "SELECT id FROM stories WHERE id >= $1 AND id < $2 ORDER BY id",
                &[&prefix, &end],
                "resolving a story id",
            )?,
            None => self.query(
                "SELECT id FROM stories WHERE id >= $1 ORDER BY id",
                &[&prefix],
                "resolving a story id",
            )?,
        };
        Ok(rows
            .iter()
            .map(|r| StoryId(r.get(0)))
            .filter(|s: &StoryId| s.as_str().starts_with(prefix))
            .collect())
    }

    fn story_count(&self) -> Result<u64> {
        let rows = self.query("SELECT COUNT(*) FROM stories", &[], "counting stories")?;
        Ok(rows[0].get::<_, i64>(0) as u64)
    }

    fn find_stories(&self, filter: &StoryFilter) -> Result<Page<StorySummary>> {
        search::find_stories(&mut self.client(), filter)
    }

    fn find_articles(&self, filter: &ArticleFilter) -> Result<Page<ArticleHit>> {
        search::find_articles(&mut self.client(), filter)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<StoredArticle>> {
        Ok(self
            .read_articles("WHERE id = $1", &[&id.as_str()])?
            .into_iter()
            .next())
    }

    fn sources(&self) -> Result<Vec<SourceCount>> {
        Ok(self
            .query(
                "SELECT source, COUNT(*), COUNT(DISTINCT story_id) FROM articles
                 GROUP BY source ORDER BY COUNT(*) DESC, source NULLS FIRST",
                &[],
                "listing sources",
            )?
            .iter()
            .map(|r| SourceCount {
                source: r.get(0),
                articles: r.get::<_, i64>(1) as u64,
                stories: r.get::<_, i64>(2) as u64,
            })
            .collect())
    }

    fn copy_count(&self) -> Result<u64> {
        let rows = self.query("SELECT COUNT(*) FROM copies", &[], "counting copy pairs")?;
        Ok(rows[0].get::<_, i64>(0) as u64)
    }

    fn copies(&self) -> Result<Vec<CopyLink>> {
        self.query(
            "SELECT copy_id, original_id, relation, score, evidence FROM copies
             ORDER BY copy_id, original_id",
            &[],
            "listing copy pairs",
        )?
        .iter()
        .map(read_copy)
        .collect()
    }

    fn story_copies(&self, story: &StoryId) -> Result<Vec<CopyLink>> {
        self.query(
            "SELECT c.copy_id, c.original_id, c.relation, c.score, c.evidence
             FROM articles a
             JOIN copies c ON c.copy_id = a.id
             JOIN articles o ON o.id = c.original_id
             WHERE a.story_id = $1 AND o.story_id = $1
             ORDER BY a.seq, o.seq",
            &[&story.as_str()],
            "listing copy pairs",
        )?
        .iter()
        .map(read_copy)
        .collect()
    }

    fn article_copies(&self, article: &ArticleId) -> Result<Vec<CopyLink>> {
        self.query(
            "SELECT copy_id, original_id, relation, score, evidence FROM copies
             WHERE copy_id = $1
             UNION ALL
             SELECT copy_id, original_id, relation, score, evidence FROM copies
             WHERE original_id = $1 AND copy_id <> $1",
            &[&article.as_str()],
            "listing copy pairs",
        )?
        .iter()
        .map(read_copy)
        .collect()
    }

    fn events_after(&self, seq: i64) -> Result<Vec<StoryEvent>> {
        self.query(
            &format!("SELECT {EVENT_COLUMNS} FROM story_events WHERE seq > $1 ORDER BY seq, ord"),
            &[&seq],
            "listing story events",
        )?
        .iter()
        .map(read_event)
        .collect()
    }

    fn story_events(&self, story: &StoryId) -> Result<Vec<StoryEvent>> {
        self.query(
            &story_events_sql("$1", " COLLATE \"C\""),
            &[&story.as_str()],
            "listing story events",
        )?
        .iter()
        .map(read_event)
        .collect()
    }

    fn merged_into(&self, story: &StoryId) -> Result<Option<StoryId>> {
        let mut found: Option<StoryId> = None;
        // A story is absorbed at most once, and only into an older one, so
        // the chain ends.
        loop {
            let from = found.as_ref().unwrap_or(story).as_str();
            let next = self.query(MERGED_INTO, &[&from], "resolving a merged story")?;
            match next.first() {
                Some(row) => found = Some(StoryId(row.get(0))),
                None => return Ok(found),
            }
        }
    }

    fn begin_placement(&mut self) -> Result<()> {
        if self.placing {
            return Ok(());
        }
        let client = self.client_mut();
        if let Err(e) = Self::lock(client) {
            let _ = client.batch_execute("ROLLBACK");
            return Err(e);
        }
        self.placing = true;
        Ok(())
    }

    fn abandon_placement(&mut self) {
        if std::mem::take(&mut self.placing) {
            let client = self.client_mut();
            // Rolling back releases the lock; should the connection be gone,
            // the server has rolled back already.
            let _ = client.batch_execute("ROLLBACK");
        }
    }

    fn write_briefs(&mut self, briefs: &[Brief]) -> Result<()> {
        let now = Utc::now().to_rfc3339();
        let client = self.client_mut();
        client
            .batch_execute("BEGIN")
            .context("starting a brief transaction")?;
        let written = Self::write_briefs_in(client, briefs, &now);
        if written.is_err() {
            let _ = client.batch_execute("ROLLBACK");
            return written;
        }
        client.batch_execute("COMMIT").context("committing briefs")
    }

    fn write_checkpoint(&mut self, seq: i64, state: &[u8], keep: usize) -> Result<()> {
        let now = Utc::now().to_rfc3339();
        let keep = keep.max(1) as i64;
        let client = self.client_mut();
        let mut tx = client
            .transaction()
            .context("starting a checkpoint transaction")?;
        tx.execute(
            "INSERT INTO checkpoints (seq, written_at, state) VALUES ($1, $2, $3)
             ON CONFLICT (seq) DO UPDATE SET written_at = EXCLUDED.written_at,
                state = EXCLUDED.state",
            &[&seq, &now, &state],
        )
        .context("writing a checkpoint")?;
        tx.execute(
            "DELETE FROM checkpoints WHERE seq NOT IN
                (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT $1)",
            &[&keep],
        )
        .context("dropping old checkpoints")?;
        tx.commit().context("committing a checkpoint")
    }

    fn checkpoint_seqs(&self) -> Result<Vec<i64>> {
        Ok(self
            .query(
                "SELECT seq FROM checkpoints ORDER BY seq DESC",
                &[],
                "listing checkpoints",
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn checkpoint(&self, seq: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .query(
                "SELECT state FROM checkpoints WHERE seq = $1",
                &[&seq],
                "reading a checkpoint",
            )?
            .first()
            .map(|r| r.get(0)))
    }

    // Each article's `tsvector` is computed as it is inserted: the index
    // reaches every stored article.
    fn index_articles(&mut self, seq: i64) -> Result<i64> {
        let stored: i64 = self
            .query(
                "SELECT COALESCE(MAX(seq), 0) FROM articles",
                &[],
                "reading the last sequence number",
            )?
            .first()
            .map_or(0, |row| row.get(0));
        Ok(seq.min(stored))
    }

    fn brief_seqs(&self) -> Result<HashMap<StoryId, i64>> {
        Ok(self
            .query(
                "SELECT id, brief_seq FROM stories",
                &[],
                "reading brief positions",
            )?
            .iter()
            .map(|row| (StoryId(row.get(0)), row.get(1)))
            .collect())
    }

    fn commit_batch(&mut self, batch: &Batch) -> Result<i64> {
        // A write outside a placement still takes the lock, so `seq` order
        // stays commit order for every writer.
        self.begin_placement()?;
        self.placing = false;
        let client = self.client_mut();
        let written = Self::write_in_transaction(client, batch);
        if written.is_err() {
            let _ = client.batch_execute("ROLLBACK");
        }
        written
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Closing the connection runs the sync client's own small runtime,
        // which panics on a thread that drives an async runtime (a server's
        // state dropped at shutdown); a thread of its own is always safe.
        // The server rolls back an open placement when the session ends.
        if let Some(client) = self.client.take() {
            let _ = std::thread::spawn(move || drop(client)).join();
        }
    }
}

fn read_article(row: &Row) -> Result<StoredArticle> {
    let id: String = row.get(1);
    let published = published_date(&id, row.get(7))?;
    Ok(StoredArticle {
        seq: row.get(0),
        content_hash: row.get(2),
        story: StoryId(row.get(3)),
        article: Article {
            title: row.get(4),
            url: row.get(5),
            source: row.get::<_, Option<String>>(6).map(Source),
            published,
            lang: row.get(8),
            body: row.get(9),
            removed: from_json(row.get(10), || format!("removals of article {id}"))?,
            origin: from_json::<Origin>(row.get(11), || format!("origin of article {id}"))?,
            id: ArticleId(id),
        },
    })
}

fn read_event(row: &Row) -> Result<StoryEvent> {
    story_event(
        row.get(0),
        row.get(1),
        row.get::<_, &str>(2),
        row.get(3),
        row.get(4),
        row.get(5),
    )
}

fn read_copy(row: &Row) -> Result<CopyLink> {
    copy_link(
        row.get(0),
        row.get(1),
        row.get::<_, &str>(2),
        row.get(3),
        row.get(4),
    )
}

/// `url` with its password (if any) replaced, fit for a message or a log.
pub fn redact(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[start..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!("{}{}:***{}", &url[..start], &rest[..colon], &rest[at..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact("postgres://px:secret@127.0.0.1:5432/px"),
            "postgres://px:***@127.0.0.1:5432/px"
        );
        assert_eq!(redact("postgres://px@host/db"), "postgres://px@host/db");
        assert_eq!(
            redact("postgresql://host/db?user=a"),
            "postgresql://host/db?user=a"
        );
    }
}
