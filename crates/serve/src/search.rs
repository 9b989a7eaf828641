//! Query strings to store filters: `?q=&source=&lang=&from=&to=&limit=&offset=`.
//!
//! The full-text search itself runs in the store (SQLite FTS5, see
//! `parallax_store::fts_query`); this module only checks what a client
//! sent, so a bad date or page size is a `400` naming the parameter, never
//! a query error.

use parallax_store::{ArticleFilter, StoryFilter};
use serde::Deserialize;

use crate::routes::ApiError;

/// Default page size.
pub const DEFAULT_LIMIT: u32 = 20;
/// Largest page size.
pub const MAX_LIMIT: u32 = 200;
/// Longest query text accepted, in bytes.
pub const MAX_QUERY: usize = 512;

/// The query string of `GET /api/stories` and `GET /api/articles`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    /// Words to search for.
    pub q: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Language (ISO 639-1).
    pub lang: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Only this story's articles (articles only).
    pub story: Option<String>,
    /// Page size, 1 to 200.
    pub limit: Option<u32>,
    /// Results to skip.
    pub offset: Option<u32>,
}

/// The checked parts both filters share.
struct Checked {
    q: Option<String>,
    source: Option<String>,
    lang: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: u32,
    offset: u32,
}

fn blank_to_none(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn day(name: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    let Some(v) = blank_to_none(value) else {
        return Ok(None);
    };
    let b = v.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if ok {
        Ok(Some(v))
    } else {
        Err(ApiError::bad_request(format!(
            "parameter {name}: expected a day as YYYY-MM-DD, got {v:?}"
        )))
    }
}

impl ListParams {
    fn check(&self) -> Result<Checked, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "parameter limit: expected 1 to {MAX_LIMIT}, got {limit}"
            )));
        }
        let q = blank_to_none(&self.q);
        if q.as_ref().is_some_and(|q| q.len() > MAX_QUERY) {
            return Err(ApiError::bad_request(format!(
                "parameter q: longer than {MAX_QUERY} bytes"
            )));
        }
        Ok(Checked {
            q,
            source: blank_to_none(&self.source),
            lang: blank_to_none(&self.lang),
            from: day("from", &self.from)?,
            to: day("to", &self.to)?,
            limit,
            offset: self.offset.unwrap_or(0),
        })
    }

    /// The story filter these parameters ask for.
    pub fn story_filter(&self) -> Result<StoryFilter, ApiError> {
        let c = self.check()?;
        Ok(StoryFilter {
            q: c.q,
            source: c.source,
            lang: c.lang,
            from: c.from,
            to: c.to,
            limit: c.limit,
            offset: c.offset,
        })
    }

    /// The article filter these parameters ask for.
    pub fn article_filter(&self) -> Result<ArticleFilter, ApiError> {
        let c = self.check()?;
        Ok(ArticleFilter {
            q: c.q,
            story: blank_to_none(&self.story),
            source: c.source,
            lang: c.lang,
            from: c.from,
            to: c.to,
            limit: c.limit,
            offset: c.offset,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_named() {
        let p = ListParams {
            from: Some("May 2018".into()),
            ..Default::default()
        };
        assert!(p.story_filter().unwrap_err().message.contains("from"));
        let p = ListParams {
            limit: Some(0),
            ..Default::default()
        };
        assert!(p.article_filter().unwrap_err().message.contains("limit"));
        let p = ListParams {
            q: Some("  ".into()),
            to: Some("2018-05-14".into()),
            ..Default::default()
        };
        let f = p.story_filter().unwrap();
        assert_eq!(
            (f.q, f.to.as_deref(), f.limit),
            (None, Some("2018-05-14"), 20)
        );
    }
}
