//! Who may do what, how often, and for how long: the write token, the
//! per-client rate limit and the request timeouts.
//!
//! # The rules
//!
//! * **Writes** (any method but `GET`, `HEAD` and `OPTIONS`; today only
//!   `POST /api/articles`) are refused with `403` when the server is
//!   read-only, or when the request comes from a web page of another origin
//!   (its `Origin` header names another host: a browser sends it on every
//!   cross-site POST, so a page the user visits cannot post articles to a
//!   server on their machine). With a token configured they need
//!   `Authorization: Bearer <token>` (`401` otherwise). Without one they
//!   are accepted from loopback clients only (naming the server by an
//!   address or a local name: a DNS-rebinding page is not one of them),
//!   unless anonymous writes are allowed explicitly: `parallax serve` on `127.0.0.1` keeps accepting
//!   `POST` as the contract says, and a server bound to a public address
//!   is not writable by the whole network by accident.
//! * **Reads** are open, unless the token is required for reads too;
//!   `GET /api/health` stays open either way (probes carry no secrets).
//! * **Rate**: a token bucket per client address (IPv6 by its /64, which a
//!   single host can rotate through), refilled at a steady rate up to a
//!   burst; an empty bucket answers `429` with `Retry-After`. Loopback
//!   clients are exempt unless asked for, so local benchmarks measure the
//!   server, not the limiter.
//! * **Time**: a read must be answered, a body received and a place in the
//!   writer's queue found within the request timeout (`503`, `408` for a
//!   body, `503` for the queue), so a slow client or a stuck read holds no
//!   connection or reader for ever. An ingest that has started is never
//!   cut short: the client would not know which of its articles were
//!   stored. Slow request heads (slow-loris) are cut by the connection
//!   layer (`Server::run`).
//!
//! The token is compared in constant time ([`subtle`]), so response times
//! do not reveal how much of a guess was right.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::routes::ApiError;
use crate::state::AppState;

/// A secret bearer token. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Why a token cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Nothing but white space.
    #[error("the token is empty")]
    Empty,
    /// A character a client could not send in an `Authorization` header.
    #[error("the token may hold only visible ASCII characters without spaces")]
    Unsendable,
}

impl Token {
    /// The token in `text`, surrounding white space (a file's final newline)
    /// removed.
    pub fn new(text: &str) -> Result<Self, TokenError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(TokenError::Empty);
        }
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::Unsendable);
        }
        Ok(Self(t.to_owned()))
    }

    /// Whether `headers` carry `Authorization: Bearer <this token>`.
    pub fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return false;
        };
        let Some(given) = value
            .as_bytes()
            .strip_prefix(b"Bearer ")
            .or_else(|| value.as_bytes().strip_prefix(b"bearer "))
        else {
            return false;
        };
        // `ct_eq` on slices of different lengths answers at once: the
        // length of the token is not a secret worth hiding, its bytes are.
        given.trim_ascii().ct_eq(self.0.as_bytes()).into()
    }
}

/// Who may read and write.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// The bearer token, when one is configured.
    pub token: Option<Token>,
    /// Refuse every write.
    pub read_only: bool,
    /// Require the token for reads too (`/api/health` stays open).
    pub token_for_reads: bool,
    /// Accept writes without a token from any client, not only loopback.
    pub allow_anonymous_writes: bool,
}

/// A per-client rate limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests per second a client may make in the long run.
    pub per_second: f64,
    /// Requests a client may make at once after a quiet spell.
    pub burst: u32,
    /// Limit loopback clients too (they are exempt otherwise).
    pub loopback: bool,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: 50.0,
            burst: 100,
            loopback: false,
        }
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the `Origin` header, when there is one, names this server (the
/// host the request was sent to).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    // "null" (sandboxed frames, file: pages) is never this server.
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// Whether the `Host` header, when there is one, names a local server: an
/// IP address, a single-label name (`localhost`, the machine's own name) or
/// a `.localhost` name. A DNS-rebinding page (a hostile public domain
/// re-pointed at 127.0.0.1) always sends its own dotted name, so a loopback
/// client naming the server that way is a browser on such a page, not a
/// local program.
fn host_is_local(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    if let Some(rest) = host.strip_prefix('[') {
        return rest
            .split(']')
            .next()
            .is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok()
        || !name.contains('.')
        || name.ends_with(".localhost")
}

fn unauthorized(message: &str) -> Response {
    let mut response = ApiError::new(StatusCode::UNAUTHORIZED, message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"parallax\""),
    );
    response
}

impl Access {
    /// Decides a request: `None` lets it through, `Some` is the refusal.
    /// `peer` is the client's address, when known (unknown counts as
    /// remote).
    pub fn check(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        peer: Option<IpAddr>,
    ) -> Option<Response> {
        if is_write(method) {
            if self.read_only {
                return Some(
                    ApiError::new(StatusCode::FORBIDDEN, "this server is read-only")
                        .into_response(),
                );
            }
            if !same_origin(headers) {
                return Some(
                    ApiError::new(
                        StatusCode::FORBIDDEN,
                        "writes from a web page of another origin are refused",
                    )
                    .into_response(),
                );
            }
            return match &self.token {
                Some(token) if token.admits(headers) => None,
                Some(_) => Some(unauthorized(
                    "writing needs the server's token: Authorization: Bearer <token>",
                )),
                None if self.allow_anonymous_writes => None,
                None if peer.is_some_and(|p| p.is_loopback()) && host_is_local(headers) => None,
                None if peer.is_some_and(|p| p.is_loopback()) => Some(
                    ApiError::new(
                        StatusCode::FORBIDDEN,
                        format!(
                            "this server has no token, so it accepts writes only from local \
                             programs that name it by an IP address, `localhost` or a one-word \
                             host name; this request came from this machine but named it {:?} \
                             (as a web page on a public domain pointed at this machine would); \
                             send Host: 127.0.0.1, or start the server with PARALLAX_TOKEN or \
                             --token-file",
                            headers
                                .get(header::HOST)
                                .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
                                .unwrap_or_default()
                        ),
                    )
                    .into_response(),
                ),
                None => Some(
                    ApiError::new(
                        StatusCode::FORBIDDEN,
                        "this server has no token, so it accepts writes only from loopback \
                         clients (127.0.0.1, ::1); start it with PARALLAX_TOKEN or --token-file",
                    )
                    .into_response(),
                ),
            };
        }
        match &self.token {
            Some(token) if self.token_for_reads && path != "/api/health" => {
                (!token.admits(headers)).then(|| {
                    unauthorized("reading needs the server's token: Authorization: Bearer <token>")
                })
            }
            _ => None,
        }
    }
}

/// Token buckets per client.
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// Most clients tracked; when there are more, those whose bucket has
    /// refilled (idle ones) are forgotten.
    pub const MAX_CLIENTS: usize = 65_536;

    /// A limiter for `limit`, or `None` when it allows everything (a rate
    /// of 0 turns limiting off).
    pub fn new(limit: RateLimit) -> Option<Self> {
        (limit.per_second > 0.0).then(|| Self {
            limit: RateLimit {
                burst: limit.burst.max(1),
                ..limit
            },
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// The bucket a client draws from: its address, or its /64 for IPv6.
    fn key(ip: IpAddr) -> IpAddr {
        match ip {
            IpAddr::V4(_) => ip,
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
            },
        }
    }

    /// Takes one request from `ip`'s bucket at `now`: `Ok` when allowed,
    /// else how long until the next request would be.
    pub fn take(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        if ip.is_loopback() && !self.limit.loopback {
            return Ok(());
        }
        let burst = f64::from(self.limit.burst);
        let rate = self.limit.per_second;
        let refill = |b: &mut Bucket| {
            let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
            b.tokens = (b.tokens + elapsed * rate).min(burst);
            b.at = now;
        };
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() >= Self::MAX_CLIENTS {
            buckets.retain(|_, b| {
                refill(b);
                b.tokens < burst
            });
            // Every tracked client is mid-burst: start over rather than
            // grow without bound (they get a fresh burst, no more).
            if buckets.len() >= Self::MAX_CLIENTS {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(Self::key(ip)).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        refill(bucket);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

fn peer(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Middleware: the rate limit, before anything else is done.
pub async fn rate_limit(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let verdict = match (&state.limiter, peer(&request)) {
        (Some(limiter), Some(ip)) => limiter.take(ip, Instant::now()).map_err(|wait| (ip, wait)),
        _ => Ok(()),
    };
    if let Err((ip, wait)) = verdict {
        let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many requests from {ip}; retry in {seconds} s"),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    next.run(request).await
}

/// Middleware: [`Access::check`].
pub async fn authorize(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    match state.access.check(
        request.method(),
        request.uri().path(),
        request.headers(),
        peer(&request),
    ) {
        Some(refusal) => refusal,
        None => next.run(request).await,
    }
}

/// Middleware: reads answer within the request timeout or get `503`.
/// Writes bound their own waits (`routes::api::post_articles`): an ingest
/// that has started runs to its end.
pub async fn read_timeout(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if is_write(request.method()) {
        return next.run(request).await;
    }
    match tokio::time::timeout(state.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::unavailable(format!(
            "no answer within {} s; the server is busy, retry shortly",
            state.timeout.as_secs_f32()
        ))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const REMOTE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 7)));
    const LOCAL: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn tokens_are_checked_exactly() {
        let t = Token::new("s3cret-token\n").unwrap();
        assert!(t.admits(&headers(&[("authorization", "Bearer s3cret-token")])));
        assert!(!t.admits(&headers(&[("authorization", "Bearer s3cret-toke")])));
        assert!(!t.admits(&headers(&[("authorization", "Bearer s3cret-tokenX")])));
        assert!(!t.admits(&headers(&[("authorization", "Basic s3cret-token")])));
        assert!(!t.admits(&headers(&[])));
        assert_eq!(Token::new(" \n").unwrap_err(), TokenError::Empty);
        assert_eq!(Token::new("a b").unwrap_err(), TokenError::Unsendable);
        assert_eq!(format!("{t:?}"), "Token(<redacted>)");
    }

    #[test]
    fn anonymous_writes_only_from_loopback_unless_allowed() {
        let open = Access::default();
        let post = Method::POST;
        let h = headers(&[("host", "127.0.0.1:8080")]);
        assert!(open.check(&post, "/api/articles", &h, LOCAL).is_none());
        let refused = open.check(&post, "/api/articles", &h, REMOTE).unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            open.check(&post, "/api/articles", &h, None)
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
        assert!(
            open.check(&Method::GET, "/api/stories", &h, REMOTE)
                .is_none()
        );
        // A loopback client naming the server by a domain: a rebinding page.
        let rebound = headers(&[("host", "attacker.example:8080")]);
        assert!(
            open.check(&post, "/api/articles", &rebound, LOCAL)
                .is_some()
        );
        let rebound = headers(&[("host", "127.0.0.1.nip.io")]);
        assert!(
            open.check(&post, "/api/articles", &rebound, LOCAL)
                .is_some()
        );
        for host in [
            "127.0.0.1:8080",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8080",
            "myhost",
            "app.localhost:80",
        ] {
            let h = headers(&[("host", host)]);
            assert!(
                open.check(&post, "/api/articles", &h, LOCAL).is_none(),
                "{host}"
            );
        }
        let anyone = Access {
            allow_anonymous_writes: true,
            ..Access::default()
        };
        assert!(anyone.check(&post, "/api/articles", &h, REMOTE).is_none());
    }

    #[test]
    fn a_token_binds_every_client_even_loopback() {
        let access = Access {
            token: Some(Token::new("tok").unwrap()),
            ..Access::default()
        };
        let none = headers(&[]);
        let good = headers(&[("authorization", "Bearer tok")]);
        for peer in [LOCAL, REMOTE] {
            let r = access
                .check(&Method::POST, "/api/articles", &none, peer)
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
            assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
            assert!(
                access
                    .check(&Method::POST, "/api/articles", &good, peer)
                    .is_none()
            );
            assert!(
                access
                    .check(&Method::GET, "/api/stories", &none, peer)
                    .is_none()
            );
        }
        let private = Access {
            token_for_reads: true,
            ..access
        };
        let r = private
            .check(&Method::GET, "/api/stories", &none, LOCAL)
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(
            private
                .check(&Method::GET, "/api/stories", &good, LOCAL)
                .is_none()
        );
        assert!(
            private
                .check(&Method::GET, "/api/health", &none, LOCAL)
                .is_none()
        );
    }

    #[test]
    fn cross_origin_and_read_only_writes_are_refused() {
        let access = Access::default();
        let cross = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example"),
        ]);
        let same = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ]);
        let null = headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]);
        for h in [&cross, &null] {
            let r = access
                .check(&Method::POST, "/api/articles", h, LOCAL)
                .unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
        assert!(
            access
                .check(&Method::POST, "/api/articles", &same, LOCAL)
                .is_none()
        );
        let read_only = Access {
            read_only: true,
            allow_anonymous_writes: true,
            ..Access::default()
        };
        let r = read_only
            .check(&Method::POST, "/api/articles", &same, LOCAL)
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(read_only.check(&Method::GET, "/", &same, LOCAL).is_none());
    }

    #[test]
    fn buckets_refill_at_the_rate_up_to_the_burst() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 2.0,
            burst: 3,
            loopback: false,
        })
        .unwrap();
        let t0 = Instant::now();
        let ip = REMOTE.unwrap();
        for _ in 0..3 {
            assert!(limiter.take(ip, t0).is_ok());
        }
        let wait = limiter.take(ip, t0).unwrap_err();
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6, "{wait:?}");
        // Half a second later one request is allowed, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert!(limiter.take(ip, t1).is_ok());
        assert!(limiter.take(ip, t1).is_err());
        // Another client has its own bucket; loopback is exempt.
        assert!(limiter.take("10.0.0.8".parse().unwrap(), t1).is_ok());
        for _ in 0..100 {
            assert!(limiter.take(LOCAL.unwrap(), t1).is_ok());
        }
        // A long pause refills to the burst, not beyond.
        let t2 = t1 + Duration::from_secs(60);
        for _ in 0..3 {
            assert!(limiter.take(ip, t2).is_ok());
        }
        assert!(limiter.take(ip, t2).is_err());
        assert!(
            RateLimiter::new(RateLimit {
                per_second: 0.0,
                ..RateLimit::default()
            })
            .is_none()
        );
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 1.0,
            burst: 1,
            loopback: false,
        })
        .unwrap();
        let t = Instant::now();
        assert!(limiter.take("2001:db8:1:2::1".parse().unwrap(), t).is_ok());
        assert!(
            limiter
                .take("2001:db8:1:2::ffff".parse().unwrap(), t)
                .is_err()
        );
        assert!(limiter.take("2001:db8:1:3::1".parse().unwrap(), t).is_ok());
    }
}
