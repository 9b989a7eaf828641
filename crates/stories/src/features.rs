//! An article as a bag of weighted terms.

use parallax_model::ArticleId;
use parallax_text::Analyzer;
use xxhash_rust::xxh3::xxh3_64;

use crate::time::Timestamp;

/// How much a headline term counts against a body term. Headlines name the
/// event in few words, so each of their words says more.
pub const TITLE_WEIGHT: f32 = 2.0;

/// A term as clustering knows it: the 64-bit hash of its text
/// ([`term_key`]).
///
/// Keys are made while articles are analysed (in parallel), so the
/// sequential placement step interns integers instead of hashing and
/// comparing strings, and no string is allocated per word. Two distinct
/// terms share a key with probability about 2^-64 per pair: across ten
/// million distinct terms, about one chance in 400,000 that any pair does
/// (and then two words count as one).
pub type TermKey = u64;

/// The key of one index term (see [`TermKey`]).
///
/// ```
/// use parallax_stories::features::term_key;
/// assert_eq!(term_key("earthquak"), term_key("earthquak"));
/// assert_ne!(term_key("earthquak"), term_key("aceh"));
/// ```
pub fn term_key(term: &str) -> TermKey {
    xxh3_64(term.as_bytes())
}

/// An article reduced to what clustering compares: its id, term counts
/// (raw frequency; headline terms count [`TITLE_WEIGHT`] times) and
/// publication time.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The article.
    pub id: ArticleId,
    /// Distinct terms with their weighted frequency, sorted by key.
    pub terms: Vec<(TermKey, f32)>,
    /// When the article was published, if known ([`crate::time`]).
    pub published: Option<Timestamp>,
}

impl Doc {
    /// Analyses `title` and `body` with `analyzer`.
    ///
    /// ```
    /// use parallax_stories::Doc;
    /// use parallax_stories::features::term_key;
    /// use parallax_text::Analyzer;
    ///
    /// let doc = Doc::new("a", Some("Quake hits Aceh"), "An earthquake hit Aceh.", &Analyzer::english());
    /// let aceh = doc.terms.iter().find(|(k, _)| *k == term_key("aceh")).unwrap();
    /// assert_eq!(aceh.1, 3.0); // twice for the headline, once for the body
    /// ```
    pub fn new(
        id: impl Into<ArticleId>,
        title: Option<&str>,
        body: &str,
        analyzer: &Analyzer,
    ) -> Self {
        let mut terms: Vec<(TermKey, f32)> = Vec::with_capacity(body.len() / 8 + 16);
        if let Some(title) = title {
            analyzer.for_each_term(title, |t| terms.push((term_key(t), TITLE_WEIGHT)));
        }
        analyzer.for_each_term(body, |t| terms.push((term_key(t), 1.0)));
        terms.sort_unstable_by_key(|&(k, _)| k);
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
            published: None,
        }
    }

    /// The same article, published at `published` (seconds since the Unix
    /// epoch; `None` when unknown).
    ///
    /// ```
    /// use parallax_stories::Doc;
    /// use parallax_text::Analyzer;
    /// let doc = Doc::new("a", None, "Quake hits Aceh.", &Analyzer::english()).published_at(Some(1_500_000_000));
    /// assert_eq!(doc.published, Some(1_500_000_000));
    /// ```
    pub fn published_at(mut self, published: Option<Timestamp>) -> Self {
        self.published = published;
        self
    }

    /// True when the article had no usable terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}
