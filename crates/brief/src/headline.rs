//! The story's headline.

use crate::Briefer;
use crate::profile::ArticleProfile;
use crate::summary::{Votes, salience, term_weights, vector};

/// Longest headline condensed from body text, in words.
const MAX_WORDS: usize = 16;

/// The most central source headline (closest, by tf-idf cosine, to the
/// *other* articles: on NeuS train it beat weighting terms by coverage by
/// 0.1 ROUGE-1 and 0.3 ROUGE-L); when no article has a title, the most
/// central lead sentence, condensed.
pub fn headline(briefer: &Briefer, profiles: &[ArticleProfile]) -> String {
    let votes = Votes::new(briefer, profiles);
    let titled = profiles
        .iter()
        .enumerate()
        .filter_map(|(a, p)| {
            let title = p.article.title.as_deref()?.trim();
            // Centrality: what the other reports say, not how many words
            // the title has or how common they are.
            (!title.is_empty()).then(|| {
                (
                    title,
                    votes.support(&vector(briefer, p.title_terms.iter()), a),
                )
            })
        })
        .fold(None::<(&str, f32)>, |best, (t, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((t, s)),
        });
    if let Some((title, _)) = titled {
        return title.to_owned();
    }
    let weights = term_weights(briefer, profiles);
    let lead = profiles
        .iter()
        .filter_map(|p| p.sentences.iter().find(|s| s.well_formed && s.words >= 6))
        .fold(None, |best: Option<(&str, f32)>, s| {
            let sc = salience(s, &weights);
            match best {
                Some((_, b)) if b >= sc => best,
                _ => Some((s.text.as_str(), sc)),
            }
        });
    match lead {
        Some((text, _)) => condense(text),
        None => profiles
            .first()
            .map(|p| p.article.id.to_string())
            .unwrap_or_default(),
    }
}

/// Shortens a lead sentence into a headline: drops a dateline
/// ("WASHINGTON — ") and an opening adverbial clause, then keeps the first
/// clause when it is long enough to stand alone, else the first
/// [`MAX_WORDS`] words.
///
/// ```
/// use parallax_brief::headline::condense;
/// assert_eq!(
///     condense("WASHINGTON — Trump says he would help ZTE, saying too many jobs in China are at stake."),
///     "Trump says he would help ZTE"
/// );
/// assert_eq!(
///     condense("In a surprising overture to China, Trump says he would help ZTE get \"back into business,\" saying jobs are at stake."),
///     "Trump says he would help ZTE get \"back into business\""
/// );
/// ```
pub fn condense(sentence: &str) -> String {
    let text = crate::dateline::strip(sentence).trim();
    let mut words: Vec<&str> = text.split_whitespace().collect();
    // "In a surprising overture to China, Trump says ...": an opening
    // adverbial clause is not the news; the main clause after it is.
    if words
        .first()
        .is_some_and(|w| OPENERS.contains(&w.to_lowercase().as_str()))
        && let Some(comma) = words.iter().take(MAX_WORDS).position(|w| ends_clause(w))
        && words.len() > comma + 5
    {
        words.drain(..=comma);
    }
    let mut cut = words.len().min(MAX_WORDS);
    for (i, w) in words.iter().enumerate().take(MAX_WORDS) {
        if i >= 4 && ends_clause(w) {
            cut = i + 1;
            break;
        }
    }
    let mut head = words[..cut].join(" ");
    // Drop the clause's punctuation but keep a closing quote mark.
    let closing = head
        .chars()
        .rev()
        .take_while(|c| QUOTES.contains(c))
        .collect::<String>();
    head.truncate(head.len() - closing.len());
    let head = head.trim_end_matches([',', ';', ':', '.']);
    format!("{head}{}", closing.chars().rev().collect::<String>())
}

/// Closing quote marks.
const QUOTES: [char; 3] = ['"', '\u{201d}', '\u{2019}'];

/// Words that open a subordinate or adverbial clause.
const OPENERS: &[&str] = &[
    "after",
    "although",
    "amid",
    "as",
    "at",
    "before",
    "despite",
    "following",
    "if",
    "in",
    "on",
    "since",
    "though",
    "when",
    "while",
    "with",
];

/// Whether a word ends a clause (comma, semicolon or colon, maybe inside
/// a closing quote).
fn ends_clause(word: &str) -> bool {
    word.trim_end_matches(QUOTES).ends_with([',', ';', ':'])
}
