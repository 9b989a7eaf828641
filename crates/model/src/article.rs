//! Articles, where they came from, and the parts of them we point into.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The caller's identifier for an article (the `id` of an Article JSONL
/// record, or a file name for a `.txt` file). Unique within a store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ArticleId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for ArticleId {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// The outlet that published an article, as the input named it (an outlet
/// name or a domain). Articles without one are attributed to their id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Source(pub String);

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a record was read: a file and, for line-based formats, a 1-based
/// line number. Every error about an article names its origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Origin {
    /// The file the record came from.
    pub file: String,
    /// The 1-based line for line-oriented inputs (JSONL), `None` otherwise.
    pub line: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file, line),
            None => f.write_str(&self.file),
        }
    }
}

/// A half-open byte range `[start, end)` into an article body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }

    /// The text this span covers in `body`.
    ///
    /// ```
    /// use parallax_model::Span;
    /// assert_eq!(Span::new(4, 9).slice("The quick fox"), "quick");
    /// ```
    pub fn slice<'a>(&self, body: &'a str) -> &'a str {
        &body[self.start..self.end]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One sentence of an article body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Where the sentence sits in the article body.
    pub span: Span,
    /// False for text cut out of unpunctuated, caseless prose (the shape of
    /// seed 001): such pieces are usable for matching but are never shown
    /// or quoted as if they were written sentences.
    pub well_formed: bool,
}

/// Why a line was removed from an article during in-article cleaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemovalReason {
    /// A second copy of text the body already holds.
    Repeated,
    /// A short inserted line pointing elsewhere ("READ: ...", "More from ...").
    Promo,
    /// Reading-time, share or navigation chrome ("8 min read").
    Navigation,
    /// Copyright, market-data or reporting-credit footer.
    Footer,
    /// A metadata line (e.g. `date 2018-05-14`) moved into a field.
    Metadata,
    /// A line of the outlet's template: it recurs across that source's
    /// other articles (newsletter boxes, "Advert", "About us" blurbs).
    Template,
}

impl RemovalReason {
    /// Stable lowercase name, as stored and printed.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Repeated => "repeated",
            Self::Promo => "promo",
            Self::Navigation => "navigation",
            Self::Footer => "footer",
            Self::Metadata => "metadata",
            Self::Template => "template",
        }
    }
}

/// A piece of text the cleaner took out of an article, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The removed text, as it appeared.
    pub text: String,
    /// Why it was removed.
    pub reason: RemovalReason,
}

/// An article after ingestion: metadata plus the cleaned body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Unique id.
    pub id: ArticleId,
    /// Headline, when the input had one.
    pub title: Option<String>,
    /// Canonical URL, when known.
    pub url: Option<String>,
    /// Publishing outlet, when known.
    pub source: Option<Source>,
    /// Publication time, normalised to UTC.
    pub published: Option<DateTime<Utc>>,
    /// ISO 639-1 language code: given by the input or detected.
    pub lang: Option<String>,
    /// The cleaned main text, for display; paragraphs separated by `\n`.
    pub body: String,
    /// What cleaning removed from the body.
    pub removed: Vec<Removal>,
    /// Where the article was read.
    pub origin: Origin,
}

impl Article {
    /// An article with only an id and a body (no title, source, date or
    /// language, nothing removed, no origin): the starting point for
    /// articles built in code, e.g. with struct update syntax.
    ///
    /// ```
    /// use parallax_model::Article;
    /// let a = Article {
    ///     lang: Some("en".into()),
    ///     ..Article::new("a1", "The bridge reopened on Monday.")
    /// };
    /// assert_eq!(a.outlet(), "a1");
    /// ```
    pub fn new(id: impl Into<ArticleId>, body: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: None,
            url: None,
            source: None,
            published: None,
            lang: None,
            body: body.into(),
            removed: Vec::new(),
            origin: Origin::default(),
        }
    }

    /// The outlet name to show for this article: its source, else its URL's
    /// host, else its id.
    pub fn outlet(&self) -> String {
        if let Some(s) = &self.source {
            return s.0.clone();
        }
        if let Some(host) = self.url.as_deref().and_then(url_host) {
            return host.to_owned();
        }
        self.id.0.clone()
    }
}

/// The host part of an `http(s)://host/...` URL, without a `www.` prefix.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(source: Option<&str>, url: Option<&str>) -> Article {
        Article {
            id: "a1".into(),
            title: None,
            url: url.map(str::to_owned),
            source: source.map(|s| Source(s.to_owned())),
            published: None,
            lang: None,
            body: String::new(),
            removed: vec![],
            origin: Origin::default(),
        }
    }

    #[test]
    fn outlet_prefers_source_then_host_then_id() {
        assert_eq!(
            article(Some("BBC"), Some("https://x.com/a")).outlet(),
            "BBC"
        );
        assert_eq!(
            article(None, Some("https://www.reuters.com:443/world?x=1")).outlet(),
            "reuters.com"
        );
        assert_eq!(article(None, Some("not a url")).outlet(), "a1");
        assert_eq!(article(None, None).outlet(), "a1");
    }

    #[test]
    fn origin_names_file_and_line() {
        let o = Origin {
            file: "in.jsonl".into(),
            line: Some(7),
        };
        assert_eq!(o.to_string(), "in.jsonl:7");
    }
}
