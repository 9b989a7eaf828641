//! Promo and navigation lines inserted into the body.
//!
//! Two line shapes, neither tied to any wording:
//!
//! * **Labelled link**: a line that opens with a label of one or two
//!   uppercase words and a colon (`READ: ...`, `SEE ALSO: ...`), is at most
//!   [`MAX_LABEL_LINE_WORDS`] words long, does not end a sentence, and whose
//!   content words are mostly absent from the rest of the body: it points
//!   at another story.
//! * **Stray heading**: a line of two to five title-case words (small
//!   lowercase connectors allowed, no digits, not all capitals, no closing
//!   punctuation) that follows a finished sentence: a section link such as
//!   `More from China` dropped between paragraphs. Quote lines, datelines,
//!   attributions (`— Name (@handle) May 13, 2018`) and anything ending in
//!   punctuation do not have this shape.

use std::collections::HashMap;

use parallax_model::{Removal, RemovalReason};

use super::fold::{ends_sentence, fold};

/// The longest labelled-link line, in words.
const MAX_LABEL_LINE_WORDS: usize = 20;

/// Content words shorter than this are ignored when judging relatedness.
const MIN_CONTENT_CHARS: usize = 4;

/// Mark promo lines for removal. The first kept line is never a promo.
pub(super) fn drop_promo_lines(lines: &[&str], keep: &mut [bool], removed: &mut Vec<Removal>) {
    // The body's vocabulary is needed only to judge a labelled line, which
    // most bodies lack: counted on first need.
    // It counts the lines kept on entry, as the loop below drops some.
    let mut vocabulary: Option<HashMap<String, usize>> = None;
    let kept_on_entry = keep.to_vec();
    let count_vocabulary = || {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (line, _) in lines.iter().zip(&kept_on_entry).filter(|(_, k)| **k) {
            for w in content_words(line) {
                *counts.entry(w).or_default() += 1;
            }
        }
        counts
    };
    let mut previous: Option<&str> = None;
    for (j, line) in lines.iter().enumerate() {
        if !keep[j] {
            continue;
        }
        let promo = previous.is_some()
            && (labelled_link(line).is_some_and(|rest| {
                unrelated(rest, line, vocabulary.get_or_insert_with(count_vocabulary))
            }) || previous.is_some_and(ends_sentence) && stray_heading(line));
        if promo {
            keep[j] = false;
            removed.push(Removal {
                text: (*line).to_owned(),
                reason: RemovalReason::Promo,
            });
        } else {
            previous = Some(line);
        }
    }
}

/// For a line shaped `LABEL: content`, the content.
fn labelled_link(line: &str) -> Option<&str> {
    let (label, rest) = line.split_once(':')?;
    let label_words = label.split_whitespace().count();
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let shaped = (1..=2).contains(&label_words)
        && letters >= 2
        && label.chars().all(|c| c.is_uppercase() || c.is_whitespace())
        && !rest.trim().is_empty()
        && line.split_whitespace().count() <= MAX_LABEL_LINE_WORDS
        && !ends_sentence(line);
    shaped.then_some(rest)
}

/// True when fewer than half the content words of `content` occur anywhere
/// else in the body (`vocabulary` counts every kept line, `line` included).
fn unrelated(content: &str, line: &str, vocabulary: &HashMap<String, usize>) -> bool {
    let mut own: HashMap<String, usize> = HashMap::new();
    for w in content_words(line) {
        *own.entry(w).or_default() += 1;
    }
    let words: Vec<String> = content_words(content).collect();
    if words.is_empty() {
        return true;
    }
    let elsewhere = words
        .iter()
        .filter(|w| vocabulary.get(*w).copied().unwrap_or(0) > own.get(*w).copied().unwrap_or(0))
        .count();
    elsewhere * 2 < words.len()
}

/// The folded words of `s` long enough to carry meaning.
fn content_words(s: &str) -> impl Iterator<Item = String> {
    fold(s)
        .split(' ')
        .filter(|w| w.chars().count() >= MIN_CONTENT_CHARS)
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// True for a short title-case line without closing punctuation.
fn stray_heading(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let connector = |w: &str| w.chars().count() <= 4 && w.chars().all(char::is_lowercase);
    (2..=5).contains(&words.len())
        && capitalised(words[0])
        && words.last().is_some_and(|w| capitalised(w))
        && words.iter().all(|w| {
            (capitalised(w)
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '’'))
                || connector(w)
        })
        && line.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promos(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        let mut keep = vec![true; lines.len()];
        let mut removed = Vec::new();
        drop_promo_lines(&lines, &mut keep, &mut removed);
        removed.into_iter().map(|r| r.text).collect()
    }

    #[test]
    fn labelled_links_go_when_unrelated() {
        let text = "ZTE was fined $1.1bn for shipping to Iran.\n\
                    ALSO READ: Senate passes farm subsidy bill\n\
                    UPDATE: ZTE shipping fined Iran\n\
                    The ban was imposed last month.";
        assert_eq!(promos(text), ["ALSO READ: Senate passes farm subsidy bill"]);
    }

    #[test]
    fn stray_headings_go_but_quotes_and_attributions_stay() {
        let text = "He wrote: \"It is a threat.\nMore from China\n\"Care more about it.\"\n\
                    \"Commerce Department has been instructed to get it done!\"\n\
                    — Donald J. Trump (@realDonaldTrump) May 13, 2018\nWASHINGTON —\n\
                    Trade Talks Ahead";
        assert_eq!(promos(text), ["More from China"]);
        assert!(promos("New Rules for Banks\nBanks face new rules.").is_empty());
    }
}
