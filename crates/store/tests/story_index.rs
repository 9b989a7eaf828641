//! The SQLite store's story search index (a tantivy folder beside the
//! database, `<db>.stories/`): stories found by the words of their briefs
//! and of their articles, paged by cursor, merged stories dropped, and the
//! index caught up or rebuilt when a reopened store finds it behind, torn
//! or missing.

use chrono::{TimeZone, Utc};
use parallax_model::{Article, Brief, Entity, EntityKind, Origin, Source, SourceRef};
use parallax_store::{Backend, Batch, Cursor, NewArticle, Store, StoryFilter};

fn article(i: usize, body: &str) -> Article {
    Article {
        id: format!("a-{i:03}").into(),
        title: Some(format!("Dispatch {i}")),
        url: Some(format!("https://news.example/{i}")),
        source: Some(Source("Example News".into())),
        published: Some(Utc.with_ymd_and_hms(2018, 5, 1, 9, 0, 0).unwrap()),
        lang: Some("en".into()),
        body: body.into(),
        removed: vec![],
        origin: Origin {
            file: "in.jsonl".into(),
            line: Some(i as u64 + 1),
        },
    }
}

fn placed(a: Article, story: &str, absorbed: &[&str]) -> NewArticle {
    NewArticle {
        content_hash: format!("hash-{}", a.id),
        article: a,
        story: story.into(),
        absorbed: absorbed.iter().map(|s| (*s).into()).collect(),
    }
}

fn brief(story: &str, title: &str, entity: &str, members: &[&Article]) -> Brief {
    Brief {
        story: story.into(),
        title: title.into(),
        summary: format!("{title}, in one sentence."),
        sentences: vec![],
        facts: vec![],
        quotes: vec![],
        copies: vec![],
        entities: vec![Entity {
            name: entity.into(),
            kind: EntityKind::Organisation,
            sources: vec![],
            mentions: vec![],
        }],
        sources: members
            .iter()
            .map(|a| SourceRef {
                article: a.id.clone(),
                outlet: "Example News".into(),
                title: a.title.clone(),
                published: None,
            })
            .collect(),
        timeline: vec![],
        unique: vec![],
        seq: None,
    }
}

/// Stores story `s-i` with one article (body `body`) and its brief.
fn story(store: &mut Store, i: usize, title: &str, body: &str) {
    let a = article(i, body);
    let id = format!("s-{i}");
    store
        .commit_batch(&Batch {
            copies: vec![],
            briefs: vec![brief(&id, title, "Harbour Board", &[&a])],
            articles: vec![placed(a, &id, &[])],
        })
        .unwrap();
}

/// The ids of the stories a search finds, best first, walking pages of
/// `limit` by cursor.
fn walk(store: &Store, q: &str, limit: u32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = store
            .find_stories(&StoryFilter {
                q: Some(q.into()),
                limit,
                cursor: cursor.clone(),
                ..StoryFilter::default()
            })
            .unwrap();
        ids.extend(page.items.iter().map(|s| s.id.0.clone()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => {
                assert!(!page.more);
                return ids;
            }
        }
        assert!(ids.len() < 1000, "the cursor walk does not end");
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_story_is_found_by_its_brief_and_by_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("p.db")).unwrap();
    story(
        &mut store,
        0,
        "Ferry strike ends",
        "Crews went back to work.",
    );
    story(
        &mut store,
        1,
        "Budget passes",
        "Lawmakers voted on tariffs.",
    );
    store.index_articles(i64::MAX).unwrap();
    // Headline, summary and entity name: the brief's own words.
    assert_eq!(walk(&store, "ferry ", 10), ["s-0"]);
    assert_eq!(walk(&store, "sentence harbour", 10).len(), 2);
    // A word of an article's body only, stemmed.
    assert_eq!(walk(&store, "tariff ", 10), ["s-1"]);
    // A typed prefix.
    assert_eq!(walk(&store, "stri", 10), ["s-0"]);
    // A reader in another handle sees the same.
    let reader = Store::open_reader(&dir.path().join("p.db")).unwrap();
    assert_eq!(walk(&reader, "ferry ", 10), ["s-0"]);
    assert!(dir.path().join("p.db.stories/meta.json").exists());
}

#[test]
fn cursors_list_every_story_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("p.db")).unwrap();
    // Stories that match by their headline (with as many score ties as
    // distinct ones), and some by an article's body only.
    for i in 0..40 {
        let title = format!("Comet {}", "seen ".repeat(i % 4));
        story(&mut store, i, &title, "Astronomers watched the sky.");
    }
    for i in 40..55 {
        story(
            &mut store,
            i,
            "Night sky",
            &"A comet passed. ".repeat(1 + i % 3),
        );
    }
    story(&mut store, 55, "Unrelated", "Nothing here.");
    store.index_articles(i64::MAX).unwrap();
    let whole = walk(&store, "comet ", 200);
    assert_eq!(whole.len(), 55);
    for limit in [1, 3, 7] {
        let walked = walk(&store, "comet ", limit);
        assert_eq!(walked, whole, "pages of {limit}");
    }
    let expected: Vec<String> = (0..55).map(|i| format!("s-{i}")).collect();
    assert_eq!(sorted(whole), sorted(expected));
}

#[test]
fn a_merged_story_leaves_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("p.db")).unwrap();
    story(&mut store, 0, "Nebula photographed", "Telescope pictures.");
    story(&mut store, 1, "Nebula mapped", "Survey pictures.");
    store.index_articles(i64::MAX).unwrap();
    assert_eq!(sorted(walk(&store, "nebula ", 10)), ["s-0", "s-1"]);
    // s-1 is absorbed into s-0 by a new article; s-0 is briefed again.
    let a = article(2, "Both surveys agree.");
    let b = brief("s-0", "Nebula survey", "Harbour Board", &[&a]);
    store
        .commit_batch(&Batch {
            copies: vec![],
            briefs: vec![],
            articles: vec![placed(a, "s-0", &["s-1"])],
        })
        .unwrap();
    store.write_briefs(&[b]).unwrap();
    store.index_stories().unwrap();
    assert_eq!(walk(&store, "nebula ", 10), ["s-0"]);
    assert_eq!(walk(&store, "survey ", 10), ["s-0"]);
    assert!(walk(&store, "mapped ", 10).is_empty());
}

#[test]
fn a_reopened_store_catches_up_or_rebuilds_its_story_index() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let index = dir.path().join("p.db.stories");
    let mut store = Store::open(&db).unwrap();
    story(&mut store, 0, "Glacier retreats", "Ice melts.");
    store.index_articles(i64::MAX).unwrap();
    // Briefed but not indexed when the process ends (a crash between the
    // brief's commit and the index's).
    story(&mut store, 1, "Glacier surges", "Ice moves.");
    drop(store);
    let mut store = Store::open(&db).unwrap();
    store.index_stories().unwrap();
    assert_eq!(sorted(walk(&store, "glacier ", 10)), ["s-0", "s-1"]);
    drop(store);
    // Torn: its list of segments cut short.
    let meta = std::fs::read(index.join("meta.json")).unwrap();
    std::fs::write(index.join("meta.json"), &meta[..meta.len() / 2]).unwrap();
    let mut store = Store::open(&db).unwrap();
    store.index_stories().unwrap();
    assert_eq!(sorted(walk(&store, "glacier ", 10)), ["s-0", "s-1"]);
    drop(store);
    // Missing altogether.
    std::fs::remove_dir_all(&index).unwrap();
    let mut store = Store::open(&db).unwrap();
    store.index_stories().unwrap();
    assert_eq!(sorted(walk(&store, "glacier ", 10)), ["s-0", "s-1"]);
    drop(store);
    // Another store's index, further along: not trusted, rebuilt.
    let other = dir.path().join("other.db");
    let mut store = Store::open(&other).unwrap();
    for i in 0..5 {
        story(&mut store, i, "Desert bloom", "Rain fell.");
    }
    store.index_stories().unwrap();
    drop(store);
    std::fs::remove_dir_all(&index).unwrap();
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    };
    copy(&dir.path().join("other.db.stories"), &index);
    let mut store = Store::open(&db).unwrap();
    store.index_stories().unwrap();
    assert!(walk(&store, "desert ", 10).is_empty());
    assert_eq!(sorted(walk(&store, "glacier ", 10)), ["s-0", "s-1"]);
}
