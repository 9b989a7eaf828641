//! Extractive multi-document summary.
//!
//! Every article is a vote on what the story is. A sentence scores by how
//! close it is to the *other* articles (mean tf-idf cosine: what most
//! sources report, not what one source dwells on), by how early it stands
//! in its article (news puts what matters first), and by how central its
//! article is (the most representative report tells the story best, and
//! its lead reads as one). Sentences are then picked greedily, each
//! weighed against its likeness to those already chosen (maximal marginal
//! relevance), until the word budget is spent.

use std::collections::HashMap;

use parallax_model::CitedSentence;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::profile::{ArticleProfile, SentenceProfile};
use crate::{Briefer, cite, dateline};

/// Sentences shorter than this are fragments (datelines, "He said."):
/// never picked.
const MIN_WORDS: usize = 6;

/// Weight of a sentence's place in its article: `POSITION_WEIGHT / (1 +
/// position)`. Leads carry the news; later sentences elaborate.
const POSITION_WEIGHT: f32 = 0.3;

/// Weight of the centrality of a sentence's article (its mean similarity
/// to the other articles): sentences of the most representative report
/// come first and read as one account.
const ARTICLE_WEIGHT: f32 = 1.0;

/// Share of a candidate's gain that is its score; the rest is the
/// penalty for its likeness to the sentences already chosen.
const RELEVANCE: f32 = 0.7;

/// Least support (mean similarity to the other articles) a sentence
/// needs, as a share of the best-supported sentence's: what no other
/// source touches is one outlet's aside, not the story, however much
/// budget is left.
const MIN_SUPPORT_SHARE: f32 = 0.3;

/// Cosine to a chosen sentence above which a candidate says the same
/// thing again and is never picked.
const REDUNDANT: f32 = 0.5;

/// Weight of each term for this story: the share of the story's articles
/// that use it times its rarity in the background. What most sources say,
/// and what is specific to the story, counts most.
pub(crate) fn term_weights(briefer: &Briefer, profiles: &[ArticleProfile]) -> HashMap<String, f32> {
    let mut coverage: HashMap<&String, u32> = HashMap::new();
    for p in profiles {
        for t in p.term_set() {
            *coverage.entry(t).or_insert(0) += 1;
        }
    }
    let n = profiles.len().max(1) as f32;
    coverage
        .into_iter()
        .map(|(t, c)| (t.clone(), (c as f32 / n) * briefer.idf(t)))
        .collect()
}

/// How much a sentence says per word: the mean weight of its distinct
/// terms.
pub(crate) fn salience(s: &SentenceProfile, weights: &HashMap<String, f32>) -> f32 {
    let sum: f32 = s.terms.iter().filter_map(|t| weights.get(t)).sum();
    sum / s.terms.len().max(1) as f32
}

/// A tf-idf vector of unit length, sparse.
pub(crate) type Vector<'p> = FxHashMap<&'p str, f32>;

/// The unit tf-idf vector of `terms` (repeats count).
pub(crate) fn vector<'p>(briefer: &Briefer, terms: impl Iterator<Item = &'p String>) -> Vector<'p> {
    let mut v: Vector<'p> = FxHashMap::default();
    for t in terms {
        *v.entry(t.as_str()).or_insert(0.0) += 1.0;
    }
    for (t, w) in v.iter_mut() {
        *w *= briefer.idf(t);
    }
    let norm = v.values().map(|w| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for w in v.values_mut() {
            *w /= norm;
        }
    }
    v
}

/// Dot product of two sparse vectors.
pub(crate) fn dot(a: &Vector, b: &Vector) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|(t, w)| large.get(t).map(|x| w * x))
        .sum()
}

/// The story's articles as vectors, and their sum, so that an item's mean
/// similarity to every *other* article costs one dot product.
pub(crate) struct Votes<'p> {
    /// Each article's unit vector (title and body).
    pub articles: Vec<Vector<'p>>,
    /// The sum of `articles`.
    pub sum: Vector<'p>,
}

impl<'p> Votes<'p> {
    pub fn new(briefer: &Briefer, profiles: &'p [ArticleProfile]) -> Self {
        let articles: Vec<Vector<'p>> = profiles
            .iter()
            .map(|p| {
                vector(
                    briefer,
                    p.sentences
                        .iter()
                        .flat_map(|s| s.ordered.iter())
                        .chain(p.title_terms.iter()),
                )
            })
            .collect();
        let mut sum: Vector<'p> = FxHashMap::default();
        for a in &articles {
            for (t, w) in a {
                *sum.entry(t).or_insert(0.0) += w;
            }
        }
        Self { articles, sum }
    }

    /// Mean cosine of `v` (a unit vector from article `own`) with every
    /// other article; with no other article, with its own.
    pub fn support(&self, v: &Vector, own: usize) -> f32 {
        let n = self.articles.len();
        let to_own = dot(v, &self.articles[own]);
        if n < 2 {
            return to_own;
        }
        (dot(v, &self.sum) - to_own) / (n - 1) as f32
    }
}

/// Picks sentences for a summary of at most `budget` words and cites each.
pub fn summarise(
    briefer: &Briefer,
    profiles: &[ArticleProfile],
    budget: usize,
) -> Vec<CitedSentence> {
    let votes = Votes::new(briefer, profiles);
    let centrality: Vec<f32> = (0..profiles.len())
        .map(|a| {
            if profiles.len() < 2 {
                0.0
            } else {
                votes.support(&votes.articles[a], a)
            }
        })
        .collect();
    // Every eligible sentence, shown without its dateline.
    let mut pool: Vec<Candidate> = Vec::new();
    let mut seen_text: FxHashSet<String> = FxHashSet::default();
    for (a, p) in profiles.iter().enumerate() {
        for (i, s) in p.sentences.iter().enumerate() {
            let text = dateline::strip(&s.text);
            let words = text.split_whitespace().count();
            if !s.well_formed
                || words < MIN_WORDS
                || words > budget
                || !stands_alone(&p.article.body, s.span.start, text)
            {
                continue;
            }
            // The same sentence carried by two outlets is one candidate.
            if !seen_text.insert(s.ordered.join(" ")) {
                continue;
            }
            let v = vector(briefer, s.ordered.iter());
            let support = votes.support(&v, a);
            let score = support
                + POSITION_WEIGHT / (1.0 + s.position as f32)
                + ARTICLE_WEIGHT * centrality[a];
            pool.push(Candidate {
                article: a,
                sentence: i,
                text,
                words,
                support,
                score,
                vector: v,
                overlap: 0.0,
            });
        }
    }
    let floor = MIN_SUPPORT_SHARE * pool.iter().map(|c| c.support).fold(0.0f32, f32::max);
    pool.retain(|c| c.support >= floor);

    let mut chosen: Vec<Candidate> = Vec::new();
    let mut used = 0usize;
    loop {
        let mut best: Option<(usize, f32)> = None;
        for (k, c) in pool.iter().enumerate() {
            if used + c.words > budget || c.overlap > REDUNDANT {
                continue;
            }
            let gain = RELEVANCE * c.score - (1.0 - RELEVANCE) * c.overlap;
            if best.is_none_or(|(_, b)| gain > b) {
                best = Some((k, gain));
            }
        }
        let Some((k, _)) = best else { break };
        let c = pool.swap_remove(k);
        used += c.words;
        for other in &mut pool {
            other.overlap = other.overlap.max(dot(&other.vector, &c.vector));
        }
        chosen.push(c);
    }
    // Most important first: the order of choice (the first pick is what
    // most sources lead with).
    chosen
        .into_iter()
        .map(|c| CitedSentence {
            text: c.text.to_owned(),
            sources: cite::carriers(
                briefer,
                &profiles[c.article].sentences[c.sentence],
                c.article,
                profiles,
            ),
        })
        .collect()
}

/// A sentence that may go into the summary.
struct Candidate<'p> {
    article: usize,
    sentence: usize,
    /// What the summary shows.
    text: &'p str,
    words: usize,
    /// Mean cosine to the other articles.
    support: f32,
    score: f32,
    vector: Vector<'p>,
    /// Greatest cosine to a sentence already chosen.
    overlap: f32,
}

/// Whether a sentence reads on its own: not part of a quotation or post
/// that opened before it ("Too many jobs in China lost." from a tweet),
/// its quote marks balanced, and not opening with a pronoun that points
/// back to a sentence the reader will not see ("He said ...").
pub fn stands_alone(body: &str, start: usize, text: &str) -> bool {
    // A pronoun inside a quotation ("\"It just hurts,\" said ...") is the
    // speaker's, not a dangling one.
    let quoted = text.starts_with(['"', '\u{201c}']);
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic());
    if !quoted
        && matches!(
            first,
            "He" | "She" | "They" | "It" | "His" | "Her" | "Their" | "Its" | "Him" | "Them"
        )
    {
        return false;
    }
    let curly_open = text.matches('\u{201c}').count();
    let curly_close = text.matches('\u{201d}').count();
    if curly_open != curly_close || text.matches('"').count() % 2 == 1 {
        return false;
    }
    // Inside a quotation opened earlier in its paragraph?
    let start = (0..=start.min(body.len()))
        .rev()
        .find(|&i| body.is_char_boundary(i))
        .unwrap_or(0);
    let para = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &body[para..start];
    // Quote marks are read in order: a curly quote may be closed by a
    // straight mark (mixed marks in one text).
    let mut inside = false;
    for c in before.chars() {
        match c {
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            '"' => inside = !inside,
            _ => {}
        }
    }
    if inside {
        return false;
    }
    // A line of an embedded post: the next line signs it, "— Name
    // (@handle) date".
    let next_line = body[start..]
        .find('\n')
        .and_then(|i| body[start + i + 1..].lines().next())
        .unwrap_or("")
        .trim_start();
    let signed = (next_line.starts_with('\u{2014}')
        || next_line.starts_with('\u{2013}')
        || next_line.starts_with("- "))
        && next_line.contains("(@");
    !signed
}

#[cfg(test)]
mod tests {
    use parallax_model::Article;

    use super::*;

    #[test]
    fn summary_sentences_stand_alone() {
        let body = "The mayor posted: \u{201c}We will rebuild. Too many homes lost. Help is coming!\u{201d}\nHe said more later.\nThe storm hit on Monday.\nWe are with you. Roads reopen soon.\n\u{2014} Jane Roe (@janeroe) May 1, 2018";
        let at = |s: &str| body.find(s).unwrap();
        assert!(!stands_alone(body, at("Too many"), "Too many homes lost."));
        assert!(!stands_alone(body, at("He said"), "He said more later."));
        assert!(stands_alone(
            body,
            at("The storm"),
            "The storm hit on Monday."
        ));
        assert!(!stands_alone(body, at("Roads"), "Roads reopen soon."));
    }

    fn article(id: &str, body: &str) -> Article {
        Article {
            lang: Some("en".into()),
            ..Article::new(id, body)
        }
    }

    #[test]
    fn leads_with_what_most_sources_report_and_says_it_once() {
        let articles = [
            article(
                "a",
                "WASHINGTON (AP) — The Senate passed the highway funding bill on Tuesday by a vote of 68 to 30. \
                 The Senate passed the highway funding bill on Tuesday with a vote of 68 to 30 votes. \
                 Lobbyists for truck makers had pressed senators for months over toll roads.",
            ),
            article(
                "b",
                "Senators approved a highway funding bill on Tuesday, 68 votes to 30, sending it to the House. \
                 The bill pays for bridges and roads for five years.",
            ),
            article(
                "c",
                "The highway bill the Senate passed on Tuesday funds roads and bridges for five years. \
                 A columnist wrote that the weather in Ohio was unusually mild for the season.",
            ),
        ];
        let mut briefer = Briefer::default();
        for a in &articles {
            briefer.observe(a);
        }
        let profiles: Vec<ArticleProfile> = articles.iter().map(ArticleProfile::new).collect();
        let summary = summarise(&briefer, &profiles, 60);
        assert!(!summary.is_empty());
        let words: usize = summary
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum();
        assert!(words <= 60);
        // The dateline is cut; the text is still the source's own.
        assert!(
            summary.iter().all(|s| !s.text.starts_with("WASHINGTON")),
            "{summary:?}"
        );
        // The off-topic aside is no part of what the sources share.
        assert!(
            summary.iter().all(|s| !s.text.contains("columnist")),
            "{summary:?}"
        );
        // The vote is said once, not in both of a's phrasings.
        let votes = summary.iter().filter(|s| s.text.contains("68")).count();
        assert_eq!(votes, 1, "{summary:?}");
        // And cited by the articles that report it.
        let first = summary.iter().find(|s| s.text.contains("68")).unwrap();
        assert!(first.sources.len() >= 2, "{first:?}");
    }
}
