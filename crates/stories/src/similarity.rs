//! Article-to-article similarity: the same representation the clusterer
//! uses, scored for every pair.

use rustc_hash::FxHashMap;

use crate::features::{Doc, TermKey};

/// The unit-length sublinear tf-idf vector of each doc, sorted by term id,
/// with IDF taken over `docs` themselves (every pair is scored against the
/// same statistics, so the score of a pair does not depend on input order).
fn vectors(docs: &[Doc]) -> Vec<Vec<(u32, f32)>> {
    unit_vectors(docs.iter().map(|d| d.terms.as_slice()), |f| 1.0 + f.ln())
}

/// Unit-length tf-idf vectors of term lists (term ids local to the batch,
/// sorted), each count weighed by `tf`, document frequencies the batch's
/// own. Shared with the learned pair similarity (`pairwise`).
pub(crate) fn unit_vectors<'a>(
    lists: impl Iterator<Item = &'a [(TermKey, f32)]>,
    tf: impl Fn(f32) -> f32,
) -> Vec<Vec<(u32, f32)>> {
    let mut ids: FxHashMap<TermKey, u32> = FxHashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let interned: Vec<Vec<(u32, f32)>> = lists
        .map(|list| {
            let mut v: Vec<(u32, f32)> = list
                .iter()
                .map(|&(key, f)| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(key).or_insert(next);
                    if id as usize == df.len() {
                        df.push(0);
                    }
                    df[id as usize] += 1;
                    (id, tf(f))
                })
                .collect();
            v.sort_unstable_by_key(|&(t, _)| t);
            v
        })
        .collect();
    let n = interned.len() as f32;
    interned
        .into_iter()
        .map(|mut v| {
            for (t, w) in &mut v {
                *w *= ((1.0 + n) / (1.0 + df[*t as usize] as f32)).ln() + 1.0;
            }
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v
        })
        .collect()
}

/// The dot product of two vectors sorted by term id.
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Calls `emit(i, j, score)` for every pair `i < j` of `docs`, in order;
/// the score is the tf-idf cosine in `[0, 1]`.
///
/// ```
/// use parallax_stories::{Doc, similarity::pairwise};
/// use parallax_text::Analyzer;
///
/// let en = Analyzer::english();
/// let docs = [
///     Doc::new("a", None, "A strong earthquake struck Aceh on Tuesday.", &en),
///     Doc::new("b", None, "An earthquake hit Aceh province on Tuesday.", &en),
///     Doc::new("c", None, "The Saints placed Reggie Bush on injured reserve.", &en),
/// ];
/// let mut scores = Vec::new();
/// pairwise(&docs, |i, j, s| scores.push((i, j, s)));
/// assert_eq!(scores.len(), 3);
/// assert!(scores[0].2 > scores[1].2 && scores[0].2 > scores[2].2);
/// ```
pub fn pairwise(docs: &[Doc], mut emit: impl FnMut(usize, usize, f32)) {
    let v = vectors(docs);
    for i in 0..v.len() {
        for j in i + 1..v.len() {
            emit(i, j, dot(&v[i], &v[j]).clamp(0.0, 1.0));
        }
    }
}
