//! Copies: which articles reuse another article's text, and how.
//!
//! The dedup stage finds the pairs; the store keeps every one of them; the
//! brief groups a story's articles by the text they carry. These types
//! are how the three talk without importing each other.

use serde::{Deserialize, Serialize};

use crate::ArticleId;

/// How much of its original's text a copy carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyRelation {
    /// The same text after normalisation (case, punctuation, spacing).
    Duplicate,
    /// The same text with small edits.
    NearDuplicate,
    /// A substantial part of the original's text, reused.
    Syndicated,
}

impl CopyRelation {
    /// The name used in `parallax dedup` output, the store and JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::NearDuplicate => "near-duplicate",
            Self::Syndicated => "syndicated",
        }
    }

    /// Parses [`CopyRelation::as_str`]'s names.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "duplicate" => Self::Duplicate,
            "near-duplicate" => Self::NearDuplicate,
            "syndicated" => Self::Syndicated,
            _ => return None,
        })
    }

    /// True when the copy changed the text (anything but a duplicate).
    pub fn edited(&self) -> bool {
        !matches!(self, Self::Duplicate)
    }
}

impl std::fmt::Display for CopyRelation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One detected pair: `copy` reuses `original`'s text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyLink {
    /// The article that reuses the text.
    pub copy: ArticleId,
    /// The earlier or fuller article it reuses.
    pub original: ArticleId,
    /// How much of the text is shared.
    pub relation: CopyRelation,
    /// Strength in `[0, 1]`.
    pub score: f64,
    /// What decided the direction ("date", "wire-outlet", "fuller",
    /// "wire-credit", "degraded", "arrival"), or "chain" for a pair that
    /// links a copy of a copy to the root original; `None` when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}
