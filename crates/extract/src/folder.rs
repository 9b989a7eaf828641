//! A folder of saved pages, extracted on several threads: what `parallax
//! extract` runs. Pages are `NAME.html`, `NAME.htm` or either with `.gz`
//! ([`list_pages`]); each is read with a size limit and extracted
//! ([`read_page`]), on as many threads as asked ([`extract_pages`]). The
//! results come back in the listing's order, so they do not depend on the
//! order the threads finished in.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{DEFAULT_MAX_PAGE_BYTES, ExtractError, Mode, Page, extract_bytes};

/// One saved page: its name (the file name without the extension) and path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageFile {
    /// The file name without `.html`, `.htm` (and `.gz`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// The folder could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read folder {}", dir.display())]
pub struct FolderError {
    /// The folder.
    pub dir: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// A page that could not be read or extracted; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum PageFileError {
    /// The file could not be read (or is over the size limit).
    #[error("{}: cannot read: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The bytes are not a readable page.
    #[error("{}: {error}", path.display())]
    Extract {
        /// The file.
        path: PathBuf,
        /// Why.
        error: ExtractError,
    },
}

/// The pages in `dir` (not recursive), sorted by name. Files with other
/// extensions, an empty name or that are not regular files are left out.
pub fn list_pages(dir: &Path) -> Result<Vec<PageFile>, FolderError> {
    let error = |source| FolderError {
        dir: dir.to_owned(),
        source,
    };
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(error)? {
        let path = entry.map_err(error)?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let lower = file.to_ascii_lowercase();
        let stem_len = [".html.gz", ".htm.gz", ".html", ".htm"]
            .iter()
            .find(|ext| lower.ends_with(*ext))
            .map(|ext| file.len() - ext.len());
        match stem_len {
            Some(n) if n > 0 && path.is_file() => pages.push(PageFile {
                name: file[..n].to_owned(),
                path,
            }),
            _ => {}
        }
    }
    pages.sort();
    Ok(pages)
}

/// Reads the page at `path` (at most [`DEFAULT_MAX_PAGE_BYTES`], gzip
/// undone, any charset) and extracts its article.
pub fn read_page(path: &Path, mode: Mode) -> Result<Page, PageFileError> {
    let bytes =
        read_bounded(path, DEFAULT_MAX_PAGE_BYTES).map_err(|error| PageFileError::Read {
            path: path.to_owned(),
            error,
        })?;
    extract_bytes(&bytes, None, None, mode, DEFAULT_MAX_PAGE_BYTES).map_err(|error| {
        PageFileError::Extract {
            path: path.to_owned(),
            error,
        }
    })
}

/// A file's bytes, refusing one larger than `limit` without reading it all.
fn read_bounded(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(std::io::Error::other(format!(
            "file is larger than the limit of {limit} bytes"
        )));
    }
    Ok(bytes)
}

/// What [`extract_pages`] found.
#[derive(Debug)]
pub struct Extracted {
    /// One result per page, in the order of the pages given.
    pub pages: Vec<Result<Page, PageFileError>>,
    /// Threads that ran.
    pub jobs: usize,
}

/// Reads and extracts every page on `jobs` threads (`None`: one per core;
/// never more than there are pages, never fewer than one). `done` hears
/// about each page as it is finished, from the thread that did it (for a
/// progress display).
pub fn extract_pages(
    pages: &[PageFile],
    mode: Mode,
    jobs: Option<usize>,
    done: &(dyn Fn(&PageFile, Result<&Page, &PageFileError>) + Sync),
) -> Extracted {
    let jobs = jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .clamp(1, pages.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut found = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(page) = pages.get(i) else {
                return found;
            };
            let result = read_page(&page.path, mode);
            done(page, result.as_ref());
            found.push((i, result));
        }
    };
    let mut slots: Vec<Option<Result<Page, PageFileError>>> = Vec::new();
    slots.resize_with(pages.len(), || None);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (1..jobs).map(|_| scope.spawn(work)).collect();
        // This thread works too.
        let mut all = vec![work()];
        // A thread that panicked leaves its pages unfilled: they are
        // extracted again below, where the panic shows.
        all.extend(threads.into_iter().filter_map(|t| t.join().ok()));
        for (i, result) in all.into_iter().flatten() {
            slots[i] = Some(result);
        }
    });
    let pages = slots
        .into_iter()
        .zip(pages)
        .map(|(slot, page)| slot.unwrap_or_else(|| read_page(&page.path, mode)))
        .collect();
    Extracted { pages, jobs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    const PAGE: &str = "<html><head><title>Bridge closes</title></head><body><article>\
        <p>The council voted on Tuesday to close the old bridge for repairs that will take \
        at least a year to finish.</p></article></body></html>";

    #[test]
    fn pages_are_listed_by_name_and_extracted_in_that_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.html"), PAGE).unwrap();
        std::fs::write(dir.path().join("a.HTM"), PAGE).unwrap();
        std::fs::write(dir.path().join("c.html"), b"\x7fELF\0\0\0\x01\0\0").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".html"), PAGE).unwrap();
        std::fs::create_dir(dir.path().join("d.html")).unwrap();
        let pages = list_pages(dir.path()).unwrap();
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);

        let seen = Mutex::new(Vec::new());
        let extracted = extract_pages(&pages, Mode::Fast, Some(8), &|page, result| {
            seen.lock()
                .unwrap()
                .push((page.name.clone(), result.is_ok()));
        });
        assert_eq!(extracted.jobs, 3);
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(
            seen,
            [("a".into(), true), ("b".into(), true), ("c".into(), false)]
        );
        let titles: Vec<Option<&str>> = extracted
            .pages
            .iter()
            .map(|r| r.as_ref().ok().and_then(|p| p.title.as_deref()))
            .collect();
        assert_eq!(titles, [Some("Bridge closes"), Some("Bridge closes"), None]);
        let err = extracted.pages[2].as_ref().unwrap_err().to_string();
        assert!(err.contains("c.html: binary data"), "{err}");
    }

    #[test]
    fn a_missing_folder_and_an_empty_one() {
        let err = list_pages(Path::new("/nonexistent/pages")).unwrap_err();
        assert_eq!(err.to_string(), "cannot read folder /nonexistent/pages");
        let dir = tempfile::tempdir().unwrap();
        assert!(list_pages(dir.path()).unwrap().is_empty());
        let none = extract_pages(&[], Mode::Best, None, &|_, _| {});
        assert!(none.pages.is_empty());
        assert_eq!(none.jobs, 1);
    }

    #[test]
    fn an_oversized_file_is_refused_before_it_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.html");
        std::fs::write(&path, vec![b'a'; 101]).unwrap();
        let err = read_bounded(&path, 100).unwrap_err().to_string();
        assert!(err.contains("larger than the limit of 100 bytes"), "{err}");
        assert_eq!(read_bounded(&path, 101).unwrap().len(), 101);
    }
}
