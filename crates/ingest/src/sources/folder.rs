//! Walking a folder: every file below it, in path order.
//!
//! The walk is recursive and deterministic (entries sorted by name at each
//! level, so files come in path order), skips hidden files and folders
//! (names starting with `.`), follows links but never enters the same
//! folder twice, reports folders it cannot read without stopping, and
//! reports (never opens) entries that are not regular files once links are
//! followed: FIFOs, sockets, devices.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::IngestError;

/// What the walk found.
#[derive(Debug)]
pub enum Found {
    /// A file to consider.
    File(PathBuf),
    /// An entry that is neither a folder nor a regular file (a FIFO, a
    /// socket, a device, or a link to one): never opened, since reading it
    /// could block for ever or never end.
    Special(PathBuf),
    /// A folder or entry that could not be read.
    Error(IngestError),
}

/// Walk `root`, handing each file (or failure) to `visit` in path order.
///
/// ```
/// use parallax_ingest::sources::folder::{walk, Found};
///
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::create_dir(dir.path().join("b")).unwrap();
/// for name in ["b/c.txt", "a.txt", ".hidden.txt"] {
///     std::fs::write(dir.path().join(name), "x").unwrap();
/// }
/// let mut files = Vec::new();
/// walk(dir.path(), &mut |f| {
///     if let Found::File(p) = f {
///         files.push(p.strip_prefix(dir.path()).unwrap().to_owned());
///     }
/// });
/// assert_eq!(files, [std::path::Path::new("a.txt"), std::path::Path::new("b/c.txt")]);
/// ```
pub fn walk(root: &Path, visit: &mut dyn FnMut(Found)) {
    let mut entered = HashSet::new();
    walk_dir(root, visit, &mut entered);
}

fn walk_dir(dir: &Path, visit: &mut dyn FnMut(Found), entered: &mut HashSet<PathBuf>) {
    let io_error = |source| {
        Found::Error(IngestError::Io {
            path: dir.display().to_string(),
            source,
        })
    };
    if let Ok(real) = fs::canonicalize(dir)
        && !entered.insert(real)
    {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return visit(io_error(e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) if !entry.file_name().to_string_lossy().starts_with('.') => {
                paths.push(entry.path());
            }
            Ok(_) => {}
            Err(e) => visit(io_error(e)),
        }
    }
    paths.sort();
    for path in paths {
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk_dir(&path, visit, entered),
            Ok(meta) if meta.is_file() => visit(Found::File(path)),
            Ok(_) => visit(Found::Special(path)),
            Err(source) => visit(Found::Error(IngestError::Io {
                path: path.display().to_string(),
                source,
            })),
        }
    }
}
