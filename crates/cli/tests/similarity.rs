//! `parallax similarity`: every pair once, scores in [0, 1], the same event
//! scored above different events.

mod common;

use common::{parallax_io, text};

#[test]
fn every_pair_is_scored_and_same_event_pairs_score_higher() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        [
            r#"{"id": "quake-1", "text": "A magnitude 6.1 earthquake struck Aceh province in Indonesia on Tuesday, killing at least 22 people."}"#,
            r#"{"id": "quake-2", "text": "At least 22 people died when a 6.1 magnitude earthquake hit Indonesia's Aceh province on Tuesday."}"#,
            r#"{"id": "nfl", "text": "The New Orleans Saints placed running back Reggie Bush on injured reserve with a knee sprain."}"#,
            r#"{"id": "rehab", "text": "Lindsay Lohan checked into the Betty Ford clinic on Thursday, her spokesman said."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let output = dir.path().join("out.tsv");
    let out = parallax_io("similarity", &input, &output);
    assert!(out.status.success(), "{}", text(&out).1);
    let rows: Vec<(String, String, f64)> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_owned(), c[1].to_owned(), c[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 6, "4 articles give 6 unordered pairs");
    assert!(
        rows.iter()
            .all(|r| (0.0..=1.0).contains(&r.2) && r.0 != r.1)
    );
    let score = |a: &str, b: &str| {
        rows.iter()
            .find(|r| (r.0 == a && r.1 == b) || (r.0 == b && r.1 == a))
            .unwrap()
            .2
    };
    let same = score("quake-1", "quake-2");
    for (a, b) in [("quake-1", "nfl"), ("quake-2", "rehab"), ("nfl", "rehab")] {
        assert!(
            same > score(a, b) + 0.2,
            "{same} vs {a}/{b} {}",
            score(a, b)
        );
    }
}
