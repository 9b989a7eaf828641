//! What the readers hand their caller: one event per thing that happened.

use std::path::PathBuf;

use parallax_model::Article;

use crate::{IngestError, IngestWarning};

/// One thing that happened while reading, in input order.
#[derive(Debug)]
pub enum Event {
    /// A good, cleaned article.
    Article(Article),
    /// A note about the article that follows it (it is still kept).
    Warning(IngestWarning),
    /// A record or path that was rejected; reading went on.
    Error(IngestError),
    /// A file in a folder that is not an input format (unknown extension,
    /// or a `.json` file that is not JSONL). Not an error.
    FileSkipped {
        /// The file.
        path: PathBuf,
        /// Why it was skipped.
        reason: String,
    },
}

/// Counts of what one read produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input files opened (JSONL, text or HTML).
    pub files: usize,
    /// Articles handed on.
    pub articles: usize,
    /// Records or paths rejected.
    pub errors: usize,
    /// Warnings about kept articles.
    pub warnings: usize,
    /// Files skipped as not an input format.
    pub skipped_files: usize,
}

impl Summary {
    /// Count one event.
    pub fn count(&mut self, event: &Event) {
        match event {
            Event::Article(_) => self.articles += 1,
            Event::Warning(_) => self.warnings += 1,
            Event::Error(_) => self.errors += 1,
            Event::FileSkipped { .. } => self.skipped_files += 1,
        }
    }
}

/// Every event of a read, gathered in memory (see [`crate::read_batch`]).
#[derive(Debug, Default)]
pub struct Batch {
    /// Good articles, in input order.
    pub articles: Vec<Article>,
    /// Rejected records and paths, in input order.
    pub errors: Vec<IngestError>,
    /// Warnings about kept articles, in input order.
    pub warnings: Vec<IngestWarning>,
    /// Files skipped as not an input format, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

impl Batch {
    /// File one event under its kind.
    pub fn push(&mut self, event: Event) {
        match event {
            Event::Article(a) => self.articles.push(a),
            Event::Warning(w) => self.warnings.push(w),
            Event::Error(e) => self.errors.push(e),
            Event::FileSkipped { path, reason } => self.skipped.push((path, reason)),
        }
    }
}
