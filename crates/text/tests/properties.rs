//! Property tests: sentence splitting and normalisation never lose or
//! invent text, and never panic, on any input.

use parallax_text::normalize::{fold, match_key};
use parallax_text::sentences::split;
use proptest::prelude::*;

/// Text shaped like news (words, capitals, stops, quotes, abbreviations,
/// line breaks, non-ASCII punctuation and spaces) mixed with arbitrary
/// Unicode, so both the sentence rules and the odd corners are reached.
fn body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[A-Z][a-z]{0,8}",
        6 => "[a-z]{1,9}",
        2 => "[0-9]{1,4}([.,][0-9]{1,3})?",
        3 => Just(". ".to_owned()),
        1 => Just("! ".to_owned()),
        1 => Just("? ".to_owned()),
        1 => Just("\u{2026} ".to_owned()),
        1 => Just("\"".to_owned()),
        1 => Just("\u{201C}".to_owned()),
        1 => Just("\u{201D}".to_owned()),
        1 => Just("U.S. ".to_owned()),
        1 => Just("Mr. ".to_owned()),
        1 => Just("J. ".to_owned()),
        1 => Just("\u{3002}".to_owned()),
        1 => Just("\n".to_owned()),
        1 => Just("\r\n".to_owned()),
        1 => Just("\u{2028}".to_owned()),
        1 => Just("\u{a0}".to_owned()),
        1 => Just(" \u{2014} ".to_owned()),
        1 => any::<char>().prop_map(String::from),
        8 => Just(" ".to_owned()),
    ];
    prop_oneof![
        4 => prop::collection::vec(piece, 0..400).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn split_spans_plus_whitespace_rebuild_the_body(text in body()) {
        let sentences = split(&text);
        let mut rebuilt = String::with_capacity(text.len());
        let mut at = 0;
        for s in &sentences {
            let (start, end) = (s.span.start, s.span.end);
            prop_assert!(start >= at, "span {start}..{end} starts before {at}");
            prop_assert!(start < end, "empty span at {start}");
            prop_assert!(end <= text.len(), "span {start}..{end} past the end {}", text.len());
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            let gap = &text[at..start];
            prop_assert!(gap.trim().is_empty(), "text between sentences lost: {gap:?}");
            let sentence = &text[start..end];
            prop_assert_eq!(sentence.trim(), sentence, "sentence not trimmed");
            rebuilt.push_str(gap);
            rebuilt.push_str(sentence);
            at = end;
        }
        let tail = &text[at..];
        prop_assert!(tail.trim().is_empty(), "text after the last sentence lost: {tail:?}");
        rebuilt.push_str(tail);
        prop_assert_eq!(rebuilt, text);
    }

    #[test]
    fn fold_is_idempotent_and_tidy(text in body()) {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(!once.contains("  "), "whitespace run left in {once:?}");
        prop_assert!(!once.contains(['\n', '\t', '\r']), "non-space whitespace in {once:?}");
        // Nothing is invented: folding the empty or blank text gives nothing.
        if text.trim().is_empty() {
            prop_assert_eq!(once, "");
        }
    }

    #[test]
    fn match_key_is_idempotent_and_only_words(text in body()) {
        let key = match_key(&text);
        prop_assert_eq!(match_key(&key), key.clone());
        prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        for word in key.split(' ').filter(|w| !w.is_empty()) {
            prop_assert!(
                word.chars().next().is_some_and(char::is_alphanumeric),
                "key word {word:?} does not start with a letter or digit"
            );
        }
        // A key never holds a word that the folded text lacks.
        let folded = fold(&text);
        for word in key.split(' ').filter(|w| !w.is_empty()) {
            prop_assert!(folded.contains(word), "{word:?} invented (folded: {folded:?})");
        }
    }
}
