//! Stories: the articles that report one real-world event.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ArticleId;

/// A story's stable identifier. It is derived from the article that founded
/// the story, so re-running the same stream yields the same ids and a story
/// keeps its id as it grows. When two stories merge, the older keeps its id
/// and the other's id goes on naming the merged story (a `merged`
/// [`StoryEvent`] records where it went).
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

/// Something that happened to a story, as the store records it and the API
/// lists it. Every article placement makes one (`founded` or `joined`);
/// a merge makes one more per absorbed story, at the placement that
/// caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryEvent {
    /// Arrival number (`seq`) of the article whose placement made the
    /// event; events of one placement share it.
    pub seq: i64,
    /// The story it happened to: the one founded or joined, or the
    /// survivor of a merge.
    pub story: StoryId,
    /// What happened.
    #[serde(flatten)]
    pub kind: StoryEventKind,
    /// The article whose placement made the event.
    pub article: ArticleId,
    /// When it was recorded (RFC 3339, the store's clock at commit).
    pub at: String,
}

/// What a [`StoryEvent`] records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StoryEventKind {
    /// The article started the story.
    Founded,
    /// The article joined the story.
    Joined,
    /// Story `from` was merged into the story (its survivor, the older of
    /// the two, which keeps its id): `from`'s articles now belong to it and
    /// `from` resolves to it.
    Merged {
        /// The absorbed story.
        from: StoryId,
    },
}

impl StoryEventKind {
    /// The kind's name as stored and shown: `founded`, `joined`, `merged`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Founded => "founded",
            Self::Joined => "joined",
            Self::Merged { .. } => "merged",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_flat_with_their_kind() {
        let merged = StoryEvent {
            seq: 57,
            story: "s1".into(),
            kind: StoryEventKind::Merged { from: "s2".into() },
            article: "a57".into(),
            at: "2026-01-01T00:00:00+00:00".into(),
        };
        let json = serde_json::to_value(&merged).unwrap();
        assert_eq!(json["kind"], "merged");
        assert_eq!(json["from"], "s2");
        assert_eq!(json["story"], "s1");
        assert_eq!(serde_json::from_value::<StoryEvent>(json).unwrap(), merged);
        let joined = StoryEvent {
            kind: StoryEventKind::Joined,
            ..merged
        };
        let json = serde_json::to_value(&joined).unwrap();
        assert_eq!(json["kind"], "joined");
        assert!(json.get("from").is_none());
        assert_eq!(joined.kind.as_str(), "joined");
    }
}
