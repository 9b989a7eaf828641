//! One module per subcommand. Each returns the process exit code.

pub mod brief;
pub mod cluster;
pub mod dedup;
pub mod extract;
pub mod run;
pub mod serve;
pub mod similarity;
pub mod stories;
pub mod watch;

use std::path::Path;

use anyhow::{Result, bail};
use parallax_ingest::{Event, IngestOptions, Reader, Summary};
use parallax_model::Article;

/// Reads every article of an input file for a one-shot command, reporting
/// rejected records on stderr (they are skipped, as the contract says).
/// Fails only when nothing at all could be read.
pub fn read_articles(input: &Path) -> Result<Vec<Article>> {
    let mut articles = Vec::new();
    let mut reader = Reader::new(IngestOptions::default());
    let summary = reader.read_path(input, &mut |event| match event {
        Event::Article(a) => articles.push(a),
        other => report(other),
    });
    parallax_engine::pipeline::prepare_all(&mut articles);
    check_read(input, &summary)?;
    Ok(articles)
}

/// Reports an ingest event that is not an article on stderr.
pub fn report(event: Event) {
    match event {
        Event::Article(_) => {}
        Event::Error(e) => eprintln!("skipped: {e}"),
        Event::Warning(w) => eprintln!("warning: {w}"),
        Event::FileSkipped { path, reason } => {
            eprintln!("skipped file {}: {reason}", path.display())
        }
    }
}

/// Fails when nothing at all could be read from `input`; says how many
/// records were skipped otherwise.
pub fn check_read(input: &Path, summary: &Summary) -> Result<()> {
    if summary.articles == 0 {
        bail!(
            "{}: no readable articles ({} records rejected)",
            input.display(),
            summary.errors
        );
    }
    if summary.errors > 0 {
        eprintln!(
            "{}: {} articles read, {} records skipped",
            input.display(),
            summary.articles,
            summary.errors
        );
    }
    Ok(())
}

/// Opens `path` for writing, naming it in the error.
pub fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    use anyhow::Context;
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot create output file {}", path.display()))?;
    Ok(std::io::BufWriter::new(file))
}
