//! The stateful engine behind `parallax run`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parallax_brief::BriefConfig;
use parallax_dedup::{DocInput, Fingerprint, Fingerprinter};
use parallax_ingest::{Event, IngestError, IngestOptions, IngestWarning, Reader};
use parallax_model::{Article, ArticleId, Brief, CopyLink, StoryEvent, StoryEventKind, StoryId};
use parallax_store::{Backend, Batch, NewArticle, Store, StoredArticle, StoryRow};
use parallax_stories::{ClusterConfig, Clusterer, Doc};
use rayon::prelude::*;
use tracing::{debug, info, warn};

use crate::briefs::{Placed, Projection, ProjectorConfig, StateBytes};
use crate::checkpoint::{self, PlacementRef, Restored};
use crate::copies::{CopyDetector, WINDOW_MINUTES};
use crate::pipeline::doc_for;
use crate::prepare::{content_hash, prepare};
use crate::{EngineError, Result};

/// Everything the engine can be tuned with.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Clustering decision.
    pub cluster: ClusterConfig,
    /// Brief shape.
    pub brief: BriefConfig,
    /// Reading limits.
    pub ingest: IngestOptions,
    /// Articles per stored transaction. Larger is faster; a crash loses at
    /// most the batch in flight, which was never acknowledged.
    pub batch_size: usize,
    /// Most articles one brief reads, and how far briefs may lag while
    /// ingesting (see [`ProjectorConfig`]; its `brief` is `brief` above).
    pub projector: ProjectorConfig,
    /// Whether to write and read checkpoints (`checkpoint.rs`), so that
    /// opening the store replays only the articles after the newest one.
    pub checkpoints: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            cluster: ClusterConfig::default(),
            brief: BriefConfig::default(),
            ingest: IngestOptions::default(),
            batch_size: 500,
            projector: ProjectorConfig::default(),
            checkpoints: true,
        }
    }
}

impl EngineConfig {
    fn projector(&self) -> ProjectorConfig {
        ProjectorConfig {
            brief: self.brief.clone(),
            ..self.projector.clone()
        }
    }

    /// The key of the settings a checkpoint's state depends on.
    fn checkpoint_key(&self) -> u64 {
        checkpoint::settings_key(&(
            &self.cluster,
            parallax_dedup::Config::default(),
            WINDOW_MINUTES,
            &self.brief,
        ))
    }
}

/// What ingestion tells its caller as it goes.
#[derive(Debug)]
pub enum IngestNotice<'a> {
    /// A record was rejected (and skipped).
    Rejected(&'a IngestError),
    /// A kept article has a warning.
    Warning(&'a IngestWarning),
    /// A file was not an input format.
    FileSkipped(&'a Path, &'a str),
    /// An article id is stored with different content; the new one was
    /// skipped.
    Conflict(&'a Article),
    /// A batch was committed; `stored` articles so far in this run.
    Committed {
        /// New articles stored so far in this run.
        stored: usize,
    },
}

/// Counts of one ingestion run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IngestReport {
    /// New articles stored.
    pub stored: usize,
    /// The ids of the new articles stored, in arrival order.
    pub stored_ids: Vec<ArticleId>,
    /// Articles already stored with the same content (not stored again).
    pub unchanged: usize,
    /// Articles whose id is stored with different content (skipped).
    pub conflicts: usize,
    /// Records rejected by the readers.
    pub rejected: usize,
    /// Warnings on kept articles.
    pub warnings: usize,
    /// Files skipped as not an input format.
    pub skipped_files: usize,
    /// Stories that gained articles, in order of first touch (a story
    /// merged into another in this run is listed as the survivor).
    pub touched: Vec<StoryId>,
    /// Stories founded in this run.
    pub founded: usize,
    /// Merges in this run: `(absorbed, survivor)`, in order.
    pub merged: Vec<(StoryId, StoryId)>,
    /// Copy pairs (duplicate, near-duplicate, syndicated) the new articles
    /// formed, with each other or with stored ones.
    pub copies: usize,
}

/// Where [`Engine::ingest_inputs`] reads from.
enum Input<'a> {
    /// A file or folder.
    Path(&'a Path),
    /// An Article JSONL stream and the name to report it by.
    Jsonl(&'a mut dyn std::io::Read, &'a str),
}

/// The engine: a store and the online state rebuilt from it.
///
/// The engine's own work is the write path: read, find copies, place, and
/// commit each batch. Briefs are a projection of what it committed, built
/// after each commit on a thread of their own (`briefs.rs`), a second or
/// so behind while ingesting; [`Engine::ingest`] returns once they are
/// stored, [`Engine::ingest_jsonl`] (a request) does not wait (a caller
/// learns when briefs land from [`ProjectorConfig::on_flush`]), and
/// [`Engine::sync_briefs`] waits for them.
///
/// Several engines (processes) may write one PostgreSQL store at once: each
/// batch is placed under the store's placement lock after replaying what the
/// others stored meanwhile (see [`Backend`]), so every engine's clusterer
/// sees the store's stream in the store's order.
pub struct Engine {
    /// The store, written here and read through the catalog's methods.
    catalog: Catalog,
    /// The highest `seq` this engine's clustering state has seen.
    seen: i64,
    detector: CopyDetector,
    clusterer: Clusterer,
    projection: Projection,
    config: EngineConfig,
    /// The stories in the current run's [`IngestReport::touched`], to keep
    /// that list free of repeats without searching it for every article.
    touched: HashSet<StoryId>,
    /// The `seq` of the newest checkpoint (0: none).
    checkpointed: i64,
    /// The `seq` of the checkpoint opening resumed from (0: none, the
    /// whole store was replayed).
    resumed_from: i64,
}

impl Drop for Engine {
    fn drop(&mut self) {
        // The placement state is freed off this thread (the projection
        // frees its own): see `free_in_background`.
        let clusterer = std::mem::replace(
            &mut self.clusterer,
            Clusterer::new(self.config.cluster.clone()),
        );
        let detector = std::mem::take(&mut self.detector);
        crate::free_in_background((clusterer, detector));
    }
}

impl Engine {
    /// Opens the store at `path` (creating it) and resumes from it: an
    /// SQLite file, or a PostgreSQL database when `path` is a
    /// `postgres://` URL.
    pub fn open(path: &Path, config: EngineConfig) -> Result<Self> {
        let store = parallax_store::open(path)?;
        // Briefs are written through a connection of their own, so the
        // projection never waits for the write path's.
        let projection = Projection::threaded(config.projector(), parallax_store::open(path)?);
        Self::resume(store, projection, config)
    }

    /// An engine over a throw-away in-memory store (which has no second
    /// connection: briefs are built right after each commit; no
    /// checkpoints, as nothing reopens it).
    pub fn in_memory(config: EngineConfig) -> Result<Self> {
        let config = EngineConfig {
            checkpoints: false,
            ..config
        };
        let projection = Projection::inline(config.projector());
        Self::resume(Box::new(Store::open_in_memory()?), projection, config)
    }

    fn resume(
        mut store: Box<dyn Backend>,
        mut projection: Projection,
        config: EngineConfig,
    ) -> Result<Self> {
        // The newest usable checkpoint gives the state as of its `seq`;
        // replaying the stored stream after it, in arrival order, rebuilds
        // the exact state, so new articles are placed as if the run had
        // never stopped.
        let restored = if config.checkpoints {
            restore_checkpoint(store.as_ref(), &mut projection, config.checkpoint_key())?
        } else {
            None
        };
        let (mut clusterer, mut detector, from) = match restored {
            Some(r) => (r.placement.clusterer, r.placement.detector, r.seq),
            None => (
                Clusterer::new(config.cluster.clone()),
                CopyDetector::default(),
                0,
            ),
        };
        let stored = store.articles_after(from)?;
        let mut events = Placements::new(store.events_after(from)?);
        let placements: Vec<(StoryId, Vec<StoryId>)> =
            stored.iter().map(|s| events.of(s)).collect();
        // Analysis is a pure function of each article: on all cores, in
        // chunks so memory stays bounded; placement replays in order.
        for (chunk, placed) in stored.chunks(4096).zip(placements.chunks(4096)) {
            let docs: Vec<Doc> = chunk
                .par_iter()
                .map(|s| doc_for(&s.article, &config.cluster))
                .collect();
            for (doc, (story, absorbed)) in docs.iter().zip(placed) {
                clusterer.replay(doc, story, absorbed);
            }
        }
        // The copy detector goes on the same way, from the checkpoint and
        // the articles after it, never from the `copies` table or an index
        // file of its own: its state (which article's text each sample
        // points to, who is the root of each copy chain) is a
        // deterministic function of the stream in arrival order, and the
        // checkpoint sits in the store itself, so it can never disagree
        // with the store, as a second file written outside its
        // transactions could after a crash. The pairs replay finds are the
        // stored ones.
        let refs: Vec<&Article> = stored.iter().map(|s| &s.article).collect();
        let replayed = detector.add_all(&refs);
        drop(refs);
        // A store written before copies were kept (schema 2) has articles
        // but no pairs: fill them in once, in one transaction.
        if from == 0 && !replayed.is_empty() && store.copy_count()? == 0 {
            info!(
                pairs = replayed.len(),
                "storing the copy pairs of stored articles"
            );
            store.begin_placement()?;
            let batch = Batch {
                copies: replayed.clone(),
                ..Batch::default()
            };
            if let Err(e) = store.commit_batch(&batch) {
                store.abandon_placement();
                return Err(e.into());
            }
        }
        let seen = stored.last().map_or(from, |s| s.seq);
        Self::resume_briefs(
            store.as_mut(),
            &mut projection,
            stored,
            placements,
            replayed,
        )?;
        if from > 0 {
            projection.settle_due(store.as_mut())?;
        }
        debug!(articles = seen, from, "resumed from store");
        Ok(Self {
            catalog: Catalog { store },
            seen,
            detector,
            clusterer,
            projection,
            config,
            touched: Default::default(),
            checkpointed: from,
            resumed_from: from,
        })
    }

    /// The `seq` of the checkpoint this engine resumed from when it opened
    /// the store (0: it replayed the whole stored stream).
    pub fn resumed_from(&self) -> i64 {
        self.resumed_from
    }

    /// Writes a checkpoint of the current state (stories whose brief is
    /// still due are recorded as due), unless the newest one is at the
    /// current position already.
    /// [`Self::ingest`] writes them by itself when due; a server calls
    /// this before it stops.
    pub fn checkpoint(&mut self) -> Result<()> {
        self.write_checkpoint(true)
    }

    /// Writes a checkpoint if enough was stored since the last one
    /// ([`checkpoint::due`]; `finishing`: at the end of a run or request).
    /// Unless `wait`, the projection writes it while this goes on.
    fn checkpoint_if_due(&mut self, finishing: bool, wait: bool) -> Result<()> {
        if checkpoint::due(self.seen, self.checkpointed, finishing) {
            self.write_checkpoint(wait)?;
        }
        Ok(())
    }

    /// Encodes the placement state and has the projection add its own and
    /// write the checkpoint; `wait`: until it is written.
    fn write_checkpoint(&mut self, wait: bool) -> Result<()> {
        if !self.config.checkpoints || self.seen == 0 || self.seen == self.checkpointed {
            return Ok(());
        }
        let placed = checkpoint::encode_placement(&PlacementRef {
            clusterer: &self.clusterer,
            detector: &self.detector,
        })
        .map_err(EngineError::Checkpoint)?;
        let key = self.config.checkpoint_key();
        self.projection
            .checkpoint(self.seen, key, placed, wait, self.catalog.store.as_mut())?;
        self.checkpointed = self.seen;
        Ok(())
    }

    /// Hands the stored stream to the brief projection and marks the
    /// stories whose stored brief is behind their latest article (a run
    /// killed before their brief was written): they are briefed again, as
    /// of that article, exactly as the killed run would have.
    fn resume_briefs(
        store: &mut dyn Backend,
        projection: &mut Projection,
        stored: Vec<StoredArticle>,
        placements: Vec<(StoryId, Vec<StoryId>)>,
        replayed: Vec<CopyLink>,
    ) -> Result<()> {
        if stored.is_empty() {
            return Ok(());
        }
        let mut latest: HashMap<&StoryId, i64> = HashMap::new();
        for s in &stored {
            latest.insert(&s.story, s.seq);
        }
        let briefed = store.brief_seqs_of(&latest.keys().copied().collect::<Vec<_>>())?;
        let behind: Vec<(StoryId, i64)> = latest
            .into_iter()
            .filter(|(story, seq)| briefed.get(*story) != Some(seq))
            .map(|(story, seq)| (story.clone(), seq))
            .collect();
        // Each pair goes with the later of its two articles, as it was
        // found when that one arrived.
        let index: HashMap<&ArticleId, usize> = stored
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.article.id, i))
            .collect();
        let mut links: Vec<Vec<CopyLink>> = vec![Vec::new(); stored.len()];
        // Resumed from a checkpoint, `stored` is only the tail after it: a
        // pair whose earlier article is older than the checkpoint goes with
        // its later one, the one in the tail (dropping it lost the copy
        // groups of those stories' briefs after every restart).
        for link in replayed {
            let at = match (index.get(&link.copy), index.get(&link.original)) {
                (Some(&a), Some(&b)) => a.max(b),
                (Some(&a), None) | (None, Some(&a)) => a,
                (None, None) => continue,
            };
            links[at].push(link);
        }
        drop(index);
        let split = behind.iter().map(|(_, seq)| *seq).min().unwrap_or(i64::MAX);
        let mut head = Vec::new();
        let mut tail = Vec::new();
        for ((s, (story, absorbed)), links) in stored.into_iter().zip(placements).zip(links) {
            let placed = Placed {
                seq: s.seq,
                article: Arc::new(s.article),
                story,
                absorbed,
                links,
            };
            if s.seq <= split {
                head.push(placed);
            } else {
                tail.push(placed);
            }
        }
        projection.follow(head, false, store)?;
        if !behind.is_empty() {
            info!(
                stories = behind.len(),
                "briefing stories whose brief is behind"
            );
            projection.mark_due(behind.into_iter().map(|(s, _)| s).collect(), store)?;
        }
        projection.follow(tail, false, store)
    }

    /// Waits until every story this engine placed or resumed has its brief
    /// stored; returns how many briefs the last flush wrote.
    pub fn sync_briefs(&mut self) -> Result<usize> {
        self.projection.sync()
    }

    /// The store, for reading.
    pub fn store(&self) -> &dyn Backend {
        self.catalog.store.as_ref()
    }

    /// Ingests every path: reads, cleans, clusters and stores new articles,
    /// skipping those already stored. Bad records are reported through
    /// `notify` and never stop the run.
    pub fn ingest(
        &mut self,
        paths: &[PathBuf],
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<IngestReport> {
        let inputs = paths.iter().map(|p| Input::Path(p)).collect();
        let report = self.ingest_inputs(inputs, notify)?;
        // A run ends with every brief exact.
        self.sync_briefs()?;
        self.checkpoint_if_due(true, true)?;
        Ok(report)
    }

    /// Ingests Article JSONL from a byte stream (a request body), naming it
    /// `name` in origins and reports; otherwise exactly as [`Self::ingest`]
    /// (same validation, same idempotency, same batches), except that it
    /// returns once the articles are stored, without waiting for their
    /// briefs (see [`Self::sync_briefs`]).
    pub fn ingest_jsonl(
        &mut self,
        input: &mut dyn std::io::Read,
        name: &str,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<IngestReport> {
        let report = self.ingest_inputs(vec![Input::Jsonl(input, name)], notify)?;
        // A server is never "finished": it checkpoints as a run's end would,
        // without the request waiting for it.
        self.checkpoint_if_due(true, false)?;
        Ok(report)
    }

    fn ingest_inputs(
        &mut self,
        inputs: Vec<Input<'_>>,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        self.touched.clear();
        let mut pending: Vec<Pending> = Vec::new();
        // What the reader produced since the last hand-over, in order: the
        // articles are analysed together, on all cores, before any is
        // placed (placement itself is sequential).
        let mut queued: Vec<Event> = Vec::new();
        let mut queued_articles = 0usize;
        let mut failure: Option<EngineError> = None;
        let mut reader = Reader::new(self.config.ingest.clone());
        for input in inputs {
            let mut sink = |event: Event| {
                if failure.is_some() {
                    return;
                }
                let article = matches!(event, Event::Article(_));
                if !article && queued.is_empty() {
                    self.other_event(event, &mut report, notify);
                    return;
                }
                queued.push(event);
                if article {
                    queued_articles += 1;
                }
                if queued_articles >= self.config.batch_size {
                    queued_articles = 0;
                    if let Err(e) = self.take_queued(&mut queued, &mut pending, &mut report, notify)
                    {
                        failure = Some(e);
                    }
                }
            };
            match input {
                Input::Path(path) => reader.read_path(path, &mut sink),
                Input::Jsonl(stream, name) => reader.read_jsonl(stream, name, &mut sink),
            };
            if let Some(e) = failure.take() {
                return Err(e);
            }
        }
        self.take_queued(&mut queued, &mut pending, &mut report, notify)?;
        self.commit(&mut pending, &mut report, notify)?;
        notify(IngestNotice::Committed {
            stored: report.stored,
        });
        info!(
            stored = report.stored,
            unchanged = report.unchanged,
            rejected = report.rejected,
            "ingest finished"
        );
        Ok(report)
    }

    /// Counts and reports a read event that is not an article.
    fn other_event(
        &mut self,
        event: Event,
        report: &mut IngestReport,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) {
        match event {
            Event::Article(_) => {}
            Event::Error(e) => {
                report.rejected += 1;
                notify(IngestNotice::Rejected(&e));
            }
            Event::Warning(w) => {
                report.warnings += 1;
                notify(IngestNotice::Warning(&w));
            }
            Event::FileSkipped { path, reason } => {
                report.skipped_files += 1;
                notify(IngestNotice::FileSkipped(&path, &reason));
            }
        }
    }

    /// Analyses the queued articles on all cores (language, content hash,
    /// clustering terms, copy fingerprint: each a pure function of the
    /// article), then, in read order, reports the other events, counts the
    /// articles already stored and adds the rest to `pending`, committing
    /// every full batch.
    fn take_queued(
        &mut self,
        queued: &mut Vec<Event>,
        pending: &mut Vec<Pending>,
        report: &mut IngestReport,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<()> {
        if queued.is_empty() {
            return Ok(());
        }
        let cluster = &self.config.cluster;
        let fingerprints = self.detector.fingerprint_config();
        let analysed: Vec<Queued> = std::mem::take(queued)
            .into_par_iter()
            .map_init(
                || Fingerprinter::new(fingerprints),
                |fingerprinter, event| match event {
                    Event::Article(article) => {
                        Queued::Article(Box::new(analyse(article, cluster, fingerprinter)))
                    }
                    other => Queued::Other(Box::new(other)),
                },
            )
            .collect();
        // One look-up for the lot; an id stored by a batch committed
        // below, or by another writer meanwhile, is caught under the
        // placement lock (`place`).
        let ids: Vec<&ArticleId> = analysed
            .iter()
            .filter_map(|q| match q {
                Queued::Article(p) => Some(&p.article.id),
                Queued::Other(_) => None,
            })
            .collect();
        let known = self.catalog.store.content_hashes(&ids)?;
        drop(ids);
        for item in analysed {
            match item {
                Queued::Article(new) => {
                    if let Some(stored) = known.get(&new.article.id) {
                        count_known(&new.article, &new.hash, stored, report, notify);
                        continue;
                    }
                    pending.push(*new);
                    if pending.len() >= self.config.batch_size {
                        self.commit(pending, report, notify)?;
                        notify(IngestNotice::Committed {
                            stored: report.stored,
                        });
                    }
                }
                Queued::Other(event) => self.other_event(*event, report, notify),
            }
        }
        Ok(())
    }

    /// Replays what other writers stored since this engine last looked, in
    /// the store's order.
    fn catch_up(&mut self) -> Result<()> {
        let articles = self.catalog.store.articles_after(self.seen)?;
        if articles.is_empty() {
            return Ok(());
        }
        let mut events = Placements::new(self.catalog.store.events_after(self.seen)?);
        let mut placed = Vec::with_capacity(articles.len());
        for s in articles {
            let (story, absorbed) = events.of(&s);
            self.clusterer.replay(
                &doc_for(&s.article, &self.config.cluster),
                &story,
                &absorbed,
            );
            // The pairs this finds were stored by the writer of `s`.
            let links = self.detector.add(&s.article);
            self.seen = s.seq;
            placed.push(Placed {
                seq: s.seq,
                article: Arc::new(s.article),
                story,
                absorbed,
                links,
            });
        }
        // Their writer briefs their stories; this projection only follows.
        self.projection
            .follow(placed, false, self.catalog.store.as_mut())
    }

    /// Places the pending articles and stores them with their copy pairs in
    /// one transaction, then hands them to the brief projection.
    fn commit(
        &mut self,
        pending: &mut Vec<Pending>,
        report: &mut IngestReport,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        // Writes commit in `seq` order, so what is visible now is a prefix
        // of the stream: most of it can be replayed before taking the lock.
        self.catch_up()?;
        self.catalog.store.begin_placement()?;
        let placed = self
            .catch_up()
            .and_then(|()| self.place(std::mem::take(pending), report, notify));
        let (batch, links) = match placed {
            Ok(placed) => placed,
            Err(e) => {
                self.catalog.store.abandon_placement();
                return Err(e);
            }
        };
        self.seen = self.catalog.store.commit_batch(&batch)?;
        debug!(
            articles = batch.articles.len(),
            copies = batch.copies.len(),
            stored_so_far = report.stored,
            "batch committed"
        );
        // The batch's articles hold consecutive `seq`s up to the last one
        // (inserted in order, under the placement).
        let first = self.seen - batch.articles.len() as i64 + 1;
        let placed = batch
            .articles
            .into_iter()
            .zip(links)
            .enumerate()
            .map(|(i, (new, links))| Placed {
                seq: first + i as i64,
                article: Arc::new(new.article),
                story: new.story,
                absorbed: new.absorbed,
                links,
            })
            .collect();
        self.projection
            .follow(placed, true, self.catalog.store.as_mut())?;
        // A long run checkpoints as it goes (rarely: see `checkpoint.rs`),
        // so a kill does not leave the whole run to replay.
        self.checkpoint_if_due(false, false)
    }

    /// Under the store's placement lock, once caught up (others' articles
    /// are in the clustering state before ours, as a later replay would
    /// see them): finds each pending article's copy pairs and assigns it a
    /// story. Returns the batch to store and each article's pairs.
    fn place(
        &mut self,
        pending: Vec<Pending>,
        report: &mut IngestReport,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<(Batch, Vec<Vec<CopyLink>>)> {
        // Another writer may have stored some of ours since `accept` looked;
        // an id may also come twice in one batch.
        let ids: Vec<&ArticleId> = pending.iter().map(|p| &p.article.id).collect();
        let mut known = self.catalog.store.content_hashes(&ids)?;
        let mut articles = Vec::with_capacity(pending.len());
        let mut links_of = Vec::with_capacity(pending.len());
        let mut copies: Vec<CopyLink> = Vec::new();
        // Merges this batch makes: absorbed story -> survivor.
        let mut merged: HashMap<StoryId, StoryId> = HashMap::new();
        for Pending {
            article,
            hash,
            doc,
            fingerprint,
        } in pending
        {
            if let Some(stored) = known.get(&article.id) {
                count_known(&article, &hash, stored, report, notify);
                continue;
            }
            known.insert(article.id.clone(), hash.clone());
            let links = self.detector.add_fingerprinted(&article.id, &fingerprint);
            report.copies += links.len();
            copies.extend(links.iter().cloned());
            links_of.push(links);
            let assignment = self.clusterer.assign(&doc);
            if assignment.founded {
                report.founded += 1;
            }
            for from in &assignment.absorbed {
                debug!(from = %from, into = %assignment.story, "stories merged");
                merged.insert(from.clone(), assignment.story.clone());
                report.merged.push((from.clone(), assignment.story.clone()));
            }
            if self.touched.insert(assignment.story.clone()) {
                report.touched.push(assignment.story.clone());
            }
            report.stored += 1;
            report.stored_ids.push(article.id.clone());
            articles.push(NewArticle {
                article,
                content_hash: hash,
                story: assignment.story,
                absorbed: assignment.absorbed,
            });
        }
        // Earlier reports of a story merged away name its survivor.
        if !merged.is_empty() {
            let survivor = |story: &StoryId| -> StoryId {
                let mut story = story;
                while let Some(next) = merged.get(story) {
                    story = next;
                }
                story.clone()
            };
            self.touched.clear();
            report.touched = std::mem::take(&mut report.touched)
                .iter()
                .map(survivor)
                .filter(|s| self.touched.insert(s.clone()))
                .collect();
        }
        let batch = Batch {
            articles,
            copies,
            briefs: Vec::new(),
        };
        Ok((batch, links_of))
    }

    /// The copy pairs `article` is part of, as copy or as original.
    pub fn article_copies(&self, article: &ArticleId) -> Result<Vec<CopyLink>> {
        Ok(self.catalog.store.article_copies(article)?)
    }

    /// What the store holds, read as a [`Catalog`] reads it (stories,
    /// briefs, events, story ids by prefix).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

/// A store opened for reading what the engine wrote: stories, briefs,
/// events. Opening it builds no engine state, so it takes as long on a
/// store of a million articles as on an empty one (`parallax stories`,
/// `parallax show`).
pub struct Catalog {
    store: Box<dyn Backend>,
}

impl Catalog {
    /// Every story, oldest first, handed to `each` as it is read, until
    /// `each` returns false (see [`Backend::each_story`]).
    pub fn each_story(&self, each: &mut dyn FnMut(StoryRow) -> bool) -> Result<()> {
        Ok(self.store.each_story(each)?)
    }

    /// Opens the store `db` (an SQLite file or a PostgreSQL URL) for
    /// reading; a store written by an older build is migrated first.
    pub fn open(db: &Path) -> Result<Self> {
        Ok(Self {
            store: parallax_store::open(db)?,
        })
    }

    /// The store, for reading.
    pub fn store(&self) -> &dyn Backend {
        self.store.as_ref()
    }

    /// Every story, oldest first.
    pub fn stories(&self) -> Result<Vec<StoryRow>> {
        Ok(self.store.stories()?)
    }

    /// The brief of the story whose id is or starts with `id`.
    pub fn brief(&self, id: &str) -> Result<Brief> {
        brief(self.store.as_ref(), id)
    }

    /// The events of the story `id` names and of the stories merged into
    /// it, in order.
    pub fn story_events(&self, id: &str) -> Result<Vec<StoryEvent>> {
        Ok(self
            .store
            .story_events(&resolve(self.store.as_ref(), id)?)?)
    }

    /// The one story id that is or starts with `id`; a story merged into
    /// another (named in full) resolves to the story it is part of now.
    pub fn resolve(&self, id: &str) -> Result<StoryId> {
        resolve(self.store.as_ref(), id)
    }
}

fn brief(store: &dyn Backend, id: &str) -> Result<Brief> {
    let story = resolve(store, id)?;
    store
        .brief(&story)?
        .ok_or_else(|| EngineError::NoSuchStory(id.to_owned()))
}

fn resolve(store: &dyn Backend, id: &str) -> Result<StoryId> {
    let matches = store.stories_with_prefix(id)?;
    if let Some(exact) = matches.iter().find(|s| s.as_str() == id) {
        return Ok(exact.clone());
    }
    if let Some(survivor) = store.merged_into(&StoryId(id.to_owned()))? {
        return Ok(survivor);
    }
    match matches.len() {
        0 => Err(EngineError::NoSuchStory(id.to_owned())),
        1 => Ok(matches.into_iter().next().expect("one match")),
        _ => Err(EngineError::AmbiguousStory {
            prefix: id.to_owned(),
            matches: matches.into_iter().map(|s| s.0).collect(),
        }),
    }
}

/// The newest checkpoint that reads back, is whole and was made with these
/// settings, its projection state already handed to `projection`; `None`
/// (replay everything) when there is none. Checkpoints passed over are
/// logged with why.
fn restore_checkpoint(
    store: &dyn Backend,
    projection: &mut Projection,
    key: u64,
) -> Result<Option<Restored>> {
    for seq in store.checkpoint_seqs()? {
        let started = std::time::Instant::now();
        let Some(bytes) = store.checkpoint(seq)? else {
            continue;
        };
        let bytes = Arc::new(bytes);
        let read = started.elapsed();
        let checked = match checkpoint::check(seq, key, &bytes) {
            Ok(checked) => checked,
            Err(why) => {
                warn!(seq, "checkpoint not used: {why}");
                continue;
            }
        };
        // The projection decodes its state on its own thread while this
        // one decodes the placement state (itself two parts at once).
        let pending = projection.start_restore(Some(StateBytes {
            bytes: bytes.clone(),
            range: checked.projection,
        }))?;
        let placement = checkpoint::decode_placement(&bytes[checked.placed]);
        let restored = pending.wait();
        // Hundreds of megabytes at a million articles: handing the pages
        // back is not the caller's wait.
        crate::free_in_background(bytes);
        match (placement, restored) {
            (Ok(placement), Ok(())) => {
                debug!(
                    seq,
                    read = read.as_secs_f32(),
                    seconds = started.elapsed().as_secs_f32(),
                    "resuming from checkpoint"
                );
                return Ok(Some(Restored { seq, placement }));
            }
            (Err(why), _) => warn!(seq, "checkpoint not used: {why}"),
            (_, Err(e)) => warn!(seq, "checkpoint not used: {e}"),
        }
        // The projection may hold this checkpoint's state: back to none.
        projection.start_restore(None)?.wait()?;
    }
    Ok(None)
}

/// The stored story events, read alongside the stored articles in `seq`
/// order to tell replay where each article was placed and what merged then.
struct Placements {
    events: std::iter::Peekable<std::vec::IntoIter<StoryEvent>>,
}

impl Placements {
    fn new(events: Vec<StoryEvent>) -> Self {
        Self {
            events: events.into_iter().peekable(),
        }
    }

    /// The story `stored` was placed in (which a later merge may have left)
    /// and the stories merged into it then, in order.
    fn of(&mut self, stored: &StoredArticle) -> (StoryId, Vec<StoryId>) {
        while self.events.next_if(|e| e.seq < stored.seq).is_some() {}
        let mut placed = None;
        let mut absorbed = Vec::new();
        while let Some(e) = self.events.next_if(|e| e.seq == stored.seq) {
            match e.kind {
                StoryEventKind::Merged { from } => absorbed.push(from),
                StoryEventKind::Founded | StoryEventKind::Joined => placed = Some(e.story),
            }
        }
        // Every stored article has its event (a store from before events
        // has them rebuilt by its migration); the stored story is the
        // answer for one that has not.
        (placed.unwrap_or_else(|| stored.story.clone()), absorbed)
    }
}

/// An article read, prepared and analysed, waiting for its batch.
struct Pending {
    article: Article,
    hash: String,
    doc: Doc,
    fingerprint: Fingerprint,
}

/// A read event waiting to be handled, its article analysed.
enum Queued {
    Article(Box<Pending>),
    Other(Box<Event>),
}

/// Prepares `article` and computes everything about it that depends on it
/// alone. Done outside the placement lock, so that other writers of a
/// shared store wait only for placement itself.
fn analyse(
    mut article: Article,
    cluster: &ClusterConfig,
    fingerprinter: &mut Fingerprinter,
) -> Pending {
    prepare(&mut article);
    let hash = content_hash(&article);
    let doc = doc_for(&article, cluster);
    let fingerprint = fingerprinter.fingerprint(&DocInput::from_article(&article));
    Pending {
        article,
        hash,
        doc,
        fingerprint,
    }
}

/// Counts an article whose id is stored (or earlier in the batch) already:
/// unchanged when the content is the same, else a conflict.
fn count_known(
    article: &Article,
    hash: &str,
    stored: &str,
    report: &mut IngestReport,
    notify: &mut dyn FnMut(IngestNotice<'_>),
) {
    if stored == hash {
        report.unchanged += 1;
    } else {
        report.conflicts += 1;
        notify(IngestNotice::Conflict(article));
    }
}
