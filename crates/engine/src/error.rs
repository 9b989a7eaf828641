/// What can stop the engine. Bad input records never do: they are
/// reported and skipped.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] parallax_store::StoreError),
    /// The brief projection failed (its thread says why).
    #[error("building briefs: {0}")]
    Projection(String),
    /// A checkpoint could not be encoded.
    #[error("writing a checkpoint: {0}")]
    Checkpoint(String),
    /// A story id matched nothing.
    #[error("no story with id {0:?} (list them with `parallax stories`)")]
    NoSuchStory(String),
    /// A story id prefix matched several stories.
    #[error("story id {prefix:?} is ambiguous: it matches {}", .matches.join(", "))]
    AmbiguousStory {
        /// What the user typed.
        prefix: String,
        /// The stories it matches.
        matches: Vec<String>,
    },
}
