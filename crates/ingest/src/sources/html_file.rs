//! HTML pages: one article per page, found by the main-text extractor.
//!
//! A `.html`/`.htm` file, gzipped or not (`.html.gz`), in any charset, goes
//! through [`parallax_extract`]: the body is the page's main text (menus,
//! related links and footers left out), and the headline, publication
//! date, author's outlet (site name), canonical URL and language are read
//! from the page. The id is the file name without its extensions. A page
//! that cannot be read (truncated gzip, binary data, over the size limit)
//! is reported with its file and skipped.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use parallax_extract::{Mode, Page, extract_bytes};
use parallax_model::{ArticleId, Origin};

use super::{Draft, Emitter, Reader, id_from_path};
use crate::IngestError;

/// Read one HTML file as an article.
pub(crate) fn read(reader: &mut Reader, file: File, path: &Path, out: &mut Emitter<'_>) {
    let origin = Origin {
        file: path.display().to_string(),
        line: None,
    };
    let limit = reader.options().max_record_bytes;
    let mut bytes = Vec::new();
    if let Err(source) = file.take(limit as u64 + 1).read_to_end(&mut bytes) {
        return out.error(IngestError::Io {
            path: origin.file,
            source,
        });
    }
    if bytes.len() > limit {
        return out.error(IngestError::FileTooLarge { origin, limit });
    }
    let id = id_from_path(path);
    let id = ArticleId(
        id.0.strip_suffix(".html")
            .or_else(|| id.0.strip_suffix(".htm"))
            .map_or(id.0.clone(), str::to_owned),
    );
    match page_draft(id, &bytes, None, None, limit) {
        Ok(draft) => reader.accept(draft, origin, out),
        Err(message) => out.error(IngestError::BadPage { origin, message }),
    }
}

/// A draft from a page's raw bytes (gzip or not, any charset); the error
/// says why the page is unreadable. `charset` and `url` come from outside
/// the page (HTTP headers, a WARC record), when known.
pub(crate) fn page_draft(
    id: ArticleId,
    bytes: &[u8],
    charset: Option<&str>,
    url: Option<&str>,
    limit: usize,
) -> Result<Draft, String> {
    let page = extract_bytes(bytes, charset, url, Mode::Best, limit).map_err(|e| e.to_string())?;
    Ok(draft_from_page(id, page))
}

/// A draft from an extracted page.
pub(crate) fn draft_from_page(id: ArticleId, page: Page) -> Draft {
    let mut draft = Draft::new(id, page.body);
    draft.title = page.title;
    draft.url = page.url;
    draft.source = page.site_name;
    draft.published = page.published;
    draft.lang = page.lang;
    draft
}
