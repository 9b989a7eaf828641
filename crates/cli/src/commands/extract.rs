//! `parallax extract`: the article in each HTML page of a folder, as one
//! JSON object keyed by page name (the contract's format).
//!
//! Pages are `NAME.html`, `NAME.htm` or either with `.gz`, any charset.
//! They are read and extracted in parallel (`--jobs`, default: every core)
//! by [`parallax_extract::folder`]; the output is sorted by name, so it is
//! the same whatever the order of work. A page that cannot be read is
//! reported on stderr with its file and written with an empty body and null
//! fields; the rest go on. This module shows progress and writes the JSON.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use parallax_extract::folder::{extract_pages, list_pages};
use parallax_extract::{Mode, Page};
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
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(pages.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed} {msg}")
                .expect("valid template"),
        )
    };
    let started = Instant::now();
    let extracted = extract_pages(&pages, mode, jobs, &|_, result| {
        if let Err(e) = result {
            bar.suspend(|| eprintln!("skipped: {e}"));
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    let mut failed = 0usize;
    let mut results: BTreeMap<&str, Value> = BTreeMap::new();
    for (page, result) in pages.iter().zip(&extracted.pages) {
        let value = match result {
            Ok(found) => to_json(found),
            // Reported as it happened; written with an empty body.
            Err(_) => {
                failed += 1;
                to_json(&Page::default())
            }
        };
        results.insert(&page.name, value);
    }
    let mut out = super::create(output)?;
    serde_json::to_writer(&mut out, &results)
        .map_err(std::io::Error::from)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", output.display()))?;
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "{} pages in {secs:.2}s ({:.0} pages/s, {} jobs){}",
            results.len(),
            results.len() as f64 / secs.max(1e-9),
            extracted.jobs,
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
