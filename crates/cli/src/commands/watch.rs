//! `parallax watch URL...`: poll feeds on a schedule and ingest their new
//! items into the store, each once.
//!
//! Every `--interval` seconds each feed is fetched with a conditional GET
//! (`If-None-Match` / `If-Modified-Since` from the last answer; a `304`
//! costs nothing). Items whose id is neither seen in this run nor stored
//! are new. An item that carries only a summary has its linked page fetched
//! and extracted (unless `--no-fetch`); a page robots.txt forbids, or one
//! that answers 4xx, leaves the summary as the body. New items go through
//! the same ingestion as `parallax run` (checks, cleaning, outlet
//! templates, idempotency), oldest first.
//!
//! Politeness, per host: one request at a time, at least `--delay-ms`
//! between two; robots.txt is read once a day per host and obeyed (group
//! `parallax`, else `*`; longest matching `Allow`/`Disallow` wins; a 4xx
//! robots.txt allows everything, an unreachable or 5xx one means "not
//! now"); a failure (no connection, timeout, 429, 5xx) backs the host off
//! exponentially from `--backoff-ms` up to an hour, or for `Retry-After`
//! when the server says so. Nothing stops the loop: a feed that is down is
//! reported and tried again once its host's backoff is over.
//!
//! What was learnt of each feed (validators) is kept in a small JSON file
//! beside the store (`STORE.watch.json`; for a PostgreSQL store,
//! `parallax-watch-HOST_PORT_DB.json` in the working directory), so a restarted watch stays
//! conditional; stored ids are looked up in the store itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use parallax_engine::{Engine, EngineConfig, IngestNotice};
use parallax_fetch::{FeedPoller, FeedState, FetchConfig};
use parallax_model::ArticleId;

/// What `parallax watch` was asked to do.
#[derive(Debug, Clone)]
pub struct WatchArgs {
    /// The store.
    pub db: PathBuf,
    /// Feed addresses.
    pub feeds: Vec<String>,
    /// Seconds between two polls of the feeds.
    pub interval: u64,
    /// Stop after this many polls (default: never).
    pub polls: Option<u64>,
    /// Least time between two requests to one host, in milliseconds.
    pub delay_ms: u64,
    /// First backoff after a failure, in milliseconds (doubles each time).
    pub backoff_ms: u64,
    /// Fetch the pages of items that carry only a summary.
    pub fetch: bool,
    /// Seconds one request may take.
    pub timeout: u64,
}

/// Run the watch loop: the poller (`parallax-fetch`) finds new items, the
/// engine stores them; this prints one line per feed and poll.
pub fn watch(args: &WatchArgs) -> Result<ExitCode> {
    let mut engine = Engine::open(&args.db, EngineConfig::default())?;
    let state_path = state_path(&args.db);
    let config = FetchConfig {
        delay: Duration::from_millis(args.delay_ms),
        backoff: Duration::from_millis(args.backoff_ms),
        timeout: Duration::from_secs(args.timeout),
    };
    let mut poller = FeedPoller::new(&config, FeedState::load(&state_path), args.fetch);
    let mut poll = 0u64;
    loop {
        poll += 1;
        let started = Instant::now();
        for url in &args.feeds {
            match poll_feed(url, &mut engine, &mut poller) {
                Ok(line) => eprintln!("poll {poll}: {url}: {line}"),
                Err(e) => eprintln!("poll {poll}: {url}: {e:#}"),
            }
        }
        if let Err(e) = poller.state().save(&state_path) {
            eprintln!("warning: cannot save {}: {e}", state_path.display());
        }
        if args.polls.is_some_and(|n| poll >= n) {
            break;
        }
        let wait = Duration::from_secs(args.interval).saturating_sub(started.elapsed());
        std::thread::sleep(wait);
    }
    Ok(ExitCode::SUCCESS)
}

/// Poll one feed and ingest what is new; the line says what happened.
fn poll_feed(url: &str, engine: &mut Engine, poller: &mut FeedPoller) -> Result<String> {
    let polled = poller.poll(url, &mut |id| {
        engine
            .store()
            .content_hash(&ArticleId(id.to_owned()))
            .map(|hash| hash.is_some())
            .map_err(|e| e.to_string())
    })?;
    if polled.not_modified {
        return Ok("not modified".into());
    }
    let mut line = format!("{} items, {} new", polled.items, polled.records.len());
    if polled.postponed > 0 {
        line.push_str(&format!(
            ", {} postponed (page not reachable now)",
            polled.postponed
        ));
    }
    if polled.records.is_empty() {
        return Ok(line);
    }
    let mut body = Vec::new();
    for r in &polled.records {
        serde_json::to_writer(&mut body, r)?;
        body.write_all(b"\n")?;
    }
    let report = engine.ingest_jsonl(&mut body.as_slice(), url, &mut |notice| match notice {
        IngestNotice::Rejected(e) => eprintln!("skipped: {e}"),
        IngestNotice::Warning(w) => eprintln!("warning: {w}"),
        IngestNotice::Conflict(a) => eprintln!(
            "skipped: article {} is already stored with different content",
            a.id
        ),
        IngestNotice::FileSkipped(..) | IngestNotice::Committed { .. } => {}
    })?;
    poller.mark_seen(polled.ids);
    line.push_str(&format!(
        ", {} stored, {} rejected; {} new stories",
        report.stored, report.rejected, report.founded
    ));
    Ok(line)
}

/// `STORE.watch.json` beside an SQLite store; for a PostgreSQL store (a
/// URL, no file to sit beside) `parallax-watch-HOST_PORT_DB.json` in the
/// working directory, named from the URL without its password.
fn state_path(db: &Path) -> PathBuf {
    let text = db.to_string_lossy();
    if parallax_engine::is_postgres_url(&text) {
        let shown = parallax_engine::display_db(db);
        let place = shown
            .split_once("://")
            .map_or(shown.as_str(), |(_, rest)| rest);
        let place = place.rsplit_once('@').map_or(place, |(_, host)| host);
        let name: String = place
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        return PathBuf::from(format!("parallax-watch-{name}.json"));
    }
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".watch.json");
    db.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_files_sit_beside_the_store() {
        assert_eq!(
            state_path(Path::new("/x/p.db")),
            Path::new("/x/p.db.watch.json")
        );
        assert_eq!(
            state_path(Path::new("postgres://u:secret@db.example:5432/news")),
            Path::new("parallax-watch-db.example_5432_news.json")
        );
    }
}
