//! An article as a bag of weighted terms.

use parallax_model::ArticleId;
use parallax_text::Analyzer;

/// How much a headline term counts against a body term. Headlines name the
/// event in few words, so each of their words says more.
pub const TITLE_WEIGHT: f32 = 2.0;

/// An article reduced to what clustering compares: its id and term counts
/// (raw frequency; headline terms count [`TITLE_WEIGHT`] times).
#[derive(Debug, Clone)]
pub struct Doc {
    /// The article.
    pub id: ArticleId,
    /// Distinct terms with their weighted frequency, sorted by term.
    pub terms: Vec<(String, f32)>,
}

impl Doc {
    /// Analyses `title` and `body` with `analyzer`.
    pub fn new(
        id: impl Into<ArticleId>,
        title: Option<&str>,
        body: &str,
        analyzer: &Analyzer,
    ) -> Self {
        let mut terms: Vec<(String, f32)> = Vec::new();
        let title_terms = title.map(|t| analyzer.terms(t)).unwrap_or_default();
        let body_terms = analyzer.terms(body);
        let weighted = title_terms
            .into_iter()
            .map(|t| (t, TITLE_WEIGHT))
            .chain(body_terms.into_iter().map(|t| (t, 1.0)));
        for (term, w) in weighted {
            terms.push((term, w));
        }
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        terms.dedup_by(|later, first| {
            if later.0 == first.0 {
                first.1 += later.1;
                true
            } else {
                false
            }
        });
        Self {
            id: id.into(),
            terms,
        }
    }

    /// True when the article had no usable terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}
