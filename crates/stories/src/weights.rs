//! The arriving article's term weights, looked up by term id.
//!
//! Scoring an article against a candidate story walks the story's centroid
//! (hundreds of terms) and asks, for each term, the article's weight; most
//! of those terms are not in the article. A dense array indexed by term id
//! answers in one read, but it spans the whole vocabulary (millions of
//! terms in a long stream), so those reads miss the cache and the cost per
//! article grows with the stream. A 64-kilobit filter of the article's
//! term ids (8 KB, in the first-level cache) answers "absent" for almost
//! every term first; only the few terms that pass it read the array.

/// Bits in the filter (a power of two).
const FILTER_BITS: usize = 1 << 16;

/// Term id to weight for one article's terms.
#[derive(Debug)]
pub(crate) struct TermWeights {
    /// Bit `t % FILTER_BITS` is set for every term `t` of the article.
    filter: Vec<u64>,
    /// Weight by term id; 0 for terms the article lacks.
    dense: Vec<f32>,
    /// The article's term ids, to clear exactly those on the next fill.
    held: Vec<u32>,
}

impl Default for TermWeights {
    fn default() -> Self {
        Self {
            filter: vec![0; FILTER_BITS / 64],
            dense: Vec::new(),
            held: Vec::new(),
        }
    }
}

impl TermWeights {
    /// Replaces the contents with `terms` (distinct term ids, each below
    /// `vocabulary`).
    pub(crate) fn fill(&mut self, vocabulary: usize, terms: impl Iterator<Item = (u32, f32)>) {
        for t in self.held.drain(..) {
            self.dense[t as usize] = 0.0;
            self.filter[bit(t) / 64] = 0;
        }
        if self.dense.len() < vocabulary {
            self.dense.resize(vocabulary, 0.0);
        }
        for (t, w) in terms {
            self.dense[t as usize] = w;
            self.filter[bit(t) / 64] |= 1 << (bit(t) % 64);
            self.held.push(t);
        }
    }

    /// The weight of term `t`, when the article holds it.
    #[inline]
    pub(crate) fn get(&self, t: u32) -> Option<f32> {
        if self.filter[bit(t) / 64] & (1 << (bit(t) % 64)) == 0 {
            return None;
        }
        match self.dense.get(t as usize) {
            Some(&w) if w != 0.0 => Some(w),
            _ => None,
        }
    }
}

#[inline]
fn bit(t: u32) -> usize {
    t as usize % FILTER_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_term_and_nothing_else() {
        let mut w = TermWeights::default();
        assert_eq!(w.get(3), None);
        // Ids that share filter bits (65536 apart) and ids that do not.
        let terms: Vec<(u32, f32)> = (0..500)
            .map(|i| (i * 7 + (i % 3) * 65_536, i as f32 + 0.5))
            .collect();
        w.fill(200_000, terms.iter().copied());
        for &(t, x) in &terms {
            assert_eq!(w.get(t), Some(x));
        }
        for t in (0..200_000).filter(|t| !terms.iter().any(|&(u, _)| u == *t)) {
            assert_eq!(w.get(t), None, "term {t}");
        }
        // Refilling forgets the old terms.
        w.fill(200_000, [(1u32, 2.0f32)].into_iter());
        assert_eq!(w.get(1), Some(2.0));
        assert_eq!(w.get(7), None);
        w.fill(200_000, std::iter::empty());
        assert_eq!(w.get(1), None);
    }
}
