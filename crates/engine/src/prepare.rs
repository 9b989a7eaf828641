//! Per-article work between ingestion and the stages: language and
//! identity.

use parallax_model::Article;
use parallax_text::{Analyzer, lang};
use xxhash_rust::xxh3::xxh3_128;

/// Fills in the article's language when the input did not give one.
pub fn prepare(article: &mut Article) {
    if article.lang.is_none() {
        // Detection reads only the first `MAX_BYTES`: copy no more than
        // that of the body.
        let body = lang::prefix(&article.body, lang::MAX_BYTES);
        let sample = match &article.title {
            Some(t) => format!("{t}\n{body}"),
            None => body.to_owned(),
        };
        article.lang = lang::detect(&sample).map(str::to_owned);
    }
}

/// The analyser for the article's language (see [`Analyzer::for_article`]).
pub fn analyzer_for(article: &Article) -> Analyzer {
    Analyzer::for_article(article.lang.as_deref())
}

/// A hash of everything the input said about the article, to tell a
/// re-ingest of the same record from new content under a reused id.
pub fn content_hash(article: &Article) -> String {
    let mut key = String::new();
    for part in [
        article.title.as_deref().unwrap_or(""),
        article.url.as_deref().unwrap_or(""),
        article.source.as_ref().map_or("", |s| s.0.as_str()),
        &article
            .published
            .map(|d| d.to_rfc3339())
            .unwrap_or_default(),
        &article.body,
    ] {
        key.push_str(part);
        key.push('\u{1f}');
    }
    format!("{:032x}", xxh3_128(key.as_bytes()))
}
