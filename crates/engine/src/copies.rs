//! The dedup stage inside ingestion: every article the engine takes in is
//! compared with every one before it, and the copy pairs it forms go to
//! the store with it and to the briefer as model [`CopyLink`]s.

use parallax_dedup::{Added, Config, DocInput, Fingerprint, Fingerprinter, Index, Pair};
use parallax_model::{Article, ArticleId, CopyLink};
use rayon::prelude::*;
use tracing::warn;

/// The detector's state: the incremental index over every article seen,
/// in arrival order. Never evicted (about 250 bytes an article), so a copy
/// finds its original however old it is, and the state is a pure function
/// of the stored stream.
#[derive(Debug)]
pub(crate) struct CopyDetector {
    index: Index,
    fingerprinter: Fingerprinter,
}

impl Default for CopyDetector {
    fn default() -> Self {
        let config = Config::default();
        Self {
            index: Index::new(config),
            fingerprinter: Fingerprinter::new(config),
        }
    }
}

/// Articles fingerprinted in parallel before being added in order.
const CHUNK: usize = 2048;

impl CopyDetector {
    /// Compares `article` with every article added before, then adds it.
    /// Returns its pairs (the new article is the copy or the original).
    pub(crate) fn add(&mut self, article: &Article) -> Vec<CopyLink> {
        let fp = self
            .fingerprinter
            .fingerprint(&DocInput::from_article(article));
        self.add_fingerprint(&article.id, &fp)
    }

    fn add_fingerprint(&mut self, id: &ArticleId, fp: &Fingerprint) -> Vec<CopyLink> {
        match self.index.add(id.as_str(), fp) {
            Ok(Added::New { pairs, .. }) => pairs.iter().map(|p| self.link(p)).collect(),
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
                links.extend(self.add_fingerprint(&a.id, fp));
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

/// Every copy pair among `articles`, read as one stream in the given
/// order (what ingesting them in that order would store).
pub fn copies(articles: &[Article]) -> Vec<CopyLink> {
    let refs: Vec<&Article> = articles.iter().collect();
    CopyDetector::default().add_all(&refs)
}
