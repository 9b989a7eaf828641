//! The dedup stage inside ingestion: every article the engine takes in is
//! compared with every one before it, and the copy pairs that shape the
//! copy forest (each copy with its closest original and the root of its
//! chain: [`Index::forest_pairs`]) go to the store with it and to the
//! briefer as model [`CopyLink`]s.

use parallax_dedup::{Added, Config, DocInput, Fingerprint, Fingerprinter, Index, Pair};
use parallax_model::{Article, ArticleId, CopyLink};
use rayon::prelude::*;
use tracing::warn;

/// The detector's state: the incremental index over the articles seen, in
/// arrival order, with those older than [`WINDOW_MINUTES`] evicted.
///
/// Age is measured against the stream's own clock ([`StreamClock`]), never
/// the wall clock, and eviction runs every [`EVICT_EVERY`] articles counted
/// in arrival order, so the state stays a pure function of the stored
/// stream: a store reopened after a crash replays to exactly the state an
/// uninterrupted run would have, whatever the batch sizes were. (Articles
/// are counted by the index itself: [`Index::len`].)
///
/// It serializes (for checkpoints) without its fingerprinter, which holds
/// no state of the stream and is rebuilt from the default settings (the
/// checkpoint records which settings it was made with).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct CopyDetector {
    index: Index,
    #[serde(skip, default = "default_fingerprinter")]
    fingerprinter: Fingerprinter,
    clock: StreamClock,
    window: i32,
}

/// How far back (by publication time) an article is still matched: wire
/// copies and reposts follow their original within days, so 60 days keeps
/// every real pair while bounding the index of an endless stream (about 220
/// bytes of postings an indexed article) to two months of it.
pub(crate) const WINDOW_MINUTES: i32 = 60 * 24 * 60;

/// Articles added between two eviction sweeps: a sweep walks the whole
/// index, so it runs rarely; an article lives at most this many arrivals
/// past its window.
const EVICT_EVERY: usize = 8192;

fn default_fingerprinter() -> Fingerprinter {
    Fingerprinter::new(Config::default())
}

impl Default for CopyDetector {
    fn default() -> Self {
        Self::with_window(WINDOW_MINUTES)
    }
}

/// Articles fingerprinted in parallel before being added in order.
const CHUNK: usize = 2048;

impl CopyDetector {
    /// A detector that forgets articles `window` minutes older than the
    /// stream's clock (`i32::MAX`: never).
    pub(crate) fn with_window(window: i32) -> Self {
        let config = Config::default();
        Self {
            index: Index::new(config),
            fingerprinter: Fingerprinter::new(config),
            clock: StreamClock::default(),
            window,
        }
    }

    /// Articles matched against new ones (not yet evicted).
    #[cfg(test)]
    fn live(&self) -> usize {
        self.index.stats().live
    }

    /// Compares `article` with every article added before, then adds it.
    /// Returns its forest pairs (the new article is the copy or the original).
    pub(crate) fn add(&mut self, article: &Article) -> Vec<CopyLink> {
        let fp = self
            .fingerprinter
            .fingerprint(&DocInput::from_article(article));
        self.add_fingerprinted(&article.id, &fp)
    }

    /// The settings fingerprints for [`Self::add_fingerprinted`] are made
    /// with.
    pub(crate) fn fingerprint_config(&self) -> Config {
        *self.index.config()
    }

    /// [`Self::add`] for an article already fingerprinted (with a
    /// [`Fingerprinter`] of [`Self::fingerprint_config`]).
    pub(crate) fn add_fingerprinted(&mut self, id: &ArticleId, fp: &Fingerprint) -> Vec<CopyLink> {
        if let Some(published) = fp.published {
            self.clock.observe(published);
        }
        // Undated articles take the stream's time, so they age with it.
        self.index.set_clock(self.clock.now);
        match self.index.add(id.as_str(), fp) {
            Ok(Added::New { doc, pairs }) => {
                // Only the pairs that shape the copy forest: a text
                // reposted n times would otherwise store n²/2 pairs.
                let links = self
                    .index
                    .forest_pairs(doc, &pairs)
                    .iter()
                    .map(|p| self.link(p))
                    .collect();
                if self.index.len().is_multiple_of(EVICT_EVERY) && self.clock.now > 0 {
                    self.index
                        .evict_before(self.clock.now.saturating_sub(self.window));
                }
                links
            }
            Ok(Added::Known(_)) => Vec::new(),
            // Only an absurd id (over 64 KiB) or four billion articles get
            // here: the article is stored, just never matched.
            Err(e) => {
                warn!(article = %id, "not checked for copies: {e}");
                Vec::new()
            }
        }
    }

    /// Adds `articles` in order, fingerprinting them on all cores; returns
    /// every pair found, exactly as adding them one by one would.
    pub(crate) fn add_all(&mut self, articles: &[&Article]) -> Vec<CopyLink> {
        let mut links = Vec::new();
        let config = *self.index.config();
        for chunk in articles.chunks(CHUNK) {
            let fps: Vec<Fingerprint> = chunk
                .par_iter()
                .map_init(
                    || Fingerprinter::new(config),
                    |f, a| f.fingerprint(&DocInput::from_article(a)),
                )
                .collect();
            for (a, fp) in chunk.iter().zip(&fps) {
                links.extend(self.add_fingerprinted(&a.id, fp));
            }
        }
        links
    }

    fn link(&self, p: &Pair) -> CopyLink {
        CopyLink {
            copy: ArticleId(self.index.id(p.copy).to_owned()),
            original: ArticleId(self.index.id(p.original).to_owned()),
            relation: p.relation,
            score: p.score,
            evidence: Some(p.rule.map_or("chain", |r| r.as_str()).to_owned()),
        }
    }
}

/// The stream's notion of "now" (minutes since 1970): the latest
/// publication time seen, except that one article may move it forward by at
/// most [`MAX_STEP_MINUTES`]. A single article dated 2099 (a parse slip, a
/// scheduled post) therefore cannot age out the whole index, while a stream
/// that really moves on (an archive replayed year by year) catches up
/// within a few hundred articles.
#[derive(Debug, Default, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct StreamClock {
    now: i32,
}

const MAX_STEP_MINUTES: i32 = 7 * 24 * 60;

impl StreamClock {
    fn observe(&mut self, published: i32) {
        if self.now == 0 {
            self.now = published;
        } else if published > self.now {
            self.now = published.min(self.now.saturating_add(MAX_STEP_MINUTES));
        }
    }
}

/// Every copy pair among `articles`, read as one stream in the given
/// order (what ingesting them in that order would store).
pub fn copies(articles: &[Article]) -> Vec<CopyLink> {
    let refs: Vec<&Article> = articles.iter().collect();
    CopyDetector::default().add_all(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Duration, Utc};

    fn article(id: &str, text: &str, published: DateTime<Utc>) -> Article {
        Article {
            published: Some(published),
            lang: Some("en".to_owned()),
            ..Article::new(id, text)
        }
    }

    /// A distinct text per index: long enough to be sketched.
    fn text(i: usize) -> String {
        (0..80)
            .map(|w| format!("w{}x{}", i, w * 7 + i % 5))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_clock_follows_the_stream_but_not_one_outlier() {
        let mut clock = StreamClock::default();
        clock.observe(1_000_000);
        assert_eq!(clock.now, 1_000_000);
        clock.observe(900_000);
        assert_eq!(clock.now, 1_000_000, "an older article never rewinds it");
        clock.observe(60_000_000);
        assert_eq!(clock.now, 1_000_000 + MAX_STEP_MINUTES, "one step only");
        for _ in 0..10_000 {
            clock.observe(60_000_000);
        }
        assert_eq!(clock.now, 60_000_000, "a stream that moves on catches up");
    }

    #[test]
    fn old_articles_are_evicted_and_no_longer_matched() {
        let start: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().unwrap();
        let window_days = 10;
        let mut detector = CopyDetector::with_window(window_days * 24 * 60);
        let old = article("old", &text(0), start);
        assert!(detector.add(&old).is_empty());
        // A steady stream, one article an hour, well past the window.
        let n = EVICT_EVERY;
        for i in 1..=n {
            let at = start + Duration::hours(i as i64 / 16);
            detector.add(&article(&format!("a{i}"), &text(i), at));
        }
        let span_days = (n / 16 / 24) as i64;
        assert!(span_days > 2 * window_days as i64);
        let live = detector.live();
        assert!(live < n / 2, "{live} of {n} still live");
        // A copy of the old article is no longer linked to it...
        let late = start + Duration::hours(n as i64 / 16 + 1);
        let copy = article("copy-of-old", &text(0), late);
        assert!(detector.add(&copy).is_empty());
        // ...while a copy of a recent one still is.
        let recent = format!("a{n}");
        let copy = article("copy-of-recent", &text(n), late);
        let links = detector.add(&copy);
        assert!(
            links
                .iter()
                .any(|l| l.original.as_str() == recent && l.copy.as_str() == "copy-of-recent"),
            "{links:?}"
        );
    }

    #[test]
    fn a_detector_that_never_forgets_keeps_everything() {
        let start: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().unwrap();
        let mut detector = CopyDetector::with_window(i32::MAX);
        let n = EVICT_EVERY + 10;
        for i in 0..n {
            let at = start + Duration::days(i as i64);
            detector.add(&article(&format!("a{i}"), &text(i), at));
        }
        assert_eq!(detector.live(), n);
    }
}
