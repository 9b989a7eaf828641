//! What each source reports that no other source in the story does.
//!
//! A sentence is unique to its source when its wording is not shared (at
//! most [`MAX_SHARED_PAIRS`] of its consecutive content-term pairs occur
//! in another article of the story) and most of its weight is in terms no
//! other article uses (at least [`MIN_NOVELTY`] of its rarity-weighted
//! terms). Each source lists its [`PER_SOURCE`] most novel such sentences,
//! written ones first; a source whose every sentence is also told
//! elsewhere lists none.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use parallax_model::SourceUnique;

use crate::Briefer;
use crate::profile::{ArticleProfile, bigram_key};

/// Most sentences listed per source.
pub const PER_SOURCE: usize = 2;

/// Most share of a sentence's term pairs found in other articles.
pub const MAX_SHARED_PAIRS: f32 = 0.25;

/// Least rarity-weighted share of terms no other article uses.
pub const MIN_NOVELTY: f32 = 0.3;

/// Fewest words in a listed sentence.
const MIN_WORDS: usize = 8;

/// Each source's unique sentences (sources with none are left out).
pub fn unique(briefer: &Briefer, profiles: &[ArticleProfile]) -> Vec<SourceUnique> {
    if profiles.len() < 2 {
        return Vec::new();
    }
    let mut pair_df: HashMap<u64, u32> = HashMap::default();
    let mut term_df: HashMap<&str, u32> = HashMap::default();
    for p in profiles {
        for &pair in &p.bigrams {
            *pair_df.entry(pair).or_insert(0) += 1;
        }
        for t in p.term_set() {
            *term_df.entry(t.as_str()).or_insert(0) += 1;
        }
    }
    let mut out = Vec::new();
    for p in profiles {
        let mut picked: Vec<(bool, f32, &str)> = Vec::new();
        let mut seen = HashSet::default();
        for s in &p.sentences {
            if s.words < MIN_WORDS || !seen.insert(s.ordered.join(" ")) {
                continue;
            }
            let pairs = s.ordered.windows(2).count();
            if pairs < 3 {
                continue;
            }
            let shared = s
                .ordered
                .windows(2)
                .filter(|w| {
                    pair_df
                        .get(&bigram_key(&w[0], &w[1]))
                        .is_some_and(|&n| n > 1)
                })
                .count();
            if shared as f32 / pairs as f32 > MAX_SHARED_PAIRS {
                continue;
            }
            let total: f32 = s.terms.iter().map(|t| briefer.idf(t)).sum();
            let own: f32 = s
                .terms
                .iter()
                .filter(|t| term_df.get(t.as_str()).is_none_or(|&n| n <= 1))
                .map(|t| briefer.idf(t))
                .sum();
            let novelty = if total > 0.0 { own / total } else { 0.0 };
            if novelty >= MIN_NOVELTY {
                picked.push((s.well_formed, novelty, s.text.as_str()));
            }
        }
        picked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
        if !picked.is_empty() {
            out.push(SourceUnique {
                article: p.article.id.clone(),
                sentences: picked
                    .iter()
                    .take(PER_SOURCE)
                    .map(|(_, _, t)| (*t).to_owned())
                    .collect(),
            });
        }
    }
    out
}
