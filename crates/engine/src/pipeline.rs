//! Stateless runs over articles already in memory: the contract commands
//! `parallax cluster` and `parallax brief`.

use std::collections::HashMap;

use parallax_brief::{BriefConfig, Briefer};
use parallax_model::{Article, ArticleId, Brief, StoryId};
use parallax_stories::{Assignment, ClusterConfig, Clusterer, Doc};

use crate::prepare::analyzer_for;

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
/// article, in order.
pub fn cluster(articles: &[Article], config: ClusterConfig) -> Vec<Assignment> {
    let mut clusterer = Clusterer::new(config);
    articles
        .iter()
        .map(|a| clusterer.assign(&doc_for(a)))
        .collect()
}

/// Briefs for the given stories. Every article of `articles` informs term
/// rarity; each story lists its members by id. Unknown ids are returned in
/// the second list instead of failing the run.
pub fn briefs(
    articles: &[Article],
    stories: &[(StoryId, Vec<ArticleId>)],
    config: BriefConfig,
) -> (Vec<Brief>, Vec<(StoryId, ArticleId)>) {
    let mut briefer = Briefer::new(config);
    for a in articles {
        briefer.observe(a);
    }
    let by_id: HashMap<&ArticleId, &Article> = articles.iter().map(|a| (&a.id, a)).collect();
    let mut unknown = Vec::new();
    let briefs = stories
        .iter()
        .map(|(story, members)| {
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
            briefer.brief(story, &found)
        })
        .collect();
    (briefs, unknown)
}
