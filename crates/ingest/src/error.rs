//! What can go wrong with one input, and what is only worth a warning.
//!
//! Every error names where it happened (file, and line for line-based
//! inputs) and the article id when it is known, so a user can find and fix
//! the record. An error rejects one record (or one path); reading goes on.

use parallax_model::{ArticleId, Origin};

/// A record or path that could not be ingested. The record is skipped; the
/// rest of the input is still read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The path could not be opened or read (missing, no permission, ...).
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path, as given.
        path: String,
        /// The underlying failure.
        #[source]
        source: std::io::Error,
    },
    /// A JSONL line is not a JSON article object.
    #[error("{origin}: invalid JSON{}: {message}", for_id(.id))]
    InvalidJson {
        /// Where the line is.
        origin: Origin,
        /// The record's id, when it could still be read.
        id: Option<ArticleId>,
        /// What is wrong.
        message: String,
    },
    /// The record has no usable `id`: missing, empty or of the wrong type.
    #[error("{origin}: bad id: {problem}")]
    BadId {
        /// Where the record is.
        origin: Origin,
        /// What is wrong with the id.
        problem: String,
    },
    /// The record has neither a `text` nor an `html` field.
    #[error("{origin}: article {id} has no `text` or `html` field")]
    MissingBody {
        /// Where the record is.
        origin: Origin,
        /// The record's id.
        id: ArticleId,
    },
    /// The body is empty, or nothing was left of it after cleaning, and
    /// there is no title to stand in for it.
    #[error("{origin}: article {id} has an empty body{}", if *.after_cleaning { " after cleaning" } else { "" })]
    EmptyBody {
        /// Where the record is.
        origin: Origin,
        /// The record's id.
        id: ArticleId,
        /// True when the body only became empty through cleaning.
        after_cleaning: bool,
    },
    /// The record (a JSONL line or a text file) is not valid UTF-8.
    #[error("{origin}: not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 {
        /// Where the record is.
        origin: Origin,
        /// Byte offset of the first invalid byte within the record.
        offset: usize,
    },
    /// A JSONL line is longer than [`crate::IngestOptions::max_record_bytes`].
    #[error("{origin}: line of {len} bytes is longer than the limit of {limit} bytes")]
    LineTooLong {
        /// Where the line is.
        origin: Origin,
        /// The line's full length in bytes.
        len: u64,
        /// The limit in force.
        limit: usize,
    },
    /// A single-article file is larger than
    /// [`crate::IngestOptions::max_record_bytes`].
    #[error("{origin}: file is larger than the limit of {limit} bytes")]
    FileTooLarge {
        /// The file.
        origin: Origin,
        /// The limit in force.
        limit: usize,
    },
    /// The file holds binary data (NUL bytes), not text.
    #[error("{origin}: binary data (NUL bytes), not text")]
    NotText {
        /// The file.
        origin: Origin,
    },
    /// The id was already ingested in this batch; the later record is skipped.
    #[error("{origin}: duplicate id {id}, first seen at {first}")]
    DuplicateId {
        /// Where the second record is.
        origin: Origin,
        /// The repeated id.
        id: ArticleId,
        /// Where the id was first read.
        first: Origin,
    },
    /// An HTML page (or a WARC record holding one) could not be read: bad
    /// gzip data, binary content, too large.
    #[error("{origin}: {message}")]
    BadPage {
        /// The file (and record) at fault.
        origin: Origin,
        /// What is wrong.
        message: String,
    },
    /// A feed (RSS, Atom, JSON Feed) could not be read: not well-formed,
    /// not a feed, bad gzip data. Nothing of it is ingested.
    #[error("{origin}: not a readable feed: {message}")]
    BadFeed {
        /// The file (or address) at fault.
        origin: Origin,
        /// What is wrong.
        message: String,
    },
    /// A WARC archive is damaged from some record on; the records before it
    /// were read.
    #[error("{origin}: corrupt WARC archive: {message}")]
    BadArchive {
        /// The file, and the byte offset of the bad record as its line.
        origin: Origin,
        /// What is wrong.
        message: String,
    },
    /// A path yielded no article and no other error (an empty folder or file).
    #[error("{path}: no articles found")]
    NoArticles {
        /// The path, as given.
        path: String,
    },
}

impl IngestError {
    /// Where the failing record was read, when it is a record.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            Self::Io { .. } | Self::NoArticles { .. } => None,
            Self::InvalidJson { origin, .. }
            | Self::BadId { origin, .. }
            | Self::MissingBody { origin, .. }
            | Self::EmptyBody { origin, .. }
            | Self::InvalidUtf8 { origin, .. }
            | Self::LineTooLong { origin, .. }
            | Self::FileTooLarge { origin, .. }
            | Self::NotText { origin }
            | Self::BadPage { origin, .. }
            | Self::BadFeed { origin, .. }
            | Self::BadArchive { origin, .. }
            | Self::DuplicateId { origin, .. } => Some(origin),
        }
    }

    /// The failing record's id, when it is known.
    pub fn id(&self) -> Option<&ArticleId> {
        match self {
            Self::InvalidJson { id, .. } => id.as_ref(),
            Self::MissingBody { id, .. }
            | Self::EmptyBody { id, .. }
            | Self::DuplicateId { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// Something odd about an article that was still kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestWarning {
    /// The publication date could not be read; `published` is left empty.
    #[error("{origin}: article {id}: cannot read date {value:?}; published left empty")]
    UnparsedDate {
        /// Where the article is.
        origin: Origin,
        /// The article's id.
        id: ArticleId,
        /// The date as given.
        value: String,
    },
    /// The body was empty (or emptied by cleaning); the title stands in.
    #[error("{origin}: article {id}: empty body; the title is used as the body")]
    TitleAsBody {
        /// Where the article is.
        origin: Origin,
        /// The article's id.
        id: ArticleId,
    },
}

/// ` (article ID)` when the id is known, for messages.
fn for_id(id: &Option<ArticleId>) -> String {
    id.as_ref()
        .map(|id| format!(" (article {id})"))
        .unwrap_or_default()
}
