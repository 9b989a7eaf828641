//! Stopping and resuming changes nothing: a store fed in two runs holds
//! the same stories, with the same ids, as one fed in one run.

use std::path::PathBuf;

use parallax_engine::{Engine, EngineConfig};

fn seeds() -> Option<Vec<PathBuf>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} is missing; test skipped", dir.display());
        return None;
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    Some(files)
}

fn stories(engine: &Engine) -> Vec<(String, Vec<String>)> {
    engine
        .catalog()
        .stories()
        .unwrap()
        .into_iter()
        .map(|s| (s.id.0, s.articles.into_iter().map(|a| a.0).collect()))
        .collect()
}

#[test]
fn two_runs_equal_one() {
    let Some(files) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let config = EngineConfig {
        batch_size: 2,
        ..EngineConfig::default()
    };

    let mut whole = Engine::open(&dir.path().join("whole.db"), config.clone()).unwrap();
    whole.ingest(&files, &mut |_| {}).unwrap();

    let split_db = dir.path().join("split.db");
    {
        let mut first = Engine::open(&split_db, config.clone()).unwrap();
        let report = first.ingest(&files[..2], &mut |_| {}).unwrap();
        assert_eq!(report.stored, 2);
    }
    let mut second = Engine::open(&split_db, config).unwrap();
    let report = second.ingest(&files, &mut |_| {}).unwrap();
    assert_eq!((report.stored, report.unchanged), (3, 2));

    assert_eq!(stories(&whole), stories(&second));
    assert_eq!(stories(&whole).len(), 1);
}

#[test]
fn a_reused_id_with_new_content_is_a_conflict_not_an_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    std::fs::write(
        &a,
        r#"{"id": "x", "text": "The Saints placed Reggie Bush on injured reserve."}"#,
    )
    .unwrap();
    let b = dir.path().join("b.jsonl");
    std::fs::write(
        &b,
        r#"{"id": "x", "text": "A different text under the same id, about an earthquake."}"#,
    )
    .unwrap();
    let mut engine = Engine::open(&dir.path().join("p.db"), EngineConfig::default()).unwrap();
    engine.ingest(&[a], &mut |_| {}).unwrap();
    let report = engine.ingest(&[b], &mut |_| {}).unwrap();
    assert_eq!((report.stored, report.conflicts), (0, 1));
    let stored = engine.store().articles().unwrap();
    assert!(stored[0].article.body.contains("Reggie Bush"));
}
