//! Sources for Parallax: turn files, folders and streams into [`Article`]s.
//!
//! Ingestion is the first stage of the pipeline. It reads what a user points
//! Parallax at (Article JSONL, plain `.txt` files, HTML pages gzipped or not
//! in any charset, WARC archives, or folders of them), checks every record,
//! and cleans each article's body before any later stage sees it. The main
//! text of a web page is found by `parallax-extract`. The data flows through two parts of this crate:
//!
//! 1. [`sources`]: readers, one per input shape. They stream (no file is
//!    ever held whole in memory unless it is a single article) and hand the
//!    caller an [`Event`] per good article, per warning and per rejected
//!    record, interleaved in input order, so one bad line never stops a run.
//! 2. [`clean`]: in-article cleaning. Boilerplate that is not the story
//!    (a second copy of the text, "READ: ..." promos, reading-time chrome,
//!    copyright and reporting-credit footers) is cut by the *shape* of the
//!    text, and everything cut is kept in [`Article::removed`] with a reason.
//!
//! Errors never panic and always name the file, the line (for line-based
//! inputs) and the article id when it is known.
//!
//! ```
//! use parallax_ingest::{Event, Reader, IngestOptions};
//!
//! let input = concat!(
//!     r#"{"id": "a1", "text": "ZTE employs 75,000 people.", "published": "2018-05-14"}"#, "\n",
//!     "not json\n",
//! );
//! let mut reader = Reader::new(IngestOptions::default());
//! let mut events = Vec::new();
//! let summary = reader.read_jsonl(input.as_bytes(), "inline.jsonl", &mut |e| events.push(e));
//! assert_eq!((summary.articles, summary.errors), (1, 1));
//! assert!(matches!(&events[0], Event::Article(a) if a.id.as_str() == "a1"));
//! assert!(matches!(&events[1], Event::Error(e) if e.to_string().starts_with("inline.jsonl:2:")));
//! ```

pub mod clean;
mod date;
mod error;
mod event;
mod html;
mod id;
mod options;
pub mod sources;

pub use clean::{Cleaned, clean_body};
pub use date::parse_date;
pub use error::{IngestError, IngestWarning};
pub use event::{Batch, Event, Summary};
pub use html::{html_title, html_to_text};
pub use id::{MAX_ID_BYTES, check_id};
pub use options::{DEFAULT_MAX_RECORD_BYTES, IngestOptions};
pub use sources::Reader;
pub use sources::jsonl::record_page;

use std::path::Path;

#[doc(no_inline)]
pub use parallax_model::Article;

/// Read a file or folder with default options, handing every [`Event`] to
/// `sink` as it happens. Returns the counts for the path.
///
/// A shorthand for [`Reader::read_path`] on a fresh [`Reader`].
///
/// ```
/// use parallax_ingest::{read_path, Event};
///
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("zte.txt"), "date 2018-05-14 WASHINGTON — ZTE is back.").unwrap();
/// let mut articles = Vec::new();
/// let summary = read_path(dir.path(), &mut |e| {
///     if let Event::Article(a) = e {
///         articles.push(a);
///     }
/// });
/// assert_eq!(summary.articles, 1);
/// assert_eq!(articles[0].id.as_str(), "zte");
/// assert_eq!(articles[0].body, "WASHINGTON — ZTE is back.");
/// ```
pub fn read_path(path: &Path, sink: &mut dyn FnMut(Event)) -> Summary {
    Reader::new(IngestOptions::default()).read_path(path, sink)
}

/// Read a file or folder into memory: every article, error, warning and
/// skipped file. Convenient for small inputs and tests; use [`read_path`] or
/// a [`Reader`] to stream large ones.
///
/// ```
/// use parallax_ingest::{read_batch, IngestOptions};
///
/// let dir = tempfile::tempdir().unwrap();
/// let batch = read_batch(dir.path(), IngestOptions::default());
/// assert!(batch.articles.is_empty());
/// assert_eq!(batch.errors[0].to_string(), format!("{}: no articles found", dir.path().display()));
/// ```
pub fn read_batch(path: &Path, options: IngestOptions) -> Batch {
    let mut batch = Batch::default();
    Reader::new(options).read_path(path, &mut |e| batch.push(e));
    batch
}
