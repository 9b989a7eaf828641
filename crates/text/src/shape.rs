//! The shape of text: has it lost its case and punctuation, and does a
//! span read like a written sentence?
//!
//! Some feeds deliver copy that was lowercased and stripped of punctuation
//! (seed 001: `"u s president donald trump pledged on sunday to help zte
//! corp get back into business fast after a u s ban ..."`). Such text is
//! still good for matching, but punctuation-driven sentence splitting
//! cannot work on it and it must never be quoted as if it were written that
//! way. [`is_degraded`] recognises it; [`is_well_formed_sentence`] decides
//! whether a single sentence may be shown as written.

use crate::tokens;

/// Fewest whitespace-separated words before text is judged degraded: short
/// lines (headings, bylines, "8 min read") lack punctuation legitimately.
pub const MIN_DEGRADED_WORDS: usize = 30;

/// Fewest word tokens a well-formed sentence has.
pub const MIN_SENTENCE_WORDS: usize = 4;

/// Counts of the features both judgements use.
#[derive(Debug, Default, Clone, Copy)]
struct Profile {
    /// Whitespace-separated chunks holding at least one letter or digit.
    words: usize,
    /// Alphabetic characters.
    letters: usize,
    /// Letters with case (upper or lower).
    cased: usize,
    /// Uppercase letters.
    upper: usize,
    /// Sentence-ending punctuation marks.
    terminals: usize,
}

impl Profile {
    fn of(text: &str) -> Self {
        let mut p = Self::default();
        let mut in_word = false;
        for c in text.chars() {
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            if c.is_alphanumeric() && !in_word {
                p.words += 1;
                in_word = true;
            }
            if c.is_alphabetic() {
                p.letters += 1;
                if c.is_uppercase() {
                    p.upper += 1;
                    p.cased += 1;
                } else if c.is_lowercase() {
                    p.cased += 1;
                }
            } else if is_terminal(c) {
                p.terminals += 1;
            }
        }
        p
    }
}

/// Sentence-ending punctuation across the scripts we meet: Latin, CJK
/// full-width, Arabic question mark, Devanagari danda.
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '\u{2026}'
            | '\u{3002}'
            | '\u{FF01}'
            | '\u{FF1F}'
            | '\u{FF0E}'
            | '\u{061F}'
            | '\u{06D4}'
            | '\u{0964}'
            | '\u{0965}'
    )
}

/// True for prose that has lost its case and its punctuation.
///
/// The rule: at least [`MIN_DEGRADED_WORDS`] words, written mostly in a
/// cased script, fewer than 1% of the cased letters uppercase, and fewer
/// than one sentence-ending mark (`.`, `!`, `?`, ...) per 40 words. Normal
/// prose has an uppercase letter every sentence and a full stop every 15 to
/// 30 words; all-caps headlines have plenty of uppercase; short lines are
/// never judged. Text in scripts without case (Chinese, Arabic, Hindi) is
/// never judged degraded: its case says nothing.
///
/// ```
/// use parallax_text::shape::is_degraded;
///
/// let lost = "u s president donald trump pledged on sunday to help zte corp get back \
///             into business fast after a u s ban crippled the chinese technology company \
///             offering a job saving concession to beijing ahead of high stakes trade talks";
/// assert!(is_degraded(lost));
/// assert!(!is_degraded("8 min read"));
/// assert!(!is_degraded("U.S. President Donald Trump pledged on Sunday to help ZTE Corp. get back \
///             into business fast, after a U.S. ban crippled the Chinese technology company. \
///             It was a job-saving concession to Beijing ahead of high-stakes trade talks."));
/// ```
pub fn is_degraded(text: &str) -> bool {
    let p = Profile::of(text);
    if p.words < MIN_DEGRADED_WORDS || p.cased * 2 < p.letters || p.cased == 0 {
        return false;
    }
    let few_capitals = p.upper * 100 < p.cased;
    let few_stops = p.terminals * 40 < p.words;
    few_capitals && few_stops
}

/// True when `text` has case but (almost) none of it is uppercase: text that
/// lost its capitals, whether or not it kept its punctuation. Used by the
/// sentence splitter, which otherwise relies on capitals after full stops.
pub(crate) fn is_caseless(text: &str) -> bool {
    let p = Profile::of(text);
    p.cased >= 20 && p.cased * 2 >= p.letters && p.upper * 100 < p.cased
}

/// True when `s` reads like a sentence as written, fit to show or quote.
///
/// The rule: after any opening quotes or brackets it starts with an
/// uppercase letter, a digit or a letter of a caseless script; it has at
/// least [`MIN_SENTENCE_WORDS`] word tokens; it ends with sentence-ending
/// punctuation, optionally followed by closing quotes or brackets; and it
/// is not shouted (at most 60% of its cased letters uppercase, once there
/// are a dozen of them). Headings, bylines, "8 min read", tweet attribution
/// lines and fragments of degraded text all fail it.
///
/// ```
/// use parallax_text::shape::is_well_formed_sentence;
///
/// assert!(is_well_formed_sentence("ZTE pleaded guilty to making illegal shipments."));
/// assert!(is_well_formed_sentence("\"Too many jobs in China lost.\""));
/// assert!(!is_well_formed_sentence("8 min read"));
/// assert!(!is_well_formed_sentence("\u{2014} Donald J. Trump (@realDonaldTrump) May 13, 2018"));
/// assert!(!is_well_formed_sentence("trump wrote on twitter saying he and xi were working together."));
/// ```
pub fn is_well_formed_sentence(s: &str) -> bool {
    let t = s.trim();
    let head = t.trim_start_matches(is_opening);
    let Some(first) = head.chars().next() else {
        return false;
    };
    let starts_well = first.is_uppercase()
        || first.is_numeric()
        || (first.is_alphabetic() && !first.is_lowercase());
    if !starts_well {
        return false;
    }
    let tail = t.trim_end_matches(is_closing);
    if !tail.chars().next_back().is_some_and(is_terminal) {
        return false;
    }
    if tokens::iter_words(t).take(MIN_SENTENCE_WORDS).count() < MIN_SENTENCE_WORDS {
        return false;
    }
    let p = Profile::of(t);
    !(p.cased >= 12 && p.upper * 10 > p.cased * 6)
}

/// Opening quotes and brackets (and Spanish inverted marks).
pub(crate) fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '('
            | '['
            | '{'
            | '\u{201C}'
            | '\u{2018}'
            | '\u{201E}'
            | '\u{201A}'
            | '\u{00AB}'
            | '\u{2039}'
            | '\u{00BF}'
            | '\u{00A1}'
            | '\u{300C}'
            | '\u{300E}'
    )
}

/// Closing quotes and brackets.
pub(crate) fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '\u{201D}'
            | '\u{2019}'
            | '\u{00BB}'
            | '\u{203A}'
            | '\u{300D}'
            | '\u{300F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_seeds::seed;

    #[test]
    fn seed_001_is_degraded_and_the_others_are_not() {
        let Some(degraded) = seed("001_cced9b695fb88dcf.txt") else {
            return;
        };
        assert!(is_degraded(&degraded));
        for name in [
            "000_3289558473fbce1e.txt",
            "002_df84a0d7098cfa3b.txt",
            "003_2a5e5c70efc2358a.txt",
            "004_f64fde2f822e4293.txt",
        ] {
            let Some(text) = seed(name) else {
                return;
            };
            assert!(!is_degraded(&text), "{name} judged degraded as a whole");
            for line in text.lines() {
                assert!(!is_degraded(line), "{name}: line judged degraded: {line}");
            }
        }
    }

    #[test]
    fn all_caps_and_short_text_are_not_degraded() {
        let caps = "TRUMP VOWS TO SAVE ZTE JOBS AS CHINA TALKS LOOM ".repeat(5);
        assert!(!is_degraded(&caps));
        assert!(!is_degraded("more from china"));
        assert!(!is_degraded(""));
    }

    #[test]
    fn caseless_scripts_are_never_degraded() {
        let zh = "中兴通讯 美国 商务部 ".repeat(20);
        assert!(!is_degraded(&zh));
    }

    #[test]
    fn lowercase_but_punctuated_text_is_not_degraded() {
        let text = "trump spoke on sunday. he said zte would be saved. ".repeat(5);
        assert!(!is_degraded(&text));
        assert!(is_caseless(&text));
    }

    #[test]
    fn well_formed_needs_start_length_and_end() {
        assert!(is_well_formed_sentence(
            "In 2012, ZTE was caught shipping hardware to Iran."
        ));
        assert!(is_well_formed_sentence("Is that so, he asked?"));
        assert!(is_well_formed_sentence("(Reporting by a team in Beijing.)"));
        assert!(!is_well_formed_sentence("Go home."));
        assert!(!is_well_formed_sentence(
            "READ: Atiku Abubakar to privatise parts of NNPC if elected president"
        ));
        assert!(!is_well_formed_sentence(
            "TRUMP SAYS HE WILL SAVE ZTE JOBS."
        ));
        assert!(!is_well_formed_sentence(""));
    }
}
