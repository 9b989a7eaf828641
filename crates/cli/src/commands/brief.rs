//! `parallax brief`: one brief per given story.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use parallax_brief::BriefConfig;
use parallax_model::{ArticleId, StoryId};

use super::{create, read_articles};

/// Reads the articles and the story assignments, writes one brief per
/// story (in order of first appearance in the TSV) as JSON lines.
pub fn brief(input: &Path, stories: &Path, output: &Path, words: usize) -> Result<ExitCode> {
    let articles = read_articles(input)?;
    let groups = read_assignments(stories)?;
    let (briefs, unknown) =
        parallax_engine::pipeline::briefs(&articles, &groups, BriefConfig { words });
    for (story, article) in &unknown {
        eprintln!(
            "{}: story {story} names article {article}, which is not in {}",
            stories.display(),
            input.display()
        );
    }
    let mut out = create(output)?;
    for b in &briefs {
        serde_json::to_writer(&mut out, b)?;
        out.write_all(b"\n")?;
    }
    out.flush()
        .with_context(|| format!("writing {}", output.display()))?;
    eprintln!("{} briefs -> {}", briefs.len(), output.display());
    Ok(ExitCode::SUCCESS)
}

/// Groups an assignments TSV into stories, keeping first-appearance order
/// of stories and file order of members.
fn read_assignments(path: &Path) -> Result<Vec<(StoryId, Vec<ArticleId>)>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot open stories file {}", path.display()))?;
    let mut order: Vec<(StoryId, Vec<ArticleId>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{}:{}: cannot read line", path.display(), n + 1))?;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(article), Some(story)) = (cols.next(), cols.next()) else {
            bail!(
                "{}:{}: expected `article_id<TAB>story_id`, got {line:?}",
                path.display(),
                n + 1
            );
        };
        let story = StoryId(story.to_owned());
        let slot = *index.entry(story.clone()).or_insert_with(|| {
            order.push((story, Vec::new()));
            order.len() - 1
        });
        order[slot].1.push(ArticleId(article.to_owned()));
    }
    if order.is_empty() {
        bail!("{}: no assignments", path.display());
    }
    Ok(order)
}
