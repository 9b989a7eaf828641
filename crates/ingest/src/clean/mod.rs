//! In-article cleaning: cut what is on the page but not part of the story.
//!
//! Every rule works on the *shape* of the text (where a line sits, how long
//! it is, how it is cased and punctuated, whether it repeats) and never on
//! a list of known strings, so it carries over to outlets it has not seen.
//! Everything cut is returned as a [`Removal`] with its reason, so nothing
//! disappears silently. Lines are compared on a folded form (lowercase
//! alphanumeric words). The steps, in order:
//!
//! 1. **Repeated runs** ([`RemovalReason::Repeated`]): a run of consecutive
//!    lines that repeats an earlier run line for line goes when it holds at
//!    least 12 words (one long line or a block of several). Short lines that
//!    recur, like a tweet quoted as prose and again as an embed, stay.
//! 2. **Labelled links** ([`RemovalReason::Promo`]): a line opening with a
//!    one- or two-word uppercase label and a colon (`READ: ...`), at most
//!    20 words, not ending a sentence, whose content words mostly do not
//!    occur elsewhere in the body.
//! 3. **Stray headings** ([`RemovalReason::Promo`]): a line of two to five
//!    title-case words (short lowercase connectors allowed; no digits, not
//!    all capitals, no closing punctuation) right after a finished sentence,
//!    such as `More from China` between two quote lines. The first line is
//!    never touched; quotes, datelines and attributions do not fit the shape.
//! 4. **Doubled lines** ([`RemovalReason::Repeated`]): a line of 24 or more
//!    words that is its own text twice over loses the second copy.
//! 5. **Reading time** ([`RemovalReason::Navigation`]): a number, a minute
//!    unit and `read` (`8 min read`, `5-minute read`) at the very start of
//!    one of the first three lines or the very end of the last one.
//! 6. **Footer** ([`RemovalReason::Footer`]): in the last 15% of the body
//!    (at least 240 bytes), the earliest credit (`reporting by`, `editing
//!    by`, `writing by`, `additional reporting`, ...) or rights notice
//!    (`©`, `(c)`, `copyright` + year, `year holder all rights reserved`)
//!    that starts a line or sentence (any word boundary in text without
//!    punctuation) opens a footer, cut to the end when at most 150 words.
//!    A market-data disclaimer between credits and rights goes with them.
//!
//! 7. **Outlet templates** ([`RemovalReason::Template`], [`template`]):
//!    across articles, not within one. When a [`crate::Reader`] reads
//!    several articles of one source, lines that recur across them (bylines
//!    and quotes aside) are the outlet's template and are cut. This runs on
//!    windows of [`TEMPLATE_WINDOW`] articles after the per-article steps.
//!
//! The kept body keeps its characters as written; lines are trimmed, blank
//! lines dropped, and paragraphs joined by a single `\n`.

mod chrome;
pub(crate) mod fold;
mod footer;
mod promo;
mod repeat;
pub mod template;

pub use template::Templates;

/// How many articles a [`crate::Reader`] holds back at most to learn outlet
/// templates from before handing them on.
pub const TEMPLATE_WINDOW: usize = 256;

use parallax_model::{Removal, RemovalReason};

/// A cleaned body and what was cut from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// The kept text: paragraphs joined by `\n`.
    pub body: String,
    /// What was removed and why, in the order the steps found it.
    pub removed: Vec<Removal>,
}

/// Clean an article body (see the [module docs](crate::clean) for the rules).
///
/// ```
/// use parallax_ingest::clean_body;
/// use parallax_model::RemovalReason;
///
/// let text = "8 min read washington reuters the talks went on\n\n\
///             READ: Ten best beaches of the summer\n\
///             officials said more talks were planned";
/// let cleaned = clean_body(text);
/// assert_eq!(cleaned.body, "washington reuters the talks went on\nofficials said more talks were planned");
/// let reasons: Vec<_> = cleaned.removed.iter().map(|r| r.reason).collect();
/// assert_eq!(reasons, [RemovalReason::Promo, RemovalReason::Navigation]);
/// ```
pub fn clean_body(text: &str) -> Cleaned {
    let lines: Vec<&str> = paragraphs(text).collect();
    let mut keep = vec![true; lines.len()];
    let mut removed = Vec::new();
    repeat::drop_repeated_runs(&lines, &mut keep, &mut removed);
    promo::drop_promo_lines(&lines, &mut keep, &mut removed);

    let mut kept: Vec<String> = Vec::with_capacity(lines.len());
    for (line, _) in lines.iter().zip(&keep).filter(|(_, k)| **k) {
        match repeat::doubled_at(line) {
            Some(at) => {
                removed.push(Removal {
                    text: line[at..].to_owned(),
                    reason: RemovalReason::Repeated,
                });
                kept.push(line[..at].trim_end().to_owned());
            }
            None => kept.push((*line).to_owned()),
        }
    }

    strip_reading_time(&mut kept, &mut removed);
    let mut body = kept.join("\n");
    if let Some(at) = footer::footer_start(&body) {
        removed.push(Removal {
            text: body[at..].trim().to_owned(),
            reason: RemovalReason::Footer,
        });
        body.truncate(at);
        body.truncate(body.trim_end().len());
    }
    Cleaned { body, removed }
}

/// Only tidy a body: trim lines, drop blank ones, join with `\n`.
pub(crate) fn tidy(text: &str) -> String {
    paragraphs(text).collect::<Vec<_>>().join("\n")
}

/// The non-blank lines of `text`, trimmed.
fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// How many leading lines may carry reading-time chrome.
const CHROME_LINES: usize = 3;

/// Cut reading-time chrome from the start of the first lines and the end
/// of the last one.
fn strip_reading_time(lines: &mut Vec<String>, removed: &mut Vec<Removal>) {
    let mut cut = |text: &str| {
        removed.push(Removal {
            text: text.trim().to_owned(),
            reason: RemovalReason::Navigation,
        })
    };
    for line in lines.iter_mut().take(CHROME_LINES) {
        if let Some(at) = chrome::reading_time_prefix(line) {
            cut(&line[..at]);
            line.replace_range(..at, "");
        }
    }
    if let Some(line) = lines.last_mut()
        && let Some(at) = chrome::reading_time_suffix(line)
    {
        cut(&line[at..]);
        line.truncate(at);
    }
    lines.retain(|l| !l.trim().is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_bodies_stay_empty() {
        assert_eq!(clean_body(""), Cleaned::default());
        assert_eq!(clean_body(" \n\n\t").body, "");
    }

    #[test]
    fn collapses_blank_lines_and_keeps_characters() {
        let c = clean_body("  “Quote,” he said.  \r\n\r\n\r\nNext — line.\n");
        assert_eq!(c.body, "“Quote,” he said.\nNext — line.");
        assert!(c.removed.is_empty());
    }

    #[test]
    fn removes_a_body_doubled_on_one_line() {
        let half = "the ministry said the review would resume on monday after the talks";
        let c = clean_body(&format!("{half} {half}"));
        assert_eq!(c.body, half);
        assert_eq!(c.removed[0].reason, RemovalReason::Repeated);
    }
}
