//! A comparison form for text: lowercase alphanumeric words.
//!
//! Two lines "say the same" for cleaning when their folded forms are equal,
//! whatever their punctuation, quotes, case or spacing.

/// The words of `s` (maximal runs of alphanumeric characters) with the
/// byte offset where each starts.
pub(crate) fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = s.char_indices().peekable();
    std::iter::from_fn(move || {
        while rest.next_if(|(_, c)| !c.is_alphanumeric()).is_some() {}
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some((i, c)) = rest.next_if(|(_, c)| c.is_alphanumeric()) {
            end = i + c.len_utf8();
        }
        Some((start, &s[start..end]))
    })
}

/// `s` folded: its words lowercased and joined by single spaces.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (_, w) in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
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
    }

    #[test]
    fn sees_sentence_ends() {
        assert!(ends_sentence("get it done!\""));
        assert!(ends_sentence("a threat.”"));
        assert!(!ends_sentence("More from China"));
    }
}
