//! Stories: the articles that report one real-world event.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ArticleId;

/// A story's stable identifier. It is derived from the article that founded
/// the story, so re-running the same stream yields the same ids and a story
/// keeps its id as it grows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoryId(pub String);

impl StoryId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for StoryId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// A story and its member articles, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// Stable id.
    pub id: StoryId,
    /// Member articles in the order they joined.
    pub articles: Vec<ArticleId>,
}
