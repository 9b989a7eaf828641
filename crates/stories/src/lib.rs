//! Stories: group articles about one real-world event, online.
//!
//! Articles arrive one at a time and each must be placed at once, with no
//! knowledge of how many stories there will be. The pipeline here is:
//!
//! 1. [`features`]: an article becomes a sparse term vector ([`Doc`]):
//!    stemmed content words from the language's [`parallax_text::Analyzer`],
//!    the headline weighted up.
//! 2. [`time`]: an article far in time from a story's reports is less
//!    likely to be about the same event; similarity decays with the gap.
//! 3. [`idf`]: document frequencies are updated as articles arrive, so term
//!    weights need no corpus known in advance.
//! 4. [`cluster`]: the [`Clusterer`] finds candidate stories through an
//!    inverted index over story centroids, scores them by TF-IDF cosine
//!    (decayed by [`time`]), and joins the best one above a threshold or
//!    starts a new story. When the article is close to a second story as
//!    well and the two stories' centroids are close to each other, they
//!    have converged on one event: the younger is merged into the older
//!    first ([`Assignment::absorbed`]).
//! 5. [`decision`]: instead of the threshold (opt-in, see
//!    [`ClusterConfig::decision`]), a logistic model over size-free
//!    similarities of the article and each candidate (whole text,
//!    headline, lead, names, numbers, margins over the other candidates)
//!    decides, alone or as a veto over the threshold.
//!
//! 6. [`consolidate`] (opt-in, `parallax cluster --consolidate`): behind
//!    the online placement, a [`Consolidator`] re-clusters the most recent
//!    articles every so often by average linkage over a learned
//!    article-article probability ([`pairwise`]: whole-text, headline,
//!    lead and name cosines, number overlap, margin over the neighbours);
//!    each new cluster keeps the story id it shares most articles with.
//!
//! [`similarity`] scores every pair of articles with the same
//! representation (`parallax similarity`).
//!
//! Story ids are derived from the founding article's id ([`story_id_for`]),
//! so the same stream always yields the same ids and a story keeps its id as
//! it grows; a merge keeps the older story's id, and the absorbed id
//! resolves to it ([`Clusterer::current`]). [`Clusterer::replay`] rebuilds
//! the state from a stored stream, merges included.
//!
//! ```
//! use parallax_stories::{ClusterConfig, Clusterer, Doc};
//! use parallax_text::Analyzer;
//!
//! let en = Analyzer::english();
//! let mut stories = Clusterer::new(ClusterConfig::default());
//! let a = stories.assign(&Doc::new("a", None, "An earthquake of magnitude 6.1 struck Aceh on Tuesday.", &en));
//! let b = stories.assign(&Doc::new("b", None, "A magnitude 6.1 earthquake hit Aceh, Indonesia on Tuesday.", &en));
//! let c = stories.assign(&Doc::new("c", None, "The Saints placed running back Reggie Bush on injured reserve.", &en));
//! assert_eq!(a.story, b.story);
//! assert_ne!(a.story, c.story);
//! ```

pub mod cluster;
pub mod consolidate;
pub mod decision;
pub mod features;
pub mod idf;
pub mod pairwise;
pub mod similarity;
pub mod time;
mod weights;

pub use cluster::{Assignment, Candidate, ClusterConfig, Clusterer, story_id_for};
pub use consolidate::{ConsolidateConfig, Consolidator};
pub use decision::Decision;
pub use features::Doc;
