//! Which articles carry a sentence's information.

use parallax_model::ArticleId;

use crate::profile::{ArticleProfile, SentenceProfile};

/// Least share of a sentence's consecutive content-term pairs another
/// article must contain to count as carrying it. Pairs, not single words:
/// two reports of one event share vocabulary, but only a copy or a close
/// retelling shares the phrasing.
pub const CARRY_THRESHOLD: f32 = 0.5;

/// The articles that carry sentence `s` of article `own`: `own` first,
/// then the others in story order.
pub fn carriers(s: &SentenceProfile, own: usize, profiles: &[ArticleProfile]) -> Vec<ArticleId> {
    let mut out = vec![profiles[own].article.id.clone()];
    for (k, p) in profiles.iter().enumerate() {
        if k != own && carries(p, s) {
            out.push(p.article.id.clone());
        }
    }
    out
}

/// Whether `p` carries sentence `s`.
pub fn carries(p: &ArticleProfile, s: &SentenceProfile) -> bool {
    let pairs: Vec<(&String, &String)> = s.ordered.windows(2).map(|w| (&w[0], &w[1])).collect();
    if pairs.is_empty() {
        return false;
    }
    let found = pairs
        .iter()
        .filter(|(a, b)| p.bigrams.contains(&((*a).clone(), (*b).clone())))
        .count();
    found as f32 / pairs.len() as f32 >= CARRY_THRESHOLD
}
