//! Combining two extractors, and cutting link lists from the result.
//!
//! The combination is the fallback of [`Mode::Best`](crate::Mode::Best),
//! used when Readability's cleaned article is next to empty.
//! `rs-trafilatura` has the better recall and paragraph structure but lets
//! through blocks a reader would not call the article (a sidebar of other
//! stories, an "About the company" box). `dom_smoothie` (Readability) finds
//! the one main container and is often cleaner, but sometimes cuts too
//! much. So the trafilatura text is kept paragraph by paragraph where the
//! Readability text *supports* it (shares its word 4-grams), once the two
//! agree on what the article is (most of Readability's text is also in
//! trafilatura's). When they disagree, or Readability found next to
//! nothing, trafilatura's text stands alone.
//!
//! Then lines made (almost) only of the page's link texts, such as
//! "READ MORE: Other headline" or a list of related stories, are removed:
//! article prose is not a link.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// Least share of a paragraph's 4-grams found in the supporting text for
/// the paragraph to stay.
const SUPPORT: f64 = 0.3;
/// Least share of the supporting text's 4-grams found in the main text for
/// the two to be taken as agreeing on the article.
const AGREEMENT: f64 = 0.5;
/// Fewest words the supporting text needs to be used at all.
const MIN_SUPPORT_WORDS: usize = 30;
/// Longest line (in words) that can be dropped as a link line.
const MAX_LINK_LINE_WORDS: usize = 30;
/// Least share of a line's characters inside link texts for it to go.
const LINK_COVERAGE: f64 = 0.7;

/// The page's link texts, folded with [`fold`]. Looked up many times per
/// line, so hashed with the fast non-cryptographic Fx hash.
pub(crate) type LinkSet = rustc_hash::FxHashSet<String>;

/// Word tokens as the benchmark scorer sees them: runs of letters, digits
/// and `_`.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Hashes of a token sequence's 4-grams (the whole sequence when shorter).
fn shingles(tokens: &[&str]) -> HashSet<u64> {
    let n = 4.min(tokens.len());
    if n == 0 {
        return HashSet::new();
    }
    tokens
        .windows(n)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Share of `part`'s word 4-grams also found in `whole` (1 when `part`
/// has none).
pub(crate) fn containment(part: &str, whole: &str) -> f64 {
    let part = shingles(&words(part).collect::<Vec<_>>());
    if part.is_empty() {
        return 1.0;
    }
    let whole = shingles(&words(whole).collect::<Vec<_>>());
    part.iter().filter(|s| whole.contains(s)).count() as f64 / part.len() as f64
}

/// Keep the paragraphs of `main` that `support` backs, when the two agree
/// on the article; otherwise `main` unchanged.
pub(crate) fn supported(main: &str, support: &str) -> String {
    let support_tokens: Vec<&str> = words(support).collect();
    if support_tokens.len() < MIN_SUPPORT_WORDS {
        return main.to_owned();
    }
    let support_set = shingles(&support_tokens);
    let main_tokens: Vec<&str> = words(main).collect();
    let main_set = shingles(&main_tokens);
    let agreed = support_set.intersection(&main_set).count() as f64 / support_set.len() as f64;
    if agreed < AGREEMENT {
        return main.to_owned();
    }
    let support_words: HashSet<&str> = support_tokens.iter().copied().collect();
    let kept: Vec<&str> = main
        .lines()
        .filter(|line| {
            let tokens: Vec<&str> = words(line).collect();
            if tokens.is_empty() {
                return false;
            }
            if tokens.len() < 4 {
                return tokens.iter().all(|t| support_words.contains(t));
            }
            let own = shingles(&tokens);
            own.iter().filter(|s| support_set.contains(s)).count() as f64 / own.len() as f64
                >= SUPPORT
        })
        .collect();
    kept.join("\n")
}

/// A text folded for comparing link texts with lines: lowercase words
/// joined by single spaces.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The texts of the links under `root`, folded with [`fold`], empty ones
/// left out. One walk over the tree, each link's text gathered into one
/// reused buffer.
pub(crate) fn link_texts(root: &dom_query::NodeRef<'_>) -> LinkSet {
    let mut links = LinkSet::default();
    let mut text = String::new();
    for a in root.descendants_it().filter(|n| n.has_name("a")) {
        text.clear();
        for node in a.descendants_it() {
            node.query(|n| {
                if let dom_query::NodeData::Text { contents } = &n.data {
                    text.push_str(contents);
                }
            });
        }
        let folded = fold(&text);
        if !folded.is_empty() {
            links.insert(folded);
        }
    }
    links
}

/// Remove the lines of `text` that are mostly the page's link texts
/// (`links`, folded with [`fold`]).
pub(crate) fn drop_link_lines(text: &str, links: &LinkSet) -> String {
    if links.is_empty() {
        return text.to_owned();
    }
    // No span longer than the longest link can be one.
    let longest = links.iter().map(String::len).max().unwrap_or(0);
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            // An address written out is text the author typed (a list of
            // sources, shop links), not a headline of another page.
            if is_url(line) {
                return true;
            }
            // A long line is prose: told without folding it.
            if words(line).nth(MAX_LINK_LINE_WORDS).is_some() {
                return true;
            }
            let folded = fold(line);
            if folded.is_empty() {
                return false;
            }
            if links.contains(&folded) {
                return false;
            }
            // Several links on one line, or a label and a link: sum the
            // lengths of the distinct links found on word boundaries. The
            // line's word spans are looked up (a line is short) rather than
            // every link searched for (a page has hundreds).
            let starts: Vec<usize> = std::iter::once(0)
                .chain(folded.match_indices(' ').map(|(i, _)| i + 1))
                .collect();
            let mut found: HashSet<&str> = HashSet::new();
            for (k, &from) in starts.iter().enumerate() {
                for &next in &starts[k + 1..] {
                    let span = &folded[from..next - 1];
                    if span.len() > longest {
                        break;
                    }
                    if span.len() >= 12 && links.contains(span) {
                        found.insert(span);
                    }
                }
                let span = &folded[from..];
                if (12..=longest).contains(&span.len()) && links.contains(span) {
                    found.insert(span);
                }
            }
            let covered: usize = found.iter().map(|s| s.len()).sum();
            (covered as f64) < LINK_COVERAGE * folded.len() as f64
        })
        .collect();
    kept.join("\n")
}

/// True when the line is one web address and nothing else.
fn is_url(line: &str) -> bool {
    let line = line.trim();
    (line.starts_with("http://") || line.starts_with("https://") || line.starts_with("www."))
        && !line.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_supported_paragraphs_only() {
        let article = "The council voted on Tuesday to close the old bridge for repairs that will take a year. \
                       Drivers will be sent through the north road while the work goes on, officials said.";
        let main =
            format!("{article}\nOther stories: the mayor opens a new park in the east end of town");
        assert_eq!(supported(&main, article), article);
        // Too little support: nothing is cut.
        assert_eq!(supported(&main, "The council voted"), main);
        // Disagreement on what the article is: nothing is cut.
        let other = "A completely different text about football results and the weather in another city far away from here today";
        assert_eq!(supported(&main, &format!("{other} {other}")), main);
    }

    #[test]
    fn measures_containment_by_word_four_grams() {
        let first = "The council voted on Tuesday to close the old bridge";
        assert_eq!(
            containment(first, &format!("Bridge news. {first} for repairs.")),
            1.0
        );
        assert_eq!(
            containment(first, "A profile box about the writer of this blog"),
            0.0
        );
        // Half of the 4-grams kept.
        let half = containment("a b c d e f g", "a b c d e x y");
        assert!((half - 0.5).abs() < 1e-9, "{half}");
        assert_eq!(containment("", "anything"), 1.0);
    }

    #[test]
    fn drops_lines_made_of_links() {
        let links: LinkSet = ["China plague outbreak confirmed in Beijing", "Share"]
            .iter()
            .map(|l| fold(l))
            .collect();
        let text = "The outbreak spread to a third city, officials said.\n\
                    READ MORE: China plague outbreak confirmed in Beijing\nShare";
        assert_eq!(
            drop_link_lines(text, &links),
            "The outbreak spread to a third city, officials said."
        );
        // A written-out address stays even when it is a link's text.
        let links: LinkSet = [fold("http://example.com/report-2019")]
            .into_iter()
            .collect();
        let text = "Source:\nhttp://example.com/report-2019";
        assert_eq!(drop_link_lines(text, &links), text);
    }
}
