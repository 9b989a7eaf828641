//! Stateless runs over articles already in memory: the contract commands
//! `parallax cluster` and `parallax brief`.

use std::collections::HashMap;

use parallax_brief::{BriefConfig, Briefer};
use parallax_model::{Article, ArticleId, Brief, CopyLink, StoryId};
use parallax_stories::{Assignment, ClusterConfig, Clusterer, Doc};
use rayon::prelude::*;

use crate::prepare::{analyzer_for, prepare};

/// [`prepare`]s every article, on all cores.
pub fn prepare_all(articles: &mut [Article]) {
    articles.par_iter_mut().for_each(prepare);
}

/// The clustering representation of a prepared article.
pub fn doc_for(article: &Article) -> Doc {
    Doc::new(
        article.id.clone(),
        article.title.as_deref(),
        &article.body,
        &analyzer_for(article),
    )
}

/// Clusters `articles` as one stream in the given order; one assignment per
/// article, in order. Analysis runs on all cores; placement is sequential,
/// so the result is the same on any number of cores.
pub fn cluster(articles: &[Article], config: ClusterConfig) -> Vec<Assignment> {
    let mut clusterer = Clusterer::new(config);
    let mut out = Vec::with_capacity(articles.len());
    for chunk in articles.chunks(CHUNK) {
        let docs: Vec<Doc> = chunk.par_iter().map(doc_for).collect();
        out.extend(docs.iter().map(|d| clusterer.assign(d)));
    }
    out
}

/// Calls `emit(a, b, score)` for every unordered pair of `articles`, in
/// input order, with a score in `[0, 1]`: higher means closer to reporting
/// the same event (the clustering representation's cosine).
pub fn similarity(articles: &[Article], mut emit: impl FnMut(&Article, &Article, f32)) {
    let docs: Vec<Doc> = articles.par_iter().map(doc_for).collect();
    parallax_stories::similarity::pairwise(&docs, |i, j, s| emit(&articles[i], &articles[j], s));
}

/// Articles analysed in parallel before being placed in order: large
/// enough to keep every core busy, small enough to bound memory.
const CHUNK: usize = 4096;

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
