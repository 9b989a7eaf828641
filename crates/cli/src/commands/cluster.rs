//! `parallax cluster`: assignments for an article stream.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use parallax_stories::ClusterConfig;

use super::{create, read_articles};

/// Clusters `input` in file order and writes `article_id<TAB>story_id`.
pub fn cluster(input: &Path, output: &Path, threshold: Option<f32>) -> Result<ExitCode> {
    let articles = read_articles(input)?;
    let mut config = ClusterConfig::default();
    if let Some(t) = threshold {
        config.threshold = t;
    }
    let assignments = parallax_engine::pipeline::cluster(&articles, config);
    let mut out = create(output)?;
    for (a, s) in articles.iter().zip(&assignments) {
        writeln!(out, "{}\t{}", a.id, s.story)?;
    }
    out.flush()
        .with_context(|| format!("writing {}", output.display()))?;
    let stories = assignments.iter().filter(|a| a.founded).count();
    eprintln!(
        "{} articles in {} stories -> {}",
        articles.len(),
        stories,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
