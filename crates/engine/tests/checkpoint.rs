//! A store reopened from a checkpoint goes on exactly as one that replays
//! its whole stream: same stories and ids, same copy pairs, same briefs;
//! and a damaged checkpoint is passed over, never trusted.

use std::path::Path;

use parallax_engine::{Catalog, Engine, EngineConfig};

const SYLLABLES: [&str; 12] = [
    "var", "nol", "quen", "bri", "tas", "mor", "lek", "dun", "sif", "pra", "gol", "hek",
];

fn word(e: usize, i: usize) -> String {
    format!(
        "{}{}{}",
        SYLLABLES[(e * 5 + i) % 12],
        SYLLABLES[(e + i * 7) % 12],
        SYLLABLES[(e * 3 + i * 2 + 1) % 12]
    )
}

/// Eight made-up events of six reports each, interleaved, each event's
/// first report reposted word for word by two more outlets (copies), in
/// two halves written to `first` and `second`.
fn stream(first: &Path, second: &Path) {
    let mut lines = Vec::new();
    for report in 0..6 {
        for e in 0..8 {
            let w: Vec<String> = (0..8).map(|i| word(e, i)).collect();
            let text = format!(
                "{a} {b} {c} {d} on day {report}, officials in {g} said. About {n} {e2} {f} \
                 were {b} near {h}. \"We {c} the {d} {a},\" said {g} {h} of the {f} office. \
                 The {e2} {f} {a} {c} {m} times, and the {d} {h} {g} {b} again later.",
                a = w[0],
                b = w[1],
                c = w[2],
                d = w[3],
                e2 = w[4],
                f = w[5],
                g = w[6],
                h = w[7],
                n = 100 + 10 * e + report,
                m = 20 + report,
            );
            let article = |id: String, outlet: String| {
                serde_json::json!({
                    "id": id,
                    "title": format!("{} {} {}", w[0], w[1], w[2]),
                    "source": outlet,
                    "published": format!("2024-03-{:02}T{:02}:00:00Z", 1 + report, 8 + e),
                    "text": text,
                })
                .to_string()
            };
            lines.push(article(
                format!("e{e}-r{report}"),
                format!("outlet{report}.example"),
            ));
            if report == 0 {
                for k in 0..2 {
                    lines.push(article(
                        format!("e{e}-copy{k}"),
                        format!("repost{k}.example"),
                    ));
                }
            }
        }
    }
    let half = lines.len() / 2;
    std::fs::write(first, lines[..half].join("\n") + "\n").unwrap();
    std::fs::write(second, lines[half..].join("\n") + "\n").unwrap();
}

/// Everything a reader sees of a store, as text to compare.
fn contents(db: &Path) -> (Vec<String>, String, Vec<String>) {
    let catalog = Catalog::open(db).unwrap();
    let store = catalog.store();
    let placed = store
        .articles()
        .unwrap()
        .into_iter()
        .map(|s| format!("{} {} {}", s.seq, s.article.id, s.story))
        .collect();
    let copies = format!("{:?}", store.copies().unwrap());
    let briefs = catalog
        .stories()
        .unwrap()
        .iter()
        .map(|s| serde_json::to_string(&catalog.brief(s.id.as_str()).unwrap()).unwrap())
        .collect();
    (placed, copies, briefs)
}

fn config(checkpoints: bool) -> EngineConfig {
    EngineConfig {
        batch_size: 5,
        checkpoints,
        ..EngineConfig::default()
    }
}

/// Feeds `first` into `db`, writes a checkpoint (when `checkpoints`),
/// reopens and feeds `second`. Returns the `seq` the reopened engine
/// resumed from.
fn two_runs(db: &Path, first: &Path, second: &Path, checkpoints: bool) -> i64 {
    {
        let mut engine = Engine::open(db, config(checkpoints)).unwrap();
        engine.ingest(&[first.to_owned()], &mut |_| {}).unwrap();
        engine.checkpoint().unwrap();
    }
    let mut engine = Engine::open(db, config(checkpoints)).unwrap();
    engine.ingest(&[second.to_owned()], &mut |_| {}).unwrap();
    engine.resumed_from()
}

#[test]
fn resuming_from_a_checkpoint_equals_replaying_everything() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("1.jsonl"), dir.path().join("2.jsonl"));
    stream(&first, &second);
    let replayed = dir.path().join("replayed.db");
    let resumed = dir.path().join("resumed.db");
    assert_eq!(two_runs(&replayed, &first, &second, false), 0);
    let half = std::fs::read_to_string(&first).unwrap().lines().count() as i64;
    assert_eq!(two_runs(&resumed, &first, &second, true), half);

    let catalog = Catalog::open(&resumed).unwrap();
    assert!(
        !catalog.store().checkpoint_seqs().unwrap().is_empty(),
        "a checkpoint was written"
    );
    assert!(
        Catalog::open(&replayed)
            .unwrap()
            .store()
            .checkpoint_seqs()
            .unwrap()
            .is_empty(),
        "none without checkpoints"
    );
    let (placed, copies, briefs) = contents(&resumed);
    assert!(copies.contains("copy0"), "the reposts are found: {copies}");
    assert_eq!((placed, copies, briefs), contents(&replayed));
}

#[test]
fn a_damaged_checkpoint_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("1.jsonl"), dir.path().join("2.jsonl"));
    stream(&first, &second);
    let reference = dir.path().join("reference.db");
    two_runs(&reference, &first, &second, true);

    let db = dir.path().join("damaged.db");
    {
        let mut engine = Engine::open(&db, config(true)).unwrap();
        engine.ingest(&[first.to_owned()], &mut |_| {}).unwrap();
        engine.checkpoint().unwrap();
    }
    // Damage the checkpoint in place: a byte flipped in its state.
    {
        let mut store = parallax_store::open(&db).unwrap();
        let seq = store.checkpoint_seqs().unwrap()[0];
        let mut state = store.checkpoint(seq).unwrap().unwrap();
        let last = state.len() - 10;
        state[last] ^= 0x5a;
        store.write_checkpoint(seq, &state, 2).unwrap();
    }
    let mut engine = Engine::open(&db, config(true)).unwrap();
    assert_eq!(
        engine.resumed_from(),
        0,
        "the damaged checkpoint is not used"
    );
    engine.ingest(&[second.to_owned()], &mut |_| {}).unwrap();
    drop(engine);
    assert_eq!(contents(&db), contents(&reference));
}

/// Feeds `input` into `db` as a request would and writes a checkpoint
/// while every story it touched still waits for its brief; then closes the
/// engine (which briefs them).
fn checkpoint_with_briefs_due(db: &Path, input: &Path) {
    // Briefs wait an hour: none is built before the checkpoint.
    let mut lazy = config(true);
    lazy.projector.interval = std::time::Duration::from_secs(3600);
    let mut engine = Engine::open(db, lazy).unwrap();
    // A request's ingestion returns before its briefs are built: the
    // checkpoint right after it records their stories as due.
    let mut body = std::fs::File::open(input).unwrap();
    engine
        .ingest_jsonl(&mut body, "request", &mut |_| {})
        .unwrap();
    engine.checkpoint().unwrap();
}

#[test]
fn a_checkpoint_taken_while_briefs_are_due_resumes_them() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("1.jsonl"), dir.path().join("2.jsonl"));
    stream(&first, &second);
    let reference = dir.path().join("reference.db");
    Engine::open(&reference, config(false))
        .unwrap()
        .ingest(&[first.to_owned()], &mut |_| {})
        .unwrap();

    let db = dir.path().join("due.db");
    checkpoint_with_briefs_due(&db, &first);
    // Every brief is lost, as if killed before they were stored.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE stories SET brief_seq = 0, brief = '{}'", [])
        .unwrap();
    let mut engine = Engine::open(&db, config(true)).unwrap();
    assert!(engine.resumed_from() > 0);
    engine.sync_briefs().unwrap();
    drop(engine);
    assert_eq!(contents(&db), contents(&reference));
}

/// The stories a checkpoint lists as due, briefed by the run that wrote
/// it before it ended, are not briefed again by every later open (a
/// server's first request would wait behind them).
#[test]
fn stories_briefed_after_the_checkpoint_are_not_briefed_again_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("1.jsonl"), dir.path().join("2.jsonl"));
    stream(&first, &second);
    let db = dir.path().join("settled.db");
    // Closing the engine briefed every story the checkpoint lists as due.
    checkpoint_with_briefs_due(&db, &first);
    let briefed = contents(&db);
    let mut engine = Engine::open(&db, config(true)).unwrap();
    assert!(engine.resumed_from() > 0);
    assert_eq!(engine.sync_briefs().unwrap(), 0, "nothing is due on open");
    drop(engine);
    assert_eq!(contents(&db), briefed);
}

/// A copy stored after the checkpoint of an original stored before it:
/// an engine reopened from that checkpoint replays the copy, and when it
/// briefs the story again the brief still has the copy's group, as one
/// that replays everything has.
#[test]
fn a_replayed_copy_of_an_original_before_the_checkpoint_keeps_its_group() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("1.jsonl"), dir.path().join("2.jsonl"));
    stream(&first, &second);
    // The second half also reposts, word for word, each event's first
    // report, which is in the first half.
    let mut later = std::fs::read_to_string(&second).unwrap();
    for line in std::fs::read_to_string(&first).unwrap().lines() {
        let mut article: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = article["id"].as_str().unwrap().to_owned();
        if let Some(event) = id.strip_suffix("-r0") {
            article["id"] = format!("{event}-late").into();
            article["source"] = "late.example".into();
            later.push_str(&article.to_string());
            later.push('\n');
        }
    }
    let second = dir.path().join("2-late.jsonl");
    std::fs::write(&second, later).unwrap();

    let half = std::fs::read_to_string(&first).unwrap().lines().count() as i64;
    let rebriefed = |db: &Path, checkpoints: bool| {
        two_runs(db, &first, &second, checkpoints);
        // The briefs of the stories the second run touched are lost, as if
        // killed before they were stored: the next open briefs them again
        // from what it replays.
        rusqlite::Connection::open(db)
            .unwrap()
            .execute(
                "UPDATE stories SET brief_seq = 0, brief = '{}' WHERE id IN \
                 (SELECT story_id FROM articles WHERE seq > ?1)",
                [half],
            )
            .unwrap();
        let mut engine = Engine::open(db, config(checkpoints)).unwrap();
        let from = engine.resumed_from();
        engine.sync_briefs().unwrap();
        drop(engine);
        from
    };
    let reference = dir.path().join("reference.db");
    assert_eq!(rebriefed(&reference, false), 0);
    let db = dir.path().join("resumed.db");
    assert_eq!(
        rebriefed(&db, true),
        half,
        "resumed from the first run's checkpoint"
    );
    let (placed, copies, briefs) = contents(&db);
    assert!(
        copies.contains("-late"),
        "the late reposts are copies: {copies}"
    );
    assert!(
        briefs.iter().any(|b| {
            let brief: serde_json::Value = serde_json::from_str(b).unwrap();
            brief["copies"].to_string().contains("-late")
        }),
        "a brief lists the late reposts in its copy groups"
    );
    assert_eq!((placed, copies, briefs), contents(&reference));
}
