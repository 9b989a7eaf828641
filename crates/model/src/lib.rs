//! The Parallax data model: the nouns every pipeline stage speaks.
//!
//! This crate sits at the bottom of the workspace and depends on nothing of
//! ours. Each stage (ingest, dedup, stories, brief, store) takes and returns
//! these types, so stages never need to import each other.
//!
//! * [`Article`]: one outlet's text about something, after ingestion and
//!   in-article cleaning.
//! * [`Sentence`]: a sentence of an article body, with its byte [`Span`] back
//!   into that body so any quote can be traced to where it was read.
//! * [`Story`]: the articles that report one real-world event; a
//!   [`StoryEvent`] records how it grew (founded, joined, merged).
//! * [`Brief`]: what Parallax tells a reader about a story.
//! * [`CopyLink`]: one article reusing another's text, as the dedup stage
//!   found it and the store keeps it.

mod article;
mod brief;
mod copies;
mod story;

pub use article::{Article, ArticleId, Origin, Removal, RemovalReason, Sentence, Source, Span};
pub use brief::{
    Brief, CitedSentence, CopyGroup, Entity, EntityKind, Fact, FactValue, GroupCopy, Quote,
    SourceRef, SourceUnique, TimelineEvent,
};
pub use copies::{CopyLink, CopyRelation};
pub use story::{Story, StoryEvent, StoryEventKind, StoryId};
