//! The story search index of the SQLite store: a second tantivy index,
//! beside the article index, in the folder `<db>.stories/`; one entry per
//! story, holding what a reader sees of it (headline, summary, the titles
//! of its articles, the names of its entities), replaced each time its
//! brief is written and removed when it is merged away.
//!
//! Why a folder of its own rather than story entries in the article index:
//! the two change differently (articles are only ever added, a story's
//! entry is replaced at every brief), a damaged story index is rebuilt in
//! seconds from the `stories` table where the article index takes minutes
//! at a million articles, and article scores keep their own statistics.
//!
//! How it stays true to the store: triggers on `stories` append the id of
//! every story written or deleted to `story_changes` (migration 9), in the
//! transaction that changes it; the projection reads the changes after the
//! last one indexed ([`StoryIndexer::catch_up`]) and commits the index
//! with a payload naming the change it reaches (its `rev` and story id).
//! On opening for writing the payload is checked against the table: that
//! change must be stored under that `rev`, so an index left behind by a
//! crash catches up, and a torn, foreign or stale one is rebuilt from
//! `stories`. Changes the index has passed are pruned from the table now
//! and then; the last one stays, to check the next opening against.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DocId, Index, IndexWriter, Score, SegmentReader, TantivyDocument, Term};

use crate::article_index::{
    ANALYZER, Best, IndexKind, OpenIndex, OpenTable, Ranked, search_error, writer_of,
};
use crate::error::Context;
use crate::{Result, StoreError};

/// Version of the index layout; an index of another version is rebuilt.
const FORMAT: u32 = 1;

/// Changes read and indexed between two commits.
const CHUNK: i64 = 20_000;

/// Indexed changes left in `story_changes` before they are pruned.
const PRUNE_AFTER: i64 = 50_000;

/// The folder that holds the story index of the database at `db`.
pub(crate) fn dir_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".stories");
    PathBuf::from(name)
}

/// The fields of a story's index entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `stories.first_seq`: the key back into the database (it never
    /// changes), and the tie-break between equal scores.
    pub seq: Field,
    /// `stories.id`: what a rewrite or a merge replaces or deletes by.
    pub id: Field,
    /// Headline, summary, article titles and entity names, analysed as
    /// article text is.
    pub text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        seq: b.add_u64_field("seq", INDEXED | FAST),
        id: b.add_text_field("id", STRING),
        text: b.add_text_field("text", text),
    };
    (b.build(), fields)
}

/// The story index.
pub(crate) type StoryIndex = OpenIndex<Fields>;

static OPEN: OpenTable<Fields> = LazyLock::new(|| Mutex::new(HashMap::new()));

impl IndexKind for Fields {
    const NAME: &'static str = "story index";
    const OPENING: &'static str = "opening the story index";
    const PREPARING_FOLDER: &'static str = "preparing the story index folder";
    const OPENING_READER: &'static str = "opening the story index reader";
    const CREATING: &'static str = "creating the story index";

    fn schema() -> (Schema, Self) {
        schema()
    }

    fn open_table() -> &'static OpenTable<Self> {
        &OPEN
    }
}

/// What each commit records: the last change of `story_changes` indexed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Position {
    format: u32,
    /// Changes up to this `rev` are indexed.
    rev: i64,
    /// The story of change `rev` (none at 0): it must be stored there.
    story: Option<String>,
}

impl Position {
    fn start() -> Self {
        Self {
            format: FORMAT,
            rev: 0,
            story: None,
        }
    }
}

/// The writing side, held by the one handle that indexes (the
/// projection's).
pub(crate) struct StoryIndexer {
    pub shared: Arc<StoryIndex>,
    writer: IndexWriter,
    position: Position,
    /// `rev` up to which `story_changes` was last pruned.
    pruned: i64,
}

fn last_rev(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(rev), 0) FROM story_changes", [], |r| {
        r.get(0)
    })
    .context("reading the last story change")
}

/// The payload of the index's last commit, when this build wrote it and
/// the database at `conn` agrees with it.
fn trusted_position(index: &Index, conn: &Connection) -> Result<Option<Position>> {
    if !StoryIndex::same_schema(index) {
        return Ok(None);
    }
    let Ok(metas) = index.load_metas() else {
        return Ok(None);
    };
    let Some(position) = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<Position>(p).ok())
    else {
        return Ok(None);
    };
    if position.format != FORMAT || position.rev > last_rev(conn)? {
        return Ok(None);
    }
    let (first, story): (Option<i64>, Option<String>) = conn
        .query_row(
            "SELECT MIN(rev), (SELECT story_id FROM story_changes WHERE rev = ?1)
             FROM story_changes",
            [position.rev],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .context("checking the story index position")?;
    // Changes after the index's were pruned: it cannot catch up.
    if first.is_some_and(|first| first > position.rev + 1) {
        return Ok(None);
    }
    if position.rev > 0 && story != position.story {
        return Ok(None);
    }
    Ok(Some(position))
}

/// The words a story is found by, from its headline and stored brief:
/// summary, article titles, entity names.
fn story_text(id: &str, title: &str, brief: &str) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Source {
        title: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Entity {
        name: String,
    }
    // Only the searched parts of the brief are decoded.
    #[derive(serde::Deserialize)]
    struct Searched {
        #[serde(default)]
        summary: String,
        #[serde(default)]
        sources: Vec<Source>,
        #[serde(default)]
        entities: Vec<Entity>,
    }
    let brief: Searched = serde_json::from_str(brief).map_err(|e| StoreError::Corrupt {
        what: format!("brief of story {id}"),
        detail: e.to_string(),
    })?;
    let mut text = String::with_capacity(title.len() + brief.summary.len() + 64);
    for part in [title, brief.summary.as_str()]
        .into_iter()
        .chain(brief.sources.iter().filter_map(|s| s.title.as_deref()))
        .chain(brief.entities.iter().map(|e| e.name.as_str()))
    {
        text.push_str(part);
        text.push('\n');
    }
    Ok(text)
}

impl StoryIndexer {
    /// Opens the story index in `dir` for writing, after checking it
    /// against the database at `conn`; one that cannot be opened or trusted
    /// is removed and rebuilt from the stored stories.
    pub(crate) fn open(dir: &Path, conn: &Connection) -> Result<Self> {
        let trusted = StoryIndex::open_for_writing(dir, |index| trusted_position(index, conn))?;
        let indexer = match trusted {
            Some((shared, position, writer)) => Self {
                shared,
                writer,
                pruned: position.rev,
                position,
            },
            None => {
                let shared = StoryIndex::create_in(dir)?;
                let writer = writer_of(&shared.index)?;
                let mut indexer = Self {
                    shared,
                    writer,
                    position: Position::start(),
                    pruned: 0,
                };
                indexer.rebuild(conn)?;
                indexer
            }
        };
        // Readers opened before (of an index now removed) find this one.
        StoryIndex::share(dir, &indexer.shared);
        Ok(indexer)
    }

    /// The writer of an index in memory (whose store is as new as it is).
    pub(crate) fn in_memory(shared: Arc<StoryIndex>, conn: &Connection) -> Result<Self> {
        let writer = writer_of(&shared.index)?;
        let position = shared
            .index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok());
        let mut indexer = Self {
            shared,
            writer,
            position: position.clone().unwrap_or_else(Position::start),
            pruned: 0,
        };
        if position.is_none() {
            indexer.rebuild(conn)?;
        }
        Ok(indexer)
    }

    /// Indexes every stored story, as of the last change stored before.
    fn rebuild(&mut self, conn: &Connection) -> Result<()> {
        // The last change is read first: the stories read after it are at
        // least that new, and a change after it is indexed again later.
        let rev = last_rev(conn)?;
        let story: Option<String> = conn
            .query_row(
                "SELECT story_id FROM story_changes WHERE rev = ?1",
                [rev],
                |r| r.get(0),
            )
            .optional()
            .context("reading the last story change")?;
        let mut stmt = conn
            .prepare("SELECT id, first_seq, title, brief FROM stories")
            .context("reading stories to index")?;
        let mut rows = stmt.query([]).context("reading stories to index")?;
        while let Some(row) = rows.next().context("reading stories to index")? {
            const READ: &str = "reading a story to index";
            let id: String = row.get(0).context(READ)?;
            let first_seq: i64 = row.get(1).context(READ)?;
            let title: String = row.get(2).context(READ)?;
            let brief: String = row.get(3).context(READ)?;
            self.add(&id, first_seq, &title, &brief)?;
        }
        self.commit(Position {
            format: FORMAT,
            rev,
            story,
        })
    }

    fn add(&mut self, id: &str, first_seq: i64, title: &str, brief: &str) -> Result<()> {
        let f = self.shared.fields;
        let mut doc = TantivyDocument::new();
        doc.add_u64(f.seq, first_seq as u64);
        doc.add_text(f.id, id);
        doc.add_text(f.text, story_text(id, title, brief)?);
        self.writer
            .add_document(doc)
            .map_err(search_error("adding a story to the story index"))?;
        Ok(())
    }

    fn commit(&mut self, position: Position) -> Result<()> {
        let payload = serde_json::to_string(&position).map_err(|e| StoreError::Search {
            context: "recording the story index position",
            detail: e.to_string(),
        })?;
        let mut commit = self
            .writer
            .prepare_commit()
            .map_err(search_error("committing the story index"))?;
        commit.set_payload(&payload);
        commit
            .commit()
            .map_err(search_error("committing the story index"))?;
        self.position = position;
        // This process's searches see the commit at once.
        self.shared
            .reader
            .reload()
            .map_err(search_error("reloading the story index"))
    }

    /// Indexes the stories changed (briefed, merged away) since the index's
    /// position: each one's entry is replaced by the stored story, or
    /// removed when it is stored no more. Returns the `rev` reached.
    pub(crate) fn catch_up(&mut self, conn: &Connection) -> Result<i64> {
        loop {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT rev, story_id FROM story_changes WHERE rev > ?1
                     ORDER BY rev LIMIT ?2",
                )
                .context("reading story changes")?;
            let changes = stmt
                .query_map(params![self.position.rev, CHUNK], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .context("reading story changes")?
                .collect::<rusqlite::Result<Vec<_>>>()
                .context("reading story changes")?;
            let Some((rev, story)) = changes.last().cloned() else {
                break;
            };
            let mut read = conn
                .prepare_cached("SELECT first_seq, title, brief FROM stories WHERE id = ?1")
                .context("reading a changed story")?;
            let mut seen = HashSet::with_capacity(changes.len());
            for (_, id) in &changes {
                if !seen.insert(id.as_str()) {
                    continue;
                }
                // What is stored now: newer than the change, never older.
                let stored = read
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    })
                    .optional()
                    .context("reading a changed story")?;
                self.writer
                    .delete_term(Term::from_field_text(self.shared.fields.id, id));
                if let Some((first_seq, title, brief)) = stored {
                    self.add(id, first_seq, &title, &brief)?;
                }
            }
            self.commit(Position {
                format: FORMAT,
                rev,
                story: Some(story),
            })?;
            if (changes.len() as i64) < CHUNK {
                break;
            }
        }
        if self.position.rev - self.pruned >= PRUNE_AFTER {
            // The indexed change itself stays: the next opening checks it.
            conn.execute(
                "DELETE FROM story_changes WHERE rev < ?1",
                [self.position.rev],
            )
            .context("pruning indexed story changes")?;
            self.pruned = self.position.rev;
        }
        Ok(self.position.rev)
    }
}

/// One pass over the stories a story search's own-word query matches:
/// each story of `through` (reached through article hits) has its own
/// score recorded, to take the better of its two, and the best `keep` of
/// the others after `after` are kept. One pass with a set in memory rather
/// than two queries with the set as a term-set clause: such a clause walks
/// the whole `seq` dictionary of every segment, which cost more than the
/// scoring.
pub(crate) struct OwnMatches {
    pub through: Arc<HashSet<u64>>,
    pub keep: usize,
    pub after: Option<Ranked>,
    pub seq: Field,
}

/// What [`OwnMatches`] finds: the best others after the cursor, best
/// first, and the own scores of the `through` stories that match.
#[derive(Debug, Default)]
pub(crate) struct OwnFound {
    pub others: Vec<Ranked>,
    pub through: Vec<Ranked>,
}

pub(crate) struct OwnSegment {
    through: Arc<HashSet<u64>>,
    best: Best,
    scored: Vec<Ranked>,
    seqs: Column<u64>,
}

impl Collector for OwnMatches {
    type Fruit = OwnFound;
    type Child = OwnSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<OwnSegment> {
        Ok(OwnSegment {
            through: self.through.clone(),
            best: Best::new(self.keep, self.after),
            scored: Vec::new(),
            seqs: segment
                .fast_fields()
                .u64(segment.schema().get_field_name(self.seq))?,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<(Vec<Ranked>, Vec<Ranked>)>) -> tantivy::Result<OwnFound> {
        let mut best = Best::new(self.keep, self.after);
        let mut through = Vec::new();
        for (others, scored) in fruits {
            others.into_iter().for_each(|h| best.offer(h));
            through.extend(scored);
        }
        Ok(OwnFound {
            others: best.into_sorted(),
            through,
        })
    }
}

impl SegmentCollector for OwnSegment {
    type Fruit = (Vec<Ranked>, Vec<Ranked>);

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(seq) = self.seqs.first(doc) else {
            return;
        };
        if self.through.contains(&seq) {
            self.scored.push(Ranked { score, seq });
        } else {
            self.best.offer(Ranked { score, seq });
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.best.into_sorted(), self.scored)
    }
}
