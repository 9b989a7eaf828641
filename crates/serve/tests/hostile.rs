//! Hostile requests (issue 18) over a real socket: concurrent large bodies
//! bounded in total, ids that would forge lines or grow without bound,
//! days that do not exist, an ambiguous one-letter story prefix, a dotted
//! `Host` on loopback, a damaged store. Every refusal is a JSON error that
//! says what is wrong and leaks nothing of the server's insides.

mod common;

use std::time::Duration;

use common::{Running, exchange, get, parse, request, serve};
use parallax_engine::{Engine, EngineConfig};
use parallax_serve::ServeConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server over a store holding `jsonl` (none when empty), configured by
/// `setup`.
async fn start(jsonl: &str, setup: impl FnOnce(&mut ServeConfig)) -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("p.db");
    if !jsonl.is_empty() {
        let input = dir.path().join("in.jsonl");
        std::fs::write(&input, jsonl).unwrap();
        let mut engine = Engine::open(&db, EngineConfig::default()).expect("engine");
        engine.ingest(&[input], &mut |_| {}).expect("ingest");
    }
    let mut config = ServeConfig::new(db, "127.0.0.1:0".parse().unwrap());
    setup(&mut config);
    serve(dir, config).await
}

/// `n` articles on `n` unrelated subjects: `n` stories.
fn unrelated(n: usize) -> String {
    const WORDS: &[&str] = &[
        "volcano",
        "tariff",
        "orchestra",
        "glacier",
        "satellite",
        "vaccine",
        "election",
        "harvest",
        "railway",
        "museum",
        "earthquake",
        "telescope",
        "marathon",
        "pipeline",
        "submarine",
        "festival",
        "drought",
        "airline",
        "reactor",
        "cathedral",
    ];
    let mut out = String::new();
    for i in 0..n {
        let a = WORDS[i % WORDS.len()];
        let b = WORDS[(i * 7 + 3) % WORDS.len()];
        out.push_str(&format!(
            "{{\"id\": \"u{i}\", \"text\": \"Item{i} {a} {b} zq{i}x report number {i}: the {a} of district{i} met the {b} board{i} on day{i}.\"}}\n"
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_bodies_are_bounded_in_total_with_503_and_retry_after() {
    let server = start("", |c| {
        c.max_body = 64 * 1024;
        c.body_budget = Some(128 * 1024);
    })
    .await;
    let addr = server.addr;

    // Two posts announce a full-size body each and send only part of it:
    // between them they hold the whole budget.
    let mut slow = Vec::new();
    for i in 0..2 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let line = format!(
            "{{\"id\": \"big{i}\", \"text\": \"The river flooded the valley after days of rain.\"}}\n"
        );
        let mut body = line.into_bytes();
        body.resize(64 * 1024, b'\n');
        let head = format!(
            "POST /api/articles HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body[..1000]).await.unwrap();
        slow.push((stream, body));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    // A third is refused before its body is read, and says when to retry.
    let small = br#"{"id": "small", "text": "The dam held, engineers said."}"#;
    let refused = request(addr, "POST", "/api/articles", &[], small).await;
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert!(
        refused.error().contains("other request bodies"),
        "{}",
        refused.text()
    );
    // Reads go on.
    assert_eq!(get(addr, "/api/health").await.status, 200);

    // The first two finish; their bytes go back to the budget.
    for (mut stream, body) in slow {
        stream.write_all(&body[1000..]).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
            .await
            .expect("answered")
            .unwrap();
        assert_eq!(
            parse(&answer).status,
            200,
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    let ok = request(addr, "POST", "/api/articles", &[], small).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posted_ids_with_control_characters_or_past_the_cap_are_rejected() {
    let server = start("", |_| {}).await;
    let addr = server.addr;
    let long = "x".repeat(8 * 1024 * 1024);
    let body = format!(
        "{}\n{{\"id\": \"{long}\", \"text\": \"Eight megabytes of id.\"}}\n{}\n{}\n",
        r#"{"id": "evil\tid\nINJECTED\tsFAKE", "text": "The river flooded."}"#,
        r#"{"id": 42, "text": "A numeric id."}"#,
        r#"{"id": "good", "text": "The bridge reopened on Monday after repairs."}"#,
    );
    let reply = request(addr, "POST", "/api/articles", &[], body.as_bytes()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result = reply.json();
    assert_eq!(result["stored"], serde_json::json!(["good"]));
    let rejected: Vec<&str> = result["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rejected.len(), 3, "{rejected:?}");
    assert!(
        rejected[0].starts_with("request body:1: bad id"),
        "{}",
        rejected[0]
    );
    assert!(rejected[0].contains("control character"));
    assert!(rejected[1].starts_with("request body:2: bad id: `id` is 8388608 bytes long"));
    assert!(rejected[1].len() < 400, "the answer does not echo the id");
    assert!(rejected[2].contains("must be a string, found the number 42"));

    // All bad: 422 with the ingest result (as documented).
    let reply = request(addr, "POST", "/api/articles", &[], b"{\"id\": 1}\n").await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["stored"], serde_json::json!([]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn days_that_do_not_exist_are_400() {
    let server = start("", |_| {}).await;
    let addr = server.addr;
    for bad in ["2018-13-45", "2019-02-29", "2018-00-01", "2018-06-31"] {
        for path in ["/api/stories", "/api/articles"] {
            let reply = get(addr, &format!("{path}?from={bad}")).await;
            assert_eq!(reply.status, 400, "{path} from={bad}");
            assert!(reply.error().contains("parameter from"), "{}", reply.text());
        }
    }
    assert_eq!(get(addr, "/api/stories?to=2020-02-29").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ambiguous_prefix_lists_a_few_ids_and_a_count() {
    let server = start(&unrelated(20), |_| {}).await;
    let addr = server.addr;
    let stories = get(addr, "/api/stories?limit=200").await.json();
    let n = stories.as_array().unwrap().len();
    assert!(n > 12, "the test needs more than 12 stories, got {n}");
    for path in [
        "/api/stories/s",
        "/api/stories/s/articles",
        "/api/stories/s/events",
    ] {
        let reply = get(addr, path).await;
        assert_eq!(reply.status, 409, "{path}");
        let message = reply.error();
        assert!(
            message.contains(&format!("matches {n} stories")),
            "{message}"
        );
        assert!(
            message.contains(&format!("and {} more", n - 10)),
            "{message}"
        );
        let listed = message.matches(", s").count() + 1;
        assert_eq!(listed, 10, "{message}");
        assert!(reply.body.len() < 600, "{} bytes", reply.body.len());
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dotted_host_on_loopback_is_told_why_it_is_refused() {
    let server = start("", |_| {}).await;
    let addr = server.addr;
    let article = br#"{"id": "h1", "text": "The bridge reopened."}"#;
    let mut raw = format!(
        "POST /api/articles HTTP/1.1\r\nHost: rebind.attacker.example:8080\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        article.len()
    )
    .into_bytes();
    raw.extend_from_slice(article);
    let reply = parse(&exchange(addr, &raw).await);
    assert_eq!(reply.status, 403);
    let message = reply.error();
    // The client is on loopback: the answer must not say it is not.
    assert!(message.contains("came from this machine"), "{message}");
    assert!(message.contains("rebind.attacker.example"), "{message}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_store_answers_a_generic_500_and_the_cause_stays_in_the_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("p.db");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, unrelated(2)).unwrap();
    let mut engine = Engine::open(&db, EngineConfig::default()).expect("engine");
    engine.ingest(&[input], &mut |_| {}).expect("ingest");
    drop(engine);
    let server = serve(
        dir,
        ServeConfig::new(db.clone(), "127.0.0.1:0".parse().unwrap()),
    )
    .await;
    let addr = server.addr;
    assert_eq!(get(addr, "/api/articles?q=volcano").await.status, 200);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TABLE stories").unwrap();
    drop(conn);
    // A word an article holds: its story is looked up in the lost table.
    let reply = get(addr, "/api/stories?q=volcano").await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    let message = reply.error();
    assert!(!message.contains("SELECT"), "{message}");
    assert!(!message.contains("no such table"), "{message}");
    assert!(message.contains("server's log"), "{message}");
    server.stop().await;
}
