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

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use parallax_engine::{Engine, EngineConfig, IngestNotice};
use parallax_ingest::sources::feed::{FeedItem, parse_feed};
use parallax_model::ArticleId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use texting_robots::Robot;

/// Largest feed or page body read, in bytes.
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// Longest a host is backed off.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How long a host's robots.txt is trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// The product token robots.txt groups are matched against.
const AGENT_TOKEN: &str = "parallax";

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

/// Run the watch loop.
pub fn watch(args: &WatchArgs) -> Result<ExitCode> {
    let mut engine = Engine::open(&args.db, EngineConfig::default())?;
    let state_path = state_path(&args.db);
    let mut state = State::load(&state_path);
    let mut net = Net::new(args);
    let mut seen: HashSet<String> = HashSet::new();
    let spool = std::env::temp_dir().join(format!("parallax-watch-{}", std::process::id()));
    std::fs::create_dir_all(&spool).with_context(|| format!("{}", spool.display()))?;
    let mut poll = 0u64;
    loop {
        poll += 1;
        let started = Instant::now();
        for url in &args.feeds {
            let outcome = poll_feed(
                url,
                &mut engine,
                &mut net,
                &mut state,
                &mut seen,
                &spool,
                args.fetch,
            );
            match outcome {
                Ok(line) => eprintln!("poll {poll}: {url}: {line}"),
                Err(e) => eprintln!("poll {poll}: {url}: {e:#}"),
            }
        }
        if let Err(e) = state.save(&state_path) {
            eprintln!("warning: cannot save {}: {e}", state_path.display());
        }
        if args.polls.is_some_and(|n| poll >= n) {
            break;
        }
        let wait = Duration::from_secs(args.interval).saturating_sub(started.elapsed());
        std::thread::sleep(wait);
    }
    let _ = std::fs::remove_dir_all(&spool);
    Ok(ExitCode::SUCCESS)
}

/// Poll one feed and ingest what is new; the line says what happened.
fn poll_feed(
    url: &str,
    engine: &mut Engine,
    net: &mut Net,
    state: &mut State,
    seen: &mut HashSet<String>,
    spool: &Path,
    fetch_pages: bool,
) -> Result<String> {
    let validators = state.feeds.get(url).cloned().unwrap_or_default();
    let answer = net.get(url, Some(&validators))?;
    if answer.status == 304 {
        return Ok("not modified".into());
    }
    if answer.status != 200 {
        anyhow::bail!("HTTP {}", answer.status);
    }
    state.feeds.insert(
        url.to_owned(),
        Validators {
            etag: answer.etag.clone(),
            last_modified: answer.last_modified.clone(),
        },
    );
    let feed = parse_feed(&answer.body, Some(url))
        .map_err(|e| anyhow::anyhow!("not a readable feed: {e}"))?;
    let outlet = feed.outlet();
    let mut records = Vec::new();
    let mut taken = Vec::new();
    let mut postponed = 0;
    for item in feed.items.iter().rev() {
        if seen.contains(&item.id) {
            continue;
        }
        if engine
            .store()
            .content_hash(&ArticleId(item.id.clone()))?
            .is_some()
        {
            seen.insert(item.id.clone());
            continue;
        }
        match record(item, outlet.as_deref(), net, fetch_pages) {
            Some(r) => {
                records.push(r);
                taken.push(item.id.clone());
            }
            None => postponed += 1,
        }
    }
    let mut line = format!("{} items, {} new", feed.items.len(), records.len());
    if postponed > 0 {
        line.push_str(&format!(", {postponed} postponed (page not reachable now)"));
    }
    if records.is_empty() {
        return Ok(line);
    }
    let file = spool.join(format!(
        "{}.jsonl",
        parallax_ingest::sources::feed::host_name(url).unwrap_or("feed")
    ));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    for r in &records {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    let report = engine.ingest(std::slice::from_ref(&file), &mut |notice| match notice {
        IngestNotice::Rejected(e) => eprintln!("skipped: {e}"),
        IngestNotice::Warning(w) => eprintln!("warning: {w}"),
        IngestNotice::Conflict(a) => eprintln!(
            "skipped: article {} is already stored with different content",
            a.id
        ),
        IngestNotice::FileSkipped(..) | IngestNotice::Committed { .. } => {}
    })?;
    seen.extend(taken);
    line.push_str(&format!(
        ", {} stored, {} rejected; {} new stories",
        report.stored, report.rejected, report.founded
    ));
    Ok(line)
}

/// The Article JSONL record for an item: its page when it carries only a
/// summary and the page can be had, else its own text. `None`: the page is
/// not reachable now (try again at the next poll).
fn record(
    item: &FeedItem,
    outlet: Option<&str>,
    net: &mut Net,
    fetch_pages: bool,
) -> Option<serde_json::Value> {
    let mut r = json!({
        "id": item.id,
        "title": item.title,
        "url": item.url,
        "source": outlet,
        "published": item.published.map(|d| d.to_rfc3339()),
        "text": item.text,
    });
    let page_url = item
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    if let (false, true, Some(page_url)) = (item.full, fetch_pages, page_url) {
        match net.get(page_url, None) {
            Ok(a) if a.status == 200 => {
                let charset = a.content_type.as_deref().and_then(charset_of);
                let html = parallax_extract::decode_html(&a.body, charset).text;
                r["html"] = json!(html);
                if let Some(text) = r.as_object_mut() {
                    text.remove("text");
                }
            }
            Ok(_) => {}
            Err(Failure::Forbidden(_)) => {}
            Err(e) => {
                eprintln!("  {page_url}: {e}");
                return None;
            }
        }
    }
    Some(r)
}

/// The `charset=` parameter of a Content-Type.
fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches('"'))
    })
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

/// What a watch remembers between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// Validators per feed address.
    feeds: HashMap<String, Validators>,
}

/// The validators of a feed's last full answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

impl State {
    fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(tmp, path)
    }
}

/// Why a request was not answered.
#[derive(Debug)]
enum Failure {
    /// robots.txt forbids the address.
    Forbidden(String),
    /// The host is backed off after failures.
    BackedOff { host: String, secs: f64 },
    /// The address is not http(s).
    BadUrl,
    /// Network failure or an answer meaning "not now" (429, 5xx).
    Failed(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Forbidden(origin) => write!(f, "robots.txt of {origin} forbids it"),
            Self::BackedOff { host, secs } => {
                write!(
                    f,
                    "{host} is backed off for {secs:.1} more seconds after failures"
                )
            }
            Self::BadUrl => f.write_str("not an http(s) address"),
            Self::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Failure {}

/// One answer.
struct Answer {
    status: u16,
    body: Vec<u8>,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
}

/// What is known of one host.
#[derive(Default)]
struct Host {
    next_request: Option<Instant>,
    failures: u32,
    blocked_until: Option<Instant>,
    robots: Option<(Instant, Robots)>,
}

/// The HTTP client with per-host politeness, backoff and robots.txt.
struct Net {
    agent: ureq::Agent,
    hosts: HashMap<String, Host>,
    delay: Duration,
    backoff: Duration,
}

impl Net {
    fn new(args: &WatchArgs) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(args.timeout.max(1))))
            .user_agent(format!(
                "{AGENT_TOKEN}/{} (feed reader)",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .into();
        Self {
            agent,
            hosts: HashMap::new(),
            delay: Duration::from_millis(args.delay_ms),
            backoff: Duration::from_millis(args.backoff_ms),
        }
    }

    /// GET `url` politely (robots.txt, delay, backoff), conditionally when
    /// `validators` are given.
    fn get(&mut self, url: &str, validators: Option<&Validators>) -> Result<Answer, Failure> {
        let origin = origin_of(url).ok_or(Failure::BadUrl)?;
        self.check_backoff(&origin)?;
        let robots = self.robots(&origin)?;
        if !robots.allows(url) {
            return Err(Failure::Forbidden(origin));
        }
        self.request(&origin, url, validators)
    }

    fn check_backoff(&mut self, origin: &str) -> Result<(), Failure> {
        let host = self.hosts.entry(origin.to_owned()).or_default();
        match host.blocked_until {
            Some(until) if until > Instant::now() => Err(Failure::BackedOff {
                host: origin.to_owned(),
                secs: until
                    .saturating_duration_since(Instant::now())
                    .as_secs_f64(),
            }),
            _ => Ok(()),
        }
    }

    /// The host's robots.txt rules, fetched when unknown or stale.
    fn robots(&mut self, origin: &str) -> Result<Robots, Failure> {
        if let Some((at, rules)) = self.hosts.get(origin).and_then(|h| h.robots.as_ref())
            && at.elapsed() < ROBOTS_TTL
        {
            return Ok(rules.clone());
        }
        let answer = self.request(origin, &format!("{origin}/robots.txt"), None)?;
        let rules = match answer.status {
            200..=299 => Robots::parse(&answer.body, AGENT_TOKEN).map_err(|e| {
                Failure::Failed(format!("robots.txt of {origin} could not be read: {e}"))
            })?,
            // No robots.txt (or not ours to read): everything is allowed.
            400..=499 => Robots::allow_all(),
            s => return Err(Failure::Failed(format!("robots.txt answered HTTP {s}"))),
        };
        self.hosts.entry(origin.to_owned()).or_default().robots =
            Some((Instant::now(), rules.clone()));
        Ok(rules)
    }

    /// One request, after the host's delay; failures back the host off.
    fn request(
        &mut self,
        origin: &str,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<Answer, Failure> {
        let host = self.hosts.entry(origin.to_owned()).or_default();
        if let Some(at) = host.next_request {
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
        }
        let mut req = self.agent.get(url);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header("If-None-Match", etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header("If-Modified-Since", lm);
            }
        }
        let result = req.call().map_err(|e| e.to_string()).and_then(|mut resp| {
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let (etag, last_modified, content_type, retry_after) = (
                header("etag"),
                header("last-modified"),
                header("content-type"),
                header("retry-after"),
            );
            let status = resp.status().as_u16();
            let body = if status == 200 {
                resp.body_mut()
                    .with_config()
                    .limit(MAX_BODY)
                    .read_to_vec()
                    .map_err(|e| e.to_string())?
            } else {
                Vec::new()
            };
            Ok((
                Answer {
                    status,
                    body,
                    etag,
                    last_modified,
                    content_type,
                },
                retry_after,
            ))
        });
        let host = self.hosts.entry(origin.to_owned()).or_default();
        host.next_request = Some(Instant::now() + self.delay);
        let failure = match result {
            Ok((answer, retry_after)) if answer.status == 429 || answer.status >= 500 => {
                let wait = retry_after.and_then(|s| s.trim().parse::<u64>().ok());
                (format!("HTTP {}", answer.status), wait)
            }
            Ok((answer, _)) => {
                host.failures = 0;
                host.blocked_until = None;
                return Ok(answer);
            }
            Err(e) => (e, None),
        };
        host.failures = host.failures.saturating_add(1);
        let wait = match failure.1 {
            Some(secs) => Duration::from_secs(secs).min(MAX_BACKOFF),
            None => self
                .backoff
                .saturating_mul(1u32 << host.failures.min(16).saturating_sub(1))
                .min(MAX_BACKOFF),
        };
        host.blocked_until = Some(Instant::now() + wait);
        Err(Failure::Failed(format!(
            "{} (backing off {:.1}s)",
            failure.0,
            wait.as_secs_f64()
        )))
    }
}

/// `scheme://host[:port]` of an http(s) address.
fn origin_of(url: &str) -> Option<String> {
    let scheme_end = if url.starts_with("https://") {
        8
    } else if url.starts_with("http://") {
        7
    } else {
        return None;
    };
    let rest = &url[scheme_end..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (end > 0).then(|| url[..scheme_end + end].to_owned())
}

/// A host's robots.txt, read by `texting_robots` (its own group, else
/// `*`; the longest matching rule decides; `*` and `$` patterns compiled to
/// size-limited regular expressions, so no pattern can stall the loop).
#[derive(Clone)]
struct Robots(Arc<Robot>);

impl Robots {
    /// The rules `text` gives `agent`; an error for a file that cannot be
    /// read (a pattern past the size limits, say).
    fn parse(text: &[u8], agent: &str) -> Result<Self, String> {
        Robot::new(agent, text)
            .map(|r| Self(Arc::new(r)))
            .map_err(|e| e.to_string())
    }

    /// No robots.txt: everything is allowed.
    fn allow_all() -> Self {
        Self::parse(b"", AGENT_TOKEN).expect("an empty robots.txt parses")
    }

    /// Whether `url` may be fetched.
    fn allows(&self, url: &str) -> bool {
        self.0.allowed(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_groups_and_longest_match() {
        let text = "User-agent: *\nDisallow: /private/\nAllow: /private/open\n\n\
                    User-agent: otherbot\nDisallow: /\n";
        let r = Robots::parse(text.as_bytes(), AGENT_TOKEN).unwrap();
        let at = |path: &str| format!("https://news.example{path}");
        assert!(r.allows(&at("/news/1")));
        assert!(!r.allows(&at("/private/x")));
        assert!(r.allows(&at("/private/open/y")));
        let own = Robots::parse(
            b"User-agent: Parallax\nDisallow: /\nUser-agent: *\nDisallow:\n",
            AGENT_TOKEN,
        )
        .unwrap();
        assert!(!own.allows(&at("/a")));
        let wild = Robots::parse(b"User-agent: *\nDisallow: /*.pdf$\n", AGENT_TOKEN).unwrap();
        assert!(!wild.allows(&at("/a/b.pdf")));
        assert!(wild.allows(&at("/a/b.pdf?x=1")));
        assert!(Robots::allow_all().allows(&at("/anything")));
    }

    #[test]
    fn a_hostile_pattern_is_matched_in_linear_time() {
        // Backtracking over these stars took exponential time: with the
        // old matcher this test never finished.
        let text = format!("User-agent: *\nDisallow: /{}b\n", "*a".repeat(40));
        let r = Robots::parse(text.as_bytes(), AGENT_TOKEN).unwrap();
        let url = format!("https://news.example/{}", "a".repeat(5_000));
        assert!(r.allows(&url));
    }

    #[test]
    fn origins_and_charsets() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/feed.xml").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://a.example").as_deref(),
            Some("https://a.example")
        );
        assert_eq!(origin_of("ftp://a"), None);
        assert_eq!(
            charset_of("text/html; charset=\"windows-1251\""),
            Some("windows-1251")
        );
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
