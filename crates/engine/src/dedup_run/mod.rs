//! A dedup run over an input path: the duplicate, near-duplicate and
//! syndicated pairs of an article stream, behind `parallax dedup`.
//!
//! Three stages run at once: a reader thread, fingerprint workers, and the
//! calling thread, which adds fingerprints to the index in input order and
//! hands pairs to a [`PairSink`] as they are found. Nothing of the text is
//! kept once an article is fingerprinted, so memory holds the index only.
//!
//! An Article JSONL file takes the fast path (`jsonl`): the reader thread
//! only cuts the file into blocks of lines, and the workers parse the
//! records (bad lines are reported with file and line and skipped, as
//! everywhere) and fingerprint them, so parsing runs on every core. Any
//! other input (a folder, `.txt`, `.html`, WARC, feeds) goes through
//! ingestion's readers, and so through the extractor `parallax run` uses.
//! Bodies are compared as given: the detector discounts outlet boilerplate
//! itself (see `parallax_dedup::direction::content_words`);
//! [`DedupRunConfig::clean`] runs ingestion's full in-article cleaning
//! first (slower, slightly better directions).
//!
//! With [`DedupRunConfig::index`] the index is persistent: pairs among the
//! articles already in it are handed on first, articles already indexed are
//! skipped, and the file is committed every
//! [`DedupRunConfig::commit_every`] articles ([`DedupNotice::Acknowledged`])
//! and at the end.
//!
//! ```
//! use parallax_engine::dedup_run::{DedupRunConfig, TsvPairs, dedup_path};
//!
//! let dir = tempfile::tempdir()?;
//! let input = dir.path().join("articles.jsonl");
//! let text = "The city council voted on Tuesday to expand the tram line to the \
//!             northern districts, a project expected to cost 40 million euros.";
//! std::fs::write(
//!     &input,
//!     format!("{{\"id\":\"a\",\"text\":\"{text}\"}}\n{{\"id\":\"b\",\"text\":\"{text}\"}}\n"),
//! )?;
//! let mut tsv = TsvPairs::new(Vec::new(), false);
//! let report = dedup_path(&input, &DedupRunConfig::default(), &mut tsv, &|notice| {
//!     eprintln!("{notice}")
//! })?;
//! assert_eq!((report.added, report.pairs), (2, 1));
//! assert_eq!(tsv.into_inner(), b"b\ta\tduplicate\t1.0000\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod jsonl;
mod tsv;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use parallax_dedup::{
    Added, Config, DocInput, Fingerprint, Fingerprinter, Index, PersistError, PersistentIndex,
    Stats,
};
use parallax_ingest::{Event, IngestOptions, Reader};
use parallax_model::Article;

pub use jsonl::{RecordFields, fingerprint_fields};
pub use tsv::{PairSink, TsvPairs};

/// Articles per message between threads.
const BATCH: usize = 256;

/// What a dedup run is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupRunConfig {
    /// The detector's settings.
    pub detector: Config,
    /// A persistent index file (created when missing); `None` keeps the
    /// index in memory for this run only.
    pub index: Option<PathBuf>,
    /// With a persistent index: commit (flush and `fsync`) every this many
    /// articles.
    pub commit_every: usize,
    /// Fingerprint worker threads (0: one per core, at most 4).
    pub threads: usize,
    /// Run ingestion's in-article cleaning on every body first.
    pub clean: bool,
    /// The time stamped on undated articles, in minutes since 1970
    /// (`None`: the wall clock when the run starts).
    pub clock_minutes: Option<i32>,
}

impl Default for DedupRunConfig {
    fn default() -> Self {
        Self {
            detector: Config::default(),
            index: None,
            commit_every: 10_000,
            threads: 0,
            clean: false,
            clock_minutes: None,
        }
    }
}

/// Something a dedup run reports while it goes on. Reported from the
/// thread that met it, so the callback is shared between threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DedupNotice {
    /// A record was rejected and skipped; the text names where (file and
    /// line, or the article's origin) and why.
    Rejected(String),
    /// A note about an article that is still used.
    Warning(String),
    /// A file in a folder that is not an input format.
    FileSkipped {
        /// The file.
        path: PathBuf,
        /// Why it was skipped.
        reason: String,
    },
    /// A persistent index ended in an unfinished write, now cut.
    IndexRepaired {
        /// The index file.
        path: PathBuf,
        /// Bytes cut from its end.
        dropped_bytes: u64,
    },
    /// The persistent index was committed: this many articles of the input
    /// are durable.
    Acknowledged {
        /// Articles of the input handled so far.
        articles: usize,
    },
}

impl fmt::Display for DedupNotice {
    /// The line `parallax dedup` prints on stderr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(why) => write!(f, "skipped: {why}"),
            Self::Warning(w) => write!(f, "warning: {w}"),
            Self::FileSkipped { path, reason } => {
                write!(f, "skipped file {}: {reason}", path.display())
            }
            Self::IndexRepaired {
                path,
                dropped_bytes,
            } => write!(
                f,
                "{}: cut {dropped_bytes} bytes of an unfinished write from the end of the index",
                path.display()
            ),
            Self::Acknowledged { articles } => write!(f, "acknowledged {articles} articles"),
        }
    }
}

/// What a dedup run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DedupReport {
    /// Articles added to the index.
    pub added: usize,
    /// Articles skipped as already indexed (or, without a persistent
    /// index, as repeating an earlier id).
    pub known: usize,
    /// Records rejected by the readers and the workers.
    pub rejected: usize,
    /// Pairs found among the added articles (pairs replayed from a
    /// persistent index not counted).
    pub pairs: usize,
    /// The index's size at the end.
    pub index: Stats,
}

impl DedupReport {
    /// Articles read: added or already known.
    pub fn read(&self) -> usize {
        self.added + self.known
    }
}

/// What stops a dedup run. Bad records never do: they are reported
/// ([`DedupNotice::Rejected`]) and skipped.
#[derive(Debug, thiserror::Error)]
pub enum DedupRunError {
    /// The persistent index could not be opened.
    #[error("opening dedup index {}", path.display())]
    OpenIndex {
        /// The index file.
        path: PathBuf,
        /// Why.
        #[source]
        source: PersistError,
    },
    /// The persistent index could not be committed.
    #[error("committing the dedup index")]
    Commit(#[source] PersistError),
    /// The input could not be opened.
    #[error("cannot read {}", path.display())]
    Open {
        /// The input.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Reading the input failed part way.
    #[error("reading {}", path.display())]
    Read {
        /// The input.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The pair sink failed.
    #[error("writing the pairs")]
    Output(#[source] std::io::Error),
    /// Not one article could be read.
    #[error("{}: no readable articles ({rejected} records rejected)", input.display())]
    NothingRead {
        /// The input.
        input: PathBuf,
        /// Records rejected.
        rejected: usize,
    },
    /// A thread of the run panicked.
    #[error("the {0} thread panicked")]
    Panicked(&'static str),
}

/// Finds every copy pair of the articles at `input`, compared as one stream
/// in input order, and hands them to `pairs` as they are found. `notices`
/// hears about rejected records, skipped files and commits, from whichever
/// thread met them.
///
/// Fails when the index cannot be opened or committed, the input cannot be
/// read, `pairs` fails, or not one article could be read; the error names
/// the file.
pub fn dedup_path(
    input: &Path,
    config: &DedupRunConfig,
    pairs: &mut dyn PairSink,
    notices: &(dyn Fn(DedupNotice) + Sync),
) -> Result<DedupReport, DedupRunError> {
    let clock = config.clock_minutes.unwrap_or_else(now_minutes);
    let mut target = match &config.index {
        None => Target::Memory(Index::new(config.detector)),
        Some(path) => {
            let (p, replay) = PersistentIndex::open(path, config.detector).map_err(|source| {
                DedupRunError::OpenIndex {
                    path: path.clone(),
                    source,
                }
            })?;
            if replay.dropped_bytes > 0 {
                notices(DedupNotice::IndexRepaired {
                    path: path.clone(),
                    dropped_bytes: replay.dropped_bytes,
                });
            }
            pairs
                .pairs(p.index(), &replay.pairs)
                .map_err(DedupRunError::Output)?;
            Target::Disk(p)
        }
    };
    target.set_clock(clock);

    let workers = match config.threads {
        0 => thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4),
        n => n,
    };
    let jsonl = input.is_file()
        && input
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson" || e == "json");
    let mut counts = Counts::default();
    let (read, workers_rejected, indexed) = thread::scope(|scope| {
        let (raw_tx, raw_rx) = sync_channel::<(u64, Work)>(workers * 2);
        let (fp_tx, fp_rx) = sync_channel::<(u64, Vec<Item>)>(workers * 2);
        let reader = scope.spawn(move || {
            if jsonl {
                read_jsonl(input, raw_tx, notices)
            } else {
                read_any(input, config.clean, raw_tx, notices)
            }
        });
        let raw_rx = Arc::new(Mutex::new(raw_rx));
        let pool: Vec<_> = (0..workers)
            .map(|_| {
                let (rx, tx) = (Arc::clone(&raw_rx), fp_tx.clone());
                scope
                    .spawn(move || fingerprint_work(config.detector, config.clean, rx, tx, notices))
            })
            .collect();
        drop((raw_rx, fp_tx));
        let indexed = index_in_order(&mut target, fp_rx, pairs, config, &mut counts, notices);
        // The index side has stopped listening (at the end, or on an error),
        // so every thread ends.
        let read = reader.join().map_err(|_| DedupRunError::Panicked("reader"));
        let mut rejected = Ok(0usize);
        for worker in pool {
            match (worker.join(), &mut rejected) {
                (Ok(bad), Ok(total)) => *total += bad,
                (Err(_), _) => rejected = Err(DedupRunError::Panicked("fingerprint")),
                (Ok(_), Err(_)) => {}
            }
        }
        (read, rejected, indexed)
    });
    let read = read?;
    let workers_rejected = workers_rejected?;
    indexed?;
    if let Target::Disk(p) = &mut target {
        p.commit().map_err(DedupRunError::Commit)?;
    }
    let rejected = read? + workers_rejected;
    if counts.added == 0 && counts.known == 0 {
        return Err(DedupRunError::NothingRead {
            input: input.to_owned(),
            rejected,
        });
    }
    Ok(DedupReport {
        added: counts.added,
        known: counts.known,
        rejected,
        pairs: counts.pairs,
        index: target.index().stats(),
    })
}

/// The wall clock in minutes since 1970.
fn now_minutes() -> i32 {
    let minutes = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60);
    minutes.min(i32::MAX as u64) as i32
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

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line(path, line) => write!(f, "{}:{line}", path.display()),
            Self::Named(s) => f.write_str(s),
        }
    }
}

/// Work for the fingerprint workers.
enum Work {
    /// A block of JSONL lines.
    Lines(jsonl::Block),
    /// Articles read by ingestion.
    Articles(Vec<Article>),
}

/// The index a run adds to: in memory, or backed by a file.
enum Target {
    Memory(Index),
    Disk(PersistentIndex),
}

/// Why the index refused an article.
enum Refused {
    Index(parallax_dedup::IndexError),
    Persist(PersistError),
}

impl Target {
    fn index(&self) -> &Index {
        match self {
            Self::Memory(i) => i,
            Self::Disk(p) => p.index(),
        }
    }

    fn set_clock(&mut self, minutes: i32) {
        match self {
            Self::Memory(i) => i.set_clock(minutes),
            Self::Disk(p) => p.set_clock(minutes),
        }
    }

    fn add(&mut self, id: &str, fp: &Fingerprint) -> Result<Added, Refused> {
        match self {
            Self::Memory(i) => i.add(id, fp).map_err(Refused::Index),
            Self::Disk(p) => p.add(id, fp).map_err(Refused::Persist),
        }
    }
}

impl fmt::Display for Refused {
    /// The error and its causes, `: `-separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error: &(dyn std::error::Error + 'static) = match self {
            Self::Index(e) => e,
            Self::Persist(e) => e,
        };
        write!(f, "{error}")?;
        let mut cause = error.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

/// Counts kept by the index side.
#[derive(Debug, Default)]
struct Counts {
    added: usize,
    known: usize,
    pairs: usize,
}

/// Adds the fingerprinted batches to the index in input order (they arrive
/// in any order from the workers) and hands on the pairs each forms.
fn index_in_order(
    target: &mut Target,
    rx: Receiver<(u64, Vec<Item>)>,
    sink: &mut dyn PairSink,
    config: &DedupRunConfig,
    counts: &mut Counts,
    notices: &(dyn Fn(DedupNotice) + Sync),
) -> Result<(), DedupRunError> {
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
                        counts.added += 1;
                        counts.pairs += pairs.len();
                        sink.pairs(target.index(), &pairs)
                            .map_err(DedupRunError::Output)?;
                    }
                    Ok(Added::Known(_)) => {
                        counts.known += 1;
                        if config.index.is_none() {
                            notices(DedupNotice::Rejected(format!(
                                "{}: article id {:?} repeats an earlier article",
                                item.origin, item.id
                            )));
                        }
                    }
                    Err(why) => notices(DedupNotice::Rejected(format!(
                        "{}: article {:?}: {why}",
                        item.origin, item.id
                    ))),
                }
                since_commit += 1;
            }
            if let Target::Disk(p) = target
                && since_commit >= config.commit_every.max(1)
            {
                p.commit().map_err(DedupRunError::Commit)?;
                notices(DedupNotice::Acknowledged {
                    articles: counts.added + counts.known,
                });
                since_commit = 0;
            }
        }
    }
    Ok(())
}

/// Reads an Article JSONL file as blocks of lines; returns the records
/// rejected here (lines over the size limit).
fn read_jsonl(
    input: &Path,
    tx: SyncSender<(u64, Work)>,
    notices: &(dyn Fn(DedupNotice) + Sync),
) -> Result<usize, DedupRunError> {
    let mut seq = 0u64;
    jsonl::read_blocks(
        input,
        &mut |block| {
            let sent = tx.send((seq, Work::Lines(block))).is_ok();
            seq += 1;
            sent
        },
        &|why| notices(DedupNotice::Rejected(why)),
    )
}

/// Reads any input through ingestion (folders, `.txt`, `.html`, WARC,
/// feeds) in batches; returns the records rejected.
fn read_any(
    input: &Path,
    clean: bool,
    tx: SyncSender<(u64, Work)>,
    notices: &(dyn Fn(DedupNotice) + Sync),
) -> Result<usize, DedupRunError> {
    let mut reader = Reader::new(IngestOptions {
        clean,
        ..IngestOptions::default()
    });
    let mut batch = Vec::with_capacity(BATCH);
    let mut seq = 0u64;
    let mut closed = false;
    let summary = reader.read_path(input, &mut |event| match event {
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
        Event::Error(e) => notices(DedupNotice::Rejected(e.to_string())),
        Event::Warning(w) => notices(DedupNotice::Warning(w.to_string())),
        Event::FileSkipped { path, reason } => notices(DedupNotice::FileSkipped { path, reason }),
    });
    if !batch.is_empty() && !closed {
        // Nobody listening means the index side stopped on an error it
        // reports itself.
        let _ = tx.send((seq, Work::Articles(batch)));
    }
    Ok(summary.errors)
}

/// Fingerprints work until the channel closes; returns how many records it
/// rejected.
fn fingerprint_work(
    config: Config,
    clean: bool,
    rx: Arc<Mutex<Receiver<(u64, Work)>>>,
    tx: SyncSender<(u64, Vec<Item>)>,
    notices: &(dyn Fn(DedupNotice) + Sync),
) -> usize {
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
            Work::Lines(block) => {
                let mut items = Vec::new();
                let mut at = 0usize;
                let data = &block.data;
                let ends = memchr::memchr_iter(b'\n', data).chain([data.len()]);
                for (k, end) in ends.enumerate() {
                    let raw = &data[at..end];
                    at = end + 1;
                    let line = block.first + k as u64;
                    match jsonl::fingerprint_line(raw, clean, &mut fpr) {
                        Ok(Some((id, fp))) => items.push(Item {
                            id,
                            origin: Origin::Line(Arc::clone(&block.path), line),
                            fp,
                        }),
                        Ok(None) => {}
                        Err(why) => {
                            bad += 1;
                            notices(DedupNotice::Rejected(format!(
                                "{}:{line}: {why}",
                                block.path.display()
                            )));
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
}
