//! Two `parallax run` processes on one SQLite file at once: both finish,
//! nothing is lost or stored twice, and the stories are those one process
//! makes of the stored stream (no event split in two because each writer
//! placed on a stale view of the other's articles).

mod common;

use std::collections::HashMap;

use common::{articles, run_at_once, write_jsonl};
use parallax_engine::pipeline;
use parallax_store::Store;
use parallax_stories::ClusterConfig;

#[test]
fn two_processes_on_one_file_take_turns() {
    let all = articles(10, 40);
    let n = all.len();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    // Each writer reads two thirds of the stream (the middle third is
    // offered by both), the second one backwards; small batches so the two
    // interleave many times.
    let first: Vec<_> = all[..2 * n / 3].to_vec();
    let mut second: Vec<_> = all[n / 3..].to_vec();
    second.reverse();
    let inputs = [dir.path().join("a.jsonl"), dir.path().join("b.jsonl")];
    write_jsonl(&inputs[0], &first);
    write_jsonl(&inputs[1], &second);
    let (stored, unchanged) = run_at_once(db.as_os_str(), &inputs, &["--batch-size", "7"]);
    assert_eq!(stored, n, "each article is stored by exactly one writer");
    assert_eq!(stored + unchanged, first.len() + second.len());

    let store = Store::open(&db).unwrap();
    let rows = store.articles().unwrap();
    assert_eq!(rows.len(), n, "an article was lost or stored twice");
    let stream: Vec<_> = rows.iter().map(|r| r.article.clone()).collect();
    let alone = pipeline::cluster(&stream, ClusterConfig::default());
    for (row, assignment) in rows.iter().zip(&alone) {
        assert_eq!(
            row.story, assignment.story,
            "article {} (seq {}) was placed on a stale view of the stream",
            row.article.id, row.seq
        );
    }
    // Every story has its brief, and it reflects the story's last article.
    let stories = store.stories().unwrap();
    let members: usize = stories.iter().map(|s| s.articles.len()).sum();
    assert_eq!(members, n, "every article is in a listed story");
    let mut latest: HashMap<&str, i64> = HashMap::new();
    for r in &rows {
        latest.insert(r.story.as_str(), r.seq);
    }
    let briefed = store.brief_seqs().unwrap();
    assert_eq!(briefed.len(), latest.len());
    for (story, seq) in latest {
        assert_eq!(briefed[&story.into()], seq, "brief of {story} is behind");
    }
    assert!(
        stories.len() < n / 4,
        "the test stream should form multi-article stories, got {} stories",
        stories.len()
    );
}
