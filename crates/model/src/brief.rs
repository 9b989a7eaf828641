//! Briefs: what Parallax tells a reader about one story.
//!
//! Field names follow the `parallax brief` output of the evaluation
//! contract (`story`, `title`, `summary`, `sentences`, `facts`, `quotes`,
//! `entities`); serialising a [`Brief`] with serde yields that JSON.

use serde::{Deserialize, Serialize};

use crate::{ArticleId, CopyRelation, StoryId};

/// A story's brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    /// The story this brief describes.
    pub story: StoryId,
    /// Headline.
    pub title: String,
    /// The summary: its sentences joined by spaces.
    pub summary: String,
    /// The summary's sentences, each with every article that carries it.
    pub sentences: Vec<CitedSentence>,
    /// Figures the sources gave, grouped by what they measure.
    pub facts: Vec<Fact>,
    /// Quotes, one entry per quote however many outlets carried it.
    pub quotes: Vec<Quote>,
    /// People, organisations and places.
    pub entities: Vec<Entity>,
    /// The articles of the story with their outlets.
    pub sources: Vec<SourceRef>,
    /// Dated events in date order.
    #[serde(default)]
    pub timeline: Vec<TimelineEvent>,
    /// For each source, what it reports that no other source does.
    #[serde(default)]
    pub unique: Vec<SourceUnique>,
    /// Texts carried by more than one article: each original with the
    /// articles that copied it. An article in no group is a text of its
    /// own. Largest group first.
    #[serde(default)]
    pub copies: Vec<CopyGroup>,
    /// The stream position (the store's `seq` of the story's latest
    /// article) this brief reflects, when it was built from a store; a
    /// reader can tell from it whether a brief is behind its story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
}

/// One text carried by several articles of a story: the original and
/// every copy of it (copies of copies included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyGroup {
    /// The article the text comes from (the root of the copy chain).
    pub original: ArticleId,
    /// Its outlet.
    pub outlet: String,
    /// The distinct outlets that carried the text, the original's first.
    pub outlets: Vec<String>,
    /// The copies in arrival order.
    pub copies: Vec<GroupCopy>,
}

/// One copy in a [`CopyGroup`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCopy {
    /// The copy.
    pub article: ArticleId,
    /// Its outlet.
    pub outlet: String,
    /// The article it was copied from: the group's original, or another
    /// copy when it copies a copy.
    pub from: ArticleId,
    /// How much of that text it carries.
    pub relation: CopyRelation,
    /// Strength in `[0, 1]`.
    pub score: f64,
}

/// One summary sentence and the articles that carry its information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitedSentence {
    /// The sentence as shown.
    pub text: String,
    /// Articles that carry it; the first is the one it was taken from.
    pub sources: Vec<ArticleId>,
}

/// A thing measured, with each distinct figure the sources gave for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// What is measured ("employees", "fine").
    pub about: String,
    /// One value per distinct figure.
    pub values: Vec<FactValue>,
    /// True when every source gave the same figure.
    pub agree: bool,
    /// Whose figure it is ("ZTE"), when a source names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// One figure for a fact and the sources that gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactValue {
    /// The figure, normalised ("80000", "25%").
    pub value: String,
    /// The wording of a source that gave it.
    pub text: String,
    /// Articles that gave this figure.
    pub sources: Vec<ArticleId>,
    /// How the sources hedged it ("about", "more than", "at least"), when
    /// they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// A quote, merged across the outlets that carried it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Who said it, when attributed.
    pub speaker: Option<String>,
    /// The quoted words.
    pub text: String,
    /// Articles that carry the quote.
    pub sources: Vec<ArticleId>,
    /// False for words reported without quote marks (a caseless copy, or
    /// "X said that ..."); true for a direct quote.
    #[serde(default = "yes")]
    pub direct: bool,
}

fn yes() -> bool {
    true
}

/// Kinds of named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, agency, party or other body.
    Organisation,
    /// A country, city or other place.
    Place,
    /// A name whose kind is not known.
    Other,
}

/// A named entity and the articles that mention it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: EntityKind,
    /// Articles mentioning it.
    pub sources: Vec<ArticleId>,
    /// Mentions in each of `sources`, in the same order.
    #[serde(default)]
    pub mentions: Vec<u32>,
}

/// A dated event of the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// When: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the sources
    /// were.
    pub date: String,
    /// What happened, in a source's words.
    pub text: String,
    /// Articles that date this event.
    pub sources: Vec<ArticleId>,
}

/// What one source reports that no other source in the story does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceUnique {
    /// The source.
    pub article: ArticleId,
    /// Its sentences that no other source carries, most telling first.
    pub sentences: Vec<String>,
}

/// One article of the story as a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The article.
    pub article: ArticleId,
    /// Its outlet (source name, URL host or id).
    pub outlet: String,
    /// Its title, when it has one.
    pub title: Option<String>,
    /// Publication date, RFC 3339, when known.
    pub published: Option<String>,
}
