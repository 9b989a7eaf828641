//! Reading publication dates in the forms news data commonly uses.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Date-times with an explicit offset.
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M%:z",
];

/// Date-times without an offset: taken as UTC.
const NAIVE_DATE_TIMES: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];

/// Plain dates: taken as midnight UTC. Day-first and month-first numeric
/// forms (`05/06/2018`) are ambiguous and deliberately not read.
const DATES: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%b. %d, %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%A %d %B %Y",
    "%d-%b-%Y",
    "%d.%m.%Y",
];

/// Parse a publication date and normalise it to UTC.
///
/// Accepts RFC 3339, RFC 2822, ISO dates with or without a time or offset
/// (no offset means UTC), `YYYY/MM/DD`, `YYYYMMDD`, and written dates such
/// as `14 May 2018` or `May 14, 2018`. A trailing `UTC`/`GMT` is allowed.
///
/// ```
/// use parallax_ingest::parse_date;
/// let d = parse_date("2018-05-14").unwrap();
/// assert_eq!(d.to_rfc3339(), "2018-05-14T00:00:00+00:00");
/// assert_eq!(parse_date("2018-05-14T09:30:00+02:00").unwrap().to_rfc3339(), "2018-05-14T07:30:00+00:00");
/// assert_eq!(parse_date("May 14, 2018"), Some(d));
/// assert_eq!(parse_date("last Tuesday"), None);
/// ```
pub fn parse_date(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in WITH_OFFSET {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let s = ["UTC", "GMT", "Z"]
        .iter()
        .find_map(|z| s.strip_suffix(z))
        .map_or(s, str::trim_end);
    for f in NAIVE_DATE_TIMES {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for f in DATES {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
        }
    }
    None
}

/// A date at the very start of `text` (one to four whitespace-separated
/// words), as used by metadata prefixes like `date 2018-05-14 WASHINGTON`.
/// Returns the date and the byte length of the words it took.
pub(crate) fn leading_date(text: &str) -> Option<(DateTime<Utc>, usize)> {
    let mut ends = Vec::with_capacity(4);
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                ends.push(i);
                if ends.len() == 4 {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    if in_word && ends.len() < 4 {
        ends.push(text.len());
    }
    ends.iter().rev().find_map(|&end| {
        let words = text[..end].trim_end_matches([',', ';']);
        parse_date(words).map(|d| (d, end))
    })
}

/// A date given as a JSON number: seconds since the Unix epoch, or
/// milliseconds when the number is too large to be seconds.
pub(crate) fn from_epoch(n: f64) -> Option<DateTime<Utc>> {
    if !n.is_finite() {
        return None;
    }
    let secs = if n.abs() > 1e11 { n / 1000.0 } else { n };
    DateTime::from_timestamp(secs.trunc() as i64, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_forms() {
        let day = parse_date("2018-05-14").unwrap();
        for s in [
            "14 May 2018",
            "May 14 2018",
            "2018/05/14",
            "20180514",
            "2018-05-14 00:00:00",
            "2018-05-14T00:00:00Z",
            "Mon, 14 May 2018 00:00:00 +0000",
            "2018-05-14 00:00 UTC",
        ] {
            assert_eq!(parse_date(s), Some(day), "{s}");
        }
        assert_eq!(parse_date("05/14/2018"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn finds_leading_dates() {
        let (d, used) = leading_date("2018-05-14 WASHINGTON — In a").unwrap();
        assert_eq!(d, parse_date("2018-05-14").unwrap());
        assert_eq!(used, 10);
        let (_, used) = leading_date("May 14, 2018 WASHINGTON").unwrap();
        assert_eq!(used, "May 14, 2018".len());
        assert!(leading_date("WASHINGTON — In a").is_none());
    }

    #[test]
    fn reads_epochs() {
        let d = parse_date("2018-05-14").unwrap();
        assert_eq!(from_epoch(d.timestamp() as f64), Some(d));
        assert_eq!(from_epoch(d.timestamp_millis() as f64), Some(d));
        assert_eq!(from_epoch(f64::NAN), None);
    }
}
