//! Stateless runs: the contract commands `parallax cluster` (streamed:
//! [`cluster_path`]) and `parallax brief` (over articles in memory).

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use parallax_brief::{BriefConfig, Briefer};
use parallax_ingest::{Event, IngestOptions, Reader, Summary};
use parallax_model::{Article, ArticleId, Brief, CopyLink, StoryId};
use parallax_stories::{Assignment, ClusterConfig, Clusterer, Doc};
use rayon::prelude::*;

use crate::prepare::{analyzer_for, prepare};

/// [`prepare`]s every article, on all cores.
pub fn prepare_all(articles: &mut [Article]) {
    articles.par_iter_mut().for_each(prepare);
}

/// The clustering representation of a prepared article: its terms and
/// publication time, and the channels (headline, lead, names, numbers)
/// only when `config` places with the learned decision or consolidates,
/// which alone read them (building them costs about a fifth more).
pub fn doc_for(article: &Article, config: &ClusterConfig) -> Doc {
    let build = if config.reads_channels() {
        Doc::new
    } else {
        Doc::plain
    };
    build(
        article.id.clone(),
        article.title.as_deref(),
        &article.body,
        &analyzer_for(article),
    )
    .published_at(article.published.map(|t| t.timestamp()))
}

/// Clusters `articles` as one stream in the given order; one assignment per
/// article, in order, each as it was placed except that `story` is the
/// story the article belongs to at the end (after every merge). Analysis
/// runs on all cores; placement is sequential, so the result is the same
/// on any number of cores.
pub fn cluster(articles: &[Article], config: ClusterConfig) -> Vec<Assignment> {
    let mut clusterer = Clusterer::new(config.clone());
    let mut out = Vec::with_capacity(articles.len());
    for chunk in articles.chunks(CHUNK) {
        let docs: Vec<Doc> = chunk.par_iter().map(|a| doc_for(a, &config)).collect();
        out.extend(docs.iter().map(|d| clusterer.assign(d)));
    }
    if clusterer.merge_count() > 0 {
        for a in &mut out {
            if let Some(now) = clusterer.current(&a.story) {
                a.story = now.clone();
            }
        }
    }
    out
}

/// Calls `emit(a, b, score)` for every unordered pair of `articles`, in
/// input order, with a score in `[0, 1]`: higher means closer to reporting
/// the same event (the clustering representation's cosine).
pub fn similarity(articles: &[Article], mut emit: impl FnMut(&Article, &Article, f32)) {
    let config = ClusterConfig::default();
    let docs: Vec<Doc> = articles.par_iter().map(|a| doc_for(a, &config)).collect();
    parallax_stories::similarity::pairwise(&docs, |i, j, s| emit(&articles[i], &articles[j], s));
}

/// Articles analysed in parallel before being placed in order: large
/// enough to keep every core busy, small enough to bound memory.
const CHUNK: usize = 4096;

/// Articles per chunk handed between the stages of [`cluster_path`].
const STREAM_CHUNK: usize = 1024;

/// Chunks that may wait between two stages of [`cluster_path`]: enough to
/// ride out uneven chunks, few enough to bound memory.
const STREAM_DEPTH: usize = 4;

/// What the reader stage of [`cluster_path`] hands on.
enum Read {
    /// Articles, in input order.
    Articles(Vec<Article>),
    /// A warning, a rejected record or a skipped file.
    Other(Event),
}

/// What the analysis stage of [`cluster_path`] hands on.
enum Analysed {
    /// Article ids and their clustering representations, in input order.
    Docs(Vec<Doc>),
    /// A warning, a rejected record or a skipped file.
    Other(Event),
}

/// Reads `path` and clusters its articles as one stream in input order,
/// without ever holding the whole input: `place(doc, assignment)` gets
/// every article's assignment in input order (the story it joined then: a
/// later [`Assignment::absorbed`] may merge that story into another), and
/// `other` every ingest event that is not an article (warnings, rejected
/// records, skipped files), in input order among themselves. Returns the
/// reader's counts.
///
/// Three stages run at once, joined by bounded queues: reading (parsing is
/// sequential, each batch of bodies is cleaned on all cores), analysis
/// (language and terms, on all cores) and placement (sequential, so the
/// result is the same on any number of cores and equals [`cluster`] over
/// the same articles).
pub fn cluster_path(
    path: &Path,
    options: IngestOptions,
    config: ClusterConfig,
    mut place: impl FnMut(&Doc, &Assignment),
    mut other: impl FnMut(Event),
) -> Summary {
    let (read_tx, read_rx) = sync_channel::<Read>(STREAM_DEPTH);
    let (doc_tx, doc_rx) = sync_channel::<Analysed>(STREAM_DEPTH);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_stage(path, options, read_tx));
        let analysed = config.clone();
        scope.spawn(move || analyse_stage(read_rx, doc_tx, &analysed));
        let mut clusterer = Clusterer::new(config);
        for item in doc_rx {
            match item {
                Analysed::Docs(docs) => {
                    for doc in &docs {
                        place(doc, &clusterer.assign(doc));
                    }
                }
                Analysed::Other(event) => other(event),
            }
        }
        reader
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// The first stage of [`cluster_path`]: read `path` in chunks of articles.
fn read_stage(path: &Path, options: IngestOptions, tx: SyncSender<Read>) -> Summary {
    let mut reader = Reader::new(options);
    let mut chunk = Vec::with_capacity(STREAM_CHUNK);
    // A send fails only when the later stages are gone (they panicked);
    // the panic is reported by the scope, so the reader just stops.
    let mut open = true;
    let summary = reader.read_path(path, &mut |event| {
        if !open {
            return;
        }
        match event {
            Event::Article(a) => {
                chunk.push(a);
                if chunk.len() >= STREAM_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK));
                    open = tx.send(Read::Articles(full)).is_ok();
                }
            }
            other => {
                // Keep the order of events and articles as read.
                if !chunk.is_empty() {
                    let part = std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK));
                    open = tx.send(Read::Articles(part)).is_ok();
                }
                open = open && tx.send(Read::Other(other)).is_ok();
            }
        }
    });
    if open && !chunk.is_empty() {
        let _ = tx.send(Read::Articles(chunk));
    }
    summary
}

/// The second stage of [`cluster_path`]: language and terms of each chunk,
/// on all cores.
fn analyse_stage(rx: Receiver<Read>, tx: SyncSender<Analysed>, config: &ClusterConfig) {
    for item in rx {
        let next = match item {
            Read::Articles(mut articles) => {
                let docs = articles
                    .par_iter_mut()
                    .map(|a| {
                        prepare(a);
                        doc_for(a, config)
                    })
                    .collect();
                Analysed::Docs(docs)
            }
            Read::Other(event) => Analysed::Other(event),
        };
        if tx.send(next).is_err() {
            return;
        }
    }
}

/// Briefs for the given stories. Every article of `articles` informs term
/// rarity and is checked for copies (as one stream in the given order, as
/// `parallax run` would); each story lists its members by id. Unknown ids
/// are returned in the second list instead of failing the run.
pub fn briefs(
    articles: &[Article],
    stories: &[(StoryId, Vec<ArticleId>)],
    config: BriefConfig,
) -> (Vec<Brief>, Vec<(StoryId, ArticleId)>) {
    let mut briefer = Briefer::new(config);
    for a in articles {
        briefer.observe(a);
    }
    let copies = crate::copies::copies(articles);
    // Each story gets only the pairs whose copy is one of its members.
    let mut story_of: HashMap<&ArticleId, usize> = HashMap::new();
    for (k, (_, members)) in stories.iter().enumerate() {
        for id in members {
            story_of.entry(id).or_insert(k);
        }
    }
    let mut story_copies: Vec<Vec<CopyLink>> = vec![Vec::new(); stories.len()];
    for link in copies {
        if let Some(&k) = story_of.get(&link.copy) {
            story_copies[k].push(link);
        }
    }
    let by_id: HashMap<&ArticleId, &Article> = articles.iter().map(|a| (&a.id, a)).collect();
    let mut unknown = Vec::new();
    let briefs = stories
        .iter()
        .zip(&story_copies)
        .map(|((story, members), copies)| {
            let found: Vec<&Article> = members
                .iter()
                .filter_map(|id| {
                    let a = by_id.get(id).copied();
                    if a.is_none() {
                        unknown.push((story.clone(), id.clone()));
                    }
                    a
                })
                .collect();
            briefer.brief_with_copies(story, &found, copies)
        })
        .collect();
    (briefs, unknown)
}
