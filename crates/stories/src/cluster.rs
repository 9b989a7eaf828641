//! Single-pass clustering against story centroids.

use std::collections::HashMap;

use parallax_model::{ArticleId, StoryId};
use xxhash_rust::xxh3::xxh3_64;

use crate::features::Doc;
use crate::idf::DocFrequencies;

/// Knobs of the clustering decision. One configuration serves every
/// corpus; change it only with the benchmark in `bench/` at hand.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Least cosine between an article and a story centroid for the article
    /// to join the story.
    pub threshold: f32,
    /// How many of an article's heaviest terms are used to look up candidate
    /// stories; bounds the work per article.
    pub probe_terms: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            // Tuned on ECB+ dev and NeuS val together (bench/run.sh):
            // 0.861 / 0.832 B-cubed F1 at 0.25, a plateau from 0.25 to 0.28.
            threshold: 0.25,
            probe_terms: 16,
        }
    }
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The story it joined or founded.
    pub story: StoryId,
    /// True when the article founded the story.
    pub founded: bool,
    /// Cosine to the story's centroid before joining (0 for a new story).
    pub similarity: f32,
}

struct StoryState {
    id: StoryId,
    /// Sum of members' unit-length sublinear term-frequency vectors; IDF is
    /// applied at scoring time so weights follow the stream.
    tf: HashMap<u32, f32>,
    members: usize,
}

/// The online clusterer: holds every story's centroid and an inverted index
/// from term to the stories whose centroid holds it.
pub struct Clusterer {
    config: ClusterConfig,
    df: DocFrequencies,
    stories: Vec<StoryState>,
    by_id: HashMap<StoryId, usize>,
    postings: HashMap<u32, Vec<u32>>,
}

impl Clusterer {
    /// An empty clusterer.
    pub fn new(config: ClusterConfig) -> Self {
        Self {
            config,
            df: DocFrequencies::default(),
            stories: Vec::new(),
            by_id: HashMap::new(),
            postings: HashMap::new(),
        }
    }

    /// Number of stories so far.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// Places `doc`: joins the most similar story when its cosine reaches
    /// the threshold, otherwise founds a new story.
    pub fn assign(&mut self, doc: &Doc) -> Assignment {
        let terms = self.observe(doc);
        let best = self.best_story(&terms);
        match best {
            Some((idx, sim)) if sim >= self.config.threshold => {
                self.add(idx, &terms);
                Assignment {
                    story: self.stories[idx].id.clone(),
                    founded: false,
                    similarity: sim,
                }
            }
            _ => {
                let id = self.fresh_id(&doc.id);
                let idx = self.found(id.clone());
                self.add(idx, &terms);
                Assignment {
                    story: id,
                    founded: true,
                    similarity: 0.0,
                }
            }
        }
    }

    /// Adds `doc` to a known story without deciding (replaying a stored
    /// stream); founds the story if it is new.
    pub fn replay(&mut self, doc: &Doc, story: &StoryId) {
        let terms = self.observe(doc);
        let idx = match self.by_id.get(story) {
            Some(&idx) => idx,
            None => self.found(story.clone()),
        };
        self.add(idx, &terms);
    }

    /// Interns `doc`'s terms, counts them in the document frequencies and
    /// returns its unit-length sublinear tf vector.
    fn observe(&mut self, doc: &Doc) -> Vec<(u32, f32)> {
        let mut terms: Vec<(u32, f32)> = doc
            .terms
            .iter()
            .map(|(t, f)| (self.df.intern(t), 1.0 + f.ln()))
            .collect();
        self.df.observe(terms.iter().map(|(t, _)| *t));
        let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            terms.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        terms
    }

    fn best_story(&self, terms: &[(u32, f32)]) -> Option<(usize, f32)> {
        // The document's tf-idf vector and its norm.
        let weighted: Vec<(u32, f32)> = terms
            .iter()
            .map(|&(t, w)| (t, w * self.df.idf(t)))
            .collect();
        let doc_norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if doc_norm == 0.0 {
            return None;
        }
        // Candidates: stories sharing one of the heaviest terms.
        let mut probe = weighted.clone();
        probe.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut candidates: Vec<u32> = probe
            .iter()
            .take(self.config.probe_terms)
            .filter_map(|(t, _)| self.postings.get(t))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(usize, f32)> = None;
        for idx in candidates {
            let story = &self.stories[idx as usize];
            let sim = self.cosine(&weighted, doc_norm, story);
            if best.is_none_or(|(_, b)| sim > b) {
                best = Some((idx as usize, sim));
            }
        }
        best
    }

    fn cosine(&self, doc: &[(u32, f32)], doc_norm: f32, story: &StoryState) -> f32 {
        let mut norm = 0.0f32;
        for (&t, &w) in &story.tf {
            let x = w * self.df.idf(t);
            norm += x * x;
        }
        if norm == 0.0 {
            return 0.0;
        }
        let dot: f32 = doc
            .iter()
            .filter_map(|&(t, w)| story.tf.get(&t).map(|s| w * s * self.df.idf(t)))
            .sum();
        dot / (doc_norm * norm.sqrt())
    }

    fn found(&mut self, id: StoryId) -> usize {
        let idx = self.stories.len();
        self.by_id.insert(id.clone(), idx);
        self.stories.push(StoryState {
            id,
            tf: HashMap::new(),
            members: 0,
        });
        idx
    }

    fn add(&mut self, idx: usize, terms: &[(u32, f32)]) {
        let story = &mut self.stories[idx];
        story.members += 1;
        for &(t, w) in terms {
            let slot = story.tf.entry(t).or_insert(0.0);
            if *slot == 0.0 {
                self.postings.entry(t).or_default().push(idx as u32);
            }
            *slot += w;
        }
    }

    /// The id for a story founded by `article`, unique among known stories.
    fn fresh_id(&self, article: &ArticleId) -> StoryId {
        let mut salt = 0u32;
        loop {
            let id = story_id_for(article, salt);
            if !self.by_id.contains_key(&id) {
                return id;
            }
            salt += 1;
        }
    }
}

/// The stable id of a story founded by `article`: a short hash of the
/// article id, so ids do not depend on arrival position. `salt` is bumped
/// only on the (astronomically rare) hash collision.
///
/// ```
/// use parallax_stories::story_id_for;
/// let id = story_id_for(&"seed-000".into(), 0);
/// assert_eq!(id, story_id_for(&"seed-000".into(), 0));
/// assert!(id.as_str().starts_with('s') && id.as_str().len() == 13);
/// ```
pub fn story_id_for(article: &ArticleId, salt: u32) -> StoryId {
    let mut key = article.as_str().as_bytes().to_vec();
    if salt > 0 {
        key.extend_from_slice(&salt.to_le_bytes());
    }
    StoryId(format!("s{:012x}", xxh3_64(&key) & 0xffff_ffff_ffff))
}

#[cfg(test)]
mod tests {
    use parallax_text::Analyzer;

    use super::*;

    const STREAM: &[&str] = &[
        "A magnitude 6.1 earthquake struck Aceh province in Indonesia on Tuesday.",
        "The Saints placed running back Reggie Bush on injured reserve with a knee sprain.",
        "Indonesia's Aceh province was hit by a 6.1 magnitude earthquake, killing dozens.",
        "Reggie Bush will miss the rest of the season, the Saints said of the running back.",
        "Lindsay Lohan checked into rehab at the Betty Ford clinic on Thursday.",
    ];

    fn docs() -> Vec<Doc> {
        let en = Analyzer::english();
        STREAM
            .iter()
            .enumerate()
            .map(|(i, t)| Doc::new(format!("a{i}"), None, t, &en))
            .collect()
    }

    #[test]
    fn groups_events_and_is_deterministic() {
        let run = || {
            let mut c = Clusterer::new(ClusterConfig::default());
            docs().iter().map(|d| c.assign(d).story).collect::<Vec<_>>()
        };
        let ids = run();
        assert_eq!(ids[0], ids[2]);
        assert_eq!(ids[1], ids[3]);
        assert_ne!(ids[0], ids[1]);
        assert_ne!(ids[4], ids[0]);
        assert_ne!(ids[4], ids[1]);
        assert_eq!(ids, run());
        // A story is named after its founder.
        assert_eq!(ids[0], story_id_for(&"a0".into(), 0));
    }

    #[test]
    fn replay_then_assign_equals_one_run() {
        let docs = docs();
        let mut whole = Clusterer::new(ClusterConfig::default());
        let all: Vec<Assignment> = docs.iter().map(|d| whole.assign(d)).collect();

        let mut resumed = Clusterer::new(ClusterConfig::default());
        for (d, a) in docs.iter().zip(&all).take(3) {
            resumed.replay(d, &a.story);
        }
        for (d, a) in docs.iter().zip(&all).skip(3) {
            assert_eq!(&resumed.assign(d), a);
        }
    }

    #[test]
    fn empty_documents_found_their_own_story() {
        let mut c = Clusterer::new(ClusterConfig::default());
        let empty = Doc::new("e", None, "", &Analyzer::english());
        assert!(empty.is_empty());
        let a = c.assign(&empty);
        assert!(a.founded);
        assert_eq!(c.story_count(), 1);
    }
}
