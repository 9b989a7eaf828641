//! What the brief needs to know about one article, computed once.

use std::collections::HashSet;
use std::hash::Hasher;

use parallax_model::{Article, Sentence};
use parallax_text::{Analyzer, normalize, sentences};
use rustc_hash::{FxHashSet, FxHasher};

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
    /// Whether it reads as cased text, not a caseless copy
    /// (`entities::is_cased`): the name finder asks it of every sentence.
    pub cased: bool,
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
    /// punctuation ignored, as [`bigram_key`]s (a brief asks only whether
    /// an article holds a pair, thousands of times: a number, not two
    /// strings, per pair).
    pub bigrams: FxHashSet<u64>,
}

/// The key of the term pair `(a, b)` in [`ArticleProfile::bigrams`]: a
/// 64-bit hash, so two distinct pairs share a key with odds of about one
/// in 10^19 (and then an article would be taken to hold one pair more).
pub fn bigram_key(a: &str, b: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(a.as_bytes());
    h.write_u8(0xff);
    h.write(b.as_bytes());
    h.finish()
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
                    cased: crate::entities::is_cased(&text),
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
        let bigrams = ordered.windows(2).map(|w| bigram_key(w[0], w[1])).collect();
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

    /// The distinct terms of `article`'s title and body, sorted: what
    /// [`Self::term_set`] of its profile holds, without building the rest
    /// of the profile.
    pub fn terms_of(article: &Article) -> Vec<String> {
        let analyzer = Analyzer::for_article(article.lang.as_deref());
        let body = &article.body;
        let mut terms: Vec<String> = Vec::new();
        for Sentence { span, .. } in sentences::split(body) {
            terms.extend(analyzer.terms(&normalize::match_key(span.slice(body))));
        }
        if let Some(title) = article.title.as_deref() {
            terms.extend(analyzer.terms(title));
        }
        terms.sort_unstable();
        terms.dedup();
        terms
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
