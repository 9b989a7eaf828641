//! Copyright, market-data and reporting-credit footers at the end.
//!
//! A footer is found by where it starts. In the last [`TAIL_SHARE`] of the
//! body (at least [`MIN_TAIL_BYTES`]), these shapes open one:
//!
//! * a credit: `reporting by`, `additional reporting`, `editing by`,
//!   `writing by`, `edited by`, `compiled by`;
//! * a rights notice: `©`, `(c)` or `copyright` followed by a year or
//!   holder, or `all rights reserved` (with the year and holder before it).
//!
//! In punctuated text the opener must start a line or follow a sentence end
//! or bracket (so "according to reporting by the Times" is prose, not a
//! footer); in text with no punctuation at all (lowercased, stripped
//! copies) any word boundary will do. Everything from the earliest opener
//! to the end goes, provided it is at most [`MAX_FOOTER_WORDS`] words: a
//! market-data disclaimer sitting between credits and rights goes with them.

use super::fold::words;

/// The share of the body, from its end, searched for a footer.
const TAIL_SHARE: f64 = 0.15;

/// The least number of bytes searched, for short bodies.
const MIN_TAIL_BYTES: usize = 240;

/// The longest footer, in words.
const MAX_FOOTER_WORDS: usize = 150;

/// The byte offset where a trailing footer starts, if there is one.
pub(super) fn footer_start(body: &str) -> Option<usize> {
    let len = body.len();
    let tail = ((len as f64 * TAIL_SHARE) as usize)
        .max(MIN_TAIL_BYTES)
        .min(len);
    let mut window = len - tail;
    while !body.is_char_boundary(window) {
        window += 1;
    }
    let (ws, first) = tail_words(body, window)?;
    let unpunctuated = !body.contains(['.', '!', '?', ';']);
    // Only the tail is read as lowercase words: no string per word of the
    // whole body.
    let lower: Vec<String> = ws[first..].iter().map(|(_, w)| w.to_lowercase()).collect();
    let word = |k: usize| lower.get(k - first).map_or("", String::as_str);
    let mut start = None;
    for k in first..ws.len() {
        let at = ws[k].0;
        let opener = match (word(k), word(k + 1), word(k + 2)) {
            ("reporting" | "editing" | "writing" | "edited" | "compiled", "by", _)
            | ("additional", "reporting", _) => Some(at),
            ("copyright", next, _) if is_year(next) || symbol_follows(body, at) => Some(at),
            ("c", next, _) if body[..at].ends_with('(') && body[at..].starts_with("c)") => {
                (is_year(next) || !next.is_empty()).then_some(at - 1)
            }
            ("all", "rights", "reserved") => Some(holder_start(body, &ws, k)),
            _ => None,
        };
        if let Some(at) = opener
            && (unpunctuated || opens_segment(body, at))
        {
            start = Some(at);
            break;
        }
    }
    if let Some(sym) = body[window..].find('©').map(|p| window + p) {
        start = Some(start.map_or(sym, |s| s.min(sym)));
    }
    let start = start?;
    let start = widen_to_bracket(body, start);
    (words(&body[start..]).count() <= MAX_FOOTER_WORDS).then_some(start)
}

/// The words of `body` from a little before `window`, with the index of
/// the first word at or after `window` (`None` when there is none). The
/// checks look back at most [`LOOK_BACK_WORDS`] words from there, so the
/// words before them need not be read: the scan starts at a word start
/// [`LOOK_BACK_BYTES`] before the window, and from the start of the body
/// only when fewer words than that came before the window.
fn tail_words(body: &str, window: usize) -> Option<(Vec<(usize, &str)>, usize)> {
    let mut from = window.saturating_sub(LOOK_BACK_BYTES);
    while !body.is_char_boundary(from) {
        from -= 1;
    }
    // Back to the start of the word `from` falls in.
    from = body[..from]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(from, |(i, _)| i);
    loop {
        let ws: Vec<(usize, &str)> = words(&body[from..]).map(|(i, w)| (from + i, w)).collect();
        let first = ws.iter().position(|(i, _)| *i >= window)?;
        if first >= LOOK_BACK_WORDS || from == 0 {
            return Some((ws, first));
        }
        from = 0;
    }
}

/// Words before an opener that [`holder_start`] looks at.
const LOOK_BACK_WORDS: usize = 4;

/// How far before the tail word reading starts (see [`tail_words`]).
const LOOK_BACK_BYTES: usize = 128;

fn is_year(w: &str) -> bool {
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.bytes().all(|b| b.is_ascii_digit())
}

/// True when a `©` or `(c)` follows the word at `at`.
fn symbol_follows(body: &str, at: usize) -> bool {
    let rest = body[at..]
        .trim_start_matches(char::is_alphabetic)
        .trim_start();
    rest.starts_with('©') || rest.to_lowercase().starts_with("(c)")
}

/// Where the notice ending in "all rights reserved" (word `k`) starts: at
/// a year among the four words before it, else at the start of its sentence
/// or line when that is near, else at the phrase.
fn holder_start(body: &str, ws: &[(usize, &str)], k: usize) -> usize {
    let at = ws[k].0;
    if let Some((year, _)) = ws[k.saturating_sub(LOOK_BACK_WORDS)..k]
        .iter()
        .find(|(_, w)| is_year(w))
    {
        return *year;
    }
    let before = &body[..at];
    match before.rfind(['.', '!', '?', '\n', '|']) {
        Some(p) if at - p <= 80 => at - before[p + 1..].trim_start().len(),
        _ => at,
    }
}

/// True when `at` starts the body or a line, or follows a sentence end, a
/// semicolon, a bracket or a dash.
fn opens_segment(body: &str, at: usize) -> bool {
    let before = body[..at].trim_end_matches([' ', '\t', '(', '[']);
    before.is_empty()
        || before.ends_with([
            '\n', '.', '!', '?', ';', ')', ']', '|', '—', '–', '-', '"', '”', '’',
        ])
        || body[..at].ends_with('\n')
}

/// Move a footer start back over an opening bracket: `(Reporting by ...)`.
fn widen_to_bracket(body: &str, start: usize) -> usize {
    let trimmed = body[..start].trim_end_matches([' ', '\t']);
    if trimmed.ends_with(['(', '[']) {
        trimmed.len() - 1
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_credit_and_rights_footers() {
        let prose = "The company said it would appeal the ruling. ".repeat(10);
        let text = format!("{prose}(Reporting by Jane Doe; Editing by Bob Roe)");
        assert_eq!(footer_start(&text), Some(prose.len()));
        let text = format!("{prose}© 2020 Reuters. All rights reserved.");
        assert_eq!(footer_start(&text), Some(prose.len()));
        let text = format!("{prose}Copyright 2020 The Times. All rights reserved.");
        assert_eq!(footer_start(&text), Some(prose.len()));
        let text = format!("{prose}2020 Reuters. All Rights Reserved");
        assert_eq!(footer_start(&text), Some(prose.len()));
        let text = format!("{prose}Acme Media. All rights reserved.");
        assert_eq!(
            footer_start(&text),
            Some(prose.len() + "Acme Media. ".len())
        );
    }

    #[test]
    fn tail_words_match_the_whole_body_at_every_window() {
        let long = format!(
            "{}2019 Acme Media, all rights reserved. Ünïcode wörds—and dashes 12,000.",
            "The company said it would appeal the ruling in court. ".repeat(8)
        );
        for body in [long.as_str(), "a b", "one two three four five", "  ,, x"] {
            let all: Vec<(usize, &str)> = words(body).collect();
            for window in (0..=body.len()).filter(|&w| body.is_char_boundary(w)) {
                let whole = all.iter().position(|(i, _)| *i >= window);
                let tail = tail_words(body, window);
                let (Some(whole), Some((ws, first))) = (whole, tail.as_ref()) else {
                    assert!(whole.is_none() && tail.is_none(), "window {window}");
                    continue;
                };
                let back = whole.min(LOOK_BACK_WORDS);
                assert!(*first >= back, "window {window}");
                assert_eq!(&ws[first - back..], &all[whole - back..], "window {window}");
            }
        }
    }

    #[test]
    fn leaves_prose_alone() {
        let prose = "The company said it would appeal the ruling. ".repeat(10);
        let text = format!("{prose}That is according to reporting by the Times, he said.");
        assert_eq!(footer_start(&text), None);
        let text = format!("{prose}He sued over copyright infringement.");
        assert_eq!(footer_start(&text), None);
    }

    #[test]
    fn works_on_unpunctuated_text() {
        let prose = "the company said it would appeal the ruling ".repeat(10);
        let text = format!(
            "{prose}reade said reporting by jane doe editing by bob roe 2020 reuters all rights reserved"
        );
        let at = footer_start(&text).unwrap();
        assert!(text[at..].starts_with("reporting by jane"));
    }
}
