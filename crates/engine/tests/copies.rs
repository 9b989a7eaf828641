//! The copy detector inside ingestion: pairs are found as articles arrive,
//! stored with them, shown once per text in the brief, and survive a
//! restart.

use std::path::{Path, PathBuf};

use parallax_engine::{Engine, EngineConfig};
use parallax_model::{Brief, CopyRelation};

/// The seed files, or `None` with a note when this checkout has none.
fn seeds() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
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

/// One Article JSONL line.
fn record(id: &str, source: &str, published: &str, text: &str) -> String {
    serde_json::json!({"id": id, "source": source, "published": published, "text": text})
        .to_string()
}

/// Case and punctuation gone, as some scrapers deliver text.
fn degrade(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn the_brief(engine: &Engine, article: &str) -> Brief {
    let row = engine
        .catalog()
        .stories()
        .unwrap()
        .into_iter()
        .find(|s| s.articles.iter().any(|a| a.as_str() == article))
        .expect("the article is in a story");
    engine.catalog().brief(row.id.as_str()).unwrap()
}

#[test]
fn reposts_are_stored_directed_grouped_and_survive_a_restart() {
    let Some(files) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let config = EngineConfig {
        batch_size: 3,
        ..EngineConfig::default()
    };

    // The five seeds alone: no duplicate or near-duplicate pair (they are
    // five outlets' own reports; at most partial reuse).
    let mut engine = Engine::open(&db, config.clone()).unwrap();
    let report = engine.ingest(&files, &mut |_| {}).unwrap();
    assert_eq!(report.stored, 5);
    let seed_pairs = engine.store().copies().unwrap();
    assert!(
        seed_pairs
            .iter()
            .all(|l| l.relation == CopyRelation::Syndicated),
        "{seed_pairs:?}"
    );

    // A repost of seed 000 under another id and outlet, with a promo line,
    // and a lowercased, unpunctuated copy of it.
    let original = engine.store().articles().unwrap()[0].article.clone();
    assert!(original.id.as_str().starts_with("000_"));
    let reposts = dir.path().join("reposts.jsonl");
    let promo = "Sign up for our free newsletter to get the day's top stories.";
    std::fs::write(
        &reposts,
        [
            record(
                "repost",
                "Daily Repost",
                "2018-05-16",
                &format!("{}\n{promo}", original.body),
            ),
            record(
                "lowered",
                "Lowercase Wire",
                "2018-05-17",
                &degrade(&original.body),
            ),
        ]
        .join("\n"),
    )
    .unwrap();
    let mut inputs = files.clone();
    inputs.push(reposts.clone());
    let report = engine.ingest(&inputs, &mut |_| {}).unwrap();
    assert_eq!((report.stored, report.unchanged), (2, 5));

    // Stored, each pointing at the seed as its original.
    for copy in ["repost", "lowered"] {
        let links = engine.article_copies(&copy.into()).unwrap();
        let to_seed = links
            .iter()
            .find(|l| l.copy.as_str() == copy && l.original == original.id)
            .unwrap_or_else(|| panic!("{copy} -> seed not stored: {links:?}"));
        assert!(
            matches!(
                to_seed.relation,
                CopyRelation::Duplicate | CopyRelation::NearDuplicate
            ),
            "{to_seed:?}"
        );
        assert!(to_seed.evidence.is_some());
    }
    // Never the other way round.
    assert!(
        engine
            .store()
            .copies()
            .unwrap()
            .iter()
            .all(|l| l.copy != original.id || l.relation == CopyRelation::Syndicated)
    );

    // The brief shows the text once, with every outlet that carried it.
    let brief = the_brief(&engine, "repost");
    let group = brief
        .copies
        .iter()
        .find(|g| g.original == original.id)
        .unwrap_or_else(|| panic!("no group for the seed: {:?}", brief.copies));
    let copies: Vec<&str> = group.copies.iter().map(|c| c.article.as_str()).collect();
    assert!(
        copies.contains(&"repost") && copies.contains(&"lowered"),
        "{copies:?}"
    );
    assert!(
        group.outlets.iter().any(|o| o == "Daily Repost"),
        "{group:?}"
    );
    assert_eq!(group.outlets[0], group.outlet);
    // Each article is listed in at most one group.
    let mut listed: Vec<&str> = brief
        .copies
        .iter()
        .flat_map(|g| {
            std::iter::once(g.original.as_str()).chain(g.copies.iter().map(|c| c.article.as_str()))
        })
        .collect();
    let n = listed.len();
    listed.sort_unstable();
    listed.dedup();
    assert_eq!(listed.len(), n);

    // Running it again adds nothing.
    let pairs = engine.store().copy_count().unwrap();
    let again = engine.ingest(&inputs, &mut |_| {}).unwrap();
    assert_eq!((again.stored, again.unchanged, again.copies), (0, 7, 0));
    assert_eq!(engine.store().copy_count().unwrap(), pairs);
    drop(engine);

    // Restart: the detector's state is rebuilt, so one more copy finds its
    // original, and the stored pairs are neither lost nor doubled.
    let mut engine = Engine::open(&db, config).unwrap();
    assert_eq!(engine.store().copy_count().unwrap(), pairs);
    let late = dir.path().join("late.jsonl");
    std::fs::write(
        &late,
        record("late", "Late Herald", "2018-05-20", &original.body),
    )
    .unwrap();
    let report = engine.ingest(&[late], &mut |_| {}).unwrap();
    assert_eq!(report.stored, 1);
    let links = engine.article_copies(&"late".into()).unwrap();
    assert!(
        links.iter().any(|l| l.copy.as_str() == "late"
            && l.original == original.id
            && l.relation == CopyRelation::Duplicate),
        "{links:?}"
    );
    let brief = the_brief(&engine, "late");
    let group = brief
        .copies
        .iter()
        .find(|g| g.original == original.id)
        .expect("the seed's group");
    assert_eq!(group.copies.len(), 3, "{group:?}");
}

#[test]
fn a_store_without_copy_pairs_gets_them_from_its_articles_on_open() {
    let Some(files) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let body = {
        let mut engine = Engine::open(&db, EngineConfig::default()).unwrap();
        engine.ingest(&files, &mut |_| {}).unwrap();
        engine.store().articles().unwrap()[0].article.body.clone()
    };
    let copy = dir.path().join("copy.jsonl");
    std::fs::write(&copy, record("copy", "Copy Daily", "2018-05-16", &body)).unwrap();
    let stored = {
        let mut engine = Engine::open(&db, EngineConfig::default()).unwrap();
        engine.ingest(&[copy], &mut |_| {}).unwrap();
        engine.store().copies().unwrap()
    };
    assert!(stored.iter().any(|l| l.copy.as_str() == "copy"));
    // As a store written before the `copies` table would be: no pairs.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("DELETE FROM copies", []).unwrap();
    drop(conn);
    let engine = Engine::open(&db, EngineConfig::default()).unwrap();
    assert_eq!(engine.store().copies().unwrap(), stored);
}
