//! The story's headline.

use crate::Briefer;
use crate::profile::ArticleProfile;
use crate::summary::{salience, term_weights};

/// Longest headline condensed from body text, in words.
const MAX_WORDS: usize = 16;

/// The most central source headline; when no article has a title, the
/// most central lead sentence, condensed.
pub fn headline(briefer: &Briefer, profiles: &[ArticleProfile]) -> String {
    let weights = term_weights(briefer, profiles);
    let score = |terms: &[String]| -> f32 {
        let sum: f32 = terms.iter().filter_map(|t| weights.get(t)).sum();
        sum / (terms.len().max(1) as f32).sqrt()
    };
    let titled = profiles
        .iter()
        .filter_map(|p| {
            let title = p.article.title.as_deref()?.trim();
            (!title.is_empty()).then(|| (title, score(&p.title_terms)))
        })
        .fold(None::<(&str, f32)>, |best, (t, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((t, s)),
        });
    if let Some((title, _)) = titled {
        return title.to_owned();
    }
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
/// ("WASHINGTON — "), keeps the first clause when it is long enough to
/// stand alone, else the first [`MAX_WORDS`] words.
///
/// ```
/// use parallax_brief::headline::condense;
/// assert_eq!(
///     condense("WASHINGTON — Trump says he would help ZTE, saying too many jobs in China are at stake."),
///     "Trump says he would help ZTE"
/// );
/// ```
pub fn condense(sentence: &str) -> String {
    let mut text = sentence.trim();
    if let Some((head, rest)) = text.split_once(" — ").or_else(|| text.split_once(" -- ")) {
        // A dateline is a short run of capitals before the dash.
        if head.split_whitespace().count() <= 3 && head.chars().all(|c| !c.is_lowercase()) {
            text = rest.trim();
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut cut = words.len().min(MAX_WORDS);
    for (i, w) in words.iter().enumerate().take(MAX_WORDS) {
        if i >= 4 && (w.ends_with(',') || w.ends_with(';') || w.ends_with(':')) {
            cut = i + 1;
            break;
        }
    }
    let head = words[..cut].join(" ");
    head.trim_end_matches([',', ';', ':', '.'])
        .trim_end_matches(['"', '\u{201d}'])
        .to_owned()
}
