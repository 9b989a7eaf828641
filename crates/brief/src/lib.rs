//! Briefs: one story told from all its sources, every line cited.
//!
//! A [`Briefer`] turns a story's articles into a [`parallax_model::Brief`]:
//!
//! * [`summary`]: an extractive multi-document summary. Sentences are
//!   scored by how much of what *most sources* report they carry (terms
//!   weighted by the share of the story's articles that use them and by
//!   their rarity across all articles), picked greedily with a redundancy
//!   penalty until the word budget is spent. Only well-formed sentences
//!   are eligible: a degraded copy (lowercased, unpunctuated) is evidence,
//!   never text to show.
//! * [`cite`]: each chosen sentence cites every article that carries its
//!   information, degraded copies included (they are compared on a
//!   punctuation- and case-free form).
//! * [`headline`]: the most central of the sources' headlines, or one
//!   condensed from the most central lead sentence when none has a title.
//!
//! The briefer learns term rarity from every article it is shown
//! ([`Briefer::observe`]), so a brief improves as the store grows.

pub mod cite;
pub mod headline;
mod profile;
pub mod summary;

use std::collections::HashMap;

use parallax_model::{Article, Brief, SourceRef, StoryId};

pub use profile::ArticleProfile;

/// Knobs of the brief.
#[derive(Debug, Clone)]
pub struct BriefConfig {
    /// Most words in the summary.
    pub words: usize,
}

impl Default for BriefConfig {
    fn default() -> Self {
        Self { words: 60 }
    }
}

/// Builds briefs; remembers how common each term is across all articles
/// it has observed.
#[derive(Debug, Default)]
pub struct Briefer {
    config: BriefConfig,
    df: HashMap<String, u32>,
    docs: u32,
}

impl Briefer {
    /// A briefer with `config` and no background yet.
    pub fn new(config: BriefConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Counts `article`'s terms into the background frequencies.
    pub fn observe(&mut self, article: &Article) {
        let profile = ArticleProfile::new(article);
        self.docs += 1;
        for term in profile.term_set() {
            *self.df.entry(term.clone()).or_insert(0) += 1;
        }
    }

    /// Inverse document frequency of `term` against the background.
    pub(crate) fn idf(&self, term: &str) -> f32 {
        let df = self.df.get(term).copied().unwrap_or(0) as f32;
        ((1.0 + self.docs as f32) / (1.0 + df)).ln() + 1.0
    }

    /// The brief of story `story`, whose articles are `articles` in arrival
    /// order.
    pub fn brief(&self, story: &StoryId, articles: &[&Article]) -> Brief {
        let profiles: Vec<ArticleProfile> =
            articles.iter().map(|a| ArticleProfile::new(a)).collect();
        let sentences = summary::summarise(self, &profiles, self.config.words);
        let summary = sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Brief {
            story: story.clone(),
            title: headline::headline(self, &profiles),
            summary,
            sentences,
            facts: Vec::new(),
            quotes: Vec::new(),
            entities: Vec::new(),
            sources: articles
                .iter()
                .map(|a| SourceRef {
                    article: a.id.clone(),
                    outlet: a.outlet(),
                    title: a.title.clone(),
                    published: a.published.map(|d| d.to_rfc3339()),
                })
                .collect(),
        }
    }
}
