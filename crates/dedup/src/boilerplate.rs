//! Outlet boilerplate: lines that are not the story.
//!
//! Outlets pad the copies they carry with lines of their own: a labelled
//! promo (`READ: ...`, `SEE ALSO: ...`), a rights footer (`Copyright 2018 X.
//! All rights reserved.`, `(c) ...`), reading-time chrome (`8 min read`).
//! Left in, they make two unrelated articles of one outlet share shingles
//! (the same footer) and a padded copy look fuller than its original. The
//! detector leaves them out of the shingles it samples and of the length
//! direction compares ([`keep_content`]); the exact whole-text hash still
//! sees every word, so a padded copy is never a `duplicate`.
//!
//! Ingestion's cleaning removes such lines too, with more care; this is the
//! cheap version the detector applies to any text, cleaned or not, in one
//! pass over its lines, judged by shape, not wording.

use crate::shingle::Words;

/// Boilerplate lines are at most this many words long.
const MAX_BOILERPLATE_WORDS: usize = 20;

/// Copies into `kept` the word hashes of `text` (as `words` holds them)
/// that are not in boilerplate lines or a reading-time prefix (all of them
/// when nothing else is left).
pub fn keep_content(text: &str, words: &Words, kept: &mut Vec<u64>) {
    kept.clear();
    let mut at = 0usize;
    for (line, &n) in text.split('\n').zip(&words.paragraphs) {
        let n = n as usize;
        let line_words = &words.hashes[at..at + n];
        at += n;
        if n <= MAX_BOILERPLATE_WORDS && is_boilerplate(line) {
            continue;
        }
        let from = strip_read_time(line).map_or(0, |rest| n - count_rest(n, line, rest));
        kept.extend_from_slice(&line_words[from..]);
    }
    if kept.is_empty() {
        // All of it looks like boilerplate: then it is the content.
        kept.extend_from_slice(&words.hashes);
    }
}

/// Words of `line` left after its reading-time prefix (`rest`).
fn count_rest(words: usize, line: &str, rest: &str) -> usize {
    let prefix = &line[..line.len() - rest.len()];
    words.saturating_sub(prefix.split_whitespace().count())
}

/// A labelled promo or a rights footer.
fn is_boilerplate(line: &str) -> bool {
    let t = line.trim();
    let ends_sentence = t.ends_with(['.', '!', '?', '"', '\'', '\u{201d}']);
    if let Some((label, _)) = t.split_once(':').filter(|_| !ends_sentence) {
        let lw: Vec<&str> = label.split_whitespace().collect();
        if (1..=3).contains(&lw.len())
            && lw.iter().all(|w| {
                w.chars().any(char::is_alphabetic)
                    && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
            })
        {
            return true;
        }
    }
    let lower = t.to_lowercase();
    lower.contains("rights reserved")
        || lower.starts_with("copyright")
        || lower.starts_with('\u{a9}')
        || lower.starts_with("(c) ")
}

/// The line without a leading reading-time label ("8 min read ...").
fn strip_read_time(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let rest = t[digits..].trim_start();
    let rest = rest
        .strip_prefix("min read")
        .or_else(|| rest.strip_prefix("minute read"))
        .or_else(|| rest.strip_prefix("mins read"))?;
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shingle::words;

    fn count(t: &str) -> usize {
        let mut w = Words::default();
        words(t, &mut w);
        let mut kept = Vec::new();
        keep_content(t, &w, &mut kept);
        kept.len()
    }

    #[test]
    fn boilerplate_lines_are_left_out() {
        let body = "The council met on Monday and voted.\nREAD: Another story entirely\n\
                    It will meet again.\nCopyright 2018 Outlet. All rights reserved.";
        assert_eq!(count(body), 11);
        assert_eq!(count("8 min read washington reuters the council"), 4);
        assert_eq!(count("WASHINGTON: The council met."), 4);
        assert_eq!(count(""), 0);
        assert_eq!(count("READ: only a promo"), 4);
    }
}
