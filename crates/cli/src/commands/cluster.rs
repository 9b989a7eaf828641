//! `parallax cluster`: assignments for an article stream.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use parallax_ingest::IngestOptions;
use parallax_model::StoryId;
use parallax_stories::pairwise::PairModel;
use parallax_stories::{ClusterConfig, ConsolidateConfig, Consolidator, Decision};

use super::{check_read, create, report};

/// How `parallax cluster` places an article (see
/// [`parallax_stories::decision`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecisionKind {
    /// Join the closest story when the cosine reaches the threshold.
    Threshold,
    /// The learned model alone ([`Decision::SHIPPED`]).
    Learned,
    /// The threshold, vetoed by the learned model ([`Decision::VETO`]).
    Veto,
}

/// The consolidation `parallax cluster` runs, if any: `--consolidate` with
/// its hidden benchmark knobs (window, period, pair model).
pub fn consolidation(
    on: bool,
    window: Option<usize>,
    every: Option<usize>,
    pair_model: Option<&str>,
) -> Result<Option<ConsolidateConfig>> {
    if !on {
        return Ok(None);
    }
    let mut config = ConsolidateConfig::default();
    if let Some(window) = window {
        anyhow::ensure!(window > 0, "--consolidate-window must be at least 1");
        config.window = window;
    }
    if let Some(every) = every {
        anyhow::ensure!(every > 0, "--consolidate-every must be at least 1");
        config.every = every;
    }
    if let Some(spec) = pair_model {
        config.model = PairModel::parse(spec)
            .map_err(anyhow::Error::msg)
            .context("reading --pair-model")?;
    }
    Ok(Some(config))
}

/// Clusters `input` in file order and writes `article_id<TAB>story_id`, each
/// article with the story it belongs to at the end of the stream (after
/// every merge).
///
/// With `consolidate`, a [`Consolidator`] follows the online placement;
/// each line is written once its article leaves the consolidation window
/// (or at the end), with its story then, which is final: the online
/// clusterer's own merges are not applied (the consolidation decides the
/// window's stories).
///
/// The input is streamed: each line is written as soon as its article is
/// placed, so memory does not grow with the input. Should stories merge
/// later, the lines already written name the absorbed story; once the
/// stream ends the file is rewritten once, line by line, with every
/// absorbed id replaced by its survivor's. Output that is not a regular
/// file (a pipe) cannot be rewritten: its lines are then held until the end.
pub fn cluster(
    input: &Path,
    output: &Path,
    decision: DecisionKind,
    threshold: Option<f32>,
    half_life_days: Option<f32>,
    consolidate: Option<ConsolidateConfig>,
) -> Result<ExitCode> {
    let mut config = ClusterConfig {
        channels: consolidate.is_some(),
        ..ClusterConfig::default()
    };
    if let Some(t) = threshold {
        anyhow::ensure!(t.is_finite(), "--threshold must be a number (got {t})");
    }
    match decision {
        DecisionKind::Threshold => {
            config.decision = None;
            if let Some(t) = threshold {
                config.threshold = t;
            }
        }
        DecisionKind::Learned => {
            anyhow::ensure!(
                threshold.is_none(),
                "--threshold applies to --decision threshold or veto, not learned"
            );
            config.decision = Some(Decision::SHIPPED);
        }
        DecisionKind::Veto => {
            let mut veto = Decision::VETO;
            if let Some(t) = threshold {
                veto.min_similarity = t;
            }
            config.decision = Some(veto);
        }
    }
    if let Some(days) = half_life_days {
        anyhow::ensure!(
            days.is_finite() && days >= 0.0,
            "--half-life-days must be a number of days, 0 or more (got {days})"
        );
        config.time_decay.half_life_days = days;
    }
    // The output file is created with the first article, so an input with
    // nothing readable leaves no file behind.
    let mut out: Option<Sink> = None;
    let mut failed: Option<anyhow::Error> = None;
    let (mut articles, mut stories) = (0usize, 0usize);
    // Absorbed story -> the story it was merged into.
    let mut merged: HashMap<StoryId, StoryId> = HashMap::new();
    let mut consolidator = consolidate.map(Consolidator::new);
    let mut moved = 0usize;
    // With consolidation: the stories articles end in.
    let mut final_stories: HashSet<StoryId> = HashSet::new();
    let write = |out: &mut Option<Sink>, article: &str, story: &StoryId| {
        match out {
            Some(w) => Ok(w),
            None => Sink::open(output).map(|w| out.insert(w)),
        }
        .and_then(|w| w.line(article, story, output))
    };
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
            let written = match &mut consolidator {
                Some(c) => match c.push(doc.clone(), assignment.story.clone(), |_| moved += 1) {
                    Some((article, story)) => {
                        let line = write(&mut out, article.as_str(), &story);
                        final_stories.insert(story);
                        line
                    }
                    None => Ok(()),
                },
                None => {
                    for from in &assignment.absorbed {
                        merged.insert(from.clone(), assignment.story.clone());
                    }
                    write(&mut out, doc.id.as_str(), &assignment.story)
                }
            };
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
    if let Some(c) = consolidator {
        let runs = c.consolidations() + 1;
        for (article, story) in c.finish(|_| moved += 1) {
            write(&mut out, article.as_str(), &story)?;
            final_stories.insert(story);
        }
        if let Some(out) = out {
            out.finish(output, &merged)?;
        }
        eprintln!(
            "{articles} articles in {} stories (consolidated {runs} times, {moved} placements \
             changed) -> {}",
            final_stories.len(),
            output.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(out) = out {
        out.finish(output, &merged)?;
    }
    eprintln!(
        "{} articles in {} stories ({} merged into others) -> {}",
        articles,
        stories - merged.len(),
        merged.len(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Where assignment lines go.
enum Sink {
    /// A regular file, written as articles are placed.
    File(BufWriter<File>),
    /// Anything else (a pipe, a terminal): lines held until the end.
    Held(BufWriter<File>, Vec<(String, StoryId)>),
}

impl Sink {
    fn open(path: &Path) -> Result<Self> {
        let w = create(path)?;
        let regular = w.get_ref().metadata().is_ok_and(|m| m.is_file());
        Ok(if regular {
            Self::File(w)
        } else {
            Self::Held(w, Vec::new())
        })
    }

    fn line(&mut self, article: &str, story: &StoryId, path: &Path) -> Result<()> {
        match self {
            Self::File(w) => writeln!(w, "{article}\t{story}")
                .with_context(|| format!("writing {}", path.display())),
            Self::Held(_, lines) => {
                lines.push((article.to_owned(), story.clone()));
                Ok(())
            }
        }
    }

    /// Flushes, naming every article's final story.
    fn finish(self, path: &Path, merged: &HashMap<StoryId, StoryId>) -> Result<()> {
        let write_err = || format!("writing {}", path.display());
        let last = |story: &StoryId| -> StoryId {
            let mut story = story;
            while let Some(next) = merged.get(story) {
                story = next;
            }
            story.clone()
        };
        match self {
            Self::Held(mut w, lines) => {
                for (article, story) in lines {
                    writeln!(w, "{article}\t{}", last(&story)).with_context(write_err)?;
                }
                w.flush().with_context(write_err)
            }
            Self::File(mut w) => {
                w.flush().with_context(write_err)?;
                drop(w);
                if merged.is_empty() {
                    return Ok(());
                }
                rewrite(path, |story| last(&StoryId(story.to_owned())))
            }
        }
    }
}

/// Rewrites the assignments file at `path` with each line's story passed
/// through `map`, through a file beside it that then replaces it.
fn rewrite(path: &Path, map: impl Fn(&str) -> StoryId) -> Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".merging");
    let temp: PathBuf = path.with_file_name(name);
    let read = BufReader::new(
        File::open(path).with_context(|| format!("reading back {}", path.display()))?,
    );
    let mut w = create(&temp)?;
    let write_err = || format!("writing {}", temp.display());
    for line in read.lines() {
        let line = line.with_context(|| format!("reading back {}", path.display()))?;
        match line.rsplit_once('\t') {
            Some((article, story)) => writeln!(w, "{article}\t{}", map(story)),
            None => writeln!(w, "{line}"),
        }
        .with_context(write_err)?;
    }
    w.flush().with_context(write_err)?;
    drop(w);
    std::fs::rename(&temp, path)
        .with_context(|| format!("replacing {} with {}", path.display(), temp.display()))
}
