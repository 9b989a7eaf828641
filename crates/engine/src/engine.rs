//! The stateful engine behind `parallax run`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use parallax_brief::{BriefConfig, Briefer};
use parallax_ingest::{Event, IngestError, IngestOptions, IngestWarning, Reader};
use parallax_model::{Article, ArticleId, Brief, CopyLink, StoryId};
use parallax_store::{Batch, NewArticle, Store, StoryRow};
use parallax_stories::{ClusterConfig, Clusterer};
use tracing::{debug, info};

use crate::copies::CopyDetector;
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
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            cluster: ClusterConfig::default(),
            brief: BriefConfig::default(),
            ingest: IngestOptions::default(),
            batch_size: 500,
        }
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
    /// Stories that gained articles, in order of first touch.
    pub touched: Vec<StoryId>,
    /// Of those, stories founded in this run.
    pub founded: usize,
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
pub struct Engine {
    store: Store,
    detector: CopyDetector,
    clusterer: Clusterer,
    briefer: Briefer,
    config: EngineConfig,
    /// Copy pairs found since the last commit, stored with its batch.
    pending_copies: Vec<CopyLink>,
}

impl Engine {
    /// Opens the store at `path` (creating it) and resumes from it.
    pub fn open(path: &Path, config: EngineConfig) -> Result<Self> {
        Self::resume(Store::open(path)?, config)
    }

    /// An engine over a throw-away in-memory store.
    pub fn in_memory(config: EngineConfig) -> Result<Self> {
        Self::resume(Store::open_in_memory()?, config)
    }

    fn resume(mut store: Store, config: EngineConfig) -> Result<Self> {
        let mut clusterer = Clusterer::new(config.cluster.clone());
        let mut briefer = Briefer::new(config.brief.clone());
        // Replaying the stored stream in arrival order rebuilds the exact
        // clustering state, so new articles are placed as if the run had
        // never stopped.
        let stored = store.articles()?;
        for s in &stored {
            clusterer.replay(&doc_for(&s.article), &s.story);
            briefer.observe(&s.article);
        }
        // The copy detector is rebuilt the same way, from the articles
        // rather than from the `copies` table or an index file of its own:
        // its state (which article's text each sample points to, who is
        // the root of each copy chain) is a deterministic function of the
        // stream in arrival order, and the articles are already read for
        // the clusterer, so replay costs only the fingerprints (parallel,
        // a few microseconds an article) and can never disagree with the
        // store, as a second file written outside its transactions could
        // after a crash. The pairs replay finds are the stored ones.
        let refs: Vec<&Article> = stored.iter().map(|s| &s.article).collect();
        let mut detector = CopyDetector::default();
        let replayed = detector.add_all(&refs);
        // A store written before copies were kept (schema 2) has articles
        // but no pairs: fill them in once, in one transaction.
        if !replayed.is_empty() && store.copy_count()? == 0 {
            info!(
                pairs = replayed.len(),
                "storing the copy pairs of stored articles"
            );
            store.write(&Batch {
                copies: replayed,
                ..Batch::default()
            })?;
        }
        debug!(articles = stored.len(), "resumed from store");
        Ok(Self {
            store,
            detector,
            clusterer,
            briefer,
            config,
            pending_copies: Vec::new(),
        })
    }

    /// The store, for reading.
    pub fn store(&self) -> &Store {
        &self.store
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
        self.ingest_inputs(inputs, notify)
    }

    /// Ingests Article JSONL from a byte stream (a request body), naming it
    /// `name` in origins and reports; otherwise exactly as [`Self::ingest`]
    /// (same validation, same idempotency, same batches).
    pub fn ingest_jsonl(
        &mut self,
        input: &mut dyn std::io::Read,
        name: &str,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<IngestReport> {
        self.ingest_inputs(vec![Input::Jsonl(input, name)], notify)
    }

    fn ingest_inputs(
        &mut self,
        inputs: Vec<Input<'_>>,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let mut touched: BTreeSet<StoryId> = BTreeSet::new();
        let mut pending: Vec<NewArticle> = Vec::new();
        let mut failure: Option<EngineError> = None;
        let mut reader = Reader::new(self.config.ingest.clone());
        for input in inputs {
            let mut sink = |event: Event| {
                if failure.is_some() {
                    return;
                }
                match event {
                    Event::Article(article) => {
                        match self.accept(article, &mut report, &mut touched, notify) {
                            Ok(Some(new)) => pending.push(new),
                            Ok(None) => {}
                            Err(e) => failure = Some(e),
                        }
                        if pending.len() >= self.config.batch_size {
                            if let Err(e) = self.commit(&mut pending, &mut touched, &mut report) {
                                failure = Some(e);
                            } else {
                                notify(IngestNotice::Committed {
                                    stored: report.stored,
                                });
                            }
                        }
                    }
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
            };
            match input {
                Input::Path(path) => reader.read_path(path, &mut sink),
                Input::Jsonl(stream, name) => reader.read_jsonl(stream, name, &mut sink),
            };
            if let Some(e) = failure.take() {
                return Err(e);
            }
        }
        self.commit(&mut pending, &mut touched, &mut report)?;
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

    /// Decides what happens to one read article; returns it when it is new.
    fn accept(
        &mut self,
        mut article: Article,
        report: &mut IngestReport,
        touched: &mut BTreeSet<StoryId>,
        notify: &mut dyn FnMut(IngestNotice<'_>),
    ) -> Result<Option<NewArticle>> {
        prepare(&mut article);
        let hash = content_hash(&article);
        match self.store.content_hash(&article.id)? {
            Some(stored) if stored == hash => {
                report.unchanged += 1;
                return Ok(None);
            }
            Some(_) => {
                report.conflicts += 1;
                notify(IngestNotice::Conflict(&article));
                return Ok(None);
            }
            None => {}
        }
        let links = self.detector.add(&article);
        report.copies += links.len();
        self.pending_copies.extend(links);
        let assignment = self.clusterer.assign(&doc_for(&article));
        self.briefer.observe(&article);
        if assignment.founded {
            report.founded += 1;
        }
        if !report.touched.contains(&assignment.story) {
            report.touched.push(assignment.story.clone());
        }
        touched.insert(assignment.story.clone());
        report.stored += 1;
        report.stored_ids.push(article.id.clone());
        Ok(Some(NewArticle {
            article,
            content_hash: hash,
            story: assignment.story,
        }))
    }

    /// Stores the pending articles, their copy pairs and the new briefs of
    /// the stories they touched, in one transaction.
    fn commit(
        &mut self,
        pending: &mut Vec<NewArticle>,
        touched: &mut BTreeSet<StoryId>,
        report: &mut IngestReport,
    ) -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let copies = std::mem::take(&mut self.pending_copies);
        let mut fresh: HashMap<&StoryId, Vec<&Article>> = HashMap::new();
        let mut story_of: HashMap<&ArticleId, &StoryId> = HashMap::new();
        for n in pending.iter() {
            fresh.entry(&n.story).or_default().push(&n.article);
            story_of.insert(&n.article.id, &n.story);
        }
        // Each new pair names a new article; file it under that article's
        // story (the briefer ignores pairs that leave the story).
        let mut fresh_copies: HashMap<&StoryId, Vec<&CopyLink>> = HashMap::new();
        for link in &copies {
            if let Some(story) = story_of
                .get(&link.copy)
                .or_else(|| story_of.get(&link.original))
            {
                fresh_copies.entry(story).or_default().push(link);
            }
        }
        let mut briefs: Vec<Brief> = Vec::with_capacity(touched.len());
        for story in touched.iter() {
            let stored = self.store.story_articles(story)?;
            let mut members: Vec<&Article> = stored.iter().map(|s| &s.article).collect();
            members.extend(fresh.get(story).into_iter().flatten().copied());
            let mut links = self.store.story_copies(story)?;
            links.extend(
                fresh_copies
                    .get(story)
                    .into_iter()
                    .flatten()
                    .map(|&l| l.clone()),
            );
            briefs.push(self.briefer.brief_with_copies(story, &members, &links));
        }
        let batch = Batch {
            articles: std::mem::take(pending),
            copies,
            briefs,
        };
        self.store.write(&batch)?;
        debug!(
            articles = batch.articles.len(),
            copies = batch.copies.len(),
            stories = batch.briefs.len(),
            stored_so_far = report.stored,
            "batch committed"
        );
        touched.clear();
        Ok(())
    }

    /// The copy pairs `article` is part of, as copy or as original.
    pub fn article_copies(&self, article: &ArticleId) -> Result<Vec<CopyLink>> {
        Ok(self.store.article_copies(article)?)
    }

    /// Every story, oldest first.
    pub fn stories(&self) -> Result<Vec<StoryRow>> {
        Ok(self.store.stories()?)
    }

    /// The brief of the story whose id is or starts with `id`.
    pub fn brief(&self, id: &str) -> Result<Brief> {
        let story = self.resolve(id)?;
        self.store
            .brief(&story)?
            .ok_or_else(|| EngineError::NoSuchStory(id.to_owned()))
    }

    /// The one story id that is or starts with `id`.
    pub fn resolve(&self, id: &str) -> Result<StoryId> {
        let matches = self.store.stories_with_prefix(id)?;
        if let Some(exact) = matches.iter().find(|s| s.as_str() == id) {
            return Ok(exact.clone());
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
}
