//! Publication dates in the forms news data and web pages write them,
//! normalised to UTC. Every stage that reads a date (ingestion's text and
//! JSONL inputs, extraction's page metadata) reads it here, so one input
//! never gets two readings.

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
/// use parallax_text::date::parse_date;
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
    fn reads_page_metadata_forms() {
        let d = parse_date("2019-11-20T13:14:00+02:00").unwrap();
        assert_eq!(d.to_rfc3339(), "2019-11-20T11:14:00+00:00");
        assert_eq!(parse_date("Wed, 20 Nov 2019 11:14:00 GMT"), Some(d));
        assert_eq!(parse_date("2019-11-20T11:14:00.000Z"), Some(d));
        assert_eq!(parse_date("2019-11-20T13:14+02:00"), Some(d));
        assert_eq!(parse_date("yesterday"), None);
    }
}
