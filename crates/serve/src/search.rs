//! Query strings to store filters:
//! `?q=&source=&lang=&from=&to=&limit=&offset=&cursor=`.
//!
//! The full-text search itself runs in the store (an article index and
//! FTS5 over stories for SQLite, `tsvector` for PostgreSQL); this module only checks what a client
//! sent, so a bad date or page size is a `400` naming the parameter, never
//! a query error.

use parallax_store::{ArticleFilter, Cursor, StoryFilter};
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
    /// Start after this result: an earlier page's `X-Next-Cursor`.
    pub cursor: Option<String>,
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
    cursor: Option<Cursor>,
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
    if is_day(&v) {
        Ok(Some(v))
    } else {
        Err(ApiError::bad_request(format!(
            "parameter {name}: expected a calendar day as YYYY-MM-DD, got {v:?}"
        )))
    }
}

/// Whether `v` is `YYYY-MM-DD` naming a day of the calendar (a month 1 to
/// 12, a day that month has: `2018-13-45` and `2019-02-29` are not).
fn is_day(v: &str) -> bool {
    let b = v.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return false;
    }
    let number = |r: std::ops::Range<usize>| v[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
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
            cursor: blank_to_none(&self.cursor)
                .map(|c| Cursor::parse(&c))
                .transpose()
                .map_err(|e| ApiError::bad_request(format!("parameter cursor: {e}")))?,
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
            cursor: c.cursor,
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
            cursor: c.cursor,
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
        for bad in [
            "2018-13-45",
            "2018-00-10",
            "2018-04-31",
            "2019-02-29",
            "2018-05-00",
        ] {
            let p = ListParams {
                to: Some(bad.into()),
                ..Default::default()
            };
            let e = p.article_filter().unwrap_err();
            assert!(e.message.contains("parameter to"), "{bad}: {}", e.message);
        }
        for good in ["2020-02-29", "2000-02-29", "2018-12-31", "0001-01-01"] {
            assert!(is_day(good), "{good}");
        }
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
