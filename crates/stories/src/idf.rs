//! Document frequencies that grow with the stream.

use rustc_hash::FxHashMap;

/// Interned term ids and how many documents contained each term.
///
/// Inverse document frequency is smoothed, `ln((1 + n) / (1 + df)) + 1`,
/// so a term seen in every document still weighs a little and a new term
/// is finite.
#[derive(Debug, Default, Clone)]
pub struct DocFrequencies {
    /// Term ids; a fast non-keyed hash (terms come from our own analyser,
    /// and interning is on the sequential path of clustering).
    ids: FxHashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
}

impl DocFrequencies {
    /// The id of `term`, creating one if new.
    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.df.len() as u32;
        self.ids.insert(term.to_owned(), id);
        self.df.push(0);
        id
    }

    /// Counts one document holding the distinct term ids `terms`.
    pub fn observe(&mut self, terms: impl IntoIterator<Item = u32>) {
        self.docs += 1;
        for t in terms {
            self.df[t as usize] += 1;
        }
    }

    /// Distinct terms interned so far (term ids are below this).
    pub fn terms(&self) -> usize {
        self.df.len()
    }

    /// Documents observed.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Current inverse document frequency of term id `t`.
    pub fn idf(&self, t: u32) -> f32 {
        let df = self.df.get(t as usize).copied().unwrap_or(0) as f32;
        ((1.0 + self.docs as f32) / (1.0 + df)).ln() + 1.0
    }
}
