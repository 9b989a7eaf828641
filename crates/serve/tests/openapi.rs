//! The OpenAPI document is the truth (issue 18): a property test driven by
//! `/openapi.json`, as schemathesis runs it, in Rust so that CI needs no
//! Python. It fetches the document from a running server and, for every
//! operation it lists, sends values its parameter schemas accept (each
//! bound, the default, real ids) and values they refuse (past each bound,
//! the wrong type, days that do not exist, bytes that are not UTF-8), one
//! parameter at a time and all valid ones together, plus request bodies for
//! the operations that take one. Every answer must
//!
//! * have a status the document lists for that operation, never `5xx`;
//! * be `400` when a parameter broke its schema, and not `400` otherwise;
//! * carry a body of the documented media type, matching the documented
//!   schema (required properties, types, no undocumented property).
//!
//! The limits on request heads (`414`, `431`) and methods a path lacks
//! (`405`) are checked to answer JSON errors too.

mod common;

use std::fmt::Write as _;

use common::{Reply, Running, get, request, serve};
use parallax_engine::{Engine, EngineConfig};
use parallax_serve::ServeConfig;
use serde_json::{Map, Value};

/// Three articles on three events: three stories, so the one-letter
/// prefix `s` is ambiguous.
const ARTICLES: &str = concat!(
    r#"{"id": "flood-1", "source": "Valley News", "title": "River floods the valley", "published": "2018-05-14", "text": "The river flooded the valley on Monday after three days of rain, and hundreds of families left their homes, officials said."}"#,
    "\n",
    r#"{"id": "bridge-1", "source": "City Post", "title": "Bridge reopens", "published": "2018-06-02", "lang": "en", "text": "The old stone bridge reopened to traffic on Saturday after two years of repairs costing 12 million euros, the mayor said."}"#,
    "\n",
    r#"{"id": "chess-1", "source": "Board Weekly", "title": "Chess final drawn", "text": "The chess championship final ended in a draw after 94 moves on Friday, and the title will be decided in rapid games."}"#,
    "\n",
);

async fn start() -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("p.db");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, ARTICLES).unwrap();
    let mut engine = Engine::open(&db, EngineConfig::default()).expect("engine");
    let report = engine.ingest(&[input], &mut |_| {}).expect("ingest");
    assert_eq!(report.stored, 3);
    assert!(report.founded >= 2, "the test needs two stories or more");
    drop(engine);
    serve(dir, ServeConfig::new(db, "127.0.0.1:0".parse().unwrap())).await
}

/// `value` checked against `schema` (the subset of JSON Schema the
/// document uses: `$ref`, `oneOf`, `type` (one or several), `properties`,
/// `required`, `items`); `Err` says where it differs.
fn check(value: &Value, schema: &Value, doc: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/components/schemas/").expect("local ref");
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "dangling $ref {r}");
        return check(value, target, doc, at);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let errors: Vec<String> = options
            .iter()
            .filter_map(|s| check(value, s, doc, at).err())
            .collect();
        return if errors.len() < options.len() {
            Ok(())
        } else {
            Err(errors.join("; or "))
        };
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(k) => vec![k.as_str()],
            Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
            _ => panic!("odd type {kind}"),
        };
        let fits = |k: &str| match k {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => panic!("unknown type {k}"),
        };
        if !kinds.iter().any(|k| fits(k)) {
            return Err(format!("{at}: {value} is not {kinds:?}"));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, item) in list.iter().enumerate() {
            check(item, items, doc, &format!("{at}[{i}]"))?;
        }
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap();
            if !obj.contains_key(name) {
                return Err(format!("{at}: lacks required {name}"));
            }
        }
        for (key, v) in obj {
            let Some(s) = props.get(key) else {
                return Err(format!("{at}: undocumented property {key}"));
            };
            check(v, s, doc, &format!("{at}.{key}"))?;
        }
    }
    Ok(())
}

/// One value to send for a parameter, and whether its schema accepts it.
struct Case {
    raw: String,
    valid: bool,
}

fn case(raw: impl Into<String>, valid: bool) -> Case {
    Case {
        raw: raw.into(),
        valid,
    }
}

/// Values for a query parameter, from its schema alone (a cursor is only
/// valid as the server gave it out: every made-up one is refused).
fn query_cases(name: &str, schema: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    if name == "cursor" {
        for bad in ["flood", "n", "r1.2", "%00", "n-5", "o99999999999999999999"] {
            cases.push(case(bad, false));
        }
        return cases;
    }
    match schema["type"].as_str() {
        Some("integer") => {
            let min = schema["minimum"]
                .as_u64()
                .expect("integers declare a minimum");
            let max = schema["maximum"]
                .as_u64()
                .expect("integers declare a maximum");
            cases.push(case(min.to_string(), true));
            cases.push(case(max.to_string(), true));
            cases.push(case(((min + max) / 2).to_string(), true));
            if let Some(d) = schema["default"].as_u64() {
                cases.push(case(d.to_string(), true));
            }
            cases.push(case((i128::from(min) - 1).to_string(), false));
            cases.push(case((u128::from(max) + 1).to_string(), false));
            for bad in ["abc", "1.5", "%ff", "1e3", "99999999999999999999999"] {
                cases.push(case(bad, false));
            }
        }
        Some("string") => {
            if schema.get("pattern").is_some() {
                for good in ["2018-05-14", "2020-02-29", "1999-12-31"] {
                    cases.push(case(good, true));
                }
                for bad in [
                    "2018-13-45",
                    "2019-02-29",
                    "2018-04-31",
                    "yesterday",
                    "2018-5-14",
                ] {
                    cases.push(case(bad, false));
                }
            } else {
                for good in [
                    "flood",
                    "river%20valley",
                    "%22%3A-*",
                    "%C3%A9t%C3%A9",
                    "%1b%5B2J",
                    "a+b",
                ] {
                    cases.push(case(good, true));
                }
            }
            if let Some(n) = schema["maxLength"].as_u64() {
                let n = n as usize;
                cases.push(case("q".repeat(n), true));
                cases.push(case("q".repeat(n + 1), false));
            }
        }
        other => panic!("no cases for type {other:?}"),
    }
    cases
}

/// Values for a path parameter: real ids of the store and ids that name
/// nothing, are ambiguous or are not UTF-8 (`400`).
fn path_cases(name: &str, path: &str, stories: &[String]) -> Vec<Case> {
    let mut cases = match (path, name) {
        (p, "id") if p.starts_with("/api/stories") => vec![
            case(stories[0].clone(), true),
            case(stories[1][..6].to_owned(), true),
            case("s", true),
            case("nope", true),
        ],
        (_, "id") => vec![case("flood-1", true), case("nope", true)],
        (_, "file") => vec![
            case("app.js", true),
            case("style.css", true),
            case("nope.js", true),
        ],
        _ => panic!("no cases for path parameter {name} of {path}"),
    };
    cases.push(case("%C3%A9", true));
    cases.push(case("x".repeat(600), true));
    cases.push(case("%ff", false));
    cases.push(case("%c3%28", false));
    cases
}

/// Everything wrong with `reply` as an answer of the operation `op`.
fn problems(reply: &Reply, op: &Value, doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    if reply.status >= 500 {
        found.push(format!("a {} answer", reply.status));
    }
    let Some(documented) = op["responses"].get(reply.status.to_string()) else {
        found.push(format!("status {} is not documented", reply.status));
        return found;
    };
    let content = documented["content"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let media = reply
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    match content.get(&media) {
        None => found.push(format!(
            "content type {media:?} is not documented for {} (documented: {:?})",
            reply.status,
            content.keys().collect::<Vec<_>>()
        )),
        Some(body) => {
            if let Some(schema) = body.get("schema") {
                match serde_json::from_slice::<Value>(&reply.body) {
                    Err(e) => found.push(format!("body is not JSON: {e}")),
                    Ok(value) => {
                        if let Err(e) = check(&value, schema, doc, "body") {
                            found.push(e);
                        }
                    }
                }
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_answers_as_documented() {
    let server = start().await;
    let addr = server.addr;
    let doc = get(addr, "/openapi.json").await.json();
    let stories: Vec<String> = get(addr, "/api/stories")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["story"].as_str().unwrap().to_owned())
        .collect();
    assert!(stories.len() >= 2);

    let mut failures = String::new();
    let mut sent = 0;
    let paths = doc["paths"].as_object().expect("paths").clone();
    for (path, ops) in &paths {
        for (method, op) in ops.as_object().unwrap() {
            let params: Vec<&Value> = op["parameters"].as_array().unwrap().iter().collect();
            let path_params: Vec<&Value> = params
                .iter()
                .copied()
                .filter(|p| p["in"] == "path")
                .collect();
            let query_params: Vec<&Value> = params
                .iter()
                .copied()
                .filter(|p| p["in"] == "query")
                .collect();
            assert!(path_params.len() <= 1, "{path}: one path parameter at most");

            // The requests: (target, every parameter valid).
            let mut targets: Vec<(String, bool)> = Vec::new();
            let bases: Vec<(String, bool)> = match path_params.first() {
                None => vec![(path.clone(), true)],
                Some(p) => {
                    let name = p["name"].as_str().unwrap();
                    path_cases(name, path, &stories)
                        .into_iter()
                        .map(|c| (path.replace(&format!("{{{name}}}"), &c.raw), c.valid))
                        .collect()
                }
            };
            targets.extend(bases.iter().cloned());
            let base = path.clone();
            let mut all_valid = Vec::new();
            for p in &query_params {
                let name = p["name"].as_str().unwrap();
                for c in query_cases(name, &p["schema"]) {
                    if c.valid && all_valid.iter().all(|(n, _): &(&str, String)| *n != name) {
                        all_valid.push((name, c.raw.clone()));
                    }
                    targets.push((format!("{base}?{name}={}", c.raw), c.valid));
                }
            }
            if !all_valid.is_empty() {
                let q: Vec<String> = all_valid.iter().map(|(n, v)| format!("{n}={v}")).collect();
                targets.push((format!("{base}?{}", q.join("&")), true));
            }

            let bodies: Vec<&[u8]> = if op.get("requestBody").is_some() {
                vec![
                    br#"{"id": "post-1", "text": "The dam held after the storm, engineers said on Tuesday."}"#,
                    br#"{"id": "flood-1", "text": "Different text for a stored id."}"#,
                    b"not json\n{\"id\": 7, \"text\": \"numeric id\"}\n",
                    b"",
                    b"\xff\xfe\x00binary",
                    br#"{"id": "evil\tid\nINJECTED", "text": "Forged."}"#,
                ]
            } else {
                vec![b""]
            };
            for (target, valid) in &targets {
                for body in &bodies {
                    let reply = request(addr, &method.to_uppercase(), target, &[], body).await;
                    sent += 1;
                    let mut wrong = problems(&reply, op, &doc);
                    if *valid && reply.status == 400 {
                        wrong.push("400 for parameters the schema accepts".into());
                    }
                    if !*valid && reply.status != 400 {
                        wrong.push("a parameter broke its schema, yet no 400".into());
                    }
                    if !wrong.is_empty() {
                        let shown: String = target.chars().take(120).collect();
                        let _ = writeln!(
                            failures,
                            "{method} {shown} ({} body bytes) -> {}: {} [{}]",
                            body.len(),
                            reply.status,
                            wrong.join("; "),
                            reply.text().chars().take(200).collect::<String>()
                        );
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "answers that break the document:\n{failures}"
    );
    // 13 operations, each parameter's bounds and refusals, six bodies.
    assert!(sent > 150, "only {sent} requests");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_from_outside_the_handlers_are_json_and_documented() {
    let server = start().await;
    let addr = server.addr;
    let doc = get(addr, "/openapi.json").await.json();
    let op = &doc["paths"]["/api/stories"]["get"];

    // A request target over the limit: 414.
    let long = format!("/api/stories?q={}", "a".repeat(9000));
    let reply = get(addr, &long).await;
    assert_eq!(reply.status, 414);
    assert_eq!(problems(&reply, op, &doc), Vec::<String>::new());

    // Too many header fields, and too many bytes of them: 431.
    let many: Vec<(String, String)> = (0..150).map(|i| (format!("x-h{i}"), "1".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let reply = request(addr, "GET", "/api/stories", &many, b"").await;
    assert_eq!(reply.status, 431);
    assert_eq!(problems(&reply, op, &doc), Vec::<String>::new());
    let big = "v".repeat(40 * 1024);
    let reply = request(addr, "GET", "/api/stories", &[("x-big", &big)], b"").await;
    assert_eq!(reply.status, 431);
    assert_eq!(problems(&reply, op, &doc), Vec::<String>::new());

    // A method a path lacks: 405 with `Allow`, as JSON.
    for (method, path) in [
        ("DELETE", "/api/stories"),
        ("PUT", "/api/articles"),
        ("POST", "/api/health"),
    ] {
        let reply = request(addr, method, path, &[], b"").await;
        assert_eq!(reply.status, 405, "{method} {path}");
        assert!(reply.header("allow").is_some(), "{method} {path}");
        assert!(
            reply.error().contains("method not allowed"),
            "{}",
            reply.text()
        );
    }

    // An unknown path and a path that is not UTF-8: JSON.
    for path in [
        "/api/nothing",
        "/api/stories/%ff",
        "/assets/%ff",
        "/api/articles/%ff%fe",
    ] {
        let reply = get(addr, path).await;
        assert!(
            reply.status == 404 || reply.status == 400,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.error().is_empty(), "{path}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_declares_ranges_and_every_answer() {
    let server = start().await;
    let doc = get(server.addr, "/openapi.json").await.json();
    let op = &doc["paths"]["/api/stories"]["get"];
    let param = |name: &str| -> Map<String, Value> {
        op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["schema"]
            .as_object()
            .unwrap()
            .clone()
    };
    assert_eq!(param("limit")["minimum"], 1);
    assert_eq!(param("limit")["maximum"], 200);
    assert_eq!(param("offset")["minimum"], 0);
    assert_eq!(param("q")["maxLength"], 512);
    for status in ["400", "414", "429", "431", "500", "503"] {
        assert!(op["responses"][status].is_object(), "{status}");
    }
    let post = &doc["paths"]["/api/articles"]["post"];
    assert_eq!(
        post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/IngestResult"
    );
    server.stop().await;
}
