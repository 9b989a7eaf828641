//! Word tokens with byte spans.
//!
//! Tokens follow Unicode word boundaries (UAX #29) and only those containing
//! a letter or digit are kept. That rule decides the awkward cases:
//!
//! * numbers with inner separators stay whole: `80,000`, `2.3`, `1.1bn`;
//! * apostrophes inside words stay: `Trump's`, `don't`;
//! * dotted abbreviations keep their inner dots: `U.S.` gives `U.S`;
//! * hyphens and other dashes split: `25-30%` gives `25` and `30`,
//!   `high-stakes` gives `high` and `stakes`;
//! * ideographic text yields one token per ideograph.

use parallax_model::Span;
use unicode_segmentation::UnicodeSegmentation;

/// A word of some text: the slice and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offsets of the word in the tokenised string.
    pub span: Span,
}

/// The word tokens of `s`, in order.
///
/// ```
/// use parallax_text::tokens::words;
///
/// let text = "ZTE employs 80,000 people (25-30%).";
/// let w: Vec<&str> = words(text).iter().map(|t| t.text).collect();
/// assert_eq!(w, ["ZTE", "employs", "80,000", "people", "25", "30"]);
/// assert_eq!(words(text)[2].span.slice(text), "80,000");
/// ```
pub fn words(s: &str) -> Vec<Token<'_>> {
    iter_words(s).collect()
}

/// The word tokens of `s` as a lazy iterator (same tokens as [`words`]).
pub fn iter_words(s: &str) -> impl Iterator<Item = Token<'_>> {
    s.unicode_word_indices().map(|(start, text)| Token {
        text,
        span: Span::new(start, start + text.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn keeps_numbers_whole() {
        assert_eq!(
            texts("$2.3bn and $1.1bn, 80,000 jobs"),
            ["2.3bn", "and", "1.1bn", "80,000", "jobs"]
        );
    }

    #[test]
    fn keeps_apostrophes_and_abbreviation_dots() {
        assert_eq!(texts("Trump's U.S. ban"), ["Trump's", "U.S", "ban"]);
        assert_eq!(texts("ZTE\u{2019}s"), ["ZTE\u{2019}s"]);
    }

    #[test]
    fn splits_hyphens_and_drops_punctuation() {
        assert_eq!(
            texts("high-stakes \u{2014} talks!"),
            ["high", "stakes", "talks"]
        );
        assert!(words("... -- !?").is_empty());
    }

    #[test]
    fn spans_point_into_the_input() {
        let s = "  \u{201C}Caf\u{00E9} ZTE\u{201D} ";
        for t in words(s) {
            assert_eq!(t.span.slice(s), t.text);
        }
        assert_eq!(texts(s), ["Caf\u{00E9}", "ZTE"]);
    }

    #[test]
    fn ideographs_are_single_tokens() {
        assert_eq!(texts("中兴通讯"), ["中", "兴", "通", "讯"]);
    }
}
