//! `parallax dedup`: duplicate, near-duplicate and syndicated pairs of an
//! article stream, `copy_id<TAB>original_id<TAB>relation<TAB>score`.
//!
//! Three stages run at once: a reader thread, fingerprint workers, and this
//! thread, which adds fingerprints to the index in input order and writes
//! pairs as they are found. Nothing of the text is kept once an article is
//! fingerprinted.
//!
//! An Article JSONL file takes the fast path: the reader thread only cuts
//! the file into blocks of lines, and the workers parse the records (bad
//! lines are reported with file and line and skipped, as everywhere) and
//! fingerprint them, so parsing runs on every core. Any other input (a
//! folder, `.txt`, `.html`) goes through ingestion's readers. Bodies are
//! compared as given: the detector discounts outlet boilerplate itself (see
//! `parallax_dedup::direction::content_words`); `--clean` runs ingestion's
//! full in-article cleaning first (slower, slightly better directions).
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

/// A numbered batch of work, as sent to the fingerprint workers.
type RawBatch = (u64, Work);

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

/// One fingerprinted article, ready for the index.
struct Item {
    id: String,
    origin: Origin,
    fp: Fingerprint,
}

/// Where an item was read, formatted only when something is reported.
enum Origin {
    Line(Arc<PathBuf>, u64),
    Named(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Line(path, line) => write!(f, "{}:{line}", path.display()),
            Self::Named(s) => f.write_str(s),
        }
    }
}

/// Work for the fingerprint workers.
enum Work {
    /// A block of JSONL lines, the first being line `first` of `path`.
    Lines {
        path: Arc<PathBuf>,
        first: u64,
        data: Vec<u8>,
    },
    /// Articles read by ingestion.
    Articles(Vec<parallax_model::Article>),
}

/// The longest JSONL line accepted, as ingestion's readers.
const MAX_LINE: usize = parallax_ingest::DEFAULT_MAX_RECORD_BYTES;
/// Bytes of lines per block handed to a worker.
const BLOCK: usize = 1 << 20;

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
    let jsonl = args.input.is_file()
        && args
            .input
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson" || e == "json");
    let reader = if jsonl {
        spawn_line_reader(args.input.clone(), raw_tx)
    } else {
        spawn_reader(args.input.clone(), args.clean, raw_tx)
    };
    let raw_rx = Arc::new(Mutex::new(raw_rx));
    let pool: Vec<_> = (0..workers)
        .map(|_| spawn_worker(config, args.clean, Arc::clone(&raw_rx), fp_tx.clone()))
        .collect();
    drop(fp_tx);

    let mut stats = RunStats::default();
    let result = index_in_order(&mut target, fp_rx, &mut out, args, &mut stats);
    // Drain the pipeline even on error so the threads end.
    let summary = reader
        .join()
        .map_err(|_| anyhow::anyhow!("reader thread panicked"))?;
    let mut bad = 0usize;
    for w in pool {
        bad += w
            .join()
            .map_err(|_| anyhow::anyhow!("fingerprint thread panicked"))?;
    }
    result?;
    if let Target::Disk(p) = &mut target {
        p.commit()
            .with_context(|| "committing the dedup index".to_string())?;
    }
    out.flush()
        .with_context(|| format!("writing {}", args.output.display()))?;
    let (_, read_errors) = summary?;
    let rejected = read_errors + bad;
    if stats.added == 0 && stats.known == 0 {
        bail!(
            "{}: no readable articles ({} records rejected)",
            args.input.display(),
            rejected
        );
    }
    let s = target.index().stats();
    eprintln!(
        "{} articles read ({} skipped records), {} indexed, {} already indexed; {} pairs -> {}; \
         index {} articles, {:.1} MB ({:.0} bytes/article)",
        stats.added + stats.known,
        rejected,
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

/// What a reader thread counted: articles handed on, records rejected.
type ReadResult = Result<(usize, usize)>;

/// Cuts a JSONL file into blocks of whole lines for the workers. Each block
/// is read straight into the buffer handed on (only the partial line at its
/// end is copied, into the next block), and newlines are found with
/// `memchr`.
fn spawn_line_reader(input: PathBuf, tx: SyncSender<RawBatch>) -> thread::JoinHandle<ReadResult> {
    thread::spawn(move || {
        use std::io::Read;
        let path = Arc::new(input);
        let mut file = std::fs::File::open(path.as_ref())
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut seq = 0u64;
        let mut line = 1u64;
        // The unfinished line at the end of the last block.
        let mut carry: Vec<u8> = Vec::new();
        let mut errors = 0usize;
        'blocks: loop {
            let mut data = Vec::with_capacity(BLOCK + carry.len());
            data.append(&mut carry);
            // Read until the block holds a newline (or the file ends).
            let (cut, eof) = loop {
                let before = data.len();
                let n = (&mut file)
                    .take(BLOCK as u64)
                    .read_to_end(&mut data)
                    .with_context(|| format!("reading {}", path.display()))?;
                if n == 0 {
                    break (data.len(), true);
                }
                if let Some(i) = memchr::memrchr(b'\n', &data[before..]) {
                    break (before + i + 1, false);
                }
                if data.len() > MAX_LINE {
                    // One line longer than the limit: skip to its end.
                    eprintln!(
                        "skipped: {}:{line}: record longer than {MAX_LINE} bytes",
                        path.display()
                    );
                    errors += 1;
                    skip_line(&mut file, &mut carry)?;
                    line += 1;
                    continue 'blocks;
                }
            };
            carry.extend_from_slice(&data[cut..]);
            data.truncate(cut);
            if !data.is_empty() {
                let lines = memchr::memchr_iter(b'\n', &data).count() as u64;
                let work = Work::Lines {
                    path: Arc::clone(&path),
                    first: line,
                    data,
                };
                line += lines;
                if tx.send((seq, work)).is_err() {
                    break;
                }
                seq += 1;
            }
            if eof {
                break;
            }
        }
        Ok((0, errors))
    })
}

/// Drops input up to and including the next newline; what follows it in
/// the last read goes to `carry`.
fn skip_line(file: &mut std::fs::File, carry: &mut Vec<u8>) -> Result<()> {
    use std::io::Read;
    carry.clear();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            carry.extend_from_slice(&buf[i + 1..n]);
            return Ok(());
        }
    }
}

/// Reads any input through ingestion (folders, `.txt`, `.html`).
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
                    closed = tx.send((seq, Work::Articles(full))).is_err();
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
            let _ = tx.send((seq, Work::Articles(batch)));
        }
        Ok((summary.articles, summary.errors))
    })
}

/// The fields of an Article JSONL record the detector reads.
#[derive(serde::Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    html: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    published: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    source: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    url: Option<std::borrow::Cow<'a, str>>,
}

/// Fingerprints work items; returns how many records it rejected.
fn spawn_worker(
    config: Config,
    clean: bool,
    rx: Arc<Mutex<Receiver<RawBatch>>>,
    tx: SyncSender<(u64, Vec<Item>)>,
) -> thread::JoinHandle<usize> {
    thread::spawn(move || {
        let mut fpr = Fingerprinter::new(config);
        let mut bad = 0usize;
        loop {
            let msg = match rx.lock() {
                Ok(guard) => guard.recv(),
                Err(_) => return bad,
            };
            let Ok((seq, work)) = msg else { return bad };
            let items = match work {
                Work::Articles(articles) => articles
                    .iter()
                    .map(|a| Item {
                        id: a.id.0.clone(),
                        origin: Origin::Named(a.origin.to_string()),
                        fp: fpr.fingerprint(&DocInput::from_article(a)),
                    })
                    .collect(),
                Work::Lines { path, first, data } => {
                    let mut items = Vec::new();
                    let mut at = 0usize;
                    let ends = memchr::memchr_iter(b'\n', &data).chain([data.len()]);
                    for (k, end) in ends.enumerate() {
                        let raw = &data[at..end];
                        at = end + 1;
                        let line = first + k as u64;
                        match parse_line(raw, clean, &mut fpr) {
                            Ok(Some((id, fp))) => items.push(Item {
                                id,
                                origin: Origin::Line(Arc::clone(&path), line),
                                fp,
                            }),
                            Ok(None) => {}
                            Err(why) => {
                                bad += 1;
                                eprintln!("skipped: {}:{line}: {why}", path.display());
                            }
                        }
                    }
                    items
                }
            };
            if tx.send((seq, items)).is_err() {
                return bad;
            }
        }
    })
}

/// One JSONL line: `None` for a blank line, an error naming what is wrong.
fn parse_line(
    raw: &[u8],
    clean: bool,
    fpr: &mut Fingerprinter,
) -> std::result::Result<Option<(String, Fingerprint)>, String> {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let raw = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let rec: Record<'_> =
        serde_json::from_slice(raw).map_err(|e| format!("not a JSON article: {e}"))?;
    let id = rec
        .id
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| "record has no \"id\" string".to_string())?;
    // The same rule as every reader's gate: an id goes into TSV lines.
    parallax_ingest::check_id(&id).map_err(|problem| format!("bad id: {problem}"))?;
    // A page is read as `run` reads it (the same extractor), so both
    // fingerprint the same text.
    let page;
    let mut page_published = None;
    let text: &str = match (&rec.text, &rec.html) {
        (Some(t), _) if !t.trim().is_empty() => t,
        (_, Some(h)) if !h.trim().is_empty() => {
            page = parallax_ingest::record_page(h, rec.url.as_deref())
                .map_err(|e| format!("article {id:?}: {e}"))?;
            page_published = page.published.map(|d| d.timestamp());
            &page.body
        }
        _ => return Err(format!("article {id:?} has no \"text\" or \"html\"")),
    };
    let cleaned;
    let text = if clean {
        cleaned = parallax_ingest::clean_body(text).body;
        cleaned.as_str()
    } else {
        text
    };
    let published = rec
        .published
        .as_deref()
        .and_then(parallax_ingest::parse_date)
        .map(|d| d.timestamp())
        .or(page_published);
    let doc = DocInput {
        text,
        published,
        source: rec.source.as_deref(),
        url: rec.url.as_deref(),
    };
    Ok(Some((id.into_owned(), fpr.fingerprint(&doc))))
}
