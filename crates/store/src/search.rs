//! Search and browsing queries: stories and articles by full text, source,
//! language and date, a page at a time.
//!
//! Search in the SQLite store is two tantivy indexes beside the database,
//! projections the engine keeps up to date after each commit: articles
//! (`article_index.rs`) and stories (`story_index.rs`: headline, summary,
//! article titles, entity names, one entry per story). Words are Unicode
//! tokens with accents folded and stemmed for English ("tariffs" finds
//! "tariff"); other languages are matched on their folded word forms (a
//! typed prefix still finds them). `bench/README.md` has the measurements
//! behind the choices.
//!
//! Story search looks at what a reader sees of a story (its headline, its
//! summary, the titles of its articles and the names of its entities) and
//! at the article index's best hits, whose stories match too
//! ([`MAX_ARTICLE_HITS`]).
//! Article search looks at each article's title and cleaned body.
//!
//! Pages are walked by offset or by [`Cursor`]: a page answers the cursor
//! of its last result, and the page after it is asked as "the results
//! after this one", which costs what the first page costs however deep it
//! is (an offset makes the store find and skip every result before it).

use parallax_model::{ArticleId, StoryId};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params_from_iter};

use tantivy::snippet::SnippetGenerator;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::Score;
use tantivy::query::BooleanQuery;

use crate::article_index::{IndexFilter, Ranked, day_number, search_error, word_clauses};
use crate::error::Context;
use crate::store::{ARTICLE_COLUMNS, read_article};
use crate::story_index::{OwnMatches, StoryIndex};
use crate::{Result, Store, StoreError, StoredArticle};

/// What to list of the stories. Every filter is optional; with none, every
/// story is listed, most recently updated first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Full-text query (words, all required; the last may be a prefix).
    pub q: Option<String>,
    /// Only stories with an article from this outlet (source name or URL
    /// host, case-insensitive).
    pub source: Option<String>,
    /// Only stories with an article in this language (ISO 639-1).
    pub lang: Option<String>,
    /// Only stories with an article published on or after this day
    /// (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only stories with an article published on or before this day.
    pub to: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Stories to skip (after the cursor, when there is one).
    pub offset: u32,
    /// Start after this result (a previous page's [`Page::next`]).
    pub cursor: Option<Cursor>,
}

/// What to list of the articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    /// Full-text query over title and body.
    pub q: Option<String>,
    /// Only this story's articles.
    pub story: Option<String>,
    /// Only this outlet (source name or URL host, case-insensitive).
    pub source: Option<String>,
    /// Only this language.
    pub lang: Option<String>,
    /// Published on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Published on or before this day.
    pub to: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Articles to skip (after the cursor, when there is one).
    pub offset: u32,
    /// Start after this result (a previous page's [`Page::next`]).
    pub cursor: Option<Cursor>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The results on this page, best (or newest) first.
    pub items: Vec<T>,
    /// True when there are results after this page.
    pub more: bool,
    /// When there are: where this page ends, to ask for the next one.
    pub next: Option<Cursor>,
}

/// Where a page of results ended, to ask for the results after it. Opaque
/// to clients (letters, digits, `.` and `-`: safe in a query string); what
/// it holds depends on the listing's order (relevance and `seq`, update
/// time and `seq`, or an offset where a backend pages only by offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

/// What a cursor holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CursorKey {
    /// After this score (higher first), then this `seq` (higher first).
    Ranked { score: f64, seq: i64 },
    /// After this `seq`, newest first.
    Seq(i64),
    /// After this update time, then this `first_seq`, both newest first.
    Updated { at: String, seq: i64 },
    /// After this many results.
    Offset(u32),
}

impl Cursor {
    /// Checks a cursor a client sent back.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let cursor = Self(text.to_owned());
        match cursor.key() {
            Some(_) => Ok(cursor),
            None => Err(format!(
                "not a cursor this server gave out: {:?}",
                text.chars().take(80).collect::<String>()
            )),
        }
    }

    /// The cursor as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn of(key: &CursorKey) -> Self {
        Self(match key {
            CursorKey::Ranked { score, seq } => format!("r{:016x}.{seq}", score.to_bits()),
            CursorKey::Seq(seq) => format!("n{seq}"),
            CursorKey::Updated { at, seq } => {
                let hex: String = at.bytes().map(|b| format!("{b:02x}")).collect();
                format!("u{hex}.{seq}")
            }
            CursorKey::Offset(n) => format!("o{n}"),
        })
    }

    pub(crate) fn key(&self) -> Option<CursorKey> {
        let text = self.0.as_str();
        let kind = text.chars().next()?;
        let rest = &text[kind.len_utf8()..];
        let seq = |s: &str| s.parse::<i64>().ok().filter(|n| *n >= 0);
        match kind {
            'r' => {
                let (bits, n) = rest.split_once('.')?;
                let score = f64::from_bits(u64::from_str_radix(bits, 16).ok()?);
                (bits.len() == 16 && score.is_finite()).then_some(())?;
                Some(CursorKey::Ranked {
                    score,
                    seq: seq(n)?,
                })
            }
            'n' => Some(CursorKey::Seq(seq(rest)?)),
            'u' => {
                let (hex, n) = rest.split_once('.')?;
                if hex.len() % 2 != 0 || hex.len() > 128 {
                    return None;
                }
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                    .collect::<Option<Vec<u8>>>()?;
                Some(CursorKey::Updated {
                    at: String::from_utf8(bytes).ok()?,
                    seq: seq(n)?,
                })
            }
            'o' => Some(CursorKey::Offset(rest.parse().ok()?)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The error for a cursor of another listing's order.
pub(crate) fn wrong_cursor(cursor: &Cursor) -> StoreError {
    StoreError::BadCursor(format!(
        "cursor {cursor} belongs to another listing (another query or order)"
    ))
}

/// For a backend that pages by offset only: the offset `cursor` (an
/// [`CursorKey::Offset`]) and `offset` add up to.
pub(crate) fn offset_after(cursor: Option<&Cursor>, offset: u32) -> Result<u32> {
    match cursor.map(|c| (c, c.key())) {
        None => Ok(offset),
        Some((_, Some(CursorKey::Offset(n)))) => Ok(n.saturating_add(offset)),
        Some((c, _)) => Err(wrong_cursor(c)),
    }
}

/// A story as listed: enough to show a row and to filter.
#[derive(Debug, Clone, PartialEq)]
pub struct StorySummary {
    /// Stable id.
    pub id: StoryId,
    /// Headline.
    pub title: String,
    /// The summary text of its brief.
    pub summary: String,
    /// Member articles, in arrival order.
    pub articles: Vec<ArticleId>,
    /// Distinct outlets, in order of first article.
    pub outlets: Vec<String>,
    /// Earliest publication time among its articles (RFC 3339).
    pub first_published: Option<String>,
    /// Latest publication time among its articles (RFC 3339).
    pub last_published: Option<String>,
    /// When its brief was last written (RFC 3339).
    pub updated_at: String,
}

/// A piece of a search snippet; `hit` marks the words that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetPart {
    /// The text.
    pub text: String,
    /// True for matched words.
    pub hit: bool,
}

/// An article as listed (no body).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleHit {
    /// Arrival order across the store.
    pub seq: i64,
    /// Id.
    pub id: ArticleId,
    /// Title, when it has one.
    pub title: Option<String>,
    /// Outlet as the input named it.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Publication time (RFC 3339).
    pub published: Option<String>,
    /// Language.
    pub lang: Option<String>,
    /// The story it belongs to.
    pub story: StoryId,
    /// For a text query: the best passage with matched words marked; else
    /// the start of the body.
    pub snippet: Vec<SnippetPart>,
}

/// An outlet and how much of the store it accounts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCount {
    /// Outlet as the input named it; `None` for articles that named none.
    pub source: Option<String>,
    /// Its articles.
    pub articles: u64,
    /// Stories it has articles in.
    pub stories: u64,
}

/// Turns what a user typed into an FTS5 query that cannot be a syntax
/// error: the Unicode words of `q`, each quoted, all required, the last one
/// also matching as a prefix when the text does not end in a space (so
/// typing "tari" finds "tariffs"). `None` when `q` has no words.
///
/// ```
/// use parallax_store::fts_query;
/// assert_eq!(fts_query("ZTE \"trade-talks\"").as_deref(), Some("\"ZTE\" \"trade\" \"talks\""));
/// assert_eq!(fts_query("ZTE tari").as_deref(), Some("\"ZTE\" \"tari\"*"));
/// assert_eq!(fts_query("  -*: ").as_deref(), None);
/// ```
pub fn fts_query(q: &str) -> Option<String> {
    let (words, prefix) = query_words(q)?;
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push('"');
        out.push_str(w);
        out.push('"');
    }
    if prefix {
        out.push('*');
    }
    Some(out)
}

/// The words of a typed query (Unicode alphanumeric runs) and whether the
/// last one is a prefix (the text does not end in a space or punctuation):
/// what both backends' query builders start from. `None` when `q` has no
/// words.
pub(crate) fn query_words(q: &str) -> Option<(Vec<&str>, bool)> {
    let words: Vec<&str> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    Some((words, q.ends_with(|c: char| c.is_alphanumeric())))
}

/// Markers FTS5 puts around matched words in snippets (control characters
/// that cleaned text never holds).
pub(crate) const HIT_START: char = '\u{2}';
pub(crate) const HIT_END: char = '\u{3}';

/// Most article matches a story search looks at (best ranked first).
pub const MAX_ARTICLE_HITS: u32 = 1000;

/// Page cache of a reader connection, in KiB (SQLite's negative
/// `cache_size`): 32 MiB, where SQLite's default is 2.
const READER_CACHE_KIB: i64 = -32 * 1024;

/// Most results on one page.
pub const MAX_PAGE: u32 = 200;

/// The article filters every listing shares (outlet, language, date range),
/// borrowed from a [`StoryFilter`] or an [`ArticleFilter`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArticleConditions<'a> {
    pub source: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

impl<'a> From<&'a StoryFilter> for ArticleConditions<'a> {
    fn from(f: &'a StoryFilter) -> Self {
        Self {
            source: f.source.as_deref(),
            lang: f.lang.as_deref(),
            from: f.from.as_deref(),
            to: f.to.as_deref(),
        }
    }
}

impl<'a> From<&'a ArticleFilter> for ArticleConditions<'a> {
    fn from(f: &'a ArticleFilter) -> Self {
        Self {
            source: f.source.as_deref(),
            lang: f.lang.as_deref(),
            from: f.from.as_deref(),
            to: f.to.as_deref(),
        }
    }
}

impl ArticleConditions<'_> {
    /// The WHERE conditions over the `articles` table aliased `a`, in SQL
    /// both engines read. `bind` stores a text argument and returns the
    /// expression that refers to it (`?3`, `$3::text`); `outlet` spells "the
    /// source is this outlet, case-insensitively", which the engines write
    /// differently.
    pub(crate) fn to_sql(
        self,
        bind: &mut dyn FnMut(String) -> String,
        outlet: fn(&str) -> String,
    ) -> Vec<String> {
        let mut conds = Vec::new();
        if let Some(source) = self.source {
            conds.push(outlet(&bind(source.to_owned())));
        }
        if let Some(lang) = self.lang {
            conds.push(format!("a.lang = {}", bind(lang.to_lowercase())));
        }
        if let Some(from) = self.from {
            conds.push(format!(
                "substr(a.published, 1, 10) >= {}",
                bind(from.to_owned())
            ));
        }
        if let Some(to) = self.to {
            conds.push(format!(
                "substr(a.published, 1, 10) <= {}",
                bind(to.to_owned())
            ));
        }
        conds
    }
}

/// SQLite's spelling of the outlet condition: the source name without case,
/// or the URL's host (with or without `www.`).
fn sqlite_outlet(p: &str) -> String {
    format!(
        "(a.source = {p} COLLATE NOCASE OR a.url LIKE '%://' || {p} || '/%' \
         OR a.url LIKE '%://www.' || {p} || '/%')"
    )
}

/// The SQLite conditions for `filter`, binding into `args`.
fn article_conditions(filter: ArticleConditions<'_>, args: &mut Vec<Value>) -> Vec<String> {
    filter.to_sql(
        &mut |v| {
            args.push(Value::Text(v));
            format!("?{}", args.len())
        },
        sqlite_outlet,
    )
}

/// A listed story from its stored columns (both backends select the same
/// ones): the outlets come from the brief's sources, the members from the
/// unit-separator-joined ids.
#[allow(clippy::too_many_arguments)]
pub(crate) fn story_summary(
    id: String,
    title: String,
    brief: &str,
    updated_at: String,
    first_published: Option<String>,
    last_published: Option<String>,
    members: Option<String>,
) -> Result<StorySummary> {
    // Only what a listing shows is decoded: a big story's brief is
    // megabytes, and building all of it cost more than the rest of a page.
    // The outlets are borrowed from the brief's text and told apart with a
    // set: a story of thousands of articles lists thousands of sources, and
    // a copy and a scan of the outlets so far for each cost more than the
    // rest of a search (8,721 sources: 80 ms).
    #[derive(serde::Deserialize)]
    struct Listed<'a> {
        summary: String,
        #[serde(borrow)]
        sources: Vec<ListedSource<'a>>,
    }
    #[derive(serde::Deserialize)]
    struct ListedSource<'a> {
        #[serde(borrow)]
        outlet: Cow<'a, str>,
    }
    let brief: Listed = serde_json::from_str(brief).map_err(|e| StoreError::Corrupt {
        what: format!("brief of story {id}"),
        detail: e.to_string(),
    })?;
    let mut seen: HashSet<&str> = HashSet::new();
    let mut outlets: Vec<String> = Vec::new();
    for s in &brief.sources {
        if seen.insert(s.outlet.as_ref()) {
            outlets.push(s.outlet.clone().into_owned());
        }
    }
    Ok(StorySummary {
        id: StoryId(id),
        title,
        summary: brief.summary,
        articles: members
            .unwrap_or_default()
            .split('\u{1f}')
            .filter(|s| !s.is_empty())
            .map(|s| ArticleId(s.to_owned()))
            .collect(),
        outlets,
        first_published,
        last_published,
        updated_at,
    })
}

/// `WHERE a AND b`, or nothing when there are no conditions.
pub(crate) fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    }
}

pub(crate) fn page_bounds(limit: u32, offset: u32) -> (i64, i64) {
    let limit = limit.clamp(1, MAX_PAGE) as i64;
    // One more than asked tells whether another page follows.
    (limit + 1, offset as i64)
}

impl Store {
    /// Opens an existing store for reading only (a server's readers: in WAL
    /// mode they run beside the one writer without blocking it). The file
    /// must already be at this build's schema version.
    pub fn open_reader(path: &std::path::Path) -> Result<Self> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        // A reader keeps the index pages it walks (a story search looks up
        // a thousand hits' stories) instead of asking the OS for each again.
        conn.pragma_update(None, "cache_size", READER_CACHE_KIB)
            .map_err(open_err)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(open_err)?;
        if found != crate::migrations::latest() {
            return Err(StoreError::Corrupt {
                what: format!("schema version of {}", path.display()),
                detail: format!(
                    "found {found}, this build reads {}; open it for writing first",
                    crate::migrations::latest()
                ),
            });
        }
        Ok(Self {
            conn,
            placing: false,
            commits: 0,
            search: crate::store::SearchHome::Beside(path.to_owned()),
            indexer: None,
            story_indexer: None,
        })
    }

    /// Number of stored stories.
    pub fn story_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM stories", [], |r| r.get::<_, i64>(0))
            .context("counting stories")
            .map(|n| n as u64)
    }

    /// One page of stories matching `filter`: by relevance for a text
    /// query, else most recently updated first.
    pub fn find_stories(&self, filter: &StoryFilter) -> Result<Page<StorySummary>> {
        if let Some((words, prefix)) = filter.q.as_deref().and_then(query_words) {
            return self.search_stories(&words, prefix, filter);
        }
        let mut args: Vec<Value> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        let article_conds = article_conditions(filter.into(), &mut args);
        if !article_conds.is_empty() {
            conds.push(format!(
                "EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND {})",
                article_conds.join(" AND ")
            ));
        }
        // Keyset paging: the rows after the cursor's, in the same order.
        match filter.cursor.as_ref().map(|c| (c, c.key())) {
            None => {}
            Some((_, Some(CursorKey::Updated { at, seq }))) => {
                args.push(Value::Text(at));
                args.push(Value::Integer(seq));
                let (u, f) = (args.len() - 1, args.len());
                conds.push(format!(
                    "(s.updated_at < ?{u} OR (s.updated_at = ?{u} AND s.first_seq < ?{f}))"
                ));
            }
            Some((c, _)) => return Err(wrong_cursor(c)),
        }
        let (limit, offset) = page_bounds(filter.limit, filter.offset);
        args.push(Value::Integer(limit));
        args.push(Value::Integer(offset));
        let where_ = where_clause(&conds);
        // The page is chosen first and only its rows get the per-story
        // columns (SQLite would compute them for skipped rows too).
        let sql = format!(
            "WITH page (id, n) AS (
                SELECT s.id, row_number() OVER (ORDER BY s.updated_at DESC, s.first_seq DESC)
                FROM stories s {where_}
                ORDER BY s.updated_at DESC, s.first_seq DESC LIMIT ?{} OFFSET ?{})
             SELECT {STORY_COLUMNS}
             FROM page p JOIN stories s ON s.id = p.id ORDER BY p.n",
            args.len() - 1,
            args.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql).context("listing stories")?;
        let mut rows = stmt
            .query(params_from_iter(args))
            .context("listing stories")?;
        let mut items = Vec::new();
        let mut keys = Vec::new();
        while let Some(row) = rows.next().context("listing stories")? {
            let (summary, first_seq) = read_story(row)?;
            keys.push(CursorKey::Updated {
                at: summary.updated_at.clone(),
                seq: first_seq,
            });
            items.push(summary);
        }
        let mut page = trim_page(items, limit);
        if page.more {
            page.next = keys.get(page.items.len() - 1).map(Cursor::of);
        }
        Ok(page)
    }

    /// Story search through the indexes: the matching stories after the
    /// cursor, best first ([`StoryMatches`]), those that pass the article
    /// filters, then their rows.
    fn search_stories(
        &self,
        words: &[&str],
        prefix: bool,
        filter: &StoryFilter,
    ) -> Result<Page<StorySummary>> {
        let limit = filter.limit.clamp(1, MAX_PAGE) as usize;
        let mut at = match filter.cursor.as_ref().map(|c| (c, c.key())) {
            None => None,
            Some((_, Some(CursorKey::Ranked { score, seq }))) => Some(Ranked {
                score: score as f32,
                seq: seq as u64,
            }),
            Some((c, _)) => return Err(wrong_cursor(c)),
        };
        let mut matches = self.story_matches(words, prefix)?;
        let mut args: Vec<Value> = Vec::new();
        let conds = article_conditions(filter.into(), &mut args);
        let want = filter.offset as usize + limit + 1;
        let mut found: Vec<Ranked> = Vec::new();
        loop {
            // With filters, candidates come in larger batches: some fail.
            let need = want - found.len();
            let batch = if conds.is_empty() {
                need
            } else {
                need.max(32) * 4
            };
            let candidates = matches.after(at, batch)?;
            let exhausted = candidates.len() < batch;
            at = candidates.last().copied().or(at);
            if conds.is_empty() {
                found.extend(candidates);
            } else {
                let passing = self.stories_passing(&candidates, &conds, &args)?;
                found.extend(
                    candidates
                        .into_iter()
                        .filter(|c| passing.contains(&(c.seq as i64))),
                );
            }
            if found.len() >= want || exhausted {
                break;
            }
        }
        let mut hits: Vec<Ranked> = found.into_iter().skip(filter.offset as usize).collect();
        let more = hits.len() > limit;
        hits.truncate(limit);
        let empty = Page {
            items: Vec::new(),
            more: false,
            next: None,
        };
        if hits.is_empty() {
            return Ok(empty);
        }
        let list: Vec<String> = hits.iter().map(|h| h.seq.to_string()).collect();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {STORY_COLUMNS} FROM stories s
                 WHERE s.first_seq IN (SELECT value FROM json_each(?1))"
            ))
            .context("reading found stories")?;
        let mut rows = stmt
            .query([format!("[{}]", list.join(","))])
            .context("reading found stories")?;
        let mut by_seq: HashMap<i64, StorySummary> = HashMap::with_capacity(hits.len());
        while let Some(row) = rows.next().context("reading found stories")? {
            let (summary, first_seq) = read_story(row)?;
            by_seq.entry(first_seq).or_insert(summary);
        }
        let next = more.then(|| {
            let last = hits[hits.len() - 1];
            Cursor::of(&CursorKey::Ranked {
                score: f64::from(last.score),
                seq: last.seq as i64,
            })
        });
        // A story merged away since the index last caught up is left out.
        let items = hits
            .iter()
            .filter_map(|h| by_seq.remove(&(h.seq as i64)))
            .collect();
        Ok(Page { items, more, next })
    }

    /// The `first_seq`s of `candidates` whose story has an article that
    /// meets `conds` (bound in `args`).
    fn stories_passing(
        &self,
        candidates: &[Ranked],
        conds: &[String],
        args: &[Value],
    ) -> Result<HashSet<i64>> {
        if candidates.is_empty() {
            return Ok(HashSet::new());
        }
        let list: Vec<String> = candidates.iter().map(|h| h.seq.to_string()).collect();
        let sql = format!(
            "SELECT s.first_seq FROM stories s WHERE s.first_seq IN ({})
               AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND {})",
            list.join(","),
            conds.join(" AND ")
        );
        let mut stmt = self.conn.prepare(&sql).context("filtering stories")?;
        let rows = stmt
            .query_map(params_from_iter(args), |r| r.get(0))
            .context("filtering stories")?;
        rows.collect::<rusqlite::Result<HashSet<i64>>>()
            .context("filtering stories")
    }

    /// What a story search matches: the stories of the article index's
    /// best [`MAX_ARTICLE_HITS`] hits, and the stories whose own words
    /// match in the story index.
    fn story_matches(&self, words: &[&str], prefix: bool) -> Result<StoryMatches> {
        let own = match self.story_index()? {
            Some(index) => word_clauses(&index.reader, index.fields.text, words, prefix)?
                .map(|clauses| (index, BooleanQuery::new(clauses))),
            None => None,
        };
        let top = self.top_articles(words, prefix)?;
        // Each story's best article score.
        let mut through: HashMap<u64, f32> = HashMap::new();
        if !top.is_empty() {
            let list: Vec<String> = top.iter().map(|h| h.seq.to_string()).collect();
            // Two narrow indexes answer this without reading an article or
            // story row (migration 10); the list is bound as a JSON array,
            // so the statement is prepared once.
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT a.seq, s.first_seq FROM articles a INDEXED BY articles_story_of
                     JOIN stories s INDEXED BY stories_first_seq_of ON s.id = a.story_id
                     WHERE a.seq IN (SELECT value FROM json_each(?1))",
                )
                .context("finding hits' stories")?;
            let rows = stmt
                .query_map([format!("[{}]", list.join(","))], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })
                .context("finding hits' stories")?;
            let story_of = rows
                .collect::<rusqlite::Result<HashMap<i64, i64>>>()
                .context("finding hits' stories")?;
            for hit in &top {
                if let Some(&story) = story_of.get(&(hit.seq as i64)) {
                    let best = through.entry(story as u64).or_insert(hit.score);
                    *best = best.max(hit.score);
                }
            }
        }
        let through_seqs: Arc<HashSet<u64>> = Arc::new(through.keys().copied().collect());
        let mut through: Vec<Ranked> = through
            .into_iter()
            .map(|(seq, score)| Ranked { score, seq })
            .collect();
        through.sort_by(Ranked::order);
        Ok(StoryMatches {
            through,
            through_seqs,
            scored: false,
            own,
        })
    }

    /// The article index's best [`MAX_ARTICLE_HITS`] for a story search.
    fn top_articles(&self, words: &[&str], prefix: bool) -> Result<Vec<Ranked>> {
        let Some(index) = self.article_index()? else {
            return Ok(Vec::new());
        };
        let Some(query) = index.query(words, prefix, &IndexFilter::default())? else {
            return Ok(Vec::new());
        };
        index.search(&query, MAX_ARTICLE_HITS as usize, None)
    }

    /// One page of articles matching `filter`: by relevance for a text
    /// query, else newest arrival first.
    pub fn find_articles(&self, filter: &ArticleFilter) -> Result<Page<ArticleHit>> {
        if let Some((words, prefix)) = filter.q.as_deref().and_then(query_words) {
            return self.search_articles(&words, prefix, filter);
        }
        let mut args: Vec<Value> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        if let Some(story) = &filter.story {
            args.push(Value::Text(story.clone()));
            conds.push(format!("a.story_id = ?{}", args.len()));
        }
        conds.extend(article_conditions(filter.into(), &mut args));
        match filter.cursor.as_ref().map(|c| (c, c.key())) {
            None => {}
            Some((_, Some(CursorKey::Seq(seq)))) => {
                args.push(Value::Integer(seq));
                conds.push(format!("a.seq < ?{}", args.len()));
            }
            Some((c, _)) => return Err(wrong_cursor(c)),
        }
        let (limit, offset) = page_bounds(filter.limit, filter.offset);
        args.push(Value::Integer(limit));
        args.push(Value::Integer(offset));
        let where_ = where_clause(&conds);
        let sql = format!(
            "SELECT a.seq, a.id, a.title, a.source, a.url, a.published, a.lang, a.story_id,
                    substr(a.body, 1, 240)
             FROM articles a {where_} ORDER BY a.seq DESC LIMIT ?{} OFFSET ?{}",
            args.len() - 1,
            args.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql).context("listing articles")?;
        let rows = stmt
            .query_map(params_from_iter(args), |r| {
                let snippet: String = r.get(8)?;
                Ok(ArticleHit {
                    seq: r.get(0)?,
                    id: ArticleId(r.get(1)?),
                    title: r.get(2)?,
                    source: r.get(3)?,
                    url: r.get(4)?,
                    published: r.get(5)?,
                    lang: r.get(6)?,
                    story: StoryId(r.get(7)?),
                    snippet: split_snippet(&snippet),
                })
            })
            .context("listing articles")?;
        let items = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading an article")?;
        let mut page = trim_page(items, limit);
        if page.more {
            page.next = page
                .items
                .last()
                .map(|a| Cursor::of(&CursorKey::Seq(a.seq)));
        }
        Ok(page)
    }

    /// Article search through the article index: the hits after the
    /// cursor, best first, then their rows (story as stored now) and
    /// snippets from the database.
    fn search_articles(
        &self,
        words: &[&str],
        prefix: bool,
        filter: &ArticleFilter,
    ) -> Result<Page<ArticleHit>> {
        let limit = filter.limit.clamp(1, MAX_PAGE) as usize;
        let empty = Page {
            items: Vec::new(),
            more: false,
            next: None,
        };
        let after = match filter.cursor.as_ref().map(|c| (c, c.key())) {
            None => None,
            Some((_, Some(CursorKey::Ranked { score, seq }))) => Some(Ranked {
                score: score as f32,
                seq: seq as u64,
            }),
            Some((c, _)) => return Err(wrong_cursor(c)),
        };
        let Some(index) = self.article_index()? else {
            return Ok(empty);
        };
        let day = |d: &Option<String>| -> std::result::Result<Option<u64>, ()> {
            match d {
                None => Ok(None),
                Some(d) => day_number(d).map(Some).ok_or(()),
            }
        };
        // A date that is not a day matches no article (as comparing it
        // with the stored dates as text would, all but by accident).
        let (Ok(from_day), Ok(to_day)) = (day(&filter.from), day(&filter.to)) else {
            return Ok(empty);
        };
        let seqs = match &filter.story {
            Some(story) => {
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT seq FROM articles WHERE story_id = ?1")
                    .context("listing a story's articles")?;
                let rows = stmt
                    .query_map([story], |r| r.get(0))
                    .context("listing a story's articles")?;
                Some(
                    rows.collect::<rusqlite::Result<Vec<i64>>>()
                        .context("listing a story's articles")?,
                )
            }
            None => None,
        };
        let index_filter = IndexFilter {
            lang: filter.lang.as_deref().map(str::to_lowercase),
            outlet: filter.source.clone(),
            from_day,
            to_day,
            seqs,
        };
        let Some(query) = index.query(words, prefix, &index_filter)? else {
            return Ok(empty);
        };
        let offset = filter.offset as usize;
        let mut hits: Vec<Ranked> = index
            .search(&query, offset + limit + 1, after)?
            .into_iter()
            .skip(offset)
            .collect();
        let more = hits.len() > limit;
        hits.truncate(limit);
        if hits.is_empty() {
            return Ok(empty);
        }
        let list: Vec<String> = hits.iter().map(|h| h.seq.to_string()).collect();
        let sql = format!(
            "SELECT seq, id, title, source, url, published, lang, story_id, body
             FROM articles WHERE seq IN ({})",
            list.join(",")
        );
        let mut stmt = self.conn.prepare(&sql).context("reading search hits")?;
        let mut rows = stmt.query([]).context("reading search hits")?;
        let mut found: HashMap<i64, (ArticleHit, String)> = HashMap::with_capacity(hits.len());
        while let Some(r) = rows.next().context("reading search hits")? {
            const READ: &str = "reading a search hit";
            let seq: i64 = r.get(0).context(READ)?;
            let hit = ArticleHit {
                seq,
                id: ArticleId(r.get(1).context(READ)?),
                title: r.get(2).context(READ)?,
                source: r.get(3).context(READ)?,
                url: r.get(4).context(READ)?,
                published: r.get(5).context(READ)?,
                lang: r.get(6).context(READ)?,
                story: StoryId(r.get(7).context(READ)?),
                snippet: Vec::new(),
            };
            found.insert(seq, (hit, r.get(8).context(READ)?));
        }
        let mut snippets =
            SnippetGenerator::create(&index.reader.searcher(), &query, index.fields.text).map_err(
                |e| StoreError::Search {
                    context: "making snippets",
                    detail: e.to_string(),
                },
            )?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let next = more.then(|| {
            let last = hits[hits.len() - 1];
            Cursor::of(&CursorKey::Ranked {
                score: f64::from(last.score),
                seq: last.seq as i64,
            })
        });
        let mut items = Vec::with_capacity(hits.len());
        for h in &hits {
            // An indexed article is stored (articles are never deleted).
            let Some((mut hit, body)) = found.remove(&(h.seq as i64)) else {
                return Err(StoreError::Corrupt {
                    what: format!("article search index entry {}", h.seq),
                    detail: "no stored article has this seq".into(),
                });
            };
            hit.snippet = snippet_parts(&snippets, &body);
            items.push(hit);
        }
        Ok(Page { items, more, next })
    }

    /// The article with id `id`, when stored.
    pub fn article(&self, id: &ArticleId) -> Result<Option<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"
            ))
            .context("reading an article")?;
        stmt.query_row([id.as_str()], read_article)
            .optional()
            .context("reading an article")?
            .transpose()
    }

    /// Every outlet with its article and story counts, biggest first.
    pub fn sources(&self) -> Result<Vec<SourceCount>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT source, COUNT(*), COUNT(DISTINCT story_id) FROM articles
                 GROUP BY source ORDER BY COUNT(*) DESC, source",
            )
            .context("listing sources")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceCount {
                    source: r.get(0)?,
                    articles: r.get::<_, i64>(1)? as u64,
                    stories: r.get::<_, i64>(2)? as u64,
                })
            })
            .context("listing sources")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .context("listing sources")
    }
}

/// The columns a listed story is read from (`stories` aliased `s`): the
/// page's rows only, as they cost a look at each one's articles.
const STORY_COLUMNS: &str = "s.id, s.title, s.brief, s.updated_at,
    (SELECT MIN(a.published) FROM articles a WHERE a.story_id = s.id),
    (SELECT MAX(a.published) FROM articles a WHERE a.story_id = s.id),
    (SELECT group_concat(a.id, char(31)) FROM
        (SELECT id FROM articles a WHERE a.story_id = s.id ORDER BY a.seq) a),
    s.first_seq";

/// A listed story and its `first_seq`, from a row of [`STORY_COLUMNS`].
fn read_story(row: &rusqlite::Row<'_>) -> Result<(StorySummary, i64)> {
    const READ: &str = "reading a story";
    let summary = story_summary(
        row.get(0).context(READ)?,
        row.get(1).context(READ)?,
        &row.get::<_, String>(2).context(READ)?,
        row.get(3).context(READ)?,
        row.get(4).context(READ)?,
        row.get(5).context(READ)?,
        row.get(6).context(READ)?,
    )?;
    Ok((summary, row.get(7).context(READ)?))
}

/// The stories a story search matches, in order: a story matches when one
/// of the article index's best [`MAX_ARTICLE_HITS`] hits for the words is
/// one of its articles, or when its own words (headline, summary, article
/// titles, entity names) hold them all; it scores the better of its best
/// such article and its own entry. Every page asks for the stories after
/// the last one it had, so each is listed once and a deep page costs what
/// the first does.
struct StoryMatches {
    /// The stories reached through article hits, best first, each with its
    /// best article's score, and with its own score too once `scored`.
    through: Vec<Ranked>,
    /// The `seq`s of `through`.
    through_seqs: Arc<HashSet<u64>>,
    /// Whether `through` holds the better of the two scores yet (the first
    /// look at the story index records them).
    scored: bool,
    /// The story index and the query for the stories' own words.
    own: Option<(Arc<StoryIndex>, BooleanQuery)>,
}

impl StoryMatches {
    /// The best `n` matches after `after`.
    fn after(&mut self, after: Option<Ranked>, n: usize) -> Result<Vec<Ranked>> {
        let mut others = Vec::new();
        if let Some((index, query)) = &self.own {
            let collector = OwnMatches {
                through: self.through_seqs.clone(),
                keep: n,
                after,
                seq: index.fields.seq,
            };
            let found = index
                .reader
                .searcher()
                .search(query, &collector)
                .map_err(search_error("searching stories"))?;
            if !self.scored {
                let own: HashMap<u64, Score> =
                    found.through.iter().map(|h| (h.seq, h.score)).collect();
                for hit in &mut self.through {
                    if let Some(&score) = own.get(&hit.seq) {
                        hit.score = hit.score.max(score);
                    }
                }
                self.through.sort_by(Ranked::order);
            }
            others = found.others;
        }
        self.scored = true;
        let mut out: Vec<Ranked> = self
            .through
            .iter()
            .filter(|h| after.is_none_or(|a| a.before(h)))
            .take(n)
            .copied()
            .collect();
        out.extend(others);
        out.sort_by(Ranked::order);
        out.truncate(n);
        Ok(out)
    }
}

/// The page of `items` fetched with one more than `limit` asked; `next`
/// is for the caller to fill in.
pub(crate) fn trim_page<T>(mut items: Vec<T>, limit: i64) -> Page<T> {
    let more = items.len() as i64 >= limit;
    items.truncate((limit - 1) as usize);
    Page {
        items,
        more,
        next: None,
    }
}

/// A page `skip` results in, with an offset cursor to the next one (the
/// cursor of a backend that pages by offset).
pub(crate) fn offset_page<T>(mut page: Page<T>, skip: u32) -> Page<T> {
    if page.more {
        let reached = skip.saturating_add(page.items.len() as u32);
        page.next = Some(Cursor::of(&CursorKey::Offset(reached)));
    }
    page
}

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

/// The passage of `body` that holds most of the query's words, split at
/// the matches, with `…` where it cuts the body; the start of the body when
/// no word is in it (a match in the title only).
fn snippet_parts(snippets: &SnippetGenerator, body: &str) -> Vec<SnippetPart> {
    let snippet = snippets.snippet(body);
    let fragment = snippet.fragment();
    if snippet.highlighted().is_empty() || fragment.is_empty() {
        let end = body.char_indices().nth(240).map_or(body.len(), |(i, _)| i);
        return split_snippet(&body[..end]);
    }
    let mut parts = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if !text.is_empty() {
            parts.push(SnippetPart {
                text: text.to_owned(),
                hit,
            });
        }
    };
    let lead = if body.starts_with(fragment) {
        ""
    } else {
        "…"
    };
    let mut at = 0;
    let mut first = String::from(lead);
    for range in snippet.highlighted() {
        first.push_str(&fragment[at..range.start]);
        push(&first, false);
        first.clear();
        push(&fragment[range.clone()], true);
        at = range.end;
    }
    first.push_str(&fragment[at..]);
    if !body.ends_with(fragment) {
        first.push('…');
    }
    push(&first, false);
    parts
}

/// Splits an FTS5 snippet at the hit markers.
pub(crate) fn split_snippet(s: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut hit = false;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            HIT_START | HIT_END => {
                if !cur.is_empty() {
                    parts.push(SnippetPart {
                        text: std::mem::take(&mut cur),
                        hit,
                    });
                }
                hit = c == HIT_START;
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        parts.push(SnippetPart { text: cur, hit });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_split_at_markers() {
        let parts = split_snippet("a \u{2}b\u{3} c");
        let texts: Vec<(&str, bool)> = parts.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(texts, vec![("a ", false), ("b", true), (" c", false)]);
    }

    #[test]
    fn queries_are_quoted_words() {
        assert_eq!(fts_query("tariff ").as_deref(), Some("\"tariff\""));
        assert_eq!(
            fts_query("NOT OR AND").as_deref(),
            Some("\"NOT\" \"OR\" \"AND\"*")
        );
        assert_eq!(fts_query("é"), Some("\"é\"*".into()));
    }
}
