//! Document frequencies that grow with the stream.

use rustc_hash::FxHashMap;

use crate::features::TermKey;

/// Interned term ids and how many documents contained each term.
///
/// Inverse document frequency is smoothed, `ln((1 + n) / (1 + df)) + 1`,
/// so a term seen in every document still weighs a little and a new term
/// is finite. It is read tens of thousands of times per article, so it is
/// kept as `ln(1 + n) - ln(1 + df) + 1` with `ln(1 + df)` stored per term
/// (refreshed when that term's count changes) and `ln(1 + n)` once per
/// document: a read is a subtraction, not a logarithm.
///
/// ```
/// use parallax_stories::idf::DocFrequencies;
/// let mut df = DocFrequencies::default();
/// let (quake, aceh) = (df.intern(1), df.intern(2));
/// df.observe([quake, aceh]);
/// df.observe([quake]);
/// assert!(df.idf(aceh) > df.idf(quake));
/// assert!((df.idf(quake) - 1.0).abs() < 1e-6); // in every document
/// ```
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DocFrequencies {
    /// Term ids by key (keys are already hashes: Fx mixes them in one
    /// multiplication).
    ids: FxHashMap<TermKey, u32>,
    df: Vec<u32>,
    /// `ln(1 + df)` of each term.
    ln_df: Vec<f32>,
    docs: u32,
    /// `ln(1 + docs) + 1`.
    ln_docs: f32,
}

impl Default for DocFrequencies {
    fn default() -> Self {
        Self {
            ids: FxHashMap::default(),
            df: Vec::new(),
            ln_df: Vec::new(),
            docs: 0,
            ln_docs: 1.0,
        }
    }
}

impl DocFrequencies {
    /// The id of the term with key `key`, creating one if new.
    pub fn intern(&mut self, key: TermKey) -> u32 {
        let next = self.df.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.df.push(0);
            self.ln_df.push(0.0);
        }
        id
    }

    /// Counts one document holding the distinct term ids `terms`.
    pub fn observe(&mut self, terms: impl IntoIterator<Item = u32>) {
        self.docs += 1;
        self.ln_docs = (1.0 + self.docs as f32).ln() + 1.0;
        for t in terms {
            let df = &mut self.df[t as usize];
            *df += 1;
            self.ln_df[t as usize] = (1.0 + *df as f32).ln();
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
    #[inline]
    pub fn idf(&self, t: u32) -> f32 {
        self.ln_docs - self.ln_df.get(t as usize).copied().unwrap_or(0.0)
    }
}
