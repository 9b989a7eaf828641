//! The seed articles for unit tests, read from `../shared/seeds` at run
//! time (third-party text is never committed). A checkout without them
//! skips the seed tests with a note instead of failing.

/// The text of seed file `name`, or `None` (with a note on stderr) when
/// the seeds are not there.
pub(crate) fn seed(name: &str) -> Option<String> {
    let path = format!(
        "{}/../../../shared/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("note: {path} is not readable ({e}); test skipped");
            None
        }
    }
}
