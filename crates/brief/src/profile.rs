//! What the brief needs to know about one article, computed once.

use std::collections::HashSet;

use parallax_model::{Article, Sentence};
use parallax_text::{Analyzer, normalize, sentences};

/// One sentence, analysed.
#[derive(Debug, Clone)]
pub struct SentenceProfile {
    /// The sentence as written.
    pub text: String,
    /// Where it is in the article body.
    pub span: parallax_model::Span,
    /// Position within its article, from 0.
    pub position: usize,
    /// Whether it may be shown (not cut from degraded text).
    pub well_formed: bool,
    /// Stemmed content terms in text order (case and punctuation ignored).
    pub ordered: Vec<String>,
    /// The same terms, sorted and distinct.
    pub terms: Vec<String>,
    /// Words, for the budget.
    pub words: usize,
}

/// An article split into analysed sentences, plus the bigrams of its
/// whole text (used to decide whether it carries a sentence).
#[derive(Debug, Clone)]
pub struct ArticleProfile<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its sentences in order.
    pub sentences: Vec<SentenceProfile>,
    /// Stemmed title terms.
    pub title_terms: Vec<String>,
    /// Whether English rules (facts, quotes, names, dates) apply: the
    /// article is English or of unknown language.
    pub english: bool,
    /// Consecutive content-term pairs over the whole body, case and
    /// punctuation ignored.
    pub bigrams: HashSet<(String, String)>,
}

impl<'a> ArticleProfile<'a> {
    /// Analyses `article` with its language's analyser.
    pub fn new(article: &'a Article) -> Self {
        let analyzer = Analyzer::for_article(article.lang.as_deref());
        let body = &article.body;
        let sentences: Vec<SentenceProfile> = sentences::split(body)
            .into_iter()
            .enumerate()
            .map(|(position, Sentence { span, well_formed })| {
                let text = span.slice(body).to_owned();
                let ordered = analyzer.terms(&normalize::match_key(&text));
                let mut terms = ordered.clone();
                terms.sort();
                terms.dedup();
                SentenceProfile {
                    words: text.split_whitespace().count(),
                    text,
                    span,
                    position,
                    well_formed,
                    ordered,
                    terms,
                }
            })
            .collect();
        // The body's terms are its sentences' terms in order: sentences
        // cover every word of the body.
        let ordered: Vec<&String> = sentences.iter().flat_map(|s| s.ordered.iter()).collect();
        let bigrams = ordered
            .windows(2)
            .map(|w| (w[0].to_owned(), w[1].to_owned()))
            .collect();
        let title_terms = article
            .title
            .as_deref()
            .map(|t| analyzer.terms(t))
            .unwrap_or_default();
        Self {
            article,
            sentences,
            title_terms,
            english: analyzer.lang() == Some("en"),
            bigrams,
        }
    }

    /// Distinct terms of title and body.
    pub fn term_set(&self) -> HashSet<&String> {
        self.sentences
            .iter()
            .flat_map(|s| s.terms.iter())
            .chain(self.title_terms.iter())
            .collect()
    }
}
