//! The HTTP API over a real socket (127.0.0.1, port 0): every route of the
//! table, search and filters on the seeds, ingestion, the body limit, the
//! page's safety headers, graceful shutdown.

mod common;

use std::path::{Path, PathBuf};

use common::{Running, get, parse, request, serve};
use parallax_engine::{Engine, EngineConfig};
use parallax_serve::ServeConfig;
use parallax_serve::openapi::{ROUTES, schema_props};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The seeds folder, or `None` with a note when this checkout has none.
fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} is missing; test skipped", dir.display());
        None
    }
}

/// A server over a fresh store holding `inputs`.
async fn start(inputs: &[PathBuf], max_body: Option<usize>) -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("p.db");
    if !inputs.is_empty() {
        let mut engine = Engine::open(&db, EngineConfig::default()).expect("engine");
        engine.ingest(inputs, &mut |_| {}).expect("ingest");
    }
    let mut config = ServeConfig::new(db, "127.0.0.1:0".parse().unwrap());
    if let Some(m) = max_body {
        config.max_body = m;
    }
    serve(dir, config).await
}

/// GETs `path` until `done` holds for its JSON answer: briefs (and so the
/// story list and story search) are built a moment after a POST is
/// acknowledged. Fails after 20 s.
async fn eventually(
    addr: std::net::SocketAddr,
    path: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let started = std::time::Instant::now();
    loop {
        let reply = get(addr, path).await;
        if reply.status == 200 {
            let value = reply.json();
            if done(&value) {
                return value;
            }
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{path} never got there"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Every property the schema requires is there, and nothing else.
fn conforms(value: &Value, schema: &str) {
    let props = schema_props(schema).expect("known schema");
    let obj = value
        .as_object()
        .unwrap_or_else(|| panic!("{schema}: not an object"));
    for (name, _, required) in props {
        assert!(
            !required || obj.contains_key(*name),
            "{schema} lacks {name}"
        );
    }
    for key in obj.keys() {
        assert!(
            props.iter().any(|(n, _, _)| n == key),
            "{schema} has undocumented {key}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_through_every_route() {
    let Some(seeds) = seeds() else { return };
    let server = start(&[seeds], None).await;
    let addr = server.addr;

    let health = get(addr, "/api/health").await;
    assert_eq!(health.status, 200);
    conforms(&health.json(), "Health");
    assert_eq!(health.json()["articles"], 5);

    let list = get(addr, "/api/stories").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.header("x-has-more"), Some("false"));
    let stories = list.json();
    let stories = stories.as_array().expect("a JSON list");
    assert_eq!(stories.len(), 1, "the seeds are one story");
    conforms(&stories[0], "StoryListItem");
    let id = stories[0]["story"].as_str().unwrap().to_owned();
    assert_eq!(stories[0]["articles"].as_array().unwrap().len(), 5);

    // Search: stemmed words, all required; filters.
    for (q, n) in [
        ("ZTE", 1),
        ("zte%20sanctions", 1),
        ("telecom", 1),
        ("ZTE%20zebra", 0),
        ("%22%3A-*", 1),
    ] {
        let found = get(addr, &format!("/api/stories?q={q}")).await.json();
        assert_eq!(found.as_array().unwrap().len(), n, "q={q}");
    }
    let dated = get(addr, "/api/stories?from=2018-05-14&to=2018-05-14").await;
    assert_eq!(dated.json().as_array().unwrap().len(), 1);
    let later = get(addr, "/api/stories?from=2030-01-01").await;
    assert_eq!(later.json().as_array().unwrap().len(), 0);
    let bad = get(addr, "/api/stories?from=yesterday").await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("from"));
    let bad = get(addr, "/api/stories?limit=many").await;
    assert_eq!(bad.status, 400);

    // The brief, by id and by prefix.
    let brief = get(addr, &format!("/api/stories/{id}")).await;
    assert_eq!(brief.status, 200);
    conforms(&brief.json(), "Brief");
    let by_prefix = get(addr, &format!("/api/stories/{}", &id[..5])).await;
    assert_eq!(by_prefix.json()["story"], id.as_str());
    assert_eq!(get(addr, "/api/stories/nope").await.status, 404);

    let articles = get(addr, &format!("/api/stories/{id}/articles"))
        .await
        .json();
    let articles = articles.as_array().unwrap();
    assert_eq!(articles.len(), 5);
    for a in articles {
        conforms(a, "Article");
        assert!(!a["body"].as_str().unwrap().is_empty());
    }
    let events = get(addr, &format!("/api/stories/{id}/events")).await.json();
    assert_eq!(events[0]["kind"], "founded");
    assert_eq!(events.as_array().unwrap().len(), 5);
    conforms(&events[0], "Event");
    let synd = get(addr, &format!("/api/stories/{id}/syndication"))
        .await
        .json();
    conforms(&synd, "Syndication");

    // Articles: search with snippets, one article, sources.
    let hits = get(addr, "/api/articles?q=ZTE&limit=2").await;
    assert_eq!(hits.header("x-has-more"), Some("true"));
    // The next page is named by a cursor (keyset paging), in the `Link`
    // header and on its own.
    assert!(hits.header("link").unwrap().contains("cursor="));
    assert!(hits.header("x-next-cursor").is_some());
    let hits = hits.json();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    conforms(&hits[0], "ArticleHit");
    assert!(
        hits[0]["snippet"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["hit"] == true && p["text"].as_str().unwrap().eq_ignore_ascii_case("zte"))
    );
    let one_id = articles[0]["id"].as_str().unwrap();
    let one = get(addr, &format!("/api/articles/{one_id}")).await;
    assert_eq!(one.status, 200);
    conforms(&one.json(), "Article");
    assert_eq!(get(addr, "/api/articles/nope").await.status, 404);
    let sources = get(addr, "/api/sources").await.json();
    conforms(&sources[0], "Source");

    // Every route of the table is answered (no 404 for the route itself,
    // no 405), and the document lists them.
    let doc = get(addr, "/openapi.json").await.json();
    for r in ROUTES {
        let path = r.path.replace("{id}", &id).replace("{file}", "app.js");
        let reply = request(addr, &r.method.to_uppercase(), &path, &[], b"").await;
        assert!(
            reply.status != 405
                && !(reply.status == 404 && reply.text().contains("no such endpoint")),
            "{} {} answered {}",
            r.method,
            path,
            reply.status
        );
        assert!(doc["paths"][r.path][r.method].is_object());
    }
    assert_eq!(get(addr, "/api/nothing").await.status, 404);
    server.stop().await;
}

const HOSTILE: &str = concat!(
    r#"{"id": "h1", "source": "Hostile Gazette", "title": "Widget <i>recall</i>", "#,
    r#""text": "Zorblax Widgets recalled flux capacitors. <script>alert(1)</script> "#,
    r#"<img src=x onerror=alert(2)> Owners will be told next week, a spokesperson said."}"#,
    "\n",
    "not json\n",
    r#"{"text": "no id"}"#,
    "\n"
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posted_articles_are_validated_stored_and_served_as_text() {
    let server = start(&[], None).await;
    let addr = server.addr;
    assert_eq!(get(addr, "/api/stories").await.json(), Value::Array(vec![]));

    let reply = request(addr, "POST", "/api/articles", &[], HOSTILE.as_bytes()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result = reply.json();
    conforms(&result, "IngestResult");
    assert_eq!(result["stored"], serde_json::json!(["h1"]));
    let rejected: Vec<&str> = result["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert!(rejected[0].starts_with("request body:2"), "{rejected:?}");
    assert!(rejected[1].starts_with("request body:3"), "{rejected:?}");

    // The article is visible at once, its story once briefed (the cache is
    // dropped when the brief lands); text kept as given.
    let stored = get(addr, "/api/articles/h1").await;
    assert_eq!(stored.status, 200);
    let stories = eventually(addr, "/api/stories", |v| {
        v.as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let story = stories[0]["story"].as_str().unwrap();
    let articles = get(addr, &format!("/api/stories/{story}/articles"))
        .await
        .json();
    assert!(
        articles[0]["body"]
            .as_str()
            .unwrap()
            .contains("<script>alert(1)</script>")
    );
    eventually(addr, "/api/stories?q=zorblax", |v| {
        v.as_array().is_some_and(|a| a.len() == 1)
    })
    .await;

    // Idempotent; nothing readable is 422.
    let again = request(addr, "POST", "/api/articles", &[], HOSTILE.as_bytes())
        .await
        .json();
    assert_eq!(
        (
            again["stored"].as_array().unwrap().len(),
            &again["unchanged"]
        ),
        (0, &Value::from(1))
    );
    let none = request(addr, "POST", "/api/articles", &[], b"garbage\n").await;
    assert_eq!(none.status, 422);

    // The page: safety headers, no HTML parsing of data in the script.
    let page = get(addr, "/").await;
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let js = get(addr, "/assets/app.js").await.text();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    assert_eq!(get(addr, "/assets/nope.js").await.status, 404);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_get_413_and_the_server_keeps_serving() {
    let server = start(&[], Some(1024 * 1024)).await;
    let addr = server.addr;

    // Announced as 1 GB: refused from the header, without reading it.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /api/articles HTTP/1.1\r\nHost: t\r\nContent-Length: 1073741824\r\n\r\n")
        .await
        .unwrap();
    let mut raw = vec![0u8; 4096];
    let n = stream.read(&mut raw).await.unwrap();
    assert_eq!(parse(&raw[..n]).status, 413);
    drop(stream);

    // Chunked, no length given: refused once past the limit.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /api/articles HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let mut answered = Vec::new();
    // 1.5 MiB: past the limit, then stop sending and read the answer.
    for _ in 0..24 {
        let head = format!("{:x}\r\n", chunk.len());
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.read_to_end(&mut answered).await;
    assert_eq!(parse(&answered).status, 413);

    // Still serving.
    assert_eq!(get(addr, "/api/health").await.status, 200);
    let ok = request(addr, "POST", "/api/articles", &[], HOSTILE.as_bytes()).await;
    assert_eq!(ok.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posted_reposts_are_served_as_stored_copy_pairs() {
    let Some(seeds) = seeds() else { return };
    let server = start(&[seeds], None).await;
    let addr = server.addr;
    let seed = get(addr, "/api/articles?limit=200").await.json();
    let seed = seed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_str().unwrap().starts_with("000_"))
        .expect("seed 000")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let original = get(addr, &format!("/api/articles/{seed}")).await.json();
    let line = serde_json::json!({
        "id": "repost",
        "source": "Daily Repost",
        "published": "2018-05-16",
        "text": original["body"],
    });
    let reply = request(
        addr,
        "POST",
        "/api/articles",
        &[],
        format!("{line}\n").as_bytes(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    // The article knows its original, and the original its copy.
    let repost = get(addr, "/api/articles/repost").await.json();
    conforms(&repost, "Article");
    let pair = &repost["copies"][0];
    conforms(pair, "CopyPair");
    assert_eq!(pair["copy"], "repost");
    assert_eq!(pair["original"], seed.as_str());
    assert_eq!(pair["relation"], "duplicate");
    let original = get(addr, &format!("/api/articles/{seed}")).await.json();
    assert_eq!(original["copies"][0]["copy"], "repost");

    // The story: the pair, and the brief's group with both outlets.
    let story = repost["story"].as_str().unwrap();
    let synd = get(addr, &format!("/api/stories/{story}/syndication"))
        .await
        .json();
    conforms(&synd, "Syndication");
    let pairs = synd["pairs"].as_array().unwrap();
    let found = pairs
        .iter()
        .find(|p| p["copy"] == "repost")
        .expect("the stored pair");
    conforms(found, "CopyPair");
    assert_eq!(found["copy_outlet"], "Daily Repost");
    let brief = eventually(addr, &format!("/api/stories/{story}"), |b| {
        b["sources"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["article"] == "repost"))
    })
    .await;
    let group = brief["copies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["original"] == seed.as_str())
        .expect("the seed's text, once");
    assert!(
        group["outlets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "Daily Repost")
    );
    assert_eq!(group["copies"][0]["article"], "repost");
    server.stop().await;
}

/// The ECB+ dev texts (`../shared`), which hold merges with the default
/// configuration, or `None` with a note.
fn ecbplus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/stories/ecbplus-dev.jsonl");
    if path.is_file() {
        Some(path)
    } else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} is missing; test skipped", path.display());
        None
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merged_stories_resolve_to_their_survivor_and_show_in_events() {
    let Some(input) = ecbplus() else { return };
    let server = start(&[input], None).await;
    let addr = server.addr;
    let list = get(addr, "/api/stories?limit=200").await.json();
    let ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["story"].as_str().unwrap().to_owned())
        .collect();
    let mut found = None;
    for id in &ids {
        let events = get(addr, &format!("/api/stories/{id}/events")).await.json();
        for e in events.as_array().unwrap() {
            conforms(e, "Event");
            if e["kind"] == "merged" {
                found = Some((id.clone(), e.clone(), events.clone()));
            }
        }
    }
    let (survivor, merge, events) =
        found.expect("ECB+ dev holds a merge with the default configuration");
    let from = merge["from"].as_str().unwrap();
    assert_eq!(merge["story"], survivor.as_str());
    assert!(!ids.iter().any(|i| i == from), "{from} is still listed");
    // The absorbed story's own history is part of the survivor's.
    let founded = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "founded" && e["story"] == from)
        .expect("the absorbed story's founding");
    assert!(founded["seq"].as_i64() < merge["seq"].as_i64());

    // The absorbed id answers the survivor's brief, rebuilt with the
    // absorbed story's articles.
    let brief = get(addr, &format!("/api/stories/{from}")).await;
    assert_eq!(brief.status, 200);
    let brief = brief.json();
    conforms(&brief, "Brief");
    assert_eq!(brief["story"], survivor.as_str());
    assert_eq!(brief["merged_from"], from);
    let sources: Vec<&str> = brief["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["article"].as_str().unwrap())
        .collect();
    assert!(sources.contains(&founded["article"].as_str().unwrap()));
    let plain = get(addr, &format!("/api/stories/{survivor}")).await.json();
    assert!(plain.get("merged_from").is_none());
    assert_eq!(
        get(addr, &format!("/api/stories/{from}/events"))
            .await
            .json(),
        events
    );
    let articles = get(addr, &format!("/api/stories/{from}/articles"))
        .await
        .json();
    assert!(
        articles
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["story"] == survivor.as_str())
    );
    server.stop().await;
}
