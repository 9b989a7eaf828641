//! Dates as ingestion meets them: at the start of a text file's body, or as
//! a JSON number. Strings are read by [`parallax_text::date::parse_date`].

use chrono::{DateTime, Utc};

pub use parallax_text::date::parse_date;

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
