//! `parallax run`: ingest into the store and print the stories.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use parallax_engine::{Engine, EngineConfig, IngestNotice};

use crate::output;

/// Ingests `paths` into the store at `db` and prints the stories that
/// gained articles in this run (none when nothing was new), then says on
/// stderr how many that was.
pub fn run(
    db: &Path,
    paths: &[PathBuf],
    as_json: bool,
    quiet: bool,
    batch_size: usize,
) -> Result<ExitCode> {
    let config = EngineConfig {
        batch_size,
        ..EngineConfig::default()
    };
    let mut engine = Engine::open(db, config)?;
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    };
    let report = engine.ingest(paths, &mut |notice| match notice {
        IngestNotice::Rejected(e) => bar.suspend(|| eprintln!("skipped: {e}")),
        IngestNotice::Warning(w) => bar.suspend(|| eprintln!("warning: {w}")),
        IngestNotice::FileSkipped(p, why) => {
            bar.suspend(|| eprintln!("skipped file {}: {why}", p.display()))
        }
        IngestNotice::Conflict(a) => bar.suspend(|| {
            eprintln!(
                "skipped: {}: article {} is already stored with different content",
                a.origin, a.id
            )
        }),
        IngestNotice::Committed { stored } => bar.set_message(format!("{stored} articles stored")),
    })?;
    bar.finish_and_clear();

    eprintln!(
        "{}: {} new articles stored, {} already stored, {} rejected, {} conflicting; {} new stories, {} merged into others; {} copy pairs",
        parallax_engine::display_db(db),
        report.stored,
        report.unchanged,
        report.rejected,
        report.conflicts,
        report.founded,
        report.merged.len(),
        report.copies
    );
    // Only the stories this run touched: a run that stored nothing (a
    // rerun, or input that was all rejected) prints none, whatever the store
    // holds (`parallax stories` lists them all).
    let mut out = std::io::stdout().lock();
    for id in &report.touched {
        let brief = engine.catalog().brief(id.as_str())?;
        if as_json {
            serde_json::to_writer(&mut out, &brief)?;
            writeln!(out)?;
        } else {
            output::write_brief(&mut out, &brief)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    let n = report.touched.len();
    eprintln!(
        "{n} {} touched by this run{}",
        if n == 1 { "story" } else { "stories" },
        if n == 0 {
            " (`parallax stories` lists the store)"
        } else {
            ""
        }
    );
    if report.stored + report.unchanged == 0 {
        eprintln!("error: no article could be read from the given paths");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
