//! `parallax dedup`: duplicate, near-duplicate and syndicated pairs of an
//! article stream, `copy_id<TAB>original_id<TAB>relation<TAB>score`.
//!
//! Three stages run at once: a reader thread (ingestion: parsing, bad-record
//! reports, cleaning), fingerprint workers (the per-article hashing, which
//! is most of the work), and this thread, which adds fingerprints to the
//! index in input order and writes pairs as they are found. Nothing of the
//! text is kept once an article is fingerprinted.
//!
//! With `--index FILE` the index is persistent: pairs among articles already
//! in it are written first, articles already indexed are skipped, and the
//! file is committed every `--commit-every` articles ("acknowledged" on
//! stderr) and at the end.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::{Context, Result, bail};
use parallax_dedup::{
    Added, Config, DocInput, Fingerprint, Fingerprinter, Index, Pair, PersistentIndex,
};
use parallax_ingest::{Event, IngestOptions, Reader};

use super::create;

/// Articles per message between threads.
const BATCH: usize = 256;

/// A numbered batch of read articles, as sent to the fingerprint workers.
type RawBatch = (u64, Vec<parallax_model::Article>);

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
    /// Skip in-article cleaning.
    pub no_clean: bool,
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
            "near" => c.relation.near_duplicate = num,
            "syndicated" => c.relation.syndicated = num,
            "larger" => c.relation.syndicated_larger = num,
            "shared" => c.relation.min_shared = num as u32,
            other => bail!("--tune: unknown setting {other:?}"),
        }
    }
    Ok(c)
}

/// One fingerprinted article, ready for the index.
struct Item {
    id: String,
    origin: String,
    fp: Fingerprint,
}

/// The sink the index side writes to: either kind of index.
enum Target {
    Memory(Index),
    Disk(PersistentIndex),
}

impl Target {
    fn index(&self) -> &Index {
        match self {
            Self::Memory(i) => i,
            Self::Disk(p) => p.index(),
        }
    }

    fn add(&mut self, id: &str, fp: &Fingerprint) -> Result<Added> {
        Ok(match self {
            Self::Memory(i) => i.add(id, fp)?,
            Self::Disk(p) => p.add(id, fp)?,
        })
    }
}

/// Runs `parallax dedup`.
pub fn dedup(args: &DedupArgs) -> Result<ExitCode> {
    let config = config_from(args.tune.as_deref())?;
    let now_minutes = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 60)
        .unwrap_or(0))
    .min(i32::MAX as u64) as i32;
    let mut out = create(&args.output)?;
    let mut target = match &args.index {
        None => Target::Memory(Index::new(config)),
        Some(path) => {
            let (mut p, replay) = PersistentIndex::open(path, config)
                .with_context(|| format!("opening dedup index {}", path.display()))?;
            if replay.dropped_bytes > 0 {
                eprintln!(
                    "{}: cut {} bytes of an unfinished write from the end of the index",
                    path.display(),
                    replay.dropped_bytes
                );
            }
            write_pairs(&mut out, p.index(), &replay.pairs, args.explain)?;
            p.set_clock(now_minutes);
            Target::Disk(p)
        }
    };
    if let Target::Memory(i) = &mut target {
        i.set_clock(now_minutes);
    }

    let workers = match args.threads {
        0 => thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4),
        n => n,
    };
    let (raw_tx, raw_rx) = sync_channel::<RawBatch>(workers * 2);
    let (fp_tx, fp_rx) = sync_channel::<(u64, Vec<Item>)>(workers * 2);
    let reader = spawn_reader(args.input.clone(), !args.no_clean, raw_tx);
    let raw_rx = Arc::new(Mutex::new(raw_rx));
    let pool: Vec<_> = (0..workers)
        .map(|_| spawn_worker(config, Arc::clone(&raw_rx), fp_tx.clone()))
        .collect();
    drop(fp_tx);

    let mut stats = RunStats::default();
    let result = index_in_order(&mut target, fp_rx, &mut out, args, &mut stats);
    // Drain the pipeline even on error so the threads end.
    let summary = reader
        .join()
        .map_err(|_| anyhow::anyhow!("reader thread panicked"))?;
    for w in pool {
        w.join()
            .map_err(|_| anyhow::anyhow!("fingerprint thread panicked"))?;
    }
    result?;
    if let Target::Disk(p) = &mut target {
        p.commit()
            .with_context(|| "committing the dedup index".to_string())?;
    }
    out.flush()
        .with_context(|| format!("writing {}", args.output.display()))?;
    let summary = summary?;
    if summary.articles == 0 && stats.known == 0 {
        bail!(
            "{}: no readable articles ({} records rejected)",
            args.input.display(),
            summary.errors
        );
    }
    let s = target.index().stats();
    eprintln!(
        "{} articles read ({} skipped records), {} indexed, {} already indexed; {} pairs -> {}; \
         index {} articles, {:.1} MB ({:.0} bytes/article)",
        summary.articles,
        summary.errors,
        stats.added,
        stats.known,
        stats.pairs,
        args.output.display(),
        s.live,
        s.heap_bytes as f64 / 1e6,
        s.heap_bytes as f64 / s.live.max(1) as f64
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Default)]
struct RunStats {
    added: usize,
    known: usize,
    pairs: usize,
}

fn index_in_order(
    target: &mut Target,
    rx: Receiver<(u64, Vec<Item>)>,
    out: &mut impl Write,
    args: &DedupArgs,
    stats: &mut RunStats,
) -> Result<()> {
    let mut waiting: BTreeMap<u64, Vec<Item>> = BTreeMap::new();
    let mut next = 0u64;
    let mut since_commit = 0usize;
    for (seq, items) in rx {
        waiting.insert(seq, items);
        while let Some(items) = waiting.remove(&next) {
            next += 1;
            for item in items {
                match target.add(&item.id, &item.fp) {
                    Ok(Added::New { pairs, .. }) => {
                        stats.added += 1;
                        stats.pairs += pairs.len();
                        write_pairs(out, target.index(), &pairs, args.explain)?;
                    }
                    Ok(Added::Known(_)) => {
                        stats.known += 1;
                        if args.index.is_none() {
                            eprintln!(
                                "skipped: {}: article id {:?} repeats an earlier article",
                                item.origin, item.id
                            );
                        }
                    }
                    Err(e) => eprintln!("skipped: {}: article {:?}: {e:#}", item.origin, item.id),
                }
                since_commit += 1;
            }
            if let Target::Disk(p) = target
                && since_commit >= args.commit_every.max(1)
            {
                p.commit().context("committing the dedup index")?;
                eprintln!("acknowledged {} articles", stats.added + stats.known);
                since_commit = 0;
            }
        }
    }
    Ok(())
}

fn write_pairs(out: &mut impl Write, index: &Index, pairs: &[Pair], explain: bool) -> Result<()> {
    for p in pairs {
        write!(
            out,
            "{}\t{}\t{}\t{:.4}",
            index.id(p.copy),
            index.id(p.original),
            p.relation,
            p.score
        )?;
        if explain {
            write!(out, "\t{}", p.rule.map_or("chain", |r| r.as_str()))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

type ReadResult = Result<parallax_ingest::Summary>;

fn spawn_reader(
    input: PathBuf,
    clean: bool,
    tx: SyncSender<RawBatch>,
) -> thread::JoinHandle<ReadResult> {
    thread::spawn(move || {
        let mut reader = Reader::new(IngestOptions {
            clean,
            ..IngestOptions::default()
        });
        let mut batch = Vec::with_capacity(BATCH);
        let mut seq = 0u64;
        let mut closed = false;
        let summary = reader.read_path(&input, &mut |event| match event {
            Event::Article(a) => {
                if closed {
                    return;
                }
                batch.push(a);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    closed = tx.send((seq, full)).is_err();
                    seq += 1;
                }
            }
            Event::Error(e) => eprintln!("skipped: {e}"),
            Event::Warning(w) => eprintln!("warning: {w}"),
            Event::FileSkipped { path, reason } => {
                eprintln!("skipped file {}: {reason}", path.display())
            }
        });
        if !batch.is_empty() && !closed {
            let _ = tx.send((seq, batch));
        }
        Ok(summary)
    })
}

fn spawn_worker(
    config: Config,
    rx: Arc<Mutex<Receiver<RawBatch>>>,
    tx: SyncSender<(u64, Vec<Item>)>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut fpr = Fingerprinter::new(config);
        loop {
            let msg = match rx.lock() {
                Ok(guard) => guard.recv(),
                Err(_) => return,
            };
            let Ok((seq, articles)) = msg else { return };
            let items = articles
                .iter()
                .map(|a| Item {
                    id: a.id.0.clone(),
                    origin: a.origin.to_string(),
                    fp: fpr.fingerprint(&DocInput::from_article(a)),
                })
                .collect();
            if tx.send((seq, items)).is_err() {
                return;
            }
        }
    })
}
