//! Several `parallax run` processes on one PostgreSQL store: nothing is
//! lost, nothing is stored twice, and the stories are those one process
//! would have made of the stored stream. Runs when `PARALLAX_TEST_PG` holds
//! a connection URL (`tests/postgres/ci.sh` starts a server and sets it);
//! skipped with a note otherwise, or failed if `PARALLAX_REQUIRE_PG=1`.

mod common;

use common::{articles, run_at_once, write_jsonl};

use std::collections::HashMap;

use parallax_engine::pipeline;
use parallax_store::{Backend, PgStore};
use parallax_stories::ClusterConfig;

/// A fresh schema, dropped at the end, and the URL that works in it.
struct Schema {
    admin: String,
    name: String,
    url: String,
}

impl Schema {
    fn create(test: &str) -> Option<Self> {
        let required = std::env::var("PARALLAX_REQUIRE_PG").is_ok_and(|v| v == "1");
        let admin = match std::env::var("PARALLAX_TEST_PG") {
            Ok(url) if !url.is_empty() => url,
            _ if required => {
                panic!("{test}: PARALLAX_REQUIRE_PG=1 but PARALLAX_TEST_PG is not set")
            }
            _ => {
                eprintln!(
                    "note: {test} skipped: set PARALLAX_TEST_PG=postgres://... \
                     (tests/postgres/ci.sh starts a server and prints it)"
                );
                return None;
            }
        };
        let name = format!("cli_{test}_{}", std::process::id());
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("{test}: PostgreSQL at PARALLAX_TEST_PG unreachable: {e}"));
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-csearch_path%3D{name}");
        Some(Self { admin, name, url })
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

#[test]
fn four_processes_lose_and_duplicate_nothing() {
    let Some(schema) = Schema::create("four_processes") else {
        return;
    };
    const WORKERS: usize = 4;
    let all = articles(12, 40);
    let n = all.len();
    let dir = tempfile::tempdir().unwrap();
    // Worker w reads half the stream starting at w/4 of it (wrapping), odd
    // workers backwards: every article is offered by two workers, at
    // different times.
    let mut inputs = Vec::new();
    for w in 0..WORKERS {
        let mut part: Vec<serde_json::Value> = (0..n / 2)
            .map(|i| all[(w * n / WORKERS + i) % n].clone())
            .collect();
        if w % 2 == 1 {
            part.reverse();
        }
        let path = dir.path().join(format!("worker{w}.jsonl"));
        write_jsonl(&path, &part);
        inputs.push(path);
    }
    let (stored, unchanged) = run_at_once(std::ffi::OsStr::new(&schema.url), &inputs, &[]);
    // Each article was stored by exactly one worker and found stored by
    // the other.
    assert_eq!((stored, unchanged), (n, n));

    let store = PgStore::open(&schema.url).unwrap();
    let rows = store.articles().unwrap();
    assert_eq!(rows.len(), n, "an article was lost or stored twice");
    let stories = store.stories().unwrap();
    let mut times: HashMap<&str, usize> = HashMap::new();
    for story in &stories {
        for a in &story.articles {
            *times.entry(a.as_str()).or_default() += 1;
        }
    }
    assert_eq!(times.len(), n, "every article belongs to a story");
    assert!(
        times.values().all(|&t| t == 1),
        "an article is in two stories"
    );
    // The stories are what one process makes of the stored stream in its
    // order: every worker placed its articles after seeing all earlier ones.
    let stream: Vec<_> = rows.iter().map(|r| r.article.clone()).collect();
    let alone = pipeline::cluster(&stream, ClusterConfig::default());
    for (row, assignment) in rows.iter().zip(&alone) {
        assert_eq!(
            row.story, assignment.story,
            "article {} (seq {}) was placed on a stale view of the stream",
            row.article.id, row.seq
        );
    }
    assert!(
        stories.len() < n / 4,
        "the test stream should form multi-article stories, got {} stories",
        stories.len()
    );
    // `parallax stories` reads the same store through the URL.
    let out = common::parallax(&["stories", "--json", "--db", &schema.url]);
    assert!(out.status.success(), "{}", common::text(&out).1);
    assert_eq!(common::text(&out).0.lines().count(), stories.len());
}
