//! `parallax`: turn a stream of news articles into stories.
//!
//! This binary only parses arguments, sets up logging and prints; all work
//! happens in the library crates (see `docs/ARCHITECTURE.md`).

mod commands;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The pipeline allocates many small, short-lived strings and vectors on
/// several threads at once (briefs, cleaning, analysis); mimalloc's
/// per-thread free lists cut the time the system allocator spent there
/// (about a fifth of `parallax run`'s CPU time, by profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn a stream of news articles into stories: one view per real-world
/// event, with what every source said.
#[derive(Debug, Parser)]
#[command(name = "parallax", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// More log detail (-v info, -vv debug); `RUST_LOG` overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Where the embedded store lives unless `--db` or `PARALLAX_DB` says
/// otherwise.
const DEFAULT_DB: &str = "parallax.db";

#[derive(Debug, clap::Args)]
struct DbArg {
    /// The store: an SQLite file, or a PostgreSQL database as a postgres:// URL.
    /// Default: $PARALLAX_DB, else ./parallax.db.
    #[arg(long, env = "PARALLAX_DB", default_value = DEFAULT_DB)]
    db: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest files or folders (JSONL, .txt, .html, feeds, WARC) into the store and
    /// print the stories this run touched (never the whole store).
    Run {
        #[command(flatten)]
        db: DbArg,
        /// Files or folders to ingest.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the stories as JSON lines instead of text.
        #[arg(long)]
        json: bool,
        /// Show no progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Articles per stored transaction: a kill loses at most the batch
        /// in flight, and a rerun redoes it.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..))]
        batch_size: u32,
    },
    /// Poll feeds (RSS, Atom, JSON Feed) on a schedule and ingest their new
    /// items into the store, each once (conditional GET, robots.txt,
    /// per-host delay and backoff).
    Watch {
        #[command(flatten)]
        db: DbArg,
        /// Feed addresses (http or https).
        #[arg(required = true)]
        feeds: Vec<String>,
        /// Seconds between two polls.
        #[arg(long, default_value_t = 900)]
        interval: u64,
        /// Stop after this many polls (default: run until stopped).
        #[arg(long)]
        polls: Option<u64>,
        /// Least time between two requests to one host, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        delay_ms: u64,
        /// First backoff after a failed request, in milliseconds (doubles
        /// with each failure, at most an hour).
        #[arg(long, default_value_t = 60_000)]
        backoff_ms: u64,
        /// Do not fetch the pages of items that carry only a summary.
        #[arg(long)]
        no_fetch: bool,
        /// Seconds one request may take.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// List stored stories.
    Stories {
        #[command(flatten)]
        db: DbArg,
        /// One JSON object per story: {"story", "title", "articles"}.
        #[arg(long)]
        json: bool,
    },
    /// Print one story's brief and the stories merged into it.
    Show {
        #[command(flatten)]
        db: DbArg,
        /// The story id (a unique prefix is enough; the id of a story merged
        /// into another shows that story).
        story: String,
        /// Print the brief as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the JSON API, its OpenAPI document and the web page.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on: HOST:PORT, or HOST alone for port 8080.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Largest request body accepted, in bytes (larger ones get 413).
        #[arg(long, default_value_t = parallax_serve::DEFAULT_MAX_BODY)]
        max_body: usize,
        /// Do not cache list and search responses (for measuring).
        #[arg(long)]
        no_cache: bool,
        #[command(flatten)]
        security: commands::serve::SecurityArgs,
    },
    /// Cluster an Article JSONL stream into stories (assignments TSV: each
    /// article with its story at the end of the stream, after merges).
    Cluster {
        /// Article JSONL, read in file order as one stream.
        #[arg(long)]
        input: PathBuf,
        /// Where to write `article_id<TAB>story_id` lines.
        #[arg(long)]
        output: PathBuf,
        /// Least cosine for an article to join a story (the threshold and
        /// veto decisions).
        #[arg(long)]
        threshold: Option<f32>,
        /// How an article is placed: `threshold` (its cosine to the closest
        /// story reaches `--threshold`), `learned` (a logistic model over
        /// headline, lead, name and number similarities), or `veto` (the
        /// threshold, unless the model finds the join unlikely).
        #[arg(long, value_enum, default_value = "threshold")]
        decision: commands::cluster::DecisionKind,
        /// Days over which a story's pull on an article halves once the
        /// article was published more than 3 days from the story's reports
        /// (`published`); 0 ignores publication dates. Default 7.
        #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
        half_life_days: Option<f32>,
        /// Re-cluster the most recent articles every so often, and at the
        /// end, by average linkage over a learned article-article
        /// similarity, behind the online placement (stories keep their ids
        /// by largest overlap).
        #[arg(long)]
        consolidate: bool,
        /// Most recent articles that `--consolidate` re-clusters together
        /// (benchmarks; default 2048).
        #[arg(long, hide = true, requires = "consolidate")]
        consolidate_window: Option<usize>,
        /// Articles between two consolidations (benchmarks; default 512).
        #[arg(long, hide = true, requires = "consolidate")]
        consolidate_every: Option<usize>,
        /// The pair model `bias,w1,...,w8` that `--consolidate` reads
        /// instead of the shipped one (benchmarks: a model fitted without
        /// the set scored, from bench/stories/pairwise.py --model-for).
        #[arg(long, hide = true, requires = "consolidate")]
        pair_model: Option<String>,
    },
    /// Score every pair of articles (TSV `id_a<TAB>id_b<TAB>score`, score in
    /// [0, 1], higher = closer to reporting the same event).
    Similarity {
        /// Article JSONL.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the pairs.
        #[arg(long)]
        output: PathBuf,
    },
    /// Write a brief for each given story (JSON lines).
    Brief {
        /// Article JSONL.
        #[arg(long)]
        input: PathBuf,
        /// Assignments TSV (`article_id<TAB>story_id`) naming the stories.
        #[arg(long)]
        stories: PathBuf,
        /// Where to write one brief per line.
        #[arg(long)]
        output: PathBuf,
        /// Most words in each summary.
        #[arg(long, default_value_t = 60)]
        words: usize,
    },
    /// Extract the article from every HTML page of a folder (one JSON
    /// object keyed by page name: articleBody, headline, datePublished,
    /// author).
    Extract {
        /// A folder of `NAME.html` / `NAME.html.gz` pages, any charset.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the JSON object.
        #[arg(long)]
        output: PathBuf,
        /// Readability's text as it is, without the furniture cut or the
        /// rs-trafilatura fallback: slightly faster, less precise.
        #[arg(long)]
        fast: bool,
        /// Pages extracted at once (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
        /// No progress bar and no timing line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Find duplicate, near-duplicate and syndicated pairs (TSV:
    /// copy_id, original_id, relation, score).
    Dedup {
        /// Article JSONL (or any input `run` reads), in arrival order.
        #[arg(long)]
        input: PathBuf,
        /// Where to write `copy_id<TAB>original_id<TAB>relation<TAB>score`.
        #[arg(long)]
        output: PathBuf,
        /// A persistent index file: articles already in it are skipped,
        /// new ones are added, and pairs among all of them are written.
        #[arg(long)]
        index: Option<PathBuf>,
        /// With --index: commit (fsync) every this many articles.
        #[arg(long, default_value_t = 10_000)]
        commit_every: usize,
        /// Fingerprint threads (0: one per core, at most 4).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Run ingestion's full in-article cleaning first (slower).
        #[arg(long)]
        clean: bool,
        /// Add a fifth column naming the rule that decided the direction.
        #[arg(long, hide = true)]
        explain: bool,
        /// Detector settings to override, `name=value,...` (tuning only).
        #[arg(long, hide = true)]
        tune: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format, cli.verbose);
    let result = match cli.command {
        Command::Run {
            db,
            paths,
            json,
            quiet,
            batch_size,
        } => commands::run::run(&db.db, &paths, json, quiet, batch_size as usize),
        Command::Watch {
            db,
            feeds,
            interval,
            polls,
            delay_ms,
            backoff_ms,
            no_fetch,
            timeout,
        } => commands::watch::watch(&commands::watch::WatchArgs {
            db: db.db,
            feeds,
            interval,
            polls,
            delay_ms,
            backoff_ms,
            fetch: !no_fetch,
            timeout,
        }),
        Command::Stories { db, json } => commands::stories::stories(&db.db, json),
        Command::Show { db, story, json } => commands::stories::show(&db.db, &story, json),
        Command::Serve {
            db,
            addr,
            max_body,
            no_cache,
            security,
        } => commands::serve::serve(&db.db, &addr, max_body, no_cache, &security),
        Command::Cluster {
            input,
            output,
            threshold,
            decision,
            half_life_days,
            consolidate,
            consolidate_window,
            consolidate_every,
            pair_model,
        } => {
            let consolidate = commands::cluster::consolidation(
                consolidate,
                consolidate_window,
                consolidate_every,
                pair_model.as_deref(),
            );
            consolidate.and_then(|consolidate| {
                commands::cluster::cluster(
                    &input,
                    &output,
                    decision,
                    threshold,
                    half_life_days,
                    consolidate,
                )
            })
        }
        Command::Similarity { input, output } => commands::similarity::similarity(&input, &output),
        Command::Brief {
            input,
            stories,
            output,
            words,
        } => commands::brief::brief(&input, &stories, &output, words),
        Command::Extract {
            input,
            output,
            fast,
            jobs,
            quiet,
        } => commands::extract::extract(&input, &output, fast, jobs, quiet),
        Command::Dedup {
            input,
            output,
            index,
            commit_every,
            threads,
            clean,
            explain,
            tune,
        } => commands::dedup::dedup(&commands::dedup::DedupArgs {
            input,
            output,
            index,
            commit_every,
            threads,
            clean,
            explain,
            tune,
        }),
    };
    match result {
        Ok(code) => code,
        // The reader of stdout went away (`parallax show ID | head`): what
        // it wanted was written, so end quietly, as `rg ... | head` does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` comes from writing to a pipe whose reader has closed it
/// (directly, or through `serde_json` writing to it).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => Some(io.kind()),
            None => cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind),
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(format: LogFormat, verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    // html5ever warns about markup it tolerates (every real page has some).
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{default},html5ever=error")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
