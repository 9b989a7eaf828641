//! The server's guards over a real socket (127.0.0.1, port 0): the write
//! token, read-only and private modes, cross-origin writes, the per-client
//! rate limit, the three timeouts (request head, body, read and writer
//! queue), path traversal against the embedded assets, and the safety
//! headers on every kind of answer.

mod common;

use std::time::{Duration, Instant};

use common::{Reply, Running, exchange, get, parse, request, serve};
use parallax_serve::{RateLimit, ServeConfig, Token};

const TOKEN: &str = "t0ken-for-tests_0123456789";

/// A server over an empty store, configured by `setup`.
async fn start(setup: impl FnOnce(&mut ServeConfig)) -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = ServeConfig::new(dir.path().join("p.db"), "127.0.0.1:0".parse().unwrap());
    setup(&mut config);
    serve(dir, config).await
}

fn with_token(config: &mut ServeConfig) {
    config.access.token = Some(Token::new(TOKEN).unwrap());
}

const ARTICLE: &[u8] = br#"{"id": "s1", "source": "Gazette", "title": "Bridge reopens", "text": "The river bridge reopened on Monday after two years of repairs, the city said."}
"#;

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The headers every answer carries, whatever it is.
fn assert_safe_headers(reply: &Reply, what: &str) {
    let csp = reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        reply.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(
        reply.header("cross-origin-resource-policy"),
        Some("same-origin"),
        "{what}"
    );
    if reply.status >= 400 {
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_token_once_one_is_set() {
    let server = start(with_token).await;
    let addr = server.addr;

    let none = request(addr, "POST", "/api/articles", &[], ARTICLE).await;
    assert_eq!(none.status, 401, "{}", none.text());
    assert!(none.error().contains("token"));
    assert_eq!(
        none.header("www-authenticate"),
        Some("Bearer realm=\"parallax\"")
    );
    assert_safe_headers(&none, "401");
    for wrong in [
        bearer("t0ken-for-tests_012345678"),
        bearer("t0ken-for-tests_0123456789x"),
        bearer("T0KEN-FOR-TESTS_0123456789"),
        format!("Basic {TOKEN}"),
        TOKEN.to_owned(),
    ] {
        let reply = request(
            addr,
            "POST",
            "/api/articles",
            &[("Authorization", &wrong)],
            ARTICLE,
        )
        .await;
        assert_eq!(reply.status, 401, "{wrong}");
    }
    // Nothing was stored by the refused requests.
    assert_eq!(get(addr, "/api/articles/s1").await.status, 404);

    let ok = request(
        addr,
        "POST",
        "/api/articles",
        &[("Authorization", &bearer(TOKEN))],
        ARTICLE,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    // Reads stay open.
    assert_eq!(get(addr, "/api/articles/s1").await.status, 200);
    assert_eq!(get(addr, "/api/stories").await.status, 200);
    assert_eq!(get(addr, "/").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_can_guard_reads_too() {
    let server = start(|c| {
        with_token(c);
        c.access.token_for_reads = true;
    })
    .await;
    let addr = server.addr;
    for path in ["/api/stories", "/api/articles", "/openapi.json", "/"] {
        let reply = get(addr, path).await;
        assert_eq!(reply.status, 401, "{path}");
        assert_safe_headers(&reply, path);
        let reply = request(addr, "GET", path, &[("Authorization", &bearer(TOKEN))], b"").await;
        assert_eq!(reply.status, 200, "{path} with the token");
    }
    // Health probes carry no secrets.
    assert_eq!(get(addr, "/api/health").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_servers_refuse_every_write() {
    let server = start(|c| {
        with_token(c);
        c.access.read_only = true;
    })
    .await;
    let addr = server.addr;
    let reply = request(
        addr,
        "POST",
        "/api/articles",
        &[("Authorization", &bearer(TOKEN))],
        ARTICLE,
    )
    .await;
    assert_eq!(reply.status, 403);
    assert!(reply.error().contains("read-only"));
    assert_eq!(get(addr, "/api/stories").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_loopback_writes_work_but_not_from_other_origins() {
    // The contract's default: no token, 127.0.0.1, POST accepted.
    let server = start(|_| {}).await;
    let addr = server.addr;
    let evil = request(
        addr,
        "POST",
        "/api/articles",
        &[("Origin", "https://evil.example")],
        ARTICLE,
    )
    .await;
    assert_eq!(evil.status, 403);
    assert!(evil.error().contains("origin"));
    assert_eq!(get(addr, "/api/articles/s1").await.status, 404);

    let own_origin = format!("http://{addr}");
    let ok = request(
        addr,
        "POST",
        "/api/articles",
        &[("Origin", &own_origin)],
        ARTICLE,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let plain = request(addr, "POST", "/api/articles", &[], ARTICLE).await;
    assert_eq!(plain.status, 200, "{}", plain.text());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_over_their_rate_get_429_with_retry_after() {
    let server = start(|c| {
        // One request per 2 s: slow enough that a loaded machine cannot
        // refill a token between the first four requests.
        c.rate_limit = RateLimit {
            per_second: 0.5,
            burst: 3,
            loopback: true,
        };
    })
    .await;
    let addr = server.addr;
    for i in 0..3 {
        assert_eq!(get(addr, "/api/stories").await.status, 200, "request {i}");
    }
    let refused = get(addr, "/api/stories").await;
    assert_eq!(refused.status, 429);
    let wait: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    assert!(refused.error().contains("too many requests"));
    assert_safe_headers(&refused, "429");
    // Writes count too, and are refused before being read.
    assert_eq!(
        request(addr, "POST", "/api/articles", &[], ARTICLE)
            .await
            .status,
        429
    );
    // The bucket refills.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(get(addr, "/api/stories").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_clients_are_not_limited_by_default() {
    let server = start(|c| {
        c.rate_limit = RateLimit {
            per_second: 1.0,
            burst: 1,
            loopback: false,
        };
    })
    .await;
    for _ in 0..50 {
        assert_eq!(get(server.addr, "/api/health").await.status, 200);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_request_heads_are_cut_off() {
    let server = start(|c| c.header_timeout = Duration::from_secs(1)).await;
    let addr = server.addr;

    // Slow-loris: half a request head, then nothing.
    let started = Instant::now();
    let answer = exchange(addr, b"GET /api/health HTTP/1.1\r\nHost: t\r\nX-Slow: ").await;
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "closed after {took:?}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    // Nothing but, at most, a 408.
    if !answer.is_empty() {
        assert_eq!(parse(&answer).status, 408);
    }

    // A connection that never sends a byte is closed too.
    let started = Instant::now();
    let answer = exchange(addr, b"").await;
    assert!(answer.is_empty() || parse(&answer).status == 408);
    assert!(started.elapsed() < Duration::from_secs(5));

    // The server still serves.
    assert_eq!(get(addr, "/api/health").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_arrive_gets_408() {
    let server = start(|c| c.request_timeout = Duration::from_secs(1)).await;
    let addr = server.addr;
    let started = Instant::now();
    let raw = exchange(
        addr,
        b"POST /api/articles HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{\"id\": \"slow\"",
    )
    .await;
    let reply = parse(&raw);
    assert_eq!(reply.status, 408, "{}", reply.text());
    assert!(reply.error().contains("did not arrive"));
    assert_eq!(reply.header("connection"), Some("close"));
    assert_safe_headers(&reply, "408");
    assert!(started.elapsed() < Duration::from_secs(5));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_that_take_too_long_get_503() {
    let server = start(|c| {
        c.request_timeout = Duration::from_secs(1);
        c.readers = 1;
        c.cache = false;
    })
    .await;
    let addr = server.addr;
    // Occupy the only reader for 3 s.
    let state = server.state.clone();
    let busy = tokio::spawn(async move {
        state
            .read(|_| {
                std::thread::sleep(Duration::from_secs(3));
                Ok(())
            })
            .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let reply = get(addr, "/api/stories").await;
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(started.elapsed() < Duration::from_secs(2));
    busy.await.unwrap().ok();
    assert_eq!(get(addr, "/api/stories").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ingest_that_cannot_get_the_writer_stores_nothing_and_gets_503() {
    let server = start(|c| c.request_timeout = Duration::from_secs(1)).await;
    let addr = server.addr;
    let held = server.state.writer.lock().await.expect("the engine");
    let reply = request(addr, "POST", "/api/articles", &[], ARTICLE).await;
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.error().contains("nothing was stored"));
    drop(held);
    assert_eq!(get(addr, "/api/articles/s1").await.status, 404);
    let ok = request(addr, "POST", "/api/articles", &[], ARTICLE).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_path_leaves_the_embedded_assets() {
    let server = start(|_| {}).await;
    let addr = server.addr;
    let app_js = get(addr, "/assets/app.js").await;
    assert_eq!(app_js.status, 200);
    assert_safe_headers(&app_js, "app.js");
    for path in [
        "/assets/../Cargo.toml",
        "/assets/../../Cargo.toml",
        "/../../../../etc/passwd",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/%2E%2E/%2E%2E/Cargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/assets/%2e%2e%2f%2e%2e%2fsrc%2flib.rs",
        "/assets/..%5c..%5cCargo.toml",
        "/assets/%2fetc%2fpasswd",
        "/assets//etc/passwd",
        "/assets/app.js%00.txt",
        "/assets/app.js/..",
        "/assets/%252e%252e%252fCargo.toml",
        "/assets/./app.js/../../Cargo.toml",
    ] {
        let reply = get(addr, path).await;
        assert!(
            reply.status == 404 || reply.status == 400,
            "{path}: {}",
            reply.status
        );
        let body = reply.text();
        for leak in ["[package]", "root:", "pub mod", "createElement"] {
            assert!(!body.contains(leak), "{path} leaked {leak}: {body}");
        }
        assert_safe_headers(&reply, path);
    }
    server.stop().await;
}
