//! Reading-time chrome at the edges of the body.
//!
//! Shape: a number, a minute unit (`min`, `mins`, `min.`, `minute`,
//! `minutes`, or joined as `8-min` / `8-minute`) and the word `read`, at the
//! very start of one of the first lines or the very end of the last one
//! (`8 min read washington ...`).

/// If `line` starts with reading-time chrome, the byte offset where the
/// rest begins (after any separator such as `·` or `|`).
pub(super) fn reading_time_prefix(line: &str) -> Option<usize> {
    let tokens = tokens(line);
    let used = match tokens.as_slice() {
        [(_, a), (_, b), (_, c), ..] if number(a) && unit(b) && read(c) => 3,
        [(_, a), (_, c), ..] if joined(a) && read(c) => 2,
        _ => return None,
    };
    let (start, token) = tokens[used - 1];
    let end = start + token.len();
    let rest = &line[end..];
    let skipped = rest.len() - rest.trim_start_matches(separator).len();
    Some(end + skipped)
}

/// If `line` ends with reading-time chrome, the byte offset where it starts
/// (before any separator).
pub(super) fn reading_time_suffix(line: &str) -> Option<usize> {
    let tokens = tokens(line);
    let start = match tokens.as_slice() {
        [.., (s, a), (_, b), (_, c)] if number(a) && unit(b) && read(c) => *s,
        [.., (s, a), (_, c)] if joined(a) && read(c) => *s,
        _ => return None,
    };
    Some(line[..start].trim_end_matches(separator).len())
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(line: &str) -> Vec<(usize, &str)> {
    line.split_whitespace()
        .map(|t| (t.as_ptr() as usize - line.as_ptr() as usize, t))
        .collect()
}

fn separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '·' | '|' | '•' | '-' | '–' | '—' | ':')
}

fn number(t: &str) -> bool {
    (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

fn unit(t: &str) -> bool {
    matches!(
        t.to_lowercase().trim_end_matches('.'),
        "min" | "mins" | "minute" | "minutes"
    )
}

fn joined(t: &str) -> bool {
    t.split_once('-').is_some_and(|(n, u)| number(n) && unit(u))
}

fn read(t: &str) -> bool {
    t.trim_end_matches(|c: char| !c.is_alphanumeric())
        .eq_ignore_ascii_case("read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_reading_time() {
        assert_eq!(reading_time_prefix("8 min read washington"), Some(11));
        assert_eq!(reading_time_prefix("5-minute read · Story"), Some(17));
        assert_eq!(reading_time_prefix("8 minutes of reading"), None);
        assert_eq!(reading_time_suffix("the end. 3 min read"), Some(8));
        assert_eq!(reading_time_suffix("he had read"), None);
    }
}
