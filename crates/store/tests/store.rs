//! The store keeps what it acknowledged, reads it back intact, and
//! migrates files.

use chrono::{TimeZone, Utc};
use parallax_model::{
    Article, ArticleId, Brief, CitedSentence, CopyLink, CopyRelation, Origin, Removal,
    RemovalReason, Source, StoryId,
};
use parallax_store::{Batch, NewArticle, Store, StoreError, migrations};

fn article(id: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        title: Some(format!("Title of {id}")),
        url: Some(format!("https://example.org/{id}")),
        source: Some(Source("Example".into())),
        published: Some(Utc.with_ymd_and_hms(2018, 5, 14, 0, 0, 0).unwrap()),
        lang: Some("en".into()),
        body: body.into(),
        removed: vec![Removal {
            text: "READ: elsewhere".into(),
            reason: RemovalReason::Promo,
        }],
        origin: Origin {
            file: "in.jsonl".into(),
            line: Some(3),
        },
    }
}

fn brief(story: &str, title: &str, sources: &[&str]) -> Brief {
    Brief {
        story: story.into(),
        title: title.into(),
        summary: "One sentence.".into(),
        sentences: vec![CitedSentence {
            text: "One sentence.".into(),
            sources: sources.iter().map(|s| ArticleId::from(*s)).collect(),
        }],
        facts: vec![],
        quotes: vec![],
        entities: vec![],
        sources: vec![],
        timeline: vec![],
        unique: vec![],
        copies: vec![],
        seq: None,
    }
}

fn new(id: &str, story: &str) -> NewArticle {
    NewArticle {
        article: article(id, &format!("Body of {id}.")),
        content_hash: format!("hash-{id}"),
        story: story.into(),
        absorbed: vec![],
    }
}

#[test]
fn batches_round_trip_and_group_into_stories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/parallax.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .write(&Batch {
                articles: vec![new("a", "s1"), new("b", "s2"), new("c", "s1")],
                briefs: vec![
                    brief("s1", "First", &["a", "c"]),
                    brief("s2", "Second", &["b"]),
                ],
                ..Batch::default()
            })
            .unwrap();
    }
    // Reopen: everything acknowledged is there.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.article_count().unwrap(), 3);
    let all = store.articles().unwrap();
    assert_eq!(all.iter().map(|a| a.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(all[0].article, article("a", "Body of a."));
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 2);
    assert_eq!(stories[0].id, StoryId::from("s1"));
    assert_eq!(stories[0].title, "First");
    assert_eq!(
        stories[0].articles,
        [ArticleId::from("a"), ArticleId::from("c")]
    );
    assert_eq!(
        store.brief(&"s2".into()).unwrap().unwrap(),
        brief("s2", "Second", &["b"])
    );
    assert_eq!(
        store.content_hash(&"b".into()).unwrap().as_deref(),
        Some("hash-b")
    );
    assert_eq!(store.content_hash(&"zz".into()).unwrap(), None);
    assert_eq!(store.story_articles(&"s1".into()).unwrap().len(), 2);
    assert_eq!(store.stories_with_prefix("s").unwrap().len(), 2);
    assert_eq!(
        store.stories_with_prefix("s2").unwrap(),
        [StoryId::from("s2")]
    );
}

#[test]
fn a_failed_batch_stores_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(&Batch {
            articles: vec![new("a", "s1")],
            briefs: vec![brief("s1", "First", &["a"])],
            ..Batch::default()
        })
        .unwrap();
    // "a" again violates the unique id: the whole batch must roll back,
    // the copy pair with it.
    let err = store
        .write(&Batch {
            articles: vec![new("b", "s1"), new("a", "s1")],
            copies: vec![link("b", "a", CopyRelation::Duplicate)],
            briefs: vec![brief("s1", "Changed", &["a", "b"])],
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Query { .. }), "{err}");
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(store.copy_count().unwrap(), 0);
    assert_eq!(store.stories().unwrap()[0].title, "First");
}

#[test]
fn refuses_a_file_from_a_newer_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", migrations::latest() + 1)
        .unwrap();
    drop(conn);
    let err = Store::open(&path).err().unwrap();
    assert!(err.to_string().contains("newer"), "{err}");
}

fn link(copy: &str, original: &str, relation: CopyRelation) -> CopyLink {
    CopyLink {
        copy: copy.into(),
        original: original.into(),
        relation,
        score: 0.9,
        evidence: Some("date".into()),
    }
}

// The copy-pair round trip runs on every backend: `tests/backends.rs`.

#[test]
fn a_store_from_before_events_gets_them_from_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A file at schema 3, as the build before story events wrote it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &migrations::MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        for (id, story) in [("a", "s1"), ("b", "s2"), ("c", "s1")] {
            conn.execute(
                "INSERT INTO articles (id, content_hash, story_id, body, removed, origin, ingested_at)
                 VALUES (?1, 'h', ?2, 'Body.', '[]', '{\"file\":\"in.jsonl\",\"line\":1}',
                         '2026-01-01T00:00:00+00:00')",
                [id, story],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    let events: Vec<(i64, String, &str, String)> = store
        .events_after(0)
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.story.0, e.kind.as_str(), e.article.0))
        .collect();
    assert_eq!(
        events,
        [
            (1, "s1".to_owned(), "founded", "a".to_owned()),
            (2, "s2".to_owned(), "founded", "b".to_owned()),
            (3, "s1".to_owned(), "joined", "c".to_owned()),
        ]
    );
    assert_eq!(
        store.story_events(&"s1".into()).unwrap()[0].at,
        "2026-01-01T00:00:00+00:00"
    );
}
