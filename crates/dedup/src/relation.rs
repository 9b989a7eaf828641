//! What two articles that share samples are to each other: the same text,
//! the same text with small edits, one reusing a substantial part of the
//! other, or nothing (they merely report the same event).
//!
//! The decision uses *containment* in both directions: the share of each
//! article's sampled shingles that the other also holds. Containment, not
//! Jaccard, is the right measure for syndication: a wire story cut to its
//! first half and carried under a new intro has a low Jaccard similarity to
//! the original but is mostly contained in it.
//!
//! Articles about the same event share quotes (the same tweet, the same
//! line from a spokesman) and proper names, but rarely a long run of the
//! same *prose*: word shingles of prose written separately almost never
//! coincide. Seeds 000 and 003 are the case in point: 000 reuses the tweet
//! and one quote that 003 also carries and paraphrases the rest, so about a
//! seventh of 000's sampled shingles are in 003 (fewer of 003's in 000): well
//! below the syndication bar (about a third of the smaller text, see
//! [`RelationConfig`]). We call it *not* a copy: outlets quoting the same
//! statement is reporting, not syndication. (Had 000 carried 003's prose
//! with light edits, it would be `syndicated` or `near-duplicate`.)

/// The relation of a copy to its original: duplicate (the same text after
/// normalisation), near-duplicate (small edits: a changed word, a dropped
/// sentence, an outlet's promo line or footer) or syndicated (a substantial
/// part of the other's text reused). The model's type, so the store and the
/// brief read the pairs this stage finds without a translation.
pub use parallax_model::CopyRelation as Relation;

/// Thresholds of the relation tests (part of [`crate::Config`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RelationConfig {
    /// Near-duplicate: each article has at least this share of its samples
    /// in the other.
    pub near_duplicate: f64,
    /// Syndicated: the smaller article has at least this share of its
    /// samples in the larger (sampled containment). Partial reposts (an
    /// outlet's own opening paragraphs over the first half of a wire story,
    /// or a trimmed and edited copy inside the outlet's own text) share 40-60%
    /// of the shorter text, so the bar sits below that; pairs that share only
    /// quotes and names stay under it, and `min_shared` keeps a handful of
    /// chance samples from passing it...
    pub syndicated: f64,
    /// ...and the larger at least this share in the smaller (so a short
    /// shared quote inside two long texts does not count).
    pub syndicated_larger: f64,
    /// The fewest shared samples for any relation but exact duplicates
    /// (with 40 or more samples per text, six shared ones are a passage of
    /// the shorter text, not a quote).
    pub min_shared: u32,
}

impl Default for RelationConfig {
    fn default() -> Self {
        Self {
            near_duplicate: 0.8,
            syndicated: 0.35,
            syndicated_larger: 0.0,
            min_shared: 6,
        }
    }
}

/// The evidence about one pair, from their sketches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Samples both hold (at the lower of the two thresholds).
    pub shared: u32,
    /// Samples of the first article at that threshold.
    pub a_samples: f64,
    /// Samples of the second article at that threshold.
    pub b_samples: f64,
    /// The exact (normalised whole-text) hashes are equal.
    pub exact: bool,
}

impl Overlap {
    /// Share of the first article's samples found in the second.
    pub fn a_in_b(&self) -> f64 {
        ratio(self.shared, self.a_samples)
    }

    /// Share of the second article's samples found in the first.
    pub fn b_in_a(&self) -> f64 {
        ratio(self.shared, self.b_samples)
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self) -> f64 {
        let union = self.a_samples + self.b_samples - f64::from(self.shared);
        if union <= 0.0 {
            0.0
        } else {
            (f64::from(self.shared) / union).min(1.0)
        }
    }
}

fn ratio(shared: u32, of: f64) -> f64 {
    if of <= 0.0 {
        0.0
    } else {
        (f64::from(shared) / of).min(1.0)
    }
}

/// The relation two articles have, if any, with its score in `[0, 1]`
/// (1 for duplicates, the Jaccard estimate for near-duplicates, the
/// smaller article's containment for syndication).
pub fn classify(o: &Overlap, config: &RelationConfig) -> Option<(Relation, f64)> {
    if o.exact {
        return Some((Relation::Duplicate, 1.0));
    }
    if o.shared < config.min_shared {
        return None;
    }
    let (ab, ba) = (o.a_in_b(), o.b_in_a());
    let (small, large) = if o.a_samples <= o.b_samples {
        (ab, ba)
    } else {
        (ba, ab)
    };
    if ab.min(ba) >= config.near_duplicate {
        return Some((Relation::NearDuplicate, o.jaccard()));
    }
    if small >= config.syndicated && large >= config.syndicated_larger {
        return Some((Relation::Syndicated, small));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(shared: u32, a: f64, b: f64) -> Overlap {
        Overlap {
            shared,
            a_samples: a,
            b_samples: b,
            exact: false,
        }
    }

    #[test]
    fn relations_by_containment() {
        let c = RelationConfig::default();
        assert_eq!(
            classify(&overlap(19, 20.0, 20.0), &c).unwrap().0,
            Relation::NearDuplicate
        );
        assert_eq!(
            classify(&overlap(10, 12.0, 30.0), &c).unwrap().0,
            Relation::Syndicated
        );
        assert_eq!(classify(&overlap(4, 24.0, 30.0), &c), None);
        assert_eq!(classify(&overlap(3, 3.0, 3.0), &c), None);
        let exact = Overlap {
            exact: true,
            ..overlap(0, 1.0, 1.0)
        };
        assert_eq!(classify(&exact, &c), Some((Relation::Duplicate, 1.0)));
    }

    #[test]
    fn names_round_trip() {
        for r in [
            Relation::Duplicate,
            Relation::NearDuplicate,
            Relation::Syndicated,
        ] {
            assert_eq!(Relation::parse(r.as_str()), Some(r));
        }
        assert_eq!(Relation::parse("copy"), None);
    }
}
