//! Briefs are a projection of the stored stream: whenever they are built,
//! and after losing every brief (a kill between a commit and its flush),
//! they come out the same.

use std::path::Path;

use parallax_engine::{Catalog, Engine, EngineConfig};
use parallax_model::Brief;

/// Six made-up events of five reports each, interleaved, so every batch
/// touches several stories and most stories are touched by several batches.
/// Each event's words are its own.
fn stream(path: &Path) {
    const SYLLABLES: [&str; 12] = [
        "var", "nol", "quen", "bri", "tas", "mor", "lek", "dun", "sif", "pra", "gol", "hek",
    ];
    let word = |e: usize, i: usize| {
        format!(
            "{}{}{}",
            SYLLABLES[(e * 5 + i) % 12],
            SYLLABLES[(e + i * 7) % 12],
            SYLLABLES[(e * 3 + i * 2 + 1) % 12]
        )
    };
    let mut lines = String::new();
    for report in 0..5 {
        for e in 0..6 {
            let w: Vec<String> = (0..6).map(|i| word(e, i)).collect();
            let line = serde_json::json!({
                "id": format!("e{e}-r{report}"),
                "title": format!("{} {} {}", w[0], w[1], w[2]),
                "source": format!("outlet{report}.example"),
                "text": format!(
                    "{a} {b} {c} {d} on day {report}. About {n} {e2} {f} were {b}. \
                     \"We {c} the {d} {a},\" said {E} {F}. The {e2} {f} {a} {c} {m}.",
                    a = w[0], b = w[1], c = w[2], d = w[3], e2 = w[4], f = w[5],
                    E = capitalised(&w[4]), F = capitalised(&w[5]),
                    n = 100 + 10 * e + report,
                    m = 20 + report,
                ),
            });
            lines.push_str(&format!("{line}\n"));
        }
    }
    std::fs::write(path, lines).unwrap();
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn briefs(db: &Path) -> Vec<Brief> {
    let catalog = Catalog::open(db).unwrap();
    catalog
        .stories()
        .unwrap()
        .iter()
        .map(|s| catalog.brief(s.id.as_str()).unwrap())
        .collect()
}

fn ingest(db: &Path, input: &Path, config: EngineConfig) {
    let mut engine = Engine::open(db, config).unwrap();
    engine.ingest(&[input.to_owned()], &mut |_| {}).unwrap();
}

#[test]
fn briefs_do_not_depend_on_when_they_are_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    stream(&input);
    let small_batches = EngineConfig {
        batch_size: 4,
        ..EngineConfig::default()
    };

    // Briefs built right after each batch (an in-memory engine) ...
    let mut inline = Engine::in_memory(small_batches.clone()).unwrap();
    inline
        .ingest(std::slice::from_ref(&input), &mut |_| {})
        .unwrap();
    let catalog = inline.catalog();
    let mut at_once: Vec<Brief> = catalog
        .stories()
        .unwrap()
        .iter()
        .map(|s| catalog.brief(s.id.as_str()).unwrap())
        .collect();
    // ... and by the projection thread, flushing whenever it gets to it.
    let db = dir.path().join("p.db");
    ingest(&db, &input, small_batches.clone());
    let projected = briefs(&db);
    assert_eq!(projected.len(), 6, "six events, six stories");
    assert!(projected.iter().all(|b| b.sources.len() == 5));
    // An in-memory store numbers articles as the file does.
    at_once.sort_by(|a, b| a.story.cmp(&b.story));
    let mut sorted = projected.clone();
    sorted.sort_by(|a, b| a.story.cmp(&b.story));
    assert_eq!(sorted, at_once);

    // Every brief lost, as a kill right after the commits would leave it:
    // reopening briefs every story again, as of the same articles.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("DELETE FROM stories", []).unwrap();
    }
    assert!(briefs(&db).is_empty());
    ingest(&db, &input, small_batches);
    assert_eq!(briefs(&db), projected);
    for brief in &projected {
        assert!(
            brief.seq.is_some(),
            "a projected brief says what it reflects"
        );
    }
}

#[test]
fn a_brief_reads_at_most_its_cap_and_lists_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    stream(&input);
    let mut config = EngineConfig::default();
    config.projector.max_articles = 2;
    let db = dir.path().join("capped.db");
    ingest(&db, &input, config);
    for brief in briefs(&db) {
        assert_eq!(brief.sources.len(), 5, "every article is a source");
        // The summary cites only the first and the latest article.
        let first = &brief.sources[0].article;
        let last = &brief.sources[4].article;
        for sentence in &brief.sentences {
            assert!(
                sentence.sources.iter().all(|s| s == first || s == last),
                "{:?} cites an article the brief did not read",
                sentence.sources
            );
        }
    }
}
