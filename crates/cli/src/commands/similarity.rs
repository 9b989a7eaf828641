//! `parallax similarity`: a score for every pair of articles.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{create, read_articles};

/// Writes `id_a<TAB>id_b<TAB>score` for every unordered pair of `input`.
pub fn similarity(input: &Path, output: &Path) -> Result<ExitCode> {
    let articles = read_articles(input)?;
    let mut out = create(output)?;
    let mut result = Ok(());
    parallax_engine::pipeline::similarity(&articles, |a, b, score| {
        if result.is_ok() {
            result = writeln!(out, "{}\t{}\t{score:.6}", a.id, b.id);
        }
    });
    result
        .and_then(|()| out.flush())
        .with_context(|| format!("writing {}", output.display()))?;
    let n = articles.len();
    eprintln!(
        "{} pairs of {n} articles -> {}",
        n * n.saturating_sub(1) / 2,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
