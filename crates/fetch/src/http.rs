//! Polite HTTP GET: one request at a time per host, a delay between two,
//! exponential backoff after failures (or `Retry-After`), robots.txt read
//! once a day per host and obeyed, conditional requests.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use texting_robots::Robot;

use crate::Validators;

/// Largest feed or page body read, in bytes.
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// Longest a host is backed off.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How long a host's robots.txt is trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// The product token robots.txt groups are matched against.
pub const AGENT_TOKEN: &str = "parallax";

/// How politely to fetch.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Least time between two requests to one host.
    pub delay: Duration,
    /// First backoff after a failure (doubles with each one, up to an hour).
    pub backoff: Duration,
    /// Longest one request may take.
    pub timeout: Duration,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            delay: Duration::from_millis(1000),
            backoff: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why a request was not answered.
#[derive(Debug)]
pub enum Failure {
    /// robots.txt forbids the address.
    Forbidden(String),
    /// The host is backed off after failures.
    BackedOff {
        /// `scheme://host[:port]`.
        host: String,
        /// Seconds left.
        secs: f64,
    },
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
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body of a 200 answer (empty otherwise), at most `MAX_BODY` bytes.
    pub body: Vec<u8>,
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
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
pub struct Fetcher {
    agent: ureq::Agent,
    hosts: HashMap<String, Host>,
    delay: Duration,
    backoff: Duration,
}

impl Fetcher {
    /// A client with `config`'s politeness.
    pub fn new(config: &FetchConfig) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.timeout.max(Duration::from_secs(1))))
            .user_agent(format!(
                "{AGENT_TOKEN}/{} (feed reader)",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .into();
        Self {
            agent,
            hosts: HashMap::new(),
            delay: config.delay,
            backoff: config.backoff,
        }
    }

    /// GET `url` politely (robots.txt, delay, backoff), conditionally when
    /// `validators` are given.
    pub fn get(&mut self, url: &str, validators: Option<&Validators>) -> Result<Answer, Failure> {
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
pub fn origin_of(url: &str) -> Option<String> {
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

/// The `charset=` parameter of a Content-Type.
pub fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches('"'))
    })
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
    }
}
