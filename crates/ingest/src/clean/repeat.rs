//! Repeated text: a second copy of something the body already said.
//!
//! Pages often carry their text twice (a print copy, an AMP copy, a body
//! pasted after itself). Rules, all on the folded form of lines:
//!
//! * a run of consecutive lines that repeats an earlier run line for line
//!   is removed when it holds at least [`MIN_WORDS`] words (one long line,
//!   or a block of several lines); short lines that recur (a quote given as
//!   prose and again as an embed, a one-line refrain) are kept;
//! * a line that is its own text twice over (`A B C A B C`, the doubling
//!   that happens when copies are joined without a newline) loses its
//!   second half.

use std::collections::HashMap;

use parallax_model::{Removal, RemovalReason};

use super::fold::{fold, words};

/// The fewest words a repeated run must hold to be cut.
pub(super) const MIN_WORDS: usize = 12;

/// How many earlier places of one line are tried as the start of a copy.
const MAX_CANDIDATES: usize = 16;

/// Mark for removal every run of lines that repeats an earlier run.
pub(super) fn drop_repeated_runs(lines: &[&str], keep: &mut [bool], removed: &mut Vec<Removal>) {
    let folded: Vec<String> = lines.iter().map(|l| fold(l)).collect();
    let word_counts: Vec<usize> = folded
        .iter()
        .map(|f| {
            if f.is_empty() {
                0
            } else {
                f.matches(' ').count() + 1
            }
        })
        .collect();
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut j = 0;
    while j < lines.len() {
        let here = folded[j].as_str();
        if here.is_empty() {
            j += 1;
            continue;
        }
        let best = seen
            .get(here)
            .into_iter()
            .flatten()
            .map(|&i| {
                let run = (0..)
                    .take_while(|&k| {
                        i + k < j
                            && j + k < lines.len()
                            && !folded[j + k].is_empty()
                            && folded[i + k] == folded[j + k]
                    })
                    .count();
                (run, i)
            })
            .max_by_key(|&(run, i)| (run, std::cmp::Reverse(i)));
        if let Some((run, _)) = best
            && word_counts[j..j + run].iter().sum::<usize>() >= MIN_WORDS
        {
            keep[j..j + run].iter_mut().for_each(|k| *k = false);
            removed.push(Removal {
                text: lines[j..j + run].join("\n"),
                reason: RemovalReason::Repeated,
            });
            j += run;
            continue;
        }
        let places = seen.entry(here).or_default();
        if places.len() < MAX_CANDIDATES {
            places.push(j);
        }
        j += 1;
    }
}

/// If `line` is its own text twice over, the byte offset where the second
/// copy starts.
pub(super) fn doubled_at(line: &str) -> Option<usize> {
    let ws: Vec<(usize, &str)> = words(line).collect();
    let n = ws.len();
    if n < 2 * MIN_WORDS || !n.is_multiple_of(2) {
        return None;
    }
    let half = n / 2;
    let same = (0..half).all(|k| {
        let (a, b) = (ws[k].1, ws[half + k].1);
        a == b || a.to_lowercase() == b.to_lowercase()
    });
    same.then_some(ws[half].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<bool>, Vec<Removal>) {
        let lines: Vec<&str> = text.lines().collect();
        let mut keep = vec![true; lines.len()];
        let mut removed = Vec::new();
        drop_repeated_runs(&lines, &mut keep, &mut removed);
        (keep, removed)
    }

    #[test]
    fn cuts_a_repeated_block_but_not_short_refrains() {
        let text = "One two three four five six.\nSeven eight nine ten eleven twelve.\nGo!\n\
                    One two three four five six.\nSeven eight nine ten eleven twelve.\nGo!";
        let (keep, removed) = run(text);
        assert_eq!(keep, [true, true, true, false, false, false]);
        assert_eq!(removed.len(), 1);
        assert!(removed[0].text.starts_with("One two"));

        let (keep, removed) = run("Go now!\nWait.\n“Go now”");
        assert!(keep.iter().all(|k| *k) && removed.is_empty());
    }

    #[test]
    fn cuts_one_long_repeated_line() {
        let long = "a b c d e f g h i j k l m";
        let (keep, _) = run(&format!("{long}\nother\n{long}"));
        assert_eq!(keep, [true, true, false]);
    }

    #[test]
    fn finds_a_doubled_line() {
        let half = "the quick brown fox jumps over the lazy dog and runs far away";
        let line = format!("{half}. {half}.");
        assert_eq!(doubled_at(&line), Some(half.len() + 2));
        assert_eq!(doubled_at(half), None);
    }
}
