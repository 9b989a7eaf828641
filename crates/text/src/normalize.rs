//! The matching form of text.
//!
//! Display text always keeps what the outlet wrote; comparisons (dedup
//! shingles, term lookups, quote matching) use the forms made here, so that
//! typographic variation between outlets does not hide identical words:
//!
//! * [`fold`]: Unicode NFKC, lowercase, curly quotes and apostrophes to ASCII
//!   `"` and `'`, every dash to `-`, invisible format characters removed,
//!   whitespace runs collapsed to one space, trimmed.
//! * [`match_key`]: [`fold`], then every character that is not part of a
//!   word (punctuation, symbols) becomes a space and runs collapse. It is the
//!   key for comparing punctuated copy with copy that has lost its
//!   punctuation: `"U.S."` and `"u s"` share the key `"u s"`, and
//!   `"ZTE's"` and `"zte s"` share `"zte s"`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The matching form of `s`: NFKC, lowercase, ASCII quotes and dashes,
/// collapsed whitespace, trimmed.
///
/// ```
/// use parallax_text::normalize::fold;
///
/// assert_eq!(fold("  Trump\u{2019}s  \u{201C}Deal\u{201D} \u{2014} ZTE\n"), "trump's \"deal\" - zte");
/// assert_eq!(fold("\u{FB01}nal 25\u{2013}30%"), "final 25-30%");
/// ```
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return fold_ascii(s);
    }
    let mut out = Folder::with_capacity(s.len());
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        // Most text is already in NFKC (precomposed accents, curly quotes);
        // the quick check proves it without building the normal form.
        s.chars().for_each(|c| out.push(c));
    } else {
        s.nfkc().for_each(|c| out.push(c));
    }
    out.finish()
}

/// [`fold`] of ASCII text, a byte at a time: NFKC is the identity on ASCII
/// and no ASCII character is mapped or dropped, so only case and
/// whitespace change.
fn fold_ascii(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut pending_space = false;
    for &b in s.as_bytes() {
        // `char::is_whitespace` on ASCII: space, tab, LF, VT, FF, CR.
        if b == b' ' || (0x09..=0x0d).contains(&b) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    String::from_utf8(out).expect("lowercased ASCII is UTF-8")
}

/// The comparison key of `s`: [`fold`] with punctuation and symbols turned
/// into word separators, so only words separated by single spaces remain.
///
/// Letters, digits and combining marks are kept; everything else splits
/// words. The rule is deliberately blunt: it makes punctuated text and a
/// caseless, unpunctuated copy of it produce the same key.
///
/// ```
/// use parallax_text::normalize::match_key;
///
/// assert_eq!(match_key("U.S. president Donald Trump's"), "u s president donald trump s");
/// assert_eq!(
///     match_key("U.S. president Donald Trump\u{2019}s"),
///     match_key("u s president donald trump s"),
/// );
/// assert_eq!(match_key("ZTE's \"denial order.\""), "zte s denial order");
/// ```
pub fn match_key(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        // A combining mark belongs to the word right before it; one that
        // follows a separator (`"U.S. \u{308}"`) would make a word of a
        // lone accent, so it separates too.
        if c.is_alphanumeric() || (is_combining_mark(c) && !out.is_empty() && !pending_space) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        } else if !out.is_empty() {
            pending_space = true;
        }
    }
    out
}

/// Accumulates folded characters: lowercases, maps punctuation, collapses
/// whitespace.
struct Folder {
    out: String,
    pending_space: bool,
}

impl Folder {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: String::with_capacity(n),
            pending_space: false,
        }
    }

    #[inline]
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            // Leading whitespace is dropped; inner runs become one space.
            self.pending_space = !self.out.is_empty();
            return;
        }
        let Some(c) = fold_punct(c) else { return };
        if self.pending_space {
            self.out.push(' ');
            self.pending_space = false;
        }
        if c.is_ascii() {
            self.out.push(c.to_ascii_lowercase());
        } else {
            self.out.extend(c.to_lowercase());
        }
    }

    fn finish(self) -> String {
        // A trailing pending space is simply never written: that is the trim.
        self.out
    }
}

/// Maps typographic quotes and dashes to ASCII; `None` for invisible format
/// characters that must not split or join words.
#[inline]
fn fold_punct(c: char) -> Option<char> {
    Some(match c {
        // Single quotes, apostrophes and primes.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        // Double quotes and guillemets.
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2039}' | '\u{203A}' => '"',
        // Hyphens, dashes, minus.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2043}' | '\u{2E3A}' | '\u{2E3B}' => '-',
        // Soft hyphen, zero-width space, word joiner, byte-order mark.
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => return None,
        c => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_combining_mark_is_no_word() {
        // Found by the property test: the mark after "U.S. " used to become
        // a word of its own, and its key was no longer made of words.
        assert_eq!(match_key("U.S. \u{a8}"), "u s");
        assert_eq!(match_key("e\u{301}t\u{e9}"), "\u{e9}t\u{e9}");
    }

    #[test]
    fn ascii_fold_equals_the_general_path() {
        let general = |s: &str| {
            let mut out = Folder::with_capacity(s.len());
            s.chars().for_each(|c| out.push(c));
            out.finish()
        };
        for s in [
            "",
            " ",
            "  Trump's \"Deal\" - ZTE\n",
            "a\x0bb\x0cc\rd\te  \n",
            "U.S. 80,000 (AP) -- x",
        ] {
            assert_eq!(fold_ascii(s), general(s), "{s:?}");
            assert_eq!(fold(s), general(s), "{s:?}");
        }
    }

    #[test]
    fn fold_collapses_and_trims_whitespace() {
        assert_eq!(fold(" \t a \n\n  b \u{00A0} c  "), "a b c");
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
    }

    #[test]
    fn fold_maps_quotes_and_dashes() {
        assert_eq!(
            fold("\u{2018}x\u{2019} \u{201E}y\u{201C} \u{00AB}z\u{00BB}"),
            "'x' \"y\" \"z\""
        );
        assert_eq!(fold("a\u{2013}b\u{2014}c\u{2212}d\u{2011}e"), "a-b-c-d-e");
    }

    #[test]
    fn fold_applies_nfkc_and_lowercase() {
        assert_eq!(fold("\u{FF21}\u{FF22}\u{FF23}"), "abc");
        assert_eq!(fold("Caf\u{0065}\u{0301}"), "caf\u{00E9}");
        assert_eq!(
            fold("STRASSE \u{00C9}T\u{00C9}"),
            "strasse \u{00E9}t\u{00E9}"
        );
        assert_eq!(fold("\u{2026}"), "...");
    }

    #[test]
    fn fold_drops_invisible_characters() {
        assert_eq!(fold("\u{FEFF}co\u{00AD}operate\u{200B}"), "cooperate");
    }

    #[test]
    fn match_key_removes_punctuation() {
        assert_eq!(match_key("$1.1bn (\u{00A3}800m)."), "1 1bn 800m");
        assert_eq!(match_key("25-30%"), "25 30");
        assert_eq!(match_key("...!"), "");
        assert_eq!(
            match_key("\u{2014} Donald J. Trump (@realDonaldTrump)"),
            "donald j trump realdonaldtrump"
        );
    }

    #[test]
    fn match_key_keeps_combining_marks_inside_words() {
        // Devanagari: the virama is a combining mark, not alphanumeric.
        let hindi = "\u{0935}\u{093F}\u{0926}\u{094D}\u{092F}\u{093E}";
        assert_eq!(match_key(hindi), hindi);
    }
}
