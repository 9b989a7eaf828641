//! What an article id may be, whatever it was read from (a JSONL `id`, a
//! file name, a feed item's link, a WARC record's URL, a request body).
//!
//! Ids are written into TSV lines (`parallax cluster`, `dedup`,
//! `similarity`), terminal output, log lines and URLs, so they must hold no
//! control character (a tab or a line break would forge a TSV line, an
//! escape sequence would reach the terminal) and must stay short: an id of
//! megabytes would be repeated in every list, log line and URL that names
//! it. Every reader's records pass [`check_id`] at the gate
//! (`sources::Reader`), so no entry point can skip it.

/// The longest id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 512;

/// `Ok` when `id` is usable as an article id; otherwise what is wrong, in a
/// sentence that shows the id with its control characters escaped.
///
/// ```
/// use parallax_ingest::{MAX_ID_BYTES, check_id};
///
/// assert!(check_id("reuters-2018-05-14-zte").is_ok());
/// let e = check_id("evil\tid\nINJECTED").unwrap_err();
/// assert!(e.contains("control character U+0009"), "{e}");
/// assert!(e.contains(r"evil\tid\nINJECTED"), "{e}");
/// assert!(check_id(&"x".repeat(MAX_ID_BYTES)).is_ok());
/// assert!(check_id(&"x".repeat(MAX_ID_BYTES + 1)).unwrap_err().contains("513 bytes"));
/// ```
pub fn check_id(id: &str) -> Result<(), String> {
    if id.len() > MAX_ID_BYTES {
        return Err(format!(
            "`id` is {} bytes long, over the limit of {MAX_ID_BYTES} bytes (it starts {})",
            id.len(),
            shown(id)
        ));
    }
    if let Some(c) = id.chars().find(|c| is_forbidden(*c)) {
        return Err(format!(
            "`id` {} holds the control character U+{:04X}; ids may not hold tabs, line breaks or other control characters",
            shown(id),
            u32::from(c)
        ));
    }
    Ok(())
}

/// Control characters (C0, DEL, C1) and the Unicode line and paragraph
/// separators: anything that can end a line or drive a terminal.
fn is_forbidden(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// At most the first 80 characters of `id`, quoted, with control
/// characters escaped, for messages.
fn shown(id: &str) -> String {
    let head: String = id.chars().take(80).collect();
    let mut out = format!("{:?}", head);
    if head.len() < id.len() {
        out.push('…');
    }
    out
}
