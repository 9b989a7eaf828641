//! Which articles carry a sentence's information.
//!
//! Two tests, either of which is enough:
//!
//! * **phrasing**: the article holds at least half of the sentence's
//!   consecutive content-term pairs anywhere in its text. This catches
//!   copies, including degraded ones (compared without case or
//!   punctuation).
//! * **content**: some passage of the article (one sentence, or two
//!   adjacent ones) holds most of the sentence's content terms, weighted by
//!   rarity. This catches retellings in other words ("banned American
//!   companies from selling to the firm for seven years" carries "banned
//!   US companies from selling it components for seven years"). Two
//!   reports of one event share vocabulary, so the share required is high
//!   and rare terms count most.

use parallax_model::ArticleId;

use crate::Briefer;
use crate::profile::{ArticleProfile, SentenceProfile, bigram_key};

/// Least share of a sentence's term pairs another article must hold.
pub const PHRASING_THRESHOLD: f32 = 0.5;

/// Least rarity-weighted share of a sentence's terms one passage of
/// another article must hold.
pub const CONTENT_THRESHOLD: f32 = 0.6;

/// The articles that carry sentence `s` of article `own`: `own` first,
/// then the others in story order.
pub fn carriers(
    briefer: &Briefer,
    s: &SentenceProfile,
    own: usize,
    profiles: &[ArticleProfile],
) -> Vec<ArticleId> {
    let mut out = vec![profiles[own].article.id.clone()];
    for (k, p) in profiles.iter().enumerate() {
        if k != own && carries(briefer, p, s) {
            out.push(p.article.id.clone());
        }
    }
    out
}

/// Whether article `p` carries sentence `s`.
pub fn carries(briefer: &Briefer, p: &ArticleProfile, s: &SentenceProfile) -> bool {
    shares_phrasing(p, s) || shares_content(briefer, p, s)
}

fn shares_phrasing(p: &ArticleProfile, s: &SentenceProfile) -> bool {
    let pairs = s.ordered.windows(2);
    let total = pairs.len();
    if total == 0 {
        return false;
    }
    let found = pairs
        .filter(|w| p.bigrams.contains(&bigram_key(&w[0], &w[1])))
        .count();
    found as f32 / total as f32 >= PHRASING_THRESHOLD
}

fn shares_content(briefer: &Briefer, p: &ArticleProfile, s: &SentenceProfile) -> bool {
    let weights: Vec<f32> = s.terms.iter().map(|t| briefer.idf(t)).collect();
    let total: f32 = weights.iter().sum();
    if total == 0.0 || s.terms.len() < 3 {
        return false;
    }
    let holds = |passage: &[&SentenceProfile]| -> f32 {
        s.terms
            .iter()
            .zip(&weights)
            .filter(|(t, _)| passage.iter().any(|q| q.terms.binary_search(t).is_ok()))
            .map(|(_, w)| w)
            .sum::<f32>()
            / total
    };
    let sentences: Vec<&SentenceProfile> = p.sentences.iter().collect();
    (0..sentences.len()).any(|i| {
        let end = (i + 2).min(sentences.len());
        holds(&sentences[i..end]) >= CONTENT_THRESHOLD
    })
}
