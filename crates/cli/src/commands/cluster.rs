//! `parallax cluster`: assignments for an article stream.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use parallax_ingest::IngestOptions;
use parallax_stories::ClusterConfig;

use super::{check_read, create, report};

/// Clusters `input` in file order and writes `article_id<TAB>story_id`.
/// The input is streamed: each line is written as soon as its article is
/// placed, so memory does not grow with the input.
pub fn cluster(input: &Path, output: &Path, threshold: Option<f32>) -> Result<ExitCode> {
    let mut config = ClusterConfig::default();
    if let Some(t) = threshold {
        config.threshold = t;
    }
    // The output file is created with the first article, so an input with
    // nothing readable leaves no file behind.
    let mut out = None;
    let mut failed: Option<anyhow::Error> = None;
    let (mut articles, mut stories) = (0usize, 0usize);
    let summary = parallax_engine::pipeline::cluster_path(
        input,
        IngestOptions::default(),
        config,
        |doc, assignment| {
            if failed.is_some() {
                return;
            }
            articles += 1;
            stories += usize::from(assignment.founded);
            let written = match &mut out {
                Some(w) => Ok(w),
                None => create(output).map(|w| out.insert(w)),
            }
            .and_then(|w| {
                writeln!(w, "{}\t{}", doc.id, assignment.story)
                    .with_context(|| format!("writing {}", output.display()))
            });
            if let Err(e) = written {
                failed = Some(e);
            }
        },
        report,
    );
    if let Some(e) = failed {
        return Err(e);
    }
    check_read(input, &summary)?;
    if let Some(mut out) = out {
        out.flush()
            .with_context(|| format!("writing {}", output.display()))?;
    }
    eprintln!(
        "{} articles in {} stories -> {}",
        articles,
        stories,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
