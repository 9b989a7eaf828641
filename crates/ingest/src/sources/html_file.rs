//! HTML files: one article per page.
//!
//! The id is the file name without its extension, the title the page's
//! `<title>`, and the body the page's text from [`crate::html_to_text`].
//! Pages that are not valid UTF-8 are read as Latin-1 rather than
//! rejected: every byte sequence decodes, and the text stays readable.

use std::fs::File;
use std::path::Path;

use parallax_model::Origin;

use super::{Draft, Emitter, Reader, id_from_path, read_single};
use crate::{html_title, html_to_text};

/// Read one HTML file as an article.
pub(crate) fn read(reader: &mut Reader, file: File, path: &Path, out: &mut Emitter<'_>) {
    let origin = Origin {
        file: path.display().to_string(),
        line: None,
    };
    let bytes = match read_single(file, reader.options().max_record_bytes, &origin) {
        Ok(bytes) => bytes,
        Err(e) => return out.error(e),
    };
    let html = match String::from_utf8(bytes) {
        Ok(html) => html,
        Err(e) => e.as_bytes().iter().map(|&b| char::from(b)).collect(),
    };
    let html = html.strip_prefix('\u{feff}').unwrap_or(&html);
    let mut draft = Draft::new(id_from_path(path), html_to_text(html));
    draft.title = html_title(html);
    reader.accept(draft, origin, out);
}
