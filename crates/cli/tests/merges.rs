//! Story merges end to end, on the ECB+ dev texts (read at run time from
//! `../shared`): `parallax cluster` names every article's final story,
//! `parallax run` stores the same assignments with the merges as events,
//! an appended run never renames a story that survives, and `parallax show`
//! tells merges.
//!
//! That ECB+ dev holds merges at all is a property of the calibrated rule
//! (`ClusterConfig::default`); should a new calibration make none there,
//! the first test says so.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use common::{parallax, parallax_io, read_tsv, text};
use parallax_model::{StoryEvent, StoryEventKind, StoryId};
use parallax_store::Store;

fn ecbplus() -> Option<PathBuf> {
    let path = common::shared()?.join("data/stories/ecbplus-dev.jsonl");
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

fn run(db: &Path, input: &Path) {
    let out = parallax(&[
        "run",
        "--db",
        db.to_str().unwrap(),
        "--quiet",
        "--json",
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "run failed: {}", text(&out).1);
}

/// Article -> story, and every event, of the store at `db`.
fn stored(db: &Path) -> (HashMap<String, String>, Vec<StoryEvent>) {
    let store = Store::open_reader(db).unwrap();
    let articles = store
        .articles()
        .unwrap()
        .into_iter()
        .map(|s| (s.article.id.0, s.story.0))
        .collect();
    (articles, store.events_after(0).unwrap())
}

/// `(absorbed, survivor)` of each merge event, in order.
fn merges(events: &[StoryEvent]) -> Vec<(StoryId, StoryId)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            StoryEventKind::Merged { from } => Some((from.clone(), e.story.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn cluster_and_run_agree_on_final_stories_and_record_the_merges() {
    let Some(input) = ecbplus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("out.tsv");
    let out = parallax_io("cluster", &input, &tsv);
    assert!(out.status.success(), "{}", text(&out).1);
    let clustered = read_tsv(&tsv);
    assert_eq!(clustered.len(), 535);
    // The same stream gives the same file, byte for byte.
    let again = dir.path().join("again.tsv");
    let out = parallax_io("cluster", &input, &again);
    assert!(out.status.success());
    assert_eq!(std::fs::read(&tsv).unwrap(), std::fs::read(&again).unwrap());

    let db = dir.path().join("p.db");
    run(&db, &input);
    let (articles, events) = stored(&db);
    let merged = merges(&events);
    assert!(
        !merged.is_empty(),
        "no merge on ECB+ dev with the default configuration: \
         this test needs a stream with one (see the module note)"
    );
    // `cluster` writes each article's final story: the store's, after its
    // articles were moved to the survivors.
    assert_eq!(clustered, articles);
    let stories = Store::open_reader(&db).unwrap().stories().unwrap();
    let live: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
    for (from, into) in &merged {
        assert!(
            !clustered.values().any(|s| s == from.as_str()),
            "{from} was merged away but is still named"
        );
        assert!(!live.contains(&from.as_str()), "{from} is still listed");
        let survivor = Store::open_reader(&db).unwrap().merged_into(from).unwrap();
        assert!(
            survivor.is_some_and(|s| live.contains(&s.as_str())),
            "{from} -> {into}"
        );
    }
    // One founded or joined event per article, after its placement's
    // merges.
    let placements = events
        .iter()
        .filter(|e| !matches!(e.kind, StoryEventKind::Merged { .. }))
        .count();
    assert_eq!(placements, 535);

    // `show` names the merge, and an absorbed id shows its survivor.
    let (from, into) = &merged[0];
    let survivor = Store::open_reader(&db)
        .unwrap()
        .merged_into(from)
        .unwrap()
        .unwrap();
    let out = parallax(&["show", "--db", db.to_str().unwrap(), from.as_str()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{from} was merged into {survivor}")),
        "{stderr}"
    );
    assert!(stdout.starts_with(&format!("Story {survivor}")), "{stdout}");
    assert!(stdout.contains("Merged into this story"), "{stdout}");
    assert!(stdout.contains(&format!("{from} -> {into}")), "{stdout}");
}

#[test]
fn appending_never_renames_a_surviving_story() {
    let Some(input) = ecbplus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let half = dir.path().join("half.jsonl");
    let mut f = std::fs::File::create(&half).unwrap();
    for l in &lines[..lines.len() / 2] {
        writeln!(f, "{l}").unwrap();
    }
    drop(f);

    // One store fed the first half, then the whole file (the second half
    // is new); another fed the whole file at once.
    let appended = dir.path().join("appended.db");
    run(&appended, &half);
    let (before, _) = stored(&appended);
    run(&appended, &input);
    let whole = dir.path().join("whole.db");
    run(&whole, &input);

    let (after, events) = stored(&appended);
    let (reference, reference_events) = stored(&whole);
    assert_eq!(after, reference, "appending placed articles differently");
    let strip = |events: Vec<StoryEvent>| -> Vec<StoryEvent> {
        events
            .into_iter()
            .map(|e| StoryEvent {
                at: String::new(),
                ..e
            })
            .collect()
    };
    assert_eq!(strip(events.clone()), strip(reference_events));

    // Every story of the first run is still there under its id, or was
    // merged into one that is; its articles went with it.
    let store = Store::open_reader(&appended).unwrap();
    let mut first_run: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (article, story) in &before {
        first_run.entry(story).or_default().push(article);
    }
    let mut renamed = 0;
    for (story, members) in &first_run {
        let id = StoryId((*story).to_owned());
        let now = match store.merged_into(&id).unwrap() {
            Some(survivor) => {
                renamed += 1;
                survivor
            }
            None => id,
        };
        assert!(store.brief(&now).unwrap().is_some(), "{story} is gone");
        for a in members {
            assert_eq!(after[*a], now.0, "article {a} left story {story}");
        }
    }
    // Only merges change an article's story, and each is recorded.
    let recorded: Vec<String> = merges(&events).into_iter().map(|(f, _)| f.0).collect();
    assert!(renamed <= recorded.len());
    eprintln!(
        "{} stories after the first half, {renamed} of them merged later",
        first_run.len()
    );
}
