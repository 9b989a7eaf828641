//! The article search index of the SQLite store: a tantivy index kept in a
//! folder beside the database file (`<db>.search/`), a projection of the
//! `articles` table.
//!
//! Why tantivy rather than SQLite FTS5: FTS5 ranks every match of a query
//! before it can return the best ten, so a common word costs in proportion
//! to the store (at 1M articles, far over 50 ms); tantivy's postings are
//! compressed blocks scored in place (`bench/README.md`, "Search").
//!
//! How it stays true to the store: articles are added after they commit,
//! by the projection ([`crate::Store::index_articles`]), never in the write
//! path's transaction. Each tantivy commit carries a payload naming the
//! `seq` it reaches and the id of the last article it holds; on opening for
//! writing the payload is checked against the database (that article must
//! be stored at that `seq`, and nothing past the store's last article may
//! be indexed), so an index left behind by a crash catches up from the
//! articles after its `seq`, and a torn, foreign or stale one is rebuilt
//! from the store. Articles are never changed or deleted once stored; the
//! story an article belongs to can change (merges), so it is not in the
//! index: hits are looked up in the database.
//!
//! Words are tokens of letters and digits, lowercased, accents folded and
//! stemmed with the English Snowball stemmer: the matching FTS5 gave with
//! `porter unicode61 remove_diacritics 2`.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument,
    Term,
};

use crate::error::Context;
use crate::{Result, StoreError};

/// The analyzer's name in the schema.
pub(crate) const ANALYZER: &str = "parallax_en";

/// Version of the index layout; an index of another version is rebuilt.
const FORMAT: u32 = 1;

/// Articles read and added between two commits while catching up.
const CHUNK: i64 = 20_000;

/// Memory the writer may buffer before it writes a segment.
const WRITER_MEMORY: usize = 64 << 20;

/// Most dictionary words a typed prefix ("tari") stands for.
const MAX_PREFIX_TERMS: usize = 64;

pub(crate) fn search_error(
    context: &'static str,
) -> impl FnOnce(tantivy::TantivyError) -> StoreError {
    move |e| StoreError::Search {
        context,
        detail: e.to_string(),
    }
}

/// The writer of `index`: [`StoreError::SearchBusy`] when another process
/// holds it.
pub(crate) fn writer_of(index: &Index) -> Result<IndexWriter> {
    // One indexing thread: the projection shares the machine with the
    // write path, and a batch of articles indexes in milliseconds.
    match index.writer_with_num_threads(1, WRITER_MEMORY) {
        Ok(writer) => Ok(writer),
        Err(tantivy::TantivyError::LockFailure(..)) => Err(StoreError::SearchBusy),
        Err(e) => Err(search_error("opening the search index writer")(e)),
    }
}

/// The folder that holds the search index of the database at `db`.
pub(crate) fn dir_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

/// The analysis of indexed text and of query words.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The fields of an article's index entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `articles.seq`: the key back into the database, and the tie-break.
    pub seq: Field,
    /// Title and body, analysed.
    pub text: Field,
    /// Language code as stored.
    pub lang: Field,
    /// Outlet names the source filter matches: the source lowercased, the
    /// URL's host, and the host without `www.`.
    pub outlet: Field,
    /// Publication day as `YYYYMMDD`.
    pub day: Field,
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
        text: b.add_text_field("text", text),
        lang: b.add_text_field("lang", STRING),
        outlet: b.add_text_field("outlet", STRING),
        day: b.add_u64_field("day", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// An open tantivy index of the store (articles or stories), its reader and
/// the fields of its schema, shared by every handle on one store in this
/// process: a server's readers and its projection share one reader (and
/// its caches).
pub(crate) struct OpenIndex<F> {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: F,
}

/// The indexes this process opened, by folder.
pub(crate) type OpenTable<F> = LazyLock<Mutex<HashMap<PathBuf, Arc<OpenIndex<F>>>>>;

/// What tells the store's indexes apart, implemented by their `Fields`:
/// the schema, what an error opening the reader says, the table of those
/// this process opened.
pub(crate) trait IndexKind: Copy + Send + Sync + 'static {
    /// What messages call it ("search index").
    const NAME: &'static str;
    /// The context of an error opening it.
    const OPENING: &'static str;
    /// The context of an error preparing its folder.
    const PREPARING_FOLDER: &'static str;
    /// The context of an error opening the reader.
    const OPENING_READER: &'static str;
    /// The context of an error creating it.
    const CREATING: &'static str;
    /// The schema and its fields.
    fn schema() -> (Schema, Self);
    /// The indexes of this kind this process opened.
    fn open_table() -> &'static OpenTable<Self>;
}

impl<F: IndexKind> OpenIndex<F> {
    pub(crate) fn wrap(index: Index) -> Result<Self> {
        index.tokenizers().register(ANALYZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(search_error(F::OPENING_READER))?;
        Ok(Self {
            index,
            reader,
            fields: F::schema().1,
        })
    }

    /// A new empty index in memory (a store in memory).
    pub(crate) fn in_memory() -> Result<Arc<Self>> {
        Ok(Arc::new(Self::wrap(Index::create_in_ram(F::schema().0))?))
    }

    /// The index in `dir` for searching, or `None` while there is none yet
    /// (the projection has not written its first commit), or while it is
    /// being rebuilt by a writer (or damaged, which its writer repairs):
    /// search then finds nothing there, as an index that is behind finds
    /// less.
    pub(crate) fn for_reading(dir: &Path) -> Result<Option<Arc<Self>>> {
        let table = Self::table;
        if let Some(open) = table().get(dir) {
            return Ok(Some(open.clone()));
        }
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let Ok(index) = Index::open_in_dir(dir) else {
            return Ok(None);
        };
        if !Self::same_schema(&index) {
            return Ok(None);
        }
        let opened = Arc::new(Self::wrap(index)?);
        Ok(Some(
            table().entry(dir.to_owned()).or_insert(opened).clone(),
        ))
    }

    fn table() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Arc<Self>>> {
        // A panic while holding the lock leaves only a map of open indexes.
        F::open_table().lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes `shared` (opened by a writer) the index readers of `dir` in
    /// this process use.
    pub(crate) fn share(dir: &Path, shared: &Arc<Self>) {
        Self::table().insert(dir.to_owned(), shared.clone());
    }

    /// Opens the index in `dir` for writing: its writer lock first (two
    /// writers on one file take turns on the database and one of them
    /// holds the index: the other must neither wait for it nor remove an
    /// index in use), then the index, trusted when `trust` accepts its
    /// last commit (returning its position) and every segment it lists
    /// opens. Otherwise the folder is removed, if it holds nothing but
    /// index files, and `None` says to create the index afresh.
    pub(crate) fn open_for_writing<P>(
        dir: &Path,
        trust: impl FnOnce(&Index) -> Result<Option<P>>,
    ) -> Result<Option<(Arc<Self>, P, IndexWriter)>> {
        let io = |e: std::io::Error| StoreError::Search {
            context: F::PREPARING_FOLDER,
            detail: format!("{}: {e}", dir.display()),
        };
        if let Ok(index) = Index::open_in_dir(dir) {
            let writer = writer_of(&index)?;
            if let Some(position) = trust(&index)?
                && let Ok(shared) = Self::wrap(index)
            {
                return Ok(Some((Arc::new(shared), position, writer)));
            }
        }
        if dir.exists() {
            if !only_index_files(dir).map_err(io)? {
                return Err(StoreError::Search {
                    context: F::OPENING,
                    detail: format!(
                        "{} holds files that are not a search index; move them away",
                        dir.display()
                    ),
                });
            }
            tracing::info!(dir = %dir.display(), "{} missing, damaged or foreign: rebuilding it from the store", F::NAME);
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        Ok(None)
    }

    /// A new empty index in `dir` (after [`Self::open_for_writing`] found
    /// none to trust).
    pub(crate) fn create_in(dir: &Path) -> Result<Arc<Self>> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Search {
            context: F::PREPARING_FOLDER,
            detail: format!("{}: {e}", dir.display()),
        })?;
        let index = Index::create_in_dir(dir, F::schema().0).map_err(search_error(F::CREATING))?;
        Ok(Arc::new(Self::wrap(index)?))
    }

    /// Whether `index` was written with this build's schema.
    pub(crate) fn same_schema(index: &Index) -> bool {
        let ours = serde_json::to_string(&F::schema().0).ok();
        ours.is_some() && serde_json::to_string(&index.schema()).ok() == ours
    }
}

/// The article index.
pub(crate) type ArticleIndex = OpenIndex<Fields>;

static OPEN: OpenTable<Fields> = LazyLock::new(|| Mutex::new(HashMap::new()));

impl IndexKind for Fields {
    const NAME: &'static str = "search index";
    const OPENING: &'static str = "opening the search index";
    const PREPARING_FOLDER: &'static str = "preparing the search index folder";
    const OPENING_READER: &'static str = "opening the search index reader";
    const CREATING: &'static str = "creating the search index";

    fn schema() -> (Schema, Self) {
        schema()
    }

    fn open_table() -> &'static OpenTable<Self> {
        &OPEN
    }
}

/// What each commit records: how far the index reaches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Position {
    format: u32,
    /// Articles up to this `seq` are indexed.
    seq: i64,
    /// The last indexed article (`seq`, id): it must be stored there.
    last: Option<(i64, String)>,
}

/// The writing side, held by the one handle that indexes (the
/// projection's).
pub(crate) struct Indexer {
    pub shared: Arc<ArticleIndex>,
    writer: IndexWriter,
    position: Position,
}

/// Whether `dir` holds only what a tantivy index writes (so removing it
/// cannot lose anything else).
pub(crate) fn only_index_files(dir: &Path) -> std::io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        let segment_file = name.len() > 33
            && name.as_bytes()[32] == b'.'
            && name[..32].bytes().all(|b| b.is_ascii_hexdigit());
        // `.tmp…`: a file tantivy was writing (to rename into place) when
        // a process was killed.
        let known = matches!(name.as_ref(), "meta.json" | ".managed.json")
            || (name.starts_with(".tantivy-") && name.ends_with(".lock"))
            || name.starts_with(".tmp")
            || segment_file;
        if !known {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The payload of the index's last commit, when it is one this build
/// wrote and the database at `conn` agrees with it.
fn trusted_position(index: &Index, conn: &Connection) -> Result<Option<Position>> {
    if !ArticleIndex::same_schema(index) {
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
    if position.format != FORMAT {
        return Ok(None);
    }
    let stored: i64 = conn
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
            r.get(0)
        })
        .context("reading the last sequence number")?;
    if position.seq > stored {
        return Ok(None);
    }
    if let Some((seq, id)) = &position.last {
        let found: Option<String> = conn
            .query_row("SELECT id FROM articles WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()
            .context("checking the search index position")?;
        if found.as_deref() != Some(id.as_str()) {
            return Ok(None);
        }
    }
    Ok(Some(position))
}

impl Indexer {
    /// Opens the index in `dir` for writing, after checking it against the
    /// database at `conn`; an index that cannot be opened or trusted is
    /// removed and started again (the caller then indexes every article).
    pub(crate) fn open(dir: &Path, conn: &Connection) -> Result<Self> {
        let trusted = ArticleIndex::open_for_writing(dir, |index| trusted_position(index, conn))?;
        let indexer = match trusted {
            Some((shared, position, writer)) => Self {
                shared,
                writer,
                position,
            },
            None => Self::with(ArticleIndex::create_in(dir)?, Position::start())?,
        };
        // Readers opened before (of an index now removed) find this one.
        ArticleIndex::share(dir, &indexer.shared);
        Ok(indexer)
    }

    /// The writer of an index in memory.
    pub(crate) fn in_memory(shared: Arc<ArticleIndex>) -> Result<Self> {
        let position = match shared.index.load_metas() {
            Ok(m) => m
                .payload
                .and_then(|p| serde_json::from_str(&p).ok())
                .unwrap_or_else(Position::start),
            Err(_) => Position::start(),
        };
        Self::with(shared, position)
    }

    fn with(shared: Arc<ArticleIndex>, position: Position) -> Result<Self> {
        let writer = writer_of(&shared.index)?;
        Ok(Self {
            shared,
            writer,
            position,
        })
    }

    /// Adds the stored articles after the index's position, up to `seq`,
    /// committing every [`CHUNK`] articles with the position reached.
    /// Returns the `seq` the index reaches.
    pub(crate) fn catch_up(&mut self, conn: &Connection, seq: i64) -> Result<i64> {
        let stored: i64 = conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                r.get(0)
            })
            .context("reading the last sequence number")?;
        let target = seq.min(stored);
        let f = self.shared.fields;
        while self.position.seq < target {
            let to = target.min(self.position.seq + CHUNK);
            let mut stmt = conn
                .prepare_cached(
                    "SELECT seq, id, title, body, source, url, published, lang FROM articles
                     WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
                )
                .context("reading articles to index")?;
            let mut rows = stmt
                .query(params![self.position.seq, to])
                .context("reading articles to index")?;
            let mut last = None;
            while let Some(row) = rows.next().context("reading articles to index")? {
                const READ: &str = "reading an article to index";
                let seq: i64 = row.get(0).context(READ)?;
                let id: String = row.get(1).context(READ)?;
                let title: Option<String> = row.get(2).context(READ)?;
                let body: String = row.get(3).context(READ)?;
                let source: Option<String> = row.get(4).context(READ)?;
                let url: Option<String> = row.get(5).context(READ)?;
                let published: Option<String> = row.get(6).context(READ)?;
                let lang: Option<String> = row.get(7).context(READ)?;
                let mut doc = TantivyDocument::new();
                doc.add_u64(f.seq, seq as u64);
                let text = match &title {
                    Some(t) => format!("{t}\n{body}"),
                    None => body,
                };
                doc.add_text(f.text, &text);
                if let Some(lang) = &lang {
                    doc.add_text(f.lang, lang);
                }
                for name in outlet_names(source.as_deref(), url.as_deref()) {
                    doc.add_text(f.outlet, &name);
                }
                if let Some(day) = published.as_deref().and_then(day_number) {
                    doc.add_u64(f.day, day);
                }
                self.writer
                    .add_document(doc)
                    .map_err(search_error("adding an article to the search index"))?;
                last = Some((seq, id));
            }
            self.position = Position {
                format: FORMAT,
                seq: to,
                last: last.or_else(|| self.position.last.take()),
            };
            let payload =
                serde_json::to_string(&self.position).map_err(|e| StoreError::Search {
                    context: "recording the search index position",
                    detail: e.to_string(),
                })?;
            let mut commit = self
                .writer
                .prepare_commit()
                .map_err(search_error("committing the search index"))?;
            commit.set_payload(&payload);
            commit
                .commit()
                .map_err(search_error("committing the search index"))?;
            // This process's searches see the commit at once; other
            // processes' within the reader's reload delay.
            self.shared
                .reader
                .reload()
                .map_err(search_error("reloading the search index"))?;
        }
        Ok(self.position.seq)
    }
}

impl Position {
    fn start() -> Self {
        Self {
            format: FORMAT,
            seq: 0,
            last: None,
        }
    }
}

/// The names the source filter knows an article by: its source
/// lowercased, and its URL's host (lowercased) with and without `www.`,
/// as the SQL condition `source = ? COLLATE NOCASE OR url LIKE '%://?/%'
/// OR url LIKE '%://www.?/%'` reads them.
pub(crate) fn outlet_names(source: Option<&str>, url: Option<&str>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(s) = source.filter(|s| !s.is_empty()) {
        names.push(s.to_ascii_lowercase());
    }
    if let Some(rest) = url.and_then(|u| u.split_once("://")).map(|(_, r)| r)
        && let Some((host, _)) = rest.split_once('/')
        && !host.is_empty()
    {
        let host = host.to_ascii_lowercase();
        if let Some(bare) = host.strip_prefix("www.") {
            names.push(bare.to_owned());
        }
        names.push(host);
    }
    names.sort();
    names.dedup();
    names
}

/// `YYYY-MM-DD...` as the number `YYYYMMDD` (dates compare as the SQL
/// conditions compare the first ten characters).
pub(crate) fn day_number(published: &str) -> Option<u64> {
    let b = published.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u64> {
        let s = &published[r];
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    Some(digits(0..4)? * 10_000 + digits(5..7)? * 100 + digits(8..10)?)
}

/// A hit's place in the order of results: best score first, then newest
/// (`seq` descending).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    pub score: Score,
    pub seq: u64,
}

impl Ranked {
    /// Where `self` stands against `other` in the results: best score
    /// first, then newest.
    pub(crate) fn order(&self, other: &Ranked) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(other.seq.cmp(&self.seq))
    }

    /// Whether `self` comes before `other` in the results.
    pub(crate) fn before(&self, other: &Ranked) -> bool {
        self.order(other).is_lt()
    }
}

/// Keeps the best `keep` hits that come after `after` in the order of
/// results: the same work for the hundredth page as for the first.
pub(crate) struct AfterCollector {
    pub keep: usize,
    pub after: Option<Ranked>,
    pub seq: Field,
}

/// The best hits found so far, worst last once sorted.
pub(crate) struct Best {
    keep: usize,
    after: Option<Ranked>,
    hits: Vec<Ranked>,
    /// The worst kept hit once `hits` is full: a bound later hits must beat.
    pub(crate) worst: Option<Ranked>,
}

impl Best {
    pub(crate) fn new(keep: usize, after: Option<Ranked>) -> Self {
        Self {
            keep,
            after,
            hits: Vec::with_capacity(keep.min(1024) * 2),
            worst: None,
        }
    }

    pub(crate) fn offer(&mut self, hit: Ranked) {
        if self.keep == 0 || self.after.is_some_and(|a| !a.before(&hit)) {
            return;
        }
        if self.worst.is_some_and(|w| !hit.before(&w)) {
            return;
        }
        self.hits.push(hit);
        if self.hits.len() >= self.keep * 2 {
            self.shrink();
        }
    }

    /// Sorts the hits and drops all but the best `keep`.
    fn shrink(&mut self) {
        self.hits.sort_by(Ranked::order);
        self.hits.truncate(self.keep);
        if self.hits.len() == self.keep {
            self.worst = self.hits.last().copied();
        }
    }

    pub(crate) fn into_sorted(mut self) -> Vec<Ranked> {
        self.shrink();
        self.hits
    }
}

pub(crate) struct AfterSegment {
    best: Best,
    seqs: Column<u64>,
}

impl Collector for AfterCollector {
    type Fruit = Vec<Ranked>;
    type Child = AfterSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<AfterSegment> {
        Ok(AfterSegment {
            best: Best::new(self.keep, self.after),
            seqs: segment
                .fast_fields()
                .u64(segment.schema().get_field_name(self.seq))?,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut best = Best::new(self.keep, self.after);
        for hit in fruits.into_iter().flatten() {
            best.offer(hit);
        }
        Ok(best.into_sorted())
    }
}

impl SegmentCollector for AfterSegment {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        // The cheap test first: most hits of a common word score below the
        // worst kept one and never need their `seq`.
        if let Some(w) = self.best.worst
            && score < w.score
        {
            return;
        }
        if let Some(seq) = self.seqs.first(doc) {
            self.best.offer(Ranked { score, seq });
        }
    }

    fn harvest(self) -> Vec<Ranked> {
        self.best.into_sorted()
    }
}

/// What an article search asks the index besides words.
#[derive(Debug, Default)]
pub(crate) struct IndexFilter {
    pub lang: Option<String>,
    pub outlet: Option<String>,
    pub from_day: Option<u64>,
    pub to_day: Option<u64>,
    /// Only these articles (a story's).
    pub seqs: Option<Vec<i64>>,
}

/// The best `keep` hits of `query` after `after`, best first, each named
/// by its `seq` field (a fast field).
pub(crate) fn best_after(
    reader: &IndexReader,
    seq: Field,
    query: &dyn Query,
    keep: usize,
    after: Option<Ranked>,
) -> tantivy::Result<Vec<Ranked>> {
    reader
        .searcher()
        .search(query, &AfterCollector { keep, after, seq })
}

/// Clauses of a boolean query, each with how it must occur.
pub(crate) type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// The clauses that require every one of `words` in the analysed field
/// `text` of the index `reader` reads (the last also as a prefix when
/// `prefix`). `None` when a word analyses to nothing (longer than any
/// indexed token). Shared by the article and the story index.
pub(crate) fn word_clauses(
    reader: &IndexReader,
    text: Field,
    words: &[&str],
    prefix: bool,
) -> Result<Option<Clauses>> {
    let mut analyzer = analyzer();
    let mut clauses: Clauses = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let mut tokens = Vec::new();
        let mut stream = analyzer.token_stream(word);
        while let Some(t) = stream.next() {
            tokens.push(t.text.clone());
        }
        if tokens.is_empty() {
            return Ok(None);
        }
        let last = i + 1 == words.len();
        for (j, token) in tokens.iter().enumerate() {
            let q: Box<dyn Query> = if last && prefix && j + 1 == tokens.len() {
                prefix_query(reader, text, token)?
            } else {
                Box::new(TermQuery::new(
                    Term::from_field_text(text, token),
                    IndexRecordOption::WithFreqs,
                ))
            };
            clauses.push((Occur::Must, q));
        }
    }
    Ok(Some(clauses))
}

/// The words of the field `text` that start with `stem` (at most
/// [`MAX_PREFIX_TERMS`], `stem` itself always among them), any of them.
fn prefix_query(reader: &IndexReader, text: Field, stem: &str) -> Result<Box<dyn Query>> {
    let mut words: Vec<String> = vec![stem.to_owned()];
    let searcher = reader.searcher();
    'segments: for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(text)
            .map_err(search_error("reading the search dictionary"))?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(stem.as_bytes())
            .into_stream()
            .map_err(|e| StoreError::Search {
                context: "reading the search dictionary",
                detail: e.to_string(),
            })?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(stem.as_bytes()) {
                break;
            }
            let Ok(word) = std::str::from_utf8(key) else {
                continue;
            };
            if !words.iter().any(|w| w == word) {
                if words.len() >= MAX_PREFIX_TERMS {
                    break 'segments;
                }
                words.push(word.to_owned());
            }
        }
    }
    let term = |w: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(text, w),
            IndexRecordOption::WithFreqs,
        ))
    };
    if words.len() == 1 {
        return Ok(term(stem));
    }
    Ok(Box::new(BooleanQuery::new(
        words.iter().map(|w| (Occur::Should, term(w))).collect(),
    )))
}

impl ArticleIndex {
    /// The query for `words` (all required; the last also as a prefix when
    /// `prefix`) and `filter`. `None` when a word analyses to nothing
    /// (longer than any indexed token).
    pub(crate) fn query(
        &self,
        words: &[&str],
        prefix: bool,
        filter: &IndexFilter,
    ) -> Result<Option<BooleanQuery>> {
        let Some(mut clauses) = word_clauses(&self.reader, self.fields.text, words, prefix)? else {
            return Ok(None);
        };
        for q in self.filter_queries(filter) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        }
        Ok(Some(BooleanQuery::new(clauses)))
    }

    fn filter_queries(&self, filter: &IndexFilter) -> Vec<Box<dyn Query>> {
        let f = self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(lang) = &filter.lang {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(f.lang, lang),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(outlet) = &filter.outlet {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(f.outlet, &outlet.to_ascii_lowercase()),
                IndexRecordOption::Basic,
            )));
        }
        if filter.from_day.is_some() || filter.to_day.is_some() {
            let bound = |d: Option<u64>, low: bool| match d {
                Some(d) => Bound::Included(Term::from_field_u64(f.day, d)),
                None if low => Bound::Included(Term::from_field_u64(f.day, 0)),
                None => Bound::Included(Term::from_field_u64(f.day, u64::MAX)),
            };
            out.push(Box::new(RangeQuery::new(
                bound(filter.from_day, true),
                bound(filter.to_day, false),
            )));
        }
        if let Some(seqs) = &filter.seqs {
            out.push(Box::new(TermSetQuery::new(
                seqs.iter().map(|&s| Term::from_field_u64(f.seq, s as u64)),
            )));
        }
        out
    }

    /// The best `keep` hits of `query` after `after`, best first.
    pub(crate) fn search(
        &self,
        query: &dyn Query,
        keep: usize,
        after: Option<Ranked>,
    ) -> Result<Vec<Ranked>> {
        best_after(&self.reader, self.fields.seq, query, keep, after)
            .map_err(search_error("searching articles"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_names_follow_the_sql_condition() {
        assert_eq!(
            outlet_names(Some("Reuters"), Some("https://www.Reuters.com/a/b")),
            vec!["reuters", "reuters.com", "www.reuters.com"]
        );
        assert_eq!(
            outlet_names(None, Some("https://x.org")),
            Vec::<String>::new()
        );
        assert_eq!(outlet_names(Some(""), Some("ftp://h/")), vec!["h"]);
    }

    #[test]
    fn days_are_numbers() {
        assert_eq!(day_number("2018-05-03T10:00:00Z"), Some(20180503));
        assert_eq!(day_number("2018-5-3"), None);
        assert_eq!(day_number("abcd-ef-gh"), None);
    }

    #[test]
    fn best_keeps_the_top_after_the_cursor() {
        let hits: Vec<Ranked> = (0..100u64)
            .map(|seq| Ranked {
                score: (seq % 7) as f32,
                seq,
            })
            .collect();
        let mut all = Best::new(1000, None);
        hits.iter().for_each(|h| all.offer(*h));
        let all = all.into_sorted();
        assert_eq!(all.len(), 100);
        let mut walked = Vec::new();
        let mut after = None;
        loop {
            let mut page = Best::new(9, after);
            hits.iter().for_each(|h| page.offer(*h));
            let page = page.into_sorted();
            if page.is_empty() {
                break;
            }
            after = page.last().copied();
            walked.extend(page);
        }
        assert_eq!(walked, all);
        assert!(all.windows(2).all(|w| w[0].before(&w[1])));
    }
}
