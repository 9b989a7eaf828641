//! `parallax extract`: the article in each HTML page of a folder, as one
//! JSON object keyed by page name (the contract's format).
//!
//! Pages are `NAME.html`, `NAME.htm` or either with `.gz`, any charset.
//! They are read and extracted in parallel (`--jobs`, default: every core);
//! the output is sorted by name, so it is the same whatever the order of
//! work. A page that cannot be read is reported on stderr with its file and
//! written with an empty body and null fields; the rest go on.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use parallax_extract::{DEFAULT_MAX_PAGE_BYTES, Mode, Page, extract_bytes};
use serde_json::{Value, json};

/// Extract every page under `input` into `output`.
pub fn extract(
    input: &Path,
    output: &Path,
    fast: bool,
    jobs: Option<usize>,
    quiet: bool,
) -> Result<std::process::ExitCode> {
    let pages = list_pages(input)?;
    if pages.is_empty() {
        bail!("{}: no .html or .html.gz pages found", input.display());
    }
    let mode = if fast { Mode::Fast } else { Mode::Best };
    let jobs = jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .clamp(1, pages.len());
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(pages.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed} {msg}")
                .expect("valid template"),
        )
    };
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<BTreeMap<String, Value>> = Mutex::new(BTreeMap::new());
    let failed = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((name, path)) = pages.get(i) else {
                        break;
                    };
                    let value = match read_page(path, mode) {
                        Ok(page) => to_json(&page),
                        Err(message) => {
                            failed.fetch_add(1, Ordering::Relaxed);
                            bar.suspend(|| eprintln!("skipped: {message}"));
                            to_json(&Page::default())
                        }
                    };
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(name.clone(), value);
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut out = super::create(output)?;
    serde_json::to_writer(&mut out, &results)
        .map_err(std::io::Error::from)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", output.display()))?;
    let failed = failed.into_inner();
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "{} pages in {secs:.2}s ({:.0} pages/s, {jobs} jobs){}",
            results.len(),
            results.len() as f64 / secs.max(1e-9),
            if failed > 0 {
                format!(", {failed} unreadable")
            } else {
                String::new()
            }
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// The contract's fields, plus a few more that keep their schema.org names.
fn to_json(page: &Page) -> Value {
    json!({
        "articleBody": page.body,
        "headline": page.title,
        "datePublished": page.published.map(|d| d.to_rfc3339()),
        "author": page.author,
        "publisher": page.site_name,
        "url": page.url,
        "inLanguage": page.lang,
        "description": page.description,
    })
}

/// Read and extract one page; the error names the file.
fn read_page(path: &Path, mode: Mode) -> Result<Page, String> {
    let bytes = read_bounded(path, DEFAULT_MAX_PAGE_BYTES)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    extract_bytes(&bytes, None, None, mode, DEFAULT_MAX_PAGE_BYTES)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A file's bytes, refusing one larger than `limit` without reading it all.
fn read_bounded(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
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

/// The pages in `dir` (not recursive), as (name, path), sorted by name.
fn list_pages(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    let mut pages = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read folder {}", dir.display()))?
            .path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let lower = file.to_ascii_lowercase();
        let stem_len = [".html.gz", ".htm.gz", ".html", ".htm"]
            .iter()
            .find(|ext| lower.ends_with(*ext))
            .map(|ext| file.len() - ext.len());
        match stem_len {
            Some(n) if n > 0 && path.is_file() => pages.push((file[..n].to_owned(), path)),
            _ => {}
        }
    }
    pages.sort();
    Ok(pages)
}
