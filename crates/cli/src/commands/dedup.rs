//! `parallax dedup`: duplicate, near-duplicate and syndicated pairs of an
//! article stream, `copy_id<TAB>original_id<TAB>relation<TAB>score`.
//!
//! The run itself (reader thread, fingerprint workers, in-order indexing,
//! the persistent index) is [`parallax_engine::dedup_run`]; this module
//! turns the flags into its configuration, prints its notices and summary
//! on stderr and writes the pairs file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use parallax_dedup::Config;
use parallax_engine::dedup_run::{DedupRunConfig, DedupRunError, TsvPairs, dedup_path};

use super::create;

/// Options of `parallax dedup`.
#[derive(Debug, Clone)]
pub struct DedupArgs {
    /// Article input (JSONL, folder...).
    pub input: PathBuf,
    /// Pairs TSV.
    pub output: PathBuf,
    /// Persistent index file.
    pub index: Option<PathBuf>,
    /// Commit the persistent index every this many articles.
    pub commit_every: usize,
    /// Fingerprint worker threads (0: one per core, at most 4).
    pub threads: usize,
    /// Run ingestion's in-article cleaning on every body first.
    pub clean: bool,
    /// Add a fifth column: the rule that decided the direction.
    pub explain: bool,
    /// Detector settings to override, `name=value,...` (for tuning).
    pub tune: Option<String>,
}

/// The detector settings, with `--tune` overrides applied.
fn config_from(tune: Option<&str>) -> Result<Config> {
    let mut c = Config::default();
    for item in tune
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.trim().is_empty())
    {
        let (k, v) = item
            .split_once('=')
            .with_context(|| format!("--tune: {item:?} is not name=value"))?;
        let num: f64 = v
            .trim()
            .parse()
            .with_context(|| format!("--tune: {v:?} is not a number"))?;
        match k.trim() {
            "shingle" => c.sketch.shingle = num as usize,
            "rate" => c.sketch.rate = num as u32,
            "min" => c.sketch.min_samples = num as usize,
            "max" => c.sketch.max_samples = num as usize,
            "seed" => c.sketch.seed = num as u64,
            "opening" => c.sketch.opening_words = num as usize,
            "near" => c.relation.near_duplicate = num,
            "syndicated" => c.relation.syndicated = num,
            "larger" => c.relation.syndicated_larger = num,
            "shared" => c.relation.min_shared = num as u32,
            other => bail!("--tune: unknown setting {other:?}"),
        }
    }
    Ok(c)
}

/// Runs `parallax dedup`.
pub fn dedup(args: &DedupArgs) -> Result<ExitCode> {
    let config = DedupRunConfig {
        detector: config_from(args.tune.as_deref())?,
        index: args.index.clone(),
        commit_every: args.commit_every,
        threads: args.threads,
        clean: args.clean,
        clock_minutes: None,
    };
    let mut tsv = TsvPairs::new(create(&args.output)?, args.explain);
    let report = dedup_path(&args.input, &config, &mut tsv, &|notice| {
        eprintln!("{notice}")
    });
    let flushed = tsv
        .get_mut()
        .flush()
        .with_context(|| format!("writing {}", args.output.display()));
    let report = match report {
        Ok(report) => report,
        // The sink is this file: name it.
        Err(e @ DedupRunError::Output(_)) => {
            return Err(anyhow::Error::new(e).context(format!("writing {}", args.output.display())));
        }
        Err(e) => return Err(e.into()),
    };
    flushed?;
    let s = report.index;
    eprintln!(
        "{} articles read ({} skipped records), {} indexed, {} already indexed; {} pairs -> {}; \
         index {} articles, {:.1} MB ({:.0} bytes/article)",
        report.read(),
        report.rejected,
        report.added,
        report.known,
        report.pairs,
        args.output.display(),
        s.live,
        s.heap_bytes as f64 / 1e6,
        s.heap_bytes as f64 / s.live.max(1) as f64
    );
    Ok(ExitCode::SUCCESS)
}
