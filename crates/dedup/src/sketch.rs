//! The sketch of an article: a consistent sample of its shingle hashes.
//!
//! We use *threshold sampling* (a bottom-k relative of MinHash): a shingle
//! is kept when the high 32 bits of its hash are at most the article's
//! threshold `t`. By default `t` is the same for every article (a fixed
//! rate, `1 / rate`), so two articles keep *the same* shingles from the
//! text they share, however long each one is. That is what makes partial
//! reuse visible: the number of shared samples grows with the length of the
//! shared passage, not with its share of the longer article, and
//! `shared / samples(X)` estimates how much of `X` the other article
//! contains (containment), in both directions.
//!
//! Two bounds keep sketches useful and small:
//!
//! * a *floor*: a short text keeps at least `min_samples` shingles (its
//!   smallest hashes; its threshold rises to the last one kept), so a
//!   60-word lead still has enough samples to be compared. The floor is
//!   what sets the error of a containment estimate for most news texts (a
//!   300-word story passes only about 19 shingles at the fixed rate): at 16
//!   samples a partial repost sharing 40% of the shorter text and a pair
//!   sharing one quote overlapped, at 40 they separate (`bench/dedup/`);
//! * a *cap*: a long text keeps at most `max_samples` (its smallest hashes;
//!   its threshold falls), so memory per article is bounded.
//!
//! Either way each sketch stays an exact threshold sample ("every shingle
//! whose hash is at most `t`"), so two sketches are compared at the lower of
//! their thresholds and the estimates stay unbiased.
//!
//! In the posting table only the low 32 bits of a sample are stored (its
//! *key*): the high bits chose the sample, the low bits are independent of
//! that choice and so spread evenly over the key space. The index keeps the
//! high 32 bits of every sample too, to count shared samples exactly when
//! it checks a candidate (see [`crate::index`]).

use crate::shingle::{Words, for_each_shingle};

/// The sampling settings (part of [`crate::Config`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SketchConfig {
    /// Words per shingle.
    pub shingle: usize,
    /// One shingle in `rate` is sampled (on average) from a text of normal
    /// length.
    pub rate: u32,
    /// The fewest samples a text with at least that many distinct shingles
    /// keeps.
    pub min_samples: usize,
    /// The most samples any text keeps (at most 255).
    pub max_samples: usize,
    /// Mixed into every shingle hash: a different seed draws a different
    /// (equally good) sample, to measure how much a result owes to chance.
    pub seed: u64,
    /// Content words that make a text's *opening*: the samples drawn from
    /// shingles inside them are marked ([`Sketch::opening`]), for the
    /// direction rule that asks whose opening the other carries.
    pub opening_words: usize,
}

impl Default for SketchConfig {
    fn default() -> Self {
        Self {
            shingle: 4,
            rate: 16,
            min_samples: 40,
            max_samples: 48,
            seed: 0,
            opening_words: 30,
        }
    }
}

impl SketchConfig {
    /// The threshold (on the high 32 bits of a hash) of the fixed rate.
    pub fn base_threshold(&self) -> u32 {
        (u64::from(u32::MAX) / u64::from(self.rate.max(1))) as u32
    }
}

/// An article's sketch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch {
    /// Hash of the whole normalised word sequence.
    pub exact: u64,
    /// Words in the text.
    pub words: u32,
    /// Inclusive threshold on the high 32 bits of a sample.
    pub threshold: u32,
    /// Distinct sampled shingle hashes, ascending.
    pub samples: Vec<u64>,
    /// Bit `i` is set when `samples[i]` is a shingle of the text's opening
    /// (its first [`SketchConfig::opening_words`] content words; the whole
    /// text when shorter). Samples past the 64th are never marked.
    pub opening: u64,
}

/// The high 32 bits of a hash: what sampling looks at.
#[inline]
pub fn high(h: u64) -> u32 {
    (h >> 32) as u32
}

/// The low 32 bits of a hash: the key stored in the index.
#[inline]
pub fn key(h: u64) -> u32 {
    h as u32
}

/// Builds sketches, reusing buffers between articles.
#[derive(Debug, Default)]
pub struct Sketcher {
    words: Words,
    kept: Vec<u64>,
    all: Vec<u64>,
}

impl Sketcher {
    /// A sketcher with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The sketch of `text` under `config`: shingles of its words outside
    /// boilerplate lines ([`crate::boilerplate`]), the exact hash of all its
    /// words. Also returns all the words, and the content words (for
    /// callers that inspect them, e.g. for wire credits and length).
    pub fn sketch(&mut self, text: &str, config: &SketchConfig) -> (Sketch, &Words, usize) {
        crate::shingle::words(text, &mut self.words);
        crate::boilerplate::keep_content(text, &self.words, &mut self.kept);
        let base = config.base_threshold();
        let mut samples =
            Vec::with_capacity(config.max_samples.max(2 * config.min_samples + 8).min(64));
        let seed = config.seed;
        let reseed = move |h: u64| {
            if seed == 0 {
                h
            } else {
                crate::shingle::mix64(h ^ seed)
            }
        };
        // One pass: every shingle hash goes to `all` (a short text needs
        // them), those under the fixed rate's threshold to `samples`.
        self.all.clear();
        let all = &mut self.all;
        for_each_shingle(&self.kept, config.shingle, |h| {
            let h = reseed(h);
            all.push(h);
            if high(h) <= base {
                samples.push(h);
            }
        });
        samples.sort_unstable();
        samples.dedup();
        let mut threshold = base;
        if samples.len() < config.min_samples {
            // Short text: take its `min_samples` smallest distinct hashes
            // instead. Sorting only those under a threshold expected to
            // pass about twice that many gives the same answer whenever
            // more than `min_samples` distinct ones pass (every hash under
            // it is in); else sort them all.
            let want = 2 * config.min_samples as u64;
            let n = (self.all.len() as u64).max(1);
            let cut = (u64::from(u32::MAX) * want / n).min(u64::from(u32::MAX)) as u32;
            samples.clear();
            samples.extend(self.all.iter().copied().filter(|&h| high(h) <= cut));
            samples.sort_unstable();
            samples.dedup();
            if samples.len() <= config.min_samples && cut < u32::MAX {
                samples.clear();
                samples.extend_from_slice(&self.all);
                samples.sort_unstable();
                samples.dedup();
            }
            if samples.len() > config.min_samples {
                threshold = high(samples[config.min_samples - 1]);
                let keep = samples.partition_point(|&h| high(h) <= threshold);
                samples.truncate(keep);
            } else {
                threshold = u32::MAX;
            }
        } else if samples.len() > config.max_samples.min(255) {
            threshold = high(samples[config.max_samples.min(255) - 1]);
            let keep = samples.partition_point(|&h| high(h) <= threshold);
            samples.truncate(keep);
        }
        let opening_words = config
            .opening_words
            .max(config.shingle)
            .min(self.kept.len());
        let mut opening = 0u64;
        for_each_shingle(&self.kept[..opening_words], config.shingle, |h| {
            let h = reseed(h);
            if high(h) <= threshold
                && let Ok(i) = samples.binary_search(&h)
                && i < 64
            {
                opening |= 1 << i;
            }
        });
        let sketch = Sketch {
            exact: self.words.exact,
            words: self.words.hashes.len().min(u32::MAX as usize) as u32,
            threshold,
            samples,
            opening,
        };
        (sketch, &self.words, self.kept.len())
    }
}

/// How many of `samples` fall at or under threshold `t`.
pub fn count_under(samples: &[u64], t: u32) -> usize {
    samples.partition_point(|&h| high(h) <= t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize, salt: &str) -> String {
        (0..n)
            .map(|i| format!("{salt}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn floor_and_cap_bound_the_sample() {
        let cfg = SketchConfig::default();
        let mut s = Sketcher::new();
        let short = s.sketch(&text(60, "w"), &cfg).0;
        assert!(short.samples.len() >= cfg.min_samples);
        let long = s.sketch(&text(5000, "w"), &cfg).0;
        assert!(long.samples.len() <= cfg.max_samples + 1);
        assert!(long.threshold < cfg.base_threshold());
        for sk in [&short, &long] {
            assert!(sk.samples.windows(2).all(|w| w[0] < w[1]));
            assert!(sk.samples.iter().all(|&h| high(h) <= sk.threshold));
        }
        let empty = s.sketch("", &cfg).0;
        assert!(empty.samples.is_empty());
        assert_eq!(empty.words, 0);
    }

    /// The sketch by the definition: every distinct shingle hash sorted,
    /// then the fixed-rate sample, the floor or the cap.
    fn reference(text: &str, cfg: &SketchConfig) -> (u32, Vec<u64>) {
        let mut w = Words::default();
        crate::shingle::words(text, &mut w);
        let mut kept = Vec::new();
        crate::boilerplate::keep_content(text, &w, &mut kept);
        let mut all = Vec::new();
        for_each_shingle(&kept, cfg.shingle, |h| all.push(h));
        all.sort_unstable();
        all.dedup();
        let base = cfg.base_threshold();
        let under = count_under(&all, base);
        let t = if under < cfg.min_samples {
            if all.len() > cfg.min_samples {
                high(all[cfg.min_samples - 1])
            } else {
                u32::MAX
            }
        } else if under > cfg.max_samples {
            high(all[cfg.max_samples - 1])
        } else {
            base
        };
        (t, all[..count_under(&all, t)].to_vec())
    }

    #[test]
    fn sketches_match_the_definition_at_every_length() {
        let cfg = SketchConfig::default();
        let mut s = Sketcher::new();
        for n in (0..700).step_by(3) {
            // Repeated words make repeated shingles (dedup matters).
            let t: String = (0..n)
                .map(|i| format!("w{} ", (i * 7919) % (n / 3 + 5)))
                .collect();
            let sk = s.sketch(&t, &cfg).0;
            assert_eq!((sk.threshold, sk.samples), reference(&t, &cfg), "{n} words");
        }
    }

    #[test]
    fn shared_text_gives_shared_samples() {
        let cfg = SketchConfig::default();
        let mut s = Sketcher::new();
        let base = text(300, "x");
        let a = s.sketch(&base, &cfg).0;
        let b = s.sketch(&format!("{base} {}", text(100, "y")), &cfg).0;
        let t = a.threshold.min(b.threshold);
        let shared = a
            .samples
            .iter()
            .filter(|h| high(**h) <= t && b.samples.binary_search(h).is_ok())
            .count();
        assert!(shared as f64 >= 0.8 * count_under(&a.samples, t) as f64);
    }
}
