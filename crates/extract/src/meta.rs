//! Dates as pages write them, normalised to UTC.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Parse a date as pages give it in metadata, normalised to UTC: every
/// form [`parallax_text::date::parse_date`] reads, and failing those a
/// `YYYY-MM-DD` or `YYYY/MM/DD` day at the start of the value (pages write
/// times that no parser agrees on after a good day: `2019-11-20T13h14`).
///
/// ```
/// use parallax_extract::parse_date;
/// let d = parse_date("2019-11-20T13:14:00+02:00").unwrap();
/// assert_eq!(d.to_rfc3339(), "2019-11-20T11:14:00+00:00");
/// assert_eq!(parse_date("Wed, 20 Nov 2019 11:14:00 GMT"), Some(d));
/// assert!(parse_date("2019-11-20T13h14").is_some());
/// assert_eq!(parse_date("yesterday"), None);
/// ```
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Some(d) = parallax_text::date::parse_date(s) {
        return Some(d);
    }
    if s.len() > 64 {
        return None;
    }
    let day = s.get(..10)?;
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Utc.from_utc_datetime(&d))
}

/// A date written in a URL's path: `/2019/11/20/` or `/2019-11-20-`.
pub(crate) fn date_in_url(url: &str) -> Option<DateTime<Utc>> {
    let path = url.split("://").nth(1)?.split_once('/')?.1;
    let digits: Vec<&str> = path
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    digits.windows(3).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        if y.len() != 4 || m.len() > 2 || d.len() > 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if !(1990..=2100).contains(&year) {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)?;
        Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dates_in_urls() {
        let d = date_in_url("https://x.com/news/2019/11/20/story-123").unwrap();
        assert_eq!(d.to_rfc3339(), "2019-11-20T00:00:00+00:00");
        assert!(date_in_url("https://x.com/2019-11-20-story").is_some());
        assert_eq!(date_in_url("https://x.com/story/123456/7/8"), None);
        assert_eq!(date_in_url("https://x.com/"), None);
    }
}
