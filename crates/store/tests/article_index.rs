//! The SQLite store's article search index (a tantivy folder beside the
//! database): caught up after a reopen, rebuilt when damaged or foreign,
//! never trusted blindly, and never removing what is not an index.

use chrono::{TimeZone, Utc};
use parallax_model::{Article, Origin, Source};
use parallax_store::{ArticleFilter, Backend, Batch, NewArticle, Store, StoreError};

fn article(i: usize, word: &str) -> NewArticle {
    let a = Article {
        id: format!("a-{i:03}").into(),
        title: Some(format!("Dispatch {i}")),
        url: Some(format!("https://news.example/{i}")),
        source: Some(Source("Example News".into())),
        published: Some(
            Utc.with_ymd_and_hms(2018, 5, 1 + (i % 28) as u32, 9, 0, 0)
                .unwrap(),
        ),
        lang: Some("en".into()),
        body: format!("Reports of the {word} reached the coast on day {i}."),
        removed: vec![],
        origin: Origin {
            file: "in.jsonl".into(),
            line: Some(i as u64 + 1),
        },
    };
    NewArticle {
        content_hash: format!("hash-{i}"),
        story: format!("s-{i}").as_str().into(),
        article: a,
        absorbed: vec![],
    }
}

fn add(store: &mut Store, range: std::ops::Range<usize>, word: &str) {
    store
        .commit_batch(&Batch {
            copies: vec![],
            briefs: vec![],
            articles: range.map(|i| article(i, word)).collect(),
        })
        .unwrap();
}

/// The ids an article search finds (all of them: at most 200 here).
fn found(store: &Store, q: &str) -> Vec<String> {
    let page = store
        .find_articles(&ArticleFilter {
            q: Some(q.into()),
            limit: 200,
            ..ArticleFilter::default()
        })
        .unwrap();
    assert!(!page.more);
    let mut ids: Vec<String> = page.items.iter().map(|h| h.id.0.clone()).collect();
    ids.sort();
    ids
}

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("a-{i:03}")).collect()
}

#[test]
fn a_reopened_store_catches_its_index_up_from_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 0..30, "storm");
    assert_eq!(store.index_articles(20).unwrap(), 20);
    assert_eq!(found(&store, "storm "), ids(0..20));
    // Stored but not indexed when the process ends (a crash between the
    // commit and the projection).
    add(&mut store, 30..40, "storm");
    drop(store);
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 40);
    // Every article once: nothing indexed twice, nothing missed.
    assert_eq!(found(&store, "storm "), ids(0..40));
    assert!(db.with_extension("db.search").join("meta.json").exists());
    // A reader in another handle sees it too.
    let reader = Store::open_reader(&db).unwrap();
    assert_eq!(found(&reader, "storms "), ids(0..40));
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let index = dir.path().join("p.db.search");
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 0..25, "flood");
    store.index_articles(i64::MAX).unwrap();
    drop(store);
    // Torn: its list of segments cut short.
    let meta = std::fs::read(index.join("meta.json")).unwrap();
    std::fs::write(index.join("meta.json"), &meta[..meta.len() / 2]).unwrap();
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 25);
    assert_eq!(found(&store, "flood "), ids(0..25));
    drop(store);
    // Segment files gone.
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().len() > 33 {
            std::fs::remove_file(path).unwrap();
        }
    }
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 25);
    assert_eq!(found(&store, "flood "), ids(0..25));
    drop(store);
    // Missing altogether.
    std::fs::remove_dir_all(&index).unwrap();
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 25);
    assert_eq!(found(&store, "flood "), ids(0..25));
}

#[test]
fn a_foreign_index_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    // Another store's index, further along, copied beside this store.
    let other = dir.path().join("other.db");
    let mut store = Store::open(&other).unwrap();
    add(&mut store, 0..10, "drought");
    add(&mut store, 10..20, "harvest");
    store.index_articles(i64::MAX).unwrap();
    drop(store);
    let db = dir.path().join("p.db");
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 100..110, "harvest");
    drop(store);
    std::fs::create_dir(dir.path().join("p.db.search")).unwrap();
    for entry in std::fs::read_dir(dir.path().join("other.db.search")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.path()
                .join("p.db.search")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 10);
    assert_eq!(found(&store, "harvest "), ids(100..110));
    assert_eq!(found(&store, "drought "), Vec::<String>::new());
}

#[test]
fn a_write_cut_short_by_a_kill_leaves_an_index_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let index = dir.path().join("p.db.search");
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 0..5, "storm");
    store.index_articles(i64::MAX).unwrap();
    drop(store);
    // A killed process leaves the temporary file of a write it never
    // renamed into place; and a damaged index beside it (rebuilt: the
    // leftover must not make the folder look like someone else's files).
    std::fs::write(index.join(".tmpk1LL3d"), "{\"segments\": [").unwrap();
    let meta = std::fs::read(index.join("meta.json")).unwrap();
    std::fs::write(index.join("meta.json"), &meta[..meta.len() / 2]).unwrap();
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 5..8, "storm");
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 8);
    assert_eq!(found(&store, "storm "), ids(0..8));
}

#[test]
fn a_folder_of_other_files_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 0..3, "fire");
    std::fs::create_dir(dir.path().join("p.db.search")).unwrap();
    std::fs::write(dir.path().join("p.db.search/notes.txt"), "mine").unwrap();
    let err = store.index_articles(i64::MAX).unwrap_err();
    assert!(matches!(err, StoreError::Search { .. }), "{err}");
    assert!(err.to_string().contains("not a search index"), "{err}");
    assert!(dir.path().join("p.db.search/notes.txt").exists());
}

#[test]
fn articles_moved_by_a_merge_are_found_in_their_new_story() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let mut store = Store::open(&db).unwrap();
    add(&mut store, 0..2, "eclipse");
    store.index_articles(i64::MAX).unwrap();
    // Story s-1 is absorbed into s-0 after both were indexed.
    let mut merged = article(2, "eclipse");
    merged.story = "s-0".into();
    merged.absorbed = vec!["s-1".into()];
    store
        .commit_batch(&Batch {
            copies: vec![],
            briefs: vec![],
            articles: vec![merged],
        })
        .unwrap();
    store.index_articles(i64::MAX).unwrap();
    let page = store
        .find_articles(&ArticleFilter {
            q: Some("eclipse".into()),
            limit: 20,
            ..ArticleFilter::default()
        })
        .unwrap();
    let hits: Vec<(&str, &str)> = page
        .items
        .iter()
        .map(|h| (h.id.as_str(), h.story.as_str()))
        .collect();
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert!(hits.iter().all(|h| h.1 == "s-0"), "{hits:?}");
    let in_story = store
        .find_articles(&ArticleFilter {
            q: Some("eclipse".into()),
            story: Some("s-0".into()),
            limit: 20,
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(in_story.items.len(), 3);
}
