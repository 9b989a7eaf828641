//! Briefs as a projection of the stored stream.
//!
//! The write path ([`crate::Engine`]) commits only what must be decided in
//! order: the articles, their placement and their copy pairs. Briefs are
//! built afterwards from what was committed, outside the placement lock,
//! by a [`Projector`]: it follows the committed stream in `seq` order,
//! keeps each story's members, marks the stories a batch touched as due,
//! and briefs the due stories together, in parallel, when it flushes. A
//! story touched by fifty batches between two flushes is briefed once.
//! While ingesting, a flush is a round of at most about a second
//! ([`ROUND`]): the stories due longest go first and the rest wait for the
//! next round, so following the stream (and the write path behind it)
//! never waits long, and in a bulk import each story is briefed at most
//! once a round. Asked to sync (the end of a run), it briefs them all.
//!
//! **Why the result does not depend on timing.** A brief weighs words by
//! how common they are in the stream, which grows. The projector builds
//! each brief *as of its story's latest article* ([`Briefer::as_of`]), so
//! a story's final brief is the same whether it was built at once, seconds
//! later, or after a crash and a restart: the restart finds the stories
//! whose stored brief is older than their latest article
//! ([`parallax_store::Backend::brief_seqs`]) and briefs them again, as of
//! the same point.
//!
//! **Why big stories stay cheap.** A brief reads at most
//! [`ProjectorConfig::max_articles`] of its story's articles: the earliest
//! half (the first reports) and the latest half (what is new); every
//! article is still listed among its sources. A story of 3,000 articles
//! costs what one of 64 does.
//!
//! The article search index is the same kind of projection: each flush
//! first brings it up to the articles followed
//! ([`parallax_store::Backend::index_articles`]); the story search index
//! follows the briefs each round writes
//! ([`parallax_store::Backend::index_stories`]).
//!
//! Two ways to run it: [`Projection::threaded`] (its own thread, threads
//! and store connection: `run`, `watch`, `serve`), flushing
//! [`ProjectorConfig::interval`] after a story became due (or twice as long
//! as the last flush took, if longer) and whenever asked
//! ([`Projection::sync`]); and [`Projection::inline`] (an in-memory
//! store, which has no second connection), flushing after every batch.

use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parallax_brief::{BriefConfig, Briefer, source_of};
use parallax_model::{Article, ArticleId, Brief, CopyLink, SourceRef, StoryId};
use parallax_store::Backend;
use rayon::prelude::*;
use tracing::{debug, error, info};

use crate::{EngineError, Result};

/// How briefs are projected.
#[derive(Debug, Clone)]
pub struct ProjectorConfig {
    /// Brief shape.
    pub brief: BriefConfig,
    /// Most articles a brief reads (half the earliest, half the latest);
    /// every article is listed among its sources all the same.
    pub max_articles: usize,
    /// Longest a due story waits for its brief while ingesting.
    pub interval: Duration,
    /// Recent articles kept in memory for briefs; older ones are read back
    /// from the store when a brief needs them.
    pub cached_articles: usize,
    /// Called after each flush that stored briefs (a server drops its
    /// response cache there).
    pub on_flush: Option<FlushHook>,
    /// Flush as soon as nothing new has come for this long (a server: a
    /// lone POST's briefs land at once); `None` waits for `interval`.
    pub quiet: Option<Duration>,
}

/// A function run after each flush that stored briefs.
#[derive(Clone)]
pub struct FlushHook(pub Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for FlushHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FlushHook")
    }
}

impl Default for ProjectorConfig {
    fn default() -> Self {
        Self {
            brief: BriefConfig::default(),
            max_articles: 64,
            interval: Duration::from_secs(1),
            cached_articles: 50_000,
            on_flush: None,
            quiet: None,
        }
    }
}

/// Committed batches the projection may have waiting before the engine
/// waits for it.
const PENDING_BATCHES: usize = 16;

/// Briefs stored per transaction.
const WRITE_CHUNK: usize = 64;

/// How long one flush round may brief while ingesting: stories still due
/// after it wait for the next round (oldest due first), so the projection
/// goes back to following the stream (and the write path, waiting on its
/// queue, goes on) within about this long, and a story touched by every
/// batch of a bulk import is briefed once a round at most, not once a
/// batch.
const ROUND: Duration = Duration::from_secs(1);

/// Stories due for a brief, oldest first, each once.
///
/// A story taken off the queue (merged away) is only dropped from `set`:
/// its entry in `order` goes stale and is skipped when met, so removal
/// costs nothing where a scan of a queue of tens of thousands of stories
/// for every merge did. Each insertion has its own number, so a story
/// removed and inserted again is due from its new place, not its old one.
#[derive(Default)]
struct DueQueue {
    order: VecDeque<(StoryId, u64)>,
    set: HashMap<StoryId, u64>,
    inserted: u64,
}

impl DueQueue {
    fn insert(&mut self, story: StoryId) {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.set.entry(story) {
            self.inserted += 1;
            self.order.push_back((slot.key().clone(), self.inserted));
            slot.insert(self.inserted);
        }
        self.compact();
    }

    /// Removes `story` (a story merged away).
    fn remove(&mut self, story: &StoryId) {
        self.set.remove(story);
        self.compact();
    }

    /// Whether `entry` of `order` is the story's current insertion.
    fn live(set: &HashMap<StoryId, u64>, (story, n): &(StoryId, u64)) -> bool {
        set.get(story) == Some(n)
    }

    /// Drops stale entries once they are most of the queue, so it never
    /// grows past twice the stories due.
    fn compact(&mut self) {
        if self.order.len() > 64 && self.order.len() > 2 * self.set.len() {
            let set = &self.set;
            self.order.retain(|entry| Self::live(set, entry));
        }
    }

    fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    fn len(&self) -> usize {
        self.set.len()
    }

    /// The `n` stories due longest, taken off the queue.
    fn take(&mut self, n: usize) -> Vec<StoryId> {
        let mut out = Vec::with_capacity(n.min(self.set.len()));
        while out.len() < n {
            let Some(entry) = self.order.pop_front() else {
                break;
            };
            if Self::live(&self.set, &entry) {
                self.set.remove(&entry.0);
                out.push(entry.0);
            }
        }
        out
    }

    /// The due stories, oldest first.
    fn to_vec(&self) -> Vec<&StoryId> {
        self.order
            .iter()
            .filter(|entry| Self::live(&self.set, entry))
            .map(|(story, _)| story)
            .collect()
    }

    /// Keeps only the stories `keep` says are still due, in order.
    fn retain(&mut self, mut keep: impl FnMut(&StoryId) -> bool) {
        let set = &mut self.set;
        self.order.retain(|entry| {
            let kept = Self::live(set, entry) && keep(&entry.0);
            if !kept && set.get(&entry.0) == Some(&entry.1) {
                set.remove(&entry.0);
            }
            kept
        });
    }

    fn from_vec(stories: Vec<StoryId>) -> Self {
        let mut queue = Self::default();
        for story in stories {
            queue.insert(story);
        }
        queue
    }
}

/// One committed article, as the projector follows the stream.
pub(crate) struct Placed {
    /// Its `seq` in the store.
    pub seq: i64,
    /// The article.
    pub article: Arc<Article>,
    /// The story it was placed in.
    pub story: StoryId,
    /// Stories merged into `story` as it was placed, in order.
    pub absorbed: Vec<StoryId>,
    /// Copy pairs found as it arrived.
    pub links: Vec<CopyLink>,
}

/// A story's members as the projector knows them.
///
/// Kept packed: every member's [`SourceRef`] and the copy pairs are
/// postcard records laid end to end in one buffer each, decoded only when
/// the story is briefed. A million members as four strings each were most
/// of what a checkpoint decoded on open (millions of small allocations);
/// as bytes they are copied back in one piece.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Members {
    /// `seq` of each member, ascending.
    seqs: Vec<i64>,
    /// How each member is listed among the sources, in the same order.
    sources: Packed,
    /// Copy pairs found as members arrived (some may name an article of
    /// another story: the briefer leaves those out).
    links: Packed,
}

/// Records encoded one after another.
#[derive(Default)]
struct Packed(Vec<u8>);

impl serde::Serialize for Packed {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Packed {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Packed;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> std::result::Result<Packed, E> {
                Ok(Packed(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(
                self,
                v: Vec<u8>,
            ) -> std::result::Result<Packed, E> {
                Ok(Packed(v))
            }
        }
        deserializer.deserialize_byte_buf(Bytes)
    }
}

impl Packed {
    fn push<T: serde::Serialize>(&mut self, record: &T) -> Result<()> {
        postcard::to_io(record, &mut self.0)
            .map(drop)
            .map_err(|e| EngineError::Projection(format!("encoding a story member: {e}")))
    }

    /// The records, each decoded as `T` with the bytes it took.
    fn records<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<Vec<(T, &'a [u8])>> {
        let mut out = Vec::new();
        let mut rest = self.0.as_slice();
        while !rest.is_empty() {
            let (record, after) = postcard::take_from_bytes::<T>(rest)
                .map_err(|e| EngineError::Projection(format!("reading a story member: {e}")))?;
            out.push((record, &rest[..rest.len() - after.len()]));
            rest = after;
        }
        Ok(out)
    }
}

/// A member's [`SourceRef`] as packed, read without copying its strings
/// (the same postcard encoding: an [`ArticleId`] is its string).
#[derive(serde::Deserialize)]
struct SourceView<'a> {
    article: &'a str,
    #[allow(dead_code)]
    outlet: &'a str,
    #[allow(dead_code)]
    title: Option<&'a str>,
    #[allow(dead_code)]
    published: Option<&'a str>,
}

/// A [`CopyLink`] as packed: every field written (the model's own
/// encoding leaves out a missing evidence, which postcard cannot read
/// back).
#[derive(serde::Serialize, serde::Deserialize)]
struct PackedLink {
    copy: ArticleId,
    original: ArticleId,
    relation: parallax_model::CopyRelation,
    score: f64,
    evidence: Option<String>,
}

impl Members {
    /// Adds the member at `seq` (later than every member so far).
    fn push(&mut self, seq: i64, source: &SourceRef, links: Vec<CopyLink>) -> Result<()> {
        self.seqs.push(seq);
        self.sources.push(source)?;
        for l in links {
            self.links.push(&PackedLink {
                copy: l.copy,
                original: l.original,
                relation: l.relation,
                score: l.score,
                evidence: l.evidence,
            })?;
        }
        Ok(())
    }

    /// Every member's source entry, in order.
    fn sources(&self) -> Result<Vec<SourceRef>> {
        Ok(self
            .sources
            .records::<SourceRef>()?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    }

    /// The id of every member, in order, borrowed from the packed entries.
    fn ids(&self) -> Result<Vec<&str>> {
        Ok(self
            .sources
            .records::<SourceView>()?
            .into_iter()
            .map(|(s, _)| s.article)
            .collect())
    }

    /// The copy pairs found as members arrived.
    fn links(&self) -> Result<Vec<CopyLink>> {
        Ok(self
            .links
            .records::<PackedLink>()?
            .into_iter()
            .map(|(l, _)| CopyLink {
                copy: l.copy,
                original: l.original,
                relation: l.relation,
                score: l.score,
                evidence: l.evidence,
            })
            .collect())
    }

    /// Takes in the members of a story merged into this one, keeping
    /// arrival order: the packed entries are moved as bytes.
    fn absorb(&mut self, other: Members) -> Result<()> {
        let mine = self.sources.records::<SourceView>()?;
        let theirs = other.sources.records::<SourceView>()?;
        if mine.len() != self.seqs.len() || theirs.len() != other.seqs.len() {
            return Err(EngineError::Projection(
                "a story's packed members do not match its articles".into(),
            ));
        }
        let mut merged: Vec<(i64, &[u8])> = self
            .seqs
            .iter()
            .copied()
            .zip(mine.into_iter().map(|(_, bytes)| bytes))
            .chain(
                other
                    .seqs
                    .iter()
                    .copied()
                    .zip(theirs.into_iter().map(|(_, bytes)| bytes)),
            )
            .collect();
        merged.sort_by_key(|(seq, _)| *seq);
        let mut sources = Vec::with_capacity(self.sources.0.len() + other.sources.0.len());
        let mut seqs = Vec::with_capacity(merged.len());
        for (seq, bytes) in merged {
            seqs.push(seq);
            sources.extend_from_slice(bytes);
        }
        self.seqs = seqs;
        self.sources = Packed(sources);
        self.links.0.extend_from_slice(&other.links.0);
        Ok(())
    }

    /// Indexes of the members a brief reads: all of them, or the earliest
    /// and the latest halves of `max`.
    fn sample(&self, max: usize) -> Vec<usize> {
        let n = self.seqs.len();
        if n <= max {
            return (0..n).collect();
        }
        let head = max / 2;
        (0..head).chain(n - (max - head)..n).collect()
    }
}

/// Recent articles by `seq`, oldest dropped first.
struct ArticleCache {
    by_seq: HashMap<i64, Arc<Article>>,
    order: VecDeque<i64>,
    capacity: usize,
}

impl ArticleCache {
    fn new(capacity: usize) -> Self {
        Self {
            by_seq: HashMap::new(),
            order: VecDeque::new(),
            capacity,
        }
    }

    fn put(&mut self, seq: i64, article: Arc<Article>) {
        if self.by_seq.insert(seq, article).is_none() {
            self.order.push_back(seq);
        }
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.by_seq.remove(&old);
            }
        }
    }
}

/// The projection's state: the briefer's term statistics, every story's
/// members, the stories due for a brief.
pub(crate) struct Projector {
    config: ProjectorConfig,
    briefer: Briefer,
    stories: HashMap<StoryId, Members>,
    due: DueQueue,
    /// Seconds one brief took in the last flush (all threads together), to
    /// size a round.
    per_brief: Option<f64>,
    cache: ArticleCache,
    /// `seq` of the latest article followed.
    position: i64,
    /// `seq` the store's article search index reaches.
    indexed: i64,
    /// Threads of its own: the write path's parallel work (cleaning,
    /// analysis) must never queue behind a flush on the shared pool.
    pool: rayon::ThreadPool,
}

impl Projector {
    pub(crate) fn new(config: ProjectorConfig) -> Self {
        Self {
            briefer: Briefer::new(config.brief.clone()),
            cache: ArticleCache::new(config.cached_articles.max(1)),
            config,
            stories: HashMap::new(),
            due: DueQueue::default(),
            per_brief: None,
            position: 0,
            indexed: 0,
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(rayon::current_num_threads())
                .thread_name(|i| format!("parallax-briefs-{i}"))
                .build()
                .expect("building the brief threads"),
        }
    }

    /// Follows committed articles, in `seq` order. Marks their stories due
    /// unless `due` is false (a replay of what is briefed already).
    fn follow(&mut self, placed: Vec<Placed>, due: bool) -> Result<()> {
        // The term sets are a pure function of each article: computed on
        // all cores, counted in order.
        let terms: Vec<Vec<String>> = self.pool.install(|| {
            placed
                .par_iter()
                .map(|p| Briefer::article_terms(&p.article))
                .collect()
        });
        for (p, terms) in placed.into_iter().zip(terms) {
            if due && self.due.is_empty() {
                // Briefs are built as of their story's latest article, so
                // from here on the briefer must be able to look back.
                self.briefer.remember_from();
            }
            self.briefer.observe_terms_at(p.seq as u64, &terms);
            self.position = self.position.max(p.seq);
            let mut members = self.stories.remove(&p.story).unwrap_or_default();
            for from in &p.absorbed {
                if let Some(absorbed) = self.stories.remove(from) {
                    members.absorb(absorbed)?;
                }
                self.due.remove(from);
            }
            members.push(p.seq, &source_of(&p.article), p.links)?;
            self.stories.insert(p.story.clone(), members);
            if due {
                self.due.insert(p.story);
            }
            self.cache.put(p.seq, p.article);
        }
        Ok(())
    }

    /// Marks `story` due (its stored brief is behind it). Its latest
    /// article may be among those still to follow; the briefer looks back
    /// from here on.
    fn mark_due(&mut self, story: StoryId) {
        if self.due.is_empty() {
            self.briefer.remember_from();
        }
        self.due.insert(story);
    }

    /// The state a checkpoint keeps, as of the latest article followed:
    /// the term statistics (with what the briefer remembers to answer as
    /// of earlier points), every story's members, and the stories still
    /// due, which a projection restored from it briefs exactly as this one
    /// would have. So a checkpoint need not wait for a flush.
    fn snapshot(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(&(
            self.position,
            &self.briefer,
            &self.stories,
            self.due.to_vec(),
        ))
        .map_err(|e| EngineError::Projection(format!("encoding the brief state: {e}")))
    }

    /// Writes a checkpoint at `seq` from the engine's encoded placement
    /// state and this projection's.
    fn checkpoint(&self, seq: i64, key: u64, placed: &[u8], store: &mut dyn Backend) -> Result<()> {
        let started = Instant::now();
        let bytes = crate::checkpoint::encode(seq, key, placed, &self.snapshot()?);
        store.write_checkpoint(seq, &bytes, crate::checkpoint::KEEP)?;
        info!(
            seq,
            bytes = bytes.len(),
            seconds = started.elapsed().as_secs_f32(),
            "checkpoint written"
        );
        Ok(())
    }

    /// Takes up the state [`Self::snapshot`] encoded (a checkpoint's), as
    /// if it had followed the stream up to that point.
    fn restore(&mut self, state: Option<&[u8]>) -> Result<()> {
        let Some(state) = state else {
            self.position = 0;
            self.briefer = Briefer::new(self.config.brief.clone());
            self.stories.clear();
            self.due = DueQueue::default();
            return Ok(());
        };
        let started = Instant::now();
        type State = (i64, Briefer, HashMap<StoryId, Members>, Vec<StoryId>);
        let (position, briefer, stories, due): State = postcard::from_bytes(state)
            .map_err(|e| EngineError::Projection(format!("reading the brief state: {e}")))?;
        debug!(
            bytes = state.len(),
            stories = stories.len(),
            seconds = started.elapsed().as_secs_f32(),
            "brief state decoded"
        );
        self.position = position;
        self.briefer = briefer;
        self.stories = stories;
        self.due = DueQueue::from_vec(due);
        Ok(())
    }

    /// Drops from the due stories those whose stored brief already
    /// reflects their latest article. A checkpoint lists the stories due
    /// when it was written; the run that wrote it usually briefed them
    /// afterwards, and briefing them again on every start (a server's
    /// first request waiting behind it) would only rewrite the same briefs.
    fn settle_due(&mut self, store: &dyn Backend) -> Result<()> {
        if self.due.is_empty() {
            return Ok(());
        }
        let briefed = store.brief_seqs_of(&self.due.to_vec())?;
        let stories = &self.stories;
        self.due.retain(|story| {
            stories
                .get(story)
                .and_then(|m| m.seqs.last())
                .is_some_and(|latest| briefed.get(story) != Some(latest))
        });
        if self.due.is_empty() {
            self.briefer.forget_recent();
        }
        Ok(())
    }

    /// Briefs every due story (`all`), or those due longest that fit in a
    /// [`ROUND`], each as of its latest article, and stores the briefs.
    /// Returns how many were written.
    fn flush(&mut self, store: &mut dyn Backend, all: bool) -> Result<usize> {
        let mut written = 0;
        loop {
            written += self.flush_round(store, all)?;
            if !all || self.due.is_empty() {
                return Ok(written);
            }
        }
    }

    /// Stories one round briefs: as many as took [`ROUND`] in the last
    /// one (at least 64), or every due one when `all`.
    fn round_size(&self, all: bool) -> usize {
        if all {
            return self.due.len();
        }
        match self.per_brief {
            Some(secs) if secs > 0.0 => ((ROUND.as_secs_f64() / secs) as usize).max(64),
            _ => 256,
        }
    }

    fn flush_round(&mut self, store: &mut dyn Backend, all: bool) -> Result<usize> {
        if self.indexed < self.position {
            self.indexed = store.index_articles(self.position)?;
        }
        if self.due.is_empty() {
            return Ok(0);
        }
        let started = Instant::now();
        let due = self.due.take(self.round_size(all));
        // Gather what each brief reads (the store is one connection: read
        // in turn), then brief in parallel.
        let mut jobs = Vec::with_capacity(due.len());
        for story in due {
            let Some(members) = self.stories.get(&story) else {
                continue;
            };
            let sample = members.sample(self.config.max_articles);
            let mut ids: Option<Vec<&str>> = None;
            let mut articles = Vec::with_capacity(sample.len());
            for &i in &sample {
                let seq = members.seqs[i];
                let article = match self.cache.by_seq.get(&seq) {
                    Some(a) => a.clone(),
                    None => {
                        if ids.is_none() {
                            ids = Some(members.ids()?);
                        }
                        let id = ids.as_ref().and_then(|ids| ids.get(i)).ok_or_else(|| {
                            EngineError::Projection(format!(
                                "story {story} lists fewer articles than it holds"
                            ))
                        })?;
                        let id = ArticleId(id.to_string());
                        Arc::new(
                            store
                                .article(&id)?
                                .ok_or_else(|| {
                                    EngineError::Projection(format!(
                                        "article {id} of story {story} is not in the store"
                                    ))
                                })?
                                .article,
                        )
                    }
                };
                articles.push(article);
            }
            jobs.push((story, articles));
        }
        let gathered = started.elapsed();
        let read: usize = jobs.iter().map(|(_, a)| a.len()).sum();
        let stories = &self.stories;
        let briefer = &self.briefer;
        let briefs: Vec<Brief> = self.pool.install(|| {
            jobs.par_iter()
                .map(|(story, articles)| {
                    let members = &stories[story];
                    let point = *members.seqs.last().expect("a story has members");
                    let refs: Vec<&Article> = articles.iter().map(|a| a.as_ref()).collect();
                    let sources = members.sources()?;
                    let links = links_among(&members.links()?, &members.seqs, &sources);
                    let mut brief = briefer
                        .as_of(point as u64)
                        .brief_with_copies(story, &refs, &links);
                    if refs.len() < members.seqs.len() {
                        brief.sources = sources;
                    }
                    brief.seq = Some(point);
                    Ok(brief)
                })
                .collect::<Result<Vec<Brief>>>()
        })?;
        let built = started.elapsed();
        if !briefs.is_empty() {
            self.per_brief = Some(built.as_secs_f64() / briefs.len() as f64);
        }
        drop(jobs);
        if self.due.is_empty() {
            // Nothing is due: no brief needs to look back until a story
            // falls due again (which starts remembering afresh), so what
            // the briefer remembered is dropped, not kept and checkpointed.
            self.briefer.forget_recent();
        } else {
            // Still due: each will be briefed as of its latest article, so
            // nothing before the earliest of those is needed any more.
            let earliest = self
                .due
                .set
                .keys()
                .filter_map(|s| self.stories.get(s)?.seqs.last())
                .min();
            if let Some(&earliest) = earliest {
                self.briefer.forget_up_to(earliest as u64 - 1);
            }
        }
        // Short transactions: the write path waits for each one.
        for chunk in briefs.chunks(WRITE_CHUNK) {
            store.write_briefs(chunk)?;
        }
        // Story search follows the briefs just written (one commit a round).
        store.index_stories()?;
        if let Some(FlushHook(hook)) = &self.config.on_flush {
            hook();
        }
        debug!(
            stories = briefs.len(),
            articles = read,
            gathered = gathered.as_secs_f32(),
            built = built.as_secs_f32(),
            seconds = started.elapsed().as_secs_f32(),
            position = self.position,
            "briefs projected"
        );
        Ok(briefs.len())
    }
}

/// The copy pairs between two members, each once, ordered by the arrival
/// of the copy, then of the original (as the store lists a story's pairs).
fn links_among(links: &[CopyLink], seqs: &[i64], sources: &[SourceRef]) -> Vec<CopyLink> {
    if links.is_empty() {
        return Vec::new();
    }
    let seq_of: HashMap<&ArticleId, i64> = sources
        .iter()
        .zip(seqs)
        .map(|(s, &seq)| (&s.article, seq))
        .collect();
    let mut out: Vec<(i64, i64, &CopyLink)> = links
        .iter()
        .filter_map(|l| Some((*seq_of.get(&l.copy)?, *seq_of.get(&l.original)?, l)))
        .collect();
    out.sort_by_key(|(c, o, _)| (*c, *o));
    out.dedup_by_key(|(c, o, _)| (*c, *o));
    out.into_iter().map(|(_, _, l)| l.clone()).collect()
}

/// What the engine tells the projection thread.
pub(crate) enum Message {
    Follow(Vec<Placed>, bool),
    MarkDue(Vec<StoryId>),
    Sync(Sender<Result<usize>>),
    /// Write a checkpoint at `seq` (settings `key`) from the placement
    /// state encoded by the engine and the projection's own; reply when
    /// asked to.
    Checkpoint {
        seq: i64,
        key: u64,
        placed: Vec<u8>,
        reply: Option<Sender<Result<()>>>,
    },
    /// Take up a checkpoint's state (before following anything), or go
    /// back to none.
    Restore(Option<StateBytes>, Sender<Result<()>>),
    /// Drop the due stories whose stored brief is current (after a
    /// checkpoint was taken up and the tail followed).
    SettleDue,
}

/// The projection's part of a checkpoint, shared with the thread that
/// decodes the placement part rather than copied out of it.
pub(crate) struct StateBytes {
    /// The whole checkpoint.
    pub bytes: Arc<Vec<u8>>,
    /// Where the projection's state lies in it.
    pub range: std::ops::Range<usize>,
}

impl StateBytes {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[self.range.clone()]
    }
}

/// A projection state being taken up ([`Projection::start_restore`]).
pub(crate) enum PendingRestore {
    Done(Result<()>),
    Waiting(Receiver<Result<()>>),
}

impl PendingRestore {
    /// Waits until the state is taken up, or refused.
    pub(crate) fn wait(self) -> Result<()> {
        match self {
            Self::Done(result) => result,
            Self::Waiting(answer) => answer.recv().unwrap_or_else(|_| {
                Err(EngineError::Projection(
                    "the brief projection stopped while taking up a checkpoint".into(),
                ))
            }),
        }
    }
}

/// The brief projection an engine feeds after each commit.
pub(crate) enum Projection {
    /// Built on the committing thread, right after each batch.
    Inline(Box<Projector>),
    /// Built on a thread of its own, with its own store connection.
    Threaded {
        sender: Option<SyncSender<Message>>,
        worker: Option<JoinHandle<()>>,
        failure: Arc<Mutex<Option<String>>>,
    },
}

impl Projection {
    /// A projection run by the committing thread itself.
    pub(crate) fn inline(config: ProjectorConfig) -> Self {
        Self::Inline(Box::new(Projector::new(config)))
    }

    /// A projection on its own thread, writing through `store` (a second
    /// connection to the engine's store).
    pub(crate) fn threaded(config: ProjectorConfig, store: Box<dyn Backend>) -> Self {
        // Bounded: a projection that falls behind holds the write path
        // back (after its commit, never under the lock) instead of keeping
        // every committed article in memory until it catches up.
        let (sender, receiver) = mpsc::sync_channel(PENDING_BATCHES);
        let failure = Arc::new(Mutex::new(None));
        let failed = failure.clone();
        let worker = std::thread::Builder::new()
            .name("parallax-briefs".into())
            .spawn(move || {
                if let Err(e) = project(Projector::new(config), store, receiver) {
                    error!(error = %e, "brief projection stopped");
                    *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
                }
            })
            .expect("spawning the brief projection thread");
        Self::Threaded {
            sender: Some(sender),
            worker: Some(worker),
            failure,
        }
    }

    /// Follows committed articles (`due`: their stories need new briefs).
    /// An inline projection briefs them at once through `store`.
    pub(crate) fn follow(
        &mut self,
        placed: Vec<Placed>,
        due: bool,
        store: &mut dyn Backend,
    ) -> Result<()> {
        match self {
            Self::Inline(projector) => {
                projector.follow(placed, due)?;
                projector.flush(store, true).map(drop)
            }
            Self::Threaded { .. } => self.send(Message::Follow(placed, due)),
        }
    }

    /// Marks stories due whose stored brief is behind them.
    pub(crate) fn mark_due(
        &mut self,
        stories: Vec<StoryId>,
        store: &mut dyn Backend,
    ) -> Result<()> {
        match self {
            Self::Inline(projector) => {
                for story in stories {
                    projector.mark_due(story);
                }
                projector.flush(store, true).map(drop)
            }
            Self::Threaded { .. } => self.send(Message::MarkDue(stories)),
        }
    }

    /// Writes a checkpoint at `seq` with the engine's encoded placement
    /// state and the projection's own, once it has followed everything sent
    /// so far (see [`Projector::snapshot`]). A threaded projection writes it
    /// through its own connection, so the write path only waits when
    /// `wait` (it then learns whether it was written).
    pub(crate) fn checkpoint(
        &mut self,
        seq: i64,
        key: u64,
        placed: Vec<u8>,
        wait: bool,
        store: &mut dyn Backend,
    ) -> Result<()> {
        match self {
            Self::Inline(projector) => projector.checkpoint(seq, key, &placed, store),
            Self::Threaded { .. } => {
                let (reply, answer) = mpsc::channel();
                self.send(Message::Checkpoint {
                    seq,
                    key,
                    placed,
                    reply: wait.then_some(reply),
                })?;
                if wait {
                    answer.recv().map_err(|_| self.stopped())?
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Starts taking up a checkpoint's projection state (`None`: back to
    /// the state of an empty store); called before anything is followed.
    /// A threaded projection decodes it on its own thread while the caller
    /// goes on: [`PendingRestore::wait`] says how it went.
    pub(crate) fn start_restore(&mut self, state: Option<StateBytes>) -> Result<PendingRestore> {
        match self {
            Self::Inline(projector) => Ok(PendingRestore::Done(
                projector.restore(state.as_ref().map(StateBytes::as_slice)),
            )),
            Self::Threaded { .. } => {
                let (reply, answer) = mpsc::channel();
                self.send(Message::Restore(state, reply))?;
                Ok(PendingRestore::Waiting(answer))
            }
        }
    }

    /// Drops the due stories whose stored brief already reflects their
    /// latest article ([`Projector::settle_due`]); a threaded projection
    /// does it on its own thread and connection.
    pub(crate) fn settle_due(&mut self, store: &mut dyn Backend) -> Result<()> {
        match self {
            Self::Inline(projector) => projector.settle_due(store),
            Self::Threaded { .. } => self.send(Message::SettleDue),
        }
    }

    /// Waits until every story followed so far has its brief stored.
    pub(crate) fn sync(&mut self) -> Result<usize> {
        match self {
            Self::Inline(_) => Ok(0),
            Self::Threaded { .. } => {
                let (reply, answer) = mpsc::channel();
                self.send(Message::Sync(reply))?;
                answer.recv().map_err(|_| self.stopped())?
            }
        }
    }

    fn send(&mut self, message: Message) -> Result<()> {
        let sent = match self {
            Self::Threaded {
                sender: Some(sender),
                ..
            } => sender.send(message).is_ok(),
            _ => false,
        };
        if sent { Ok(()) } else { Err(self.stopped()) }
    }

    fn stopped(&self) -> EngineError {
        let why = match self {
            Self::Threaded { failure, .. } => {
                failure.lock().unwrap_or_else(|e| e.into_inner()).clone()
            }
            Self::Inline(_) => None,
        };
        EngineError::Projection(why.unwrap_or_else(|| "the brief projection stopped".into()))
    }
}

impl Drop for Projection {
    fn drop(&mut self) {
        // Closing the channel lets the thread brief what is due and end;
        // waiting for it means a finished engine leaves no brief behind.
        if let Self::Threaded { sender, worker, .. } = self {
            sender.take();
            if let Some(worker) = worker.take() {
                let _ = worker.join();
            }
        }
    }
}

/// The projection thread: follow, and flush `interval` after a story fell
/// due (or twice as long as the last flush took, when that is longer: a
/// big store's flush must not take the cores from the write path), after
/// `quiet` without news when set, when asked, and before ending.
fn project(
    mut projector: Projector,
    mut store: Box<dyn Backend>,
    receiver: Receiver<Message>,
) -> Result<()> {
    let mut wait = projector.config.interval;
    let mut due_since: Option<Instant> = None;
    let flush = |projector: &mut Projector,
                 store: &mut dyn Backend,
                 wait: &mut Duration,
                 all: bool|
     -> Result<usize> {
        let started = Instant::now();
        let written = projector.flush(store, all)?;
        *wait = projector.config.interval.max(started.elapsed() * 2);
        Ok(written)
    };
    loop {
        let message = match due_since {
            None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(since) => {
                let mut timeout = wait.saturating_sub(since.elapsed());
                if let Some(quiet) = projector.config.quiet {
                    timeout = timeout.min(quiet);
                }
                receiver.recv_timeout(timeout)
            }
        };
        match message {
            Ok(Message::Follow(placed, due)) => projector.follow(placed, due)?,
            Ok(Message::MarkDue(stories)) => {
                for story in stories {
                    projector.mark_due(story);
                }
            }
            Ok(Message::Sync(reply)) => {
                let flushed = flush(&mut projector, store.as_mut(), &mut wait, true);
                let failed = flushed.as_ref().err().map(|e| e.to_string());
                let _ = reply.send(flushed);
                if let Some(why) = failed {
                    return Err(EngineError::Projection(why));
                }
            }
            Ok(Message::Checkpoint {
                seq,
                key,
                placed,
                reply,
            }) => {
                // A checkpoint that cannot be written costs only a longer
                // replay later: it never stops the projection.
                let written = projector.checkpoint(seq, key, &placed, store.as_mut());
                match reply {
                    Some(reply) => drop(reply.send(written)),
                    None => {
                        if let Err(e) = written {
                            error!(seq, error = %e, "checkpoint not written");
                        }
                    }
                }
            }
            Ok(Message::SettleDue) => projector.settle_due(store.as_ref())?,
            Ok(Message::Restore(state, reply)) => {
                // A state that cannot be read is the caller's to handle
                // (it replays the stream instead): the thread goes on.
                let _ = reply.send(projector.restore(state.as_ref().map(StateBytes::as_slice)));
                drop(state);
            }
            Err(RecvTimeoutError::Timeout) => {
                flush(&mut projector, store.as_mut(), &mut wait, false)?;
            }
            Err(RecvTimeoutError::Disconnected) => {
                flush(&mut projector, store.as_mut(), &mut wait, true)?;
                drop(store);
                crate::free_in_background(projector);
                return Ok(());
            }
        }
        due_since = match (projector.due.is_empty(), due_since) {
            (true, _) => None,
            (false, Some(since)) if since.elapsed() >= wait => {
                flush(&mut projector, store.as_mut(), &mut wait, false)?;
                // What one round left waits for the next.
                (!projector.due.is_empty()).then(Instant::now)
            }
            (false, since) => Some(since.unwrap_or_else(Instant::now)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(seqs: &[i64]) -> Members {
        let mut members = Members::default();
        for &s in seqs {
            let article = Article {
                title: (s % 2 == 0).then(|| format!("Title {s}")),
                ..Article::new(format!("a{s}").as_str(), "text")
            };
            members
                .push(s, &source_of(&article), Vec::new())
                .expect("encodes");
        }
        members
    }

    #[test]
    fn due_stories_are_taken_oldest_first_each_once() {
        let id = |s: &str| StoryId(s.to_owned());
        let mut due = DueQueue::default();
        for s in ["b", "a", "c", "b", "d"] {
            due.insert(id(s));
        }
        due.remove(&id("c"));
        assert_eq!(due.len(), 3);
        assert_eq!(due.take(2), vec![id("b"), id("a")]);
        due.insert(id("a"));
        due.insert(id("c"));
        let left: Vec<StoryId> = due.to_vec().into_iter().cloned().collect();
        assert_eq!(left, vec![id("d"), id("a"), id("c")]);
        let restored = DueQueue::from_vec(left);
        assert_eq!(restored.len(), 3);
        assert_eq!(due.take(10), vec![id("d"), id("a"), id("c")]);
        assert!(due.is_empty());
    }

    #[test]
    fn a_story_removed_and_due_again_waits_at_the_back() {
        let id = |s: &str| StoryId(s.to_owned());
        let mut due = DueQueue::default();
        for s in ["a", "b", "c"] {
            due.insert(id(s));
        }
        due.remove(&id("a"));
        due.insert(id("a"));
        due.remove(&id("b"));
        assert_eq!(due.len(), 2);
        assert_eq!(due.to_vec(), vec![&id("c"), &id("a")]);
        // Many removals leave stale entries behind; the queue stays small
        // and in order.
        for n in 0..1000 {
            due.insert(id(&format!("s{n}")));
            due.remove(&id(&format!("s{n}")));
        }
        assert!(due.order.len() <= 64.max(2 * due.len()));
        due.retain(|s| s != &id("c"));
        assert_eq!(due.take(5), vec![id("a")]);
        assert!(due.is_empty());
    }

    #[test]
    fn a_big_story_is_read_from_its_first_and_latest_articles() {
        let m = members(&(1..=10).collect::<Vec<_>>());
        assert_eq!(m.sample(20), (0..10).collect::<Vec<_>>());
        assert_eq!(m.sample(4), vec![0, 1, 8, 9]);
        assert_eq!(m.sample(5), vec![0, 1, 7, 8, 9]);
    }

    #[test]
    fn absorbing_a_story_keeps_members_in_arrival_order() {
        let mut a = members(&[1, 4, 9]);
        a.absorb(members(&[2, 3, 10])).expect("absorbs");
        assert_eq!(a.seqs, vec![1, 2, 3, 4, 9, 10]);
        let sources = a.sources().expect("decodes");
        let ids: Vec<&str> = sources.iter().map(|s| s.article.as_str()).collect();
        assert_eq!(ids, ["a1", "a2", "a3", "a4", "a9", "a10"]);
        assert_eq!(a.ids().expect("decodes"), ids);
        assert_eq!(sources[1].title.as_deref(), Some("Title 2"));
        assert_eq!(sources[2].title, None);
    }

    #[test]
    fn packed_members_read_back_as_they_were_pushed_and_survive_a_checkpoint() {
        let article = Article {
            title: Some("Floods".into()),
            published: Some("2024-03-01T10:00:00Z".parse().expect("a date")),
            ..Article::new("b7", "Floods closed the road.")
        };
        let link = |evidence: Option<&str>| CopyLink {
            copy: "b7".into(),
            original: "b2".into(),
            relation: parallax_model::CopyRelation::NearDuplicate,
            score: 0.875,
            evidence: evidence.map(str::to_owned),
        };
        let mut m = members(&[2]);
        m.push(
            7,
            &source_of(&article),
            vec![link(Some("date")), link(None)],
        )
        .expect("encodes");
        let bytes = postcard::to_stdvec(&m).expect("encodes");
        let back: Members = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back.seqs, vec![2, 7]);
        assert_eq!(back.sources().expect("decodes")[1], source_of(&article));
        assert_eq!(
            back.links().expect("decodes"),
            vec![link(Some("date")), link(None)]
        );
        // Damaged bytes are an error, never a panic.
        let mut cut = back;
        cut.sources.0.truncate(cut.sources.0.len() - 3);
        assert!(cut.sources().is_err());
        assert!(cut.absorb(members(&[9])).is_err());
    }
}
