//! Settings that bound what the readers accept.

/// Default for [`IngestOptions::max_record_bytes`]: 16 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// How the readers behave. `IngestOptions::default()` suits most inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// The longest record accepted, in bytes: one JSONL line, or a whole
    /// `.txt` / `.html` file. A longer one is skipped and reported without
    /// ever being held in memory whole.
    pub max_record_bytes: usize,
    /// Run in-article cleaning ([`crate::clean_body`]) on every body. Off,
    /// bodies are only trimmed and their blank lines collapsed.
    pub clean: bool,
    /// With `clean`, also cut outlet templates: lines that recur across one
    /// source's articles ([`crate::clean::template`]). Articles are then
    /// handed on in windows of [`crate::clean::TEMPLATE_WINDOW`] (still in
    /// input order).
    pub templates: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            clean: true,
            templates: true,
        }
    }
}
