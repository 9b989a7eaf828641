//! A comparison form for text: lowercase alphanumeric words.
//!
//! Two lines "say the same" for cleaning when their folded forms are equal,
//! whatever their punctuation, quotes, case or spacing.

/// The words of `s` (maximal runs of alphanumeric characters) with the
/// byte offset where each starts.
pub(crate) fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + s[at..].find(char::is_alphanumeric)?;
        let len = s[start..]
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(s.len() - start);
        at = start + len;
        Some((start, &s[start..at]))
    })
}

/// `s` folded: its words lowercased and joined by single spaces.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (_, w) in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            out.push_str(w);
            let from = out.len() - w.len();
            out[from..].make_ascii_lowercase();
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// True when `line` ends a sentence: its last character, after any closing
/// quotes or brackets, is `.`, `!`, `?` or `…`.
pub(crate) fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']'])
        .ends_with(['.', '!', '?', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_punctuation() {
        assert_eq!(
            fold("“Get it done!” — Trump's ZTE"),
            "get it done trump s zte"
        );
        assert_eq!(fold(" -- "), "");
        let w: Vec<_> = words("a, bé c").collect();
        assert_eq!(w, vec![(0, "a"), (3, "bé"), (7, "c")]);
        let w: Vec<_> = words("“Ünï” 2018,x").collect();
        assert_eq!(w, vec![(3, "Ünï"), (12, "2018"), (17, "x")]);
        assert_eq!(words("").count(), 0);
        assert_eq!(words(" ,. ").count(), 0);
        assert_eq!(fold("ÜBER Straße"), "über straße");
    }

    #[test]
    fn sees_sentence_ends() {
        assert!(ends_sentence("get it done!\""));
        assert!(ends_sentence("a threat.”"));
        assert!(!ends_sentence("More from China"));
    }
}
