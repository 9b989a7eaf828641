//! Duplicates and syndication: find every copy of an article's text and
//! tell who copied whom.
//!
//! A large share of any news feed is the same text reposted: wire stories
//! carried by dozens of outlets, light edits, excerpts inside longer
//! pieces, degraded copies (lowercased, punctuation stripped). This stage
//! finds them so the store can keep every copy while a story shows each
//! distinct text once, with the outlets that carried it.
//!
//! It answers, for each pair of articles, one of:
//!
//! * `duplicate`: the same text after normalisation (case, punctuation,
//!   spacing, typography);
//! * `near-duplicate`: the same text with small edits;
//! * `syndicated`: one reuses a substantial part of the other's text;
//! * nothing: they may report the same event, but wrote it separately.
//!
//! and, for a pair, which article is the original ([`direction`]).
//!
//! The pipeline, one module per step:
//!
//! 1. [`shingle`]: the text's match-key words, hashed; word shingles and an
//!    exact whole-text hash. Case and punctuation loss change nothing here.
//!    [`boilerplate`] lines (promos, rights footers, reading-time chrome)
//!    are left out of the shingles.
//! 2. [`sketch`]: a consistent threshold sample of the shingle hashes (a
//!    bottom-k relative of MinHash that estimates *containment* both ways,
//!    which partial reuse needs), bounded below and above in size.
//! 3. [`postings`]: a compact sample -> articles multimap (8 bytes a
//!    posting, ordered linear probing), the LSH-style candidate index over
//!    each article's 20 smallest samples; a candidate is then checked on all
//!    the samples of both (40 to 48 each), which partial reuse needs.
//! 4. [`relation`]: containment and Jaccard estimates decide the relation.
//! 5. [`direction`]: publication date, agency outlet or credit, degraded
//!    copy, whose opening the other carries, fuller text, arrival: who
//!    copied whom.
//! 6. [`index`]: the incremental [`Index`] that ties these together: add an
//!    article, get its pairs; evict by age.
//! 7. [`persist`]: [`PersistentIndex`], the index on disk as an append-only,
//!    checksummed log that survives restarts and kills.
//!
//! Everything is written for a stream: an article is compared with what came
//! before it and then indexed, with no rebuild, in a few microseconds, and the
//! index keeps no text (a few hundred bytes per article; see `bench/dedup/`).
//!
//! ```
//! use parallax_dedup::{Added, DocInput, Index, Relation};
//!
//! let wire = "WASHINGTON (Reuters) - U.S. President Donald Trump pledged on Sunday to \
//!     help ZTE Corp get back into business fast after a U.S. ban crippled the \
//!     Chinese technology company, offering a job-saving concession to Beijing \
//!     ahead of high-stakes trade talks this week.";
//! let copy = wire.to_lowercase().replace(['(', ')', ',', '.', '-'], " ");
//! let mut index = Index::default();
//! index.add_doc("wire", &DocInput::text(wire)).unwrap();
//! let Added::New { pairs, .. } = index.add_doc("copy", &DocInput::text(&copy)).unwrap() else {
//!     unreachable!()
//! };
//! assert_eq!(pairs[0].relation, Relation::Duplicate);
//! assert_eq!(index.id(pairs[0].copy), "copy");
//! ```

pub mod boilerplate;
pub mod direction;
pub mod index;
pub mod persist;
pub mod postings;
pub mod relation;
pub mod shingle;
pub mod sketch;

pub use index::{Added, DocNo, Fingerprint, Fingerprinter, Index, IndexError, Pair, Stats};
pub use persist::{PersistError, PersistentIndex};
pub use relation::{Relation, RelationConfig};
pub use sketch::SketchConfig;

/// All settings of the detector.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Config {
    /// Shingles and sampling.
    pub sketch: SketchConfig,
    /// Relation thresholds.
    pub relation: RelationConfig,
    /// The most postings looked at per sample: a shingle carried by more
    /// articles than this is boilerplate, and only its first holders count.
    pub max_postings: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            sketch: SketchConfig::default(),
            relation: RelationConfig::default(),
            max_postings: 4096,
        }
    }
}

/// What the detector reads of an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocInput<'a> {
    /// The body text (cleaned, when it went through ingestion).
    pub text: &'a str,
    /// Publication time, seconds since 1970.
    pub published: Option<i64>,
    /// Outlet name.
    pub source: Option<&'a str>,
    /// URL.
    pub url: Option<&'a str>,
}

impl<'a> DocInput<'a> {
    /// An input with only a text.
    pub fn text(text: &'a str) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }

    /// The input for a model [`parallax_model::Article`].
    pub fn from_article(a: &'a parallax_model::Article) -> Self {
        Self {
            text: &a.body,
            published: a.published.map(|d| d.timestamp()),
            source: a.source.as_ref().map(|s| s.0.as_str()),
            url: a.url.as_deref(),
        }
    }
}
