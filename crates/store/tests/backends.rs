//! The store suite over every backend: each behaviour is one function on
//! [`Backend`], run for SQLite always and for PostgreSQL when
//! `PARALLAX_TEST_PG` holds a connection URL (`tests/postgres/ci.sh` starts
//! a server and sets it). Without it the PostgreSQL tests say they are
//! skipped, unless `PARALLAX_REQUIRE_PG=1`, when they fail. Each PostgreSQL
//! test works in a fresh schema of its own, so they run in parallel.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Barrier};

use chrono::{TimeZone, Utc};
use parallax_model::{
    Article, ArticleId, Brief, CitedSentence, CopyLink, CopyRelation, Entity, EntityKind, Origin,
    Source, SourceRef, StoryEvent, StoryEventKind, StoryId,
};
use parallax_store::{
    ArticleFilter, Backend, Batch, NewArticle, PgStore, Store, StoreError, StoryFilter,
};

// ---- fixtures ----------------------------------------------------------

/// Opens the store under test; call again to reopen it.
struct Fixture {
    open: Box<dyn Fn() -> Box<dyn Backend>>,
    /// Keeps the SQLite folder alive, or drops the PostgreSQL schema.
    _guard: Box<dyn std::any::Any>,
}

fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/parallax.db");
    Fixture {
        open: Box::new(move || Box::new(Store::open(&path).unwrap())),
        _guard: Box::new(dir),
    }
}

/// A schema that is dropped when the test ends.
struct Schema {
    url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = ::postgres::Client::connect(&self.url, ::postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

/// The PostgreSQL URL to test against, or `None` (skip) when none is set.
fn pg_url(test: &str) -> Option<String> {
    let required = std::env::var("PARALLAX_REQUIRE_PG").is_ok_and(|v| v == "1");
    match std::env::var("PARALLAX_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if required => panic!(
            "{test}: PARALLAX_REQUIRE_PG=1 but PARALLAX_TEST_PG is not set \
             (start a server with tests/postgres/ci.sh)"
        ),
        _ => {
            eprintln!(
                "note: {test} on PostgreSQL skipped: set PARALLAX_TEST_PG=postgres://... \
                 (tests/postgres/ci.sh starts a server and prints it)"
            );
            None
        }
    }
}

/// `url` with its search path set to `schema`.
fn with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

fn pg_schema(test: &str) -> Option<Schema> {
    let url = pg_url(test)?;
    let name = format!(
        "t_{test}_{}_{}",
        std::process::id(),
        Utc::now().timestamp_micros()
    );
    let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls)
        .unwrap_or_else(|e| panic!("{test}: PostgreSQL at PARALLAX_TEST_PG unreachable: {e}"));
    client
        .batch_execute(&format!("CREATE SCHEMA {name}"))
        .unwrap();
    Some(Schema { url, name })
}

fn pg(test: &str) -> Option<Fixture> {
    let schema = pg_schema(test)?;
    let url = with_schema(&schema.url, &schema.name);
    Some(Fixture {
        open: Box::new(move || Box::new(PgStore::open(&url).unwrap())),
        _guard: Box::new(schema),
    })
}

/// One test per behaviour and backend.
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(&super::sqlite()) })*
        }
        mod postgres {
            $(#[test] fn $name() {
                if let Some(f) = super::pg(stringify!($name)) { super::$name(&f) }
            })*
        }
    };
}

suite!(
    batches_round_trip_and_group_into_stories,
    a_failed_batch_stores_nothing,
    writers_catch_up_by_sequence,
    stories_are_found_by_text_and_filters,
    articles_are_found_by_text_and_filters,
    pages_and_counts,
    copy_pairs_are_stored_with_their_articles_and_read_by_story_and_article,
    placements_and_merges_are_recorded_as_events,
    checkpoints_keep_the_newest_and_resolve_ids_by_prefix,
    cursors_visit_every_result_once,
    merged_stories_are_searched_and_listed_whole,
);

// ---- data ---------------------------------------------------------------

fn article(id: &str, title: &str, body: &str, source: &str, day: u32) -> Article {
    Article {
        id: id.into(),
        title: Some(title.into()),
        url: Some(format!("https://www.{}/{id}", source.to_lowercase())),
        source: Some(Source(source.into())),
        published: Some(Utc.with_ymd_and_hms(2018, 5, day, 9, 0, 0).unwrap()),
        lang: Some("en".into()),
        body: body.into(),
        removed: vec![],
        origin: Origin {
            file: "in.jsonl".into(),
            line: Some(1),
        },
    }
}

fn new(a: Article, story: &str) -> NewArticle {
    NewArticle {
        content_hash: format!("hash-{}", a.id),
        article: a,
        story: story.into(),
        absorbed: vec![],
    }
}

fn simple(id: &str, story: &str) -> NewArticle {
    new(
        article(
            id,
            &format!("Title of {id}"),
            &format!("Body of {id}."),
            "example.org",
            14,
        ),
        story,
    )
}

fn brief(story: &str, title: &str, members: &[&Article]) -> Brief {
    Brief {
        story: story.into(),
        title: title.into(),
        summary: format!("{title}, in one sentence."),
        sentences: vec![CitedSentence {
            text: format!("{title}, in one sentence."),
            sources: members.iter().map(|a| a.id.clone()).collect(),
        }],
        facts: vec![],
        quotes: vec![],
        copies: vec![],
        entities: vec![Entity {
            name: format!("{title} Agency"),
            kind: EntityKind::Organisation,
            sources: vec![],
            mentions: vec![],
        }],
        sources: members
            .iter()
            .map(|a| SourceRef {
                article: a.id.clone(),
                outlet: a.source.as_ref().unwrap().0.clone(),
                title: a.title.clone(),
                published: a.published.map(|d| d.to_rfc3339()),
            })
            .collect(),
        timeline: vec![],
        unique: vec![],
        seq: None,
    }
}

/// Three stories over four outlets and four days.
fn newsroom(store: &mut dyn Backend) {
    let a = article(
        "zte-1",
        "Trump vows to help ZTE",
        "The president said tariffs on Chinese telecoms would be reconsidered.",
        "Reuters",
        14,
    );
    let b = article(
        "zte-2",
        "ZTE back in business",
        "Commerce officials were told to get ZTE back into business fast.",
        "BBC",
        15,
    );
    let c = article(
        "quake-1",
        "Earthquake shakes Lombok",
        "A strong earthquake struck the island; tourists were evacuated.",
        "AP",
        16,
    );
    let d = article(
        "vote-1",
        "Parliament votes on budget",
        "Lawmakers approved the budget after a long night of debate.",
        "BBC",
        17,
    );
    let batch = Batch {
        copies: vec![],
        briefs: vec![
            brief("s-zte", "ZTE rescue", &[&a, &b]),
            brief("s-quake", "Lombok earthquake", &[&c]),
            brief("s-vote", "Budget vote", &[&d]),
        ],
        articles: vec![
            new(a, "s-zte"),
            new(b, "s-zte"),
            new(c, "s-quake"),
            new(d, "s-vote"),
        ],
    };
    store.commit_batch(&batch).unwrap();
    // Article search is a projection, brought up to date after the commit.
    assert_eq!(store.index_articles(i64::MAX).unwrap(), 4);
}

fn story_ids(page: &parallax_store::Page<parallax_store::StorySummary>) -> Vec<&str> {
    page.items.iter().map(|s| s.id.as_str()).collect()
}

fn stories_matching(store: &dyn Backend, filter: StoryFilter) -> Vec<String> {
    let page = store
        .find_stories(&StoryFilter {
            limit: 50,
            ..filter
        })
        .unwrap();
    let mut ids: Vec<String> = story_ids(&page).iter().map(|s| s.to_string()).collect();
    ids.sort();
    ids
}

fn articles_matching(store: &dyn Backend, filter: ArticleFilter) -> Vec<String> {
    let page = store
        .find_articles(&ArticleFilter {
            limit: 50,
            ..filter
        })
        .unwrap();
    let mut ids: Vec<String> = page.items.iter().map(|a| a.id.0.clone()).collect();
    ids.sort();
    ids
}

fn q(text: &str) -> Option<String> {
    Some(text.to_owned())
}

// ---- behaviours ---------------------------------------------------------

fn batches_round_trip_and_group_into_stories(f: &Fixture) {
    {
        let mut store = (f.open)();
        store
            .commit_batch(&Batch {
                copies: vec![],
                articles: vec![simple("a", "s1"), simple("b", "s2"), simple("c", "s1")],
                briefs: vec![brief("s1", "First", &[]), brief("s2", "Second", &[])],
            })
            .unwrap();
    }
    // Reopen: everything acknowledged is there.
    let store = (f.open)();
    assert_eq!(store.article_count().unwrap(), 3);
    let all = store.articles().unwrap();
    let ids: Vec<&str> = all.iter().map(|a| a.article.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(all[0].article, simple("a", "s1").article);
    assert_eq!(all[0].content_hash, "hash-a");
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
        brief("s2", "Second", &[])
    );
    assert_eq!(store.brief(&"nope".into()).unwrap(), None);
    assert_eq!(
        store.content_hash(&"b".into()).unwrap().as_deref(),
        Some("hash-b")
    );
    assert_eq!(store.content_hash(&"zz".into()).unwrap(), None);
    let (b, zz) = (ArticleId::from("b"), ArticleId::from("zz"));
    let known = store.content_hashes(&[&b, &zz]).unwrap();
    assert_eq!(known, HashMap::from([(b.clone(), "hash-b".to_owned())]));
    assert_eq!(store.story_articles(&"s1".into()).unwrap().len(), 2);
    assert_eq!(store.stories_with_prefix("s").unwrap().len(), 2);
    assert_eq!(
        store.stories_with_prefix("s2").unwrap(),
        [StoryId::from("s2")]
    );
    assert_eq!(store.article(&b).unwrap().unwrap().article.id, b);
    assert!(store.article(&zz).unwrap().is_none());
}

fn a_failed_batch_stores_nothing(f: &Fixture) {
    let mut store = (f.open)();
    store
        .commit_batch(&Batch {
            copies: vec![],
            articles: vec![simple("a", "s1")],
            briefs: vec![brief("s1", "First", &[])],
        })
        .unwrap();
    // "a" again violates the unique id: the whole batch must roll back.
    let err = store
        .commit_batch(&Batch {
            copies: vec![],
            articles: vec![simple("b", "s1"), simple("a", "s1")],
            briefs: vec![brief("s1", "Changed", &[])],
        })
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Query { .. } | StoreError::PgQuery { .. }),
        "{err}"
    );
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(store.stories().unwrap()[0].title, "First");
    // The handle is still usable after the failure.
    store
        .commit_batch(&Batch {
            copies: vec![],
            articles: vec![simple("b", "s1")],
            briefs: vec![brief("s1", "Second try", &[])],
        })
        .unwrap();
    assert_eq!(store.article_count().unwrap(), 2);
    assert_eq!(store.stories().unwrap()[0].title, "Second try");
}

fn writers_catch_up_by_sequence(f: &Fixture) {
    let mut one = (f.open)();
    let mut two = (f.open)();
    let seen_one = one.commit_batch(&Batch {
        copies: vec![],
        articles: vec![simple("a", "s1"), simple("b", "s1")],
        briefs: vec![brief("s1", "First", &[])],
    });
    let seen_one = seen_one.unwrap();
    assert_eq!(one.articles_after(0).unwrap().len(), 2);
    assert!(one.articles_after(seen_one).unwrap().is_empty());
    // The second handle places after reading what the first stored.
    two.begin_placement().unwrap();
    let new: Vec<String> = two
        .articles_after(0)
        .unwrap()
        .iter()
        .map(|a| a.article.id.0.clone())
        .collect();
    assert_eq!(new, ["a", "b"]);
    let seen_two = two
        .commit_batch(&Batch {
            copies: vec![],
            articles: vec![simple("c", "s2")],
            briefs: vec![brief("s2", "Second", &[])],
        })
        .unwrap();
    assert!(seen_two > seen_one);
    let after: Vec<String> = one
        .articles_after(seen_one)
        .unwrap()
        .iter()
        .map(|a| a.article.id.0.clone())
        .collect();
    assert_eq!(after, ["c"]);
    // An abandoned placement writes nothing and blocks no one.
    two.begin_placement().unwrap();
    two.abandon_placement();
    one.commit_batch(&Batch {
        copies: vec![],
        articles: vec![simple("d", "s2")],
        briefs: vec![brief("s2", "Second", &[])],
    })
    .unwrap();
    assert_eq!(two.article_count().unwrap(), 4);
}

fn stories_are_found_by_text_and_filters(f: &Fixture) {
    let mut store = (f.open)();
    newsroom(store.as_mut());
    let s = store.as_ref();
    // All words required; stems match ("tariff" finds "tariffs").
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                q: q("tariff "),
                ..Default::default()
            }
        ),
        ["s-zte"]
    );
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                q: q("ZTE earthquake "),
                ..Default::default()
            }
        ),
        Vec::<String>::new()
    );
    // The last word is a prefix unless a space follows.
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                q: q("earthq"),
                ..Default::default()
            }
        ),
        ["s-quake"]
    );
    assert!(
        stories_matching(
            s,
            StoryFilter {
                q: q("earthq "),
                ..Default::default()
            }
        )
        .is_empty()
    );
    // The story's own text counts: an entity name no article holds.
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                q: q("agency budget"),
                ..Default::default()
            }
        ),
        ["s-vote"]
    );
    // Query syntax is never an error.
    assert!(
        stories_matching(
            s,
            StoryFilter {
                q: q("\"(*: OR"),
                ..Default::default()
            }
        )
        .is_empty()
    );
    // Filters.
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                source: q("bbc"),
                ..Default::default()
            }
        ),
        ["s-vote", "s-zte"]
    );
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                source: q("reuters"),
                ..Default::default()
            }
        ),
        ["s-zte"]
    );
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                from: q("2018-05-16"),
                ..Default::default()
            }
        ),
        ["s-quake", "s-vote"]
    );
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                to: q("2018-05-14"),
                ..Default::default()
            }
        ),
        ["s-zte"]
    );
    assert_eq!(
        stories_matching(
            s,
            StoryFilter {
                lang: q("EN"),
                q: q("budget"),
                ..Default::default()
            }
        ),
        ["s-vote"]
    );
    assert!(
        stories_matching(
            s,
            StoryFilter {
                lang: q("de"),
                ..Default::default()
            }
        )
        .is_empty()
    );
    // A summary carries members, outlets and dates.
    let page = s
        .find_stories(&StoryFilter {
            q: q("ZTE"),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let zte = &page.items[0];
    assert_eq!(
        zte.articles,
        [ArticleId::from("zte-1"), ArticleId::from("zte-2")]
    );
    assert_eq!(zte.outlets, ["Reuters", "BBC"]);
    assert_eq!(
        zte.first_published.as_deref(),
        Some("2018-05-14T09:00:00+00:00")
    );
    assert_eq!(
        zte.last_published.as_deref(),
        Some("2018-05-15T09:00:00+00:00")
    );
    assert_eq!(zte.summary, "ZTE rescue, in one sentence.");
}

fn articles_are_found_by_text_and_filters(f: &Fixture) {
    let mut store = (f.open)();
    newsroom(store.as_mut());
    let s = store.as_ref();
    assert_eq!(
        articles_matching(
            s,
            ArticleFilter {
                q: q("ZTE"),
                ..Default::default()
            }
        ),
        ["zte-1", "zte-2"]
    );
    assert_eq!(
        articles_matching(
            s,
            ArticleFilter {
                q: q("ZTE commer"),
                ..Default::default()
            }
        ),
        ["zte-2"]
    );
    assert_eq!(
        articles_matching(
            s,
            ArticleFilter {
                story: q("s-zte"),
                source: q("BBC"),
                ..Default::default()
            }
        ),
        ["zte-2"]
    );
    assert_eq!(
        articles_matching(
            s,
            ArticleFilter {
                from: q("2018-05-15"),
                to: q("2018-05-16"),
                ..Default::default()
            }
        ),
        ["quake-1", "zte-2"]
    );
    // Matched words are marked in the snippet.
    let page = s
        .find_articles(&ArticleFilter {
            q: q("evacuated"),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    let hit = &page.items[0];
    assert_eq!(hit.story, StoryId::from("s-quake"));
    assert_eq!(hit.source.as_deref(), Some("AP"));
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["evacuated"]);
    let whole: String = hit.snippet.iter().map(|p| p.text.as_str()).collect();
    assert!(whole.contains("tourists were evacuated"), "{whole}");
    // Without a query: newest arrival first, the body's start as snippet.
    let page = s
        .find_articles(&ArticleFilter {
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    let ids: Vec<&str> = page.items.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["vote-1", "quake-1"]);
    assert!(page.more);
    assert!(!page.items[0].snippet[0].hit);
    assert!(
        page.items[0].snippet[0]
            .text
            .starts_with("Lawmakers approved")
    );
}

fn pages_and_counts(f: &Fixture) {
    let mut store = (f.open)();
    newsroom(store.as_mut());
    let s = store.as_ref();
    assert_eq!(s.article_count().unwrap(), 4);
    assert_eq!(s.story_count().unwrap(), 3);
    // Newest update first, then newest founding; pages follow on.
    let first = s
        .find_stories(&StoryFilter {
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    let second = s
        .find_stories(&StoryFilter {
            limit: 2,
            offset: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(story_ids(&first), ["s-vote", "s-quake"]);
    assert!(first.more);
    assert_eq!(story_ids(&second), ["s-zte"]);
    assert!(!second.more);
    let sources: Vec<(Option<String>, u64, u64)> = s
        .sources()
        .unwrap()
        .into_iter()
        .map(|c| (c.source, c.articles, c.stories))
        .collect();
    assert_eq!(
        sources,
        [
            (Some("BBC".to_owned()), 2, 2),
            (Some("AP".to_owned()), 1, 1),
            (Some("Reuters".to_owned()), 1, 1),
        ]
    );
}

// ---- PostgreSQL only ----------------------------------------------------

#[test]
fn postgres_refuses_a_schema_from_a_newer_build() {
    let Some(schema) = pg_schema("newer") else {
        return;
    };
    let url = with_schema(&schema.url, &schema.name);
    drop(PgStore::open(&url).unwrap());
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    c.execute(
        "UPDATE parallax_schema SET version = $1",
        &[&(parallax_store::PG_MIGRATIONS.len() as i64 + 1)],
    )
    .unwrap();
    let err = PgStore::open(&url).err().unwrap();
    assert!(err.to_string().contains("newer"), "{err}");
}

#[test]
fn postgres_reports_an_unreachable_server() {
    // Port 9 (discard) on loopback has no PostgreSQL; the message names the
    // URL without its password.
    let err = PgStore::open("postgres://me:secret@127.0.0.1:9/db?connect_timeout=2")
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(msg.contains("postgres://me:***@127.0.0.1:9/db"), "{msg}");
    assert!(!msg.contains("secret"), "{msg}");
}

/// Four writers on one database, each with overlapping articles, follow the
/// placement protocol with a placement that depends on everything stored
/// before (the n-th article of the stream joins story n / 5): afterwards
/// every article is stored once, and the stored stories are exactly what
/// one writer placing the stream in `seq` order would have chosen.
#[test]
fn postgres_concurrent_writers_agree() {
    let Some(schema) = pg_schema("concurrent") else {
        return;
    };
    let url = with_schema(&schema.url, &schema.name);
    drop(PgStore::open(&url).unwrap());
    const WRITERS: usize = 4;
    const PER_WRITER: usize = 60;
    const BATCH: usize = 7;
    let barrier = Arc::new(Barrier::new(WRITERS));
    let workers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::open(&url).unwrap();
                // Writer w takes ids [30w, 30w + 60): each id is offered by
                // two writers, in different orders.
                let mut ids: Vec<usize> = (w * 30..w * 30 + PER_WRITER).collect();
                if w % 2 == 1 {
                    ids.reverse();
                }
                let mut seen = 0i64;
                let mut count = 0usize;
                barrier.wait();
                for chunk in ids.chunks(BATCH) {
                    store.begin_placement().unwrap();
                    let new = store.articles_after(seen).unwrap();
                    count += new.len();
                    let names: Vec<ArticleId> = chunk
                        .iter()
                        .map(|i| ArticleId(format!("a{i:03}")))
                        .collect();
                    let refs: Vec<&ArticleId> = names.iter().collect();
                    let known = store.content_hashes(&refs).unwrap();
                    let mut articles = Vec::new();
                    for id in names.iter().filter(|id| !known.contains_key(id)) {
                        articles.push(simple(id.as_str(), &format!("s{}", count / 5)));
                        count += 1;
                    }
                    let stories: HashSet<StoryId> =
                        articles.iter().map(|a| a.story.clone()).collect();
                    let briefs = stories
                        .iter()
                        .map(|s| brief(s.as_str(), s.as_str(), &[]))
                        .collect();
                    seen = store
                        .commit_batch(&Batch {
                            articles,
                            copies: vec![],
                            briefs,
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let store = PgStore::open(&url).unwrap();
    let all = store.articles().unwrap();
    let ids: HashSet<&str> = all.iter().map(|a| a.article.id.as_str()).collect();
    let expected = 30 * (WRITERS - 1) + PER_WRITER;
    assert_eq!(all.len(), expected, "an article was lost or stored twice");
    assert_eq!(ids.len(), expected);
    for (rank, a) in all.iter().enumerate() {
        assert_eq!(
            a.story.as_str(),
            format!("s{}", rank / 5),
            "article {} (stream position {rank}) was placed on a stale view",
            a.article.id
        );
    }
    let members: usize = store
        .stories()
        .unwrap()
        .iter()
        .map(|s| s.articles.len())
        .sum();
    assert_eq!(
        members, expected,
        "every article belongs to exactly one story"
    );
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

fn copy_pairs_are_stored_with_their_articles_and_read_by_story_and_article(f: &Fixture) {
    let mut store = (f.open)();
    store
        .commit_batch(&Batch {
            articles: vec![
                simple("wire", "s1"),
                simple("copy", "s1"),
                simple("far", "s2"),
            ],
            copies: vec![
                link("copy", "wire", CopyRelation::NearDuplicate),
                link("far", "wire", CopyRelation::Syndicated),
            ],
            briefs: vec![],
        })
        .unwrap();
    // The same pair again (a replayed backfill) changes nothing.
    store
        .commit_batch(&Batch {
            copies: vec![link("copy", "wire", CopyRelation::Duplicate)],
            ..Batch::default()
        })
        .unwrap();
    assert_eq!(store.copy_count().unwrap(), 2);
    // Only pairs inside the story.
    let s1 = store.story_copies(&"s1".into()).unwrap();
    assert_eq!(s1, vec![link("copy", "wire", CopyRelation::NearDuplicate)]);
    assert!(store.story_copies(&"s2".into()).unwrap().is_empty());
    // An article's pairs, as copy and as original.
    let wire = store.article_copies(&"wire".into()).unwrap();
    assert_eq!(wire.len(), 2);
    assert!(wire.iter().all(|l| l.original.as_str() == "wire"));
    assert_eq!(store.article_copies(&"far".into()).unwrap().len(), 1);
    assert_eq!(store.copies().unwrap().len(), 2);
    // A batch that fails stores none of its pairs.
    assert!(
        store
            .commit_batch(&Batch {
                articles: vec![simple("late", "s2"), simple("wire", "s1")],
                copies: vec![link("late", "far", CopyRelation::Duplicate)],
                briefs: vec![],
            })
            .is_err()
    );
    assert_eq!(store.copy_count().unwrap(), 2);
}

// ---- story events and merges --------------------------------------------

/// `(seq, story, kind, article, from)` of each event, without the clock.
fn event_rows(events: &[StoryEvent]) -> Vec<(i64, String, &'static str, String, Option<String>)> {
    events
        .iter()
        .map(|e| {
            let from = match &e.kind {
                StoryEventKind::Merged { from } => Some(from.0.clone()),
                _ => None,
            };
            (
                e.seq,
                e.story.0.clone(),
                e.kind.as_str(),
                e.article.0.clone(),
                from,
            )
        })
        .collect()
}

fn row(
    seq: i64,
    story: &str,
    kind: &'static str,
    article: &str,
    from: Option<&str>,
) -> (i64, String, &'static str, String, Option<String>) {
    (
        seq,
        story.into(),
        kind,
        article.into(),
        from.map(str::to_owned),
    )
}

fn placements_and_merges_are_recorded_as_events(f: &Fixture) {
    let mut store = (f.open)();
    // Batch 1: three stories.
    let first: Vec<NewArticle> = vec![
        simple("a1", "s-old"),
        simple("b1", "s-mid"),
        simple("c1", "s-new"),
        simple("a2", "s-old"),
    ];
    let briefs = vec![
        brief("s-old", "Old", &[&first[0].article, &first[3].article]),
        brief("s-mid", "Mid", &[&first[1].article]),
        brief("s-new", "New", &[&first[2].article]),
    ];
    store
        .commit_batch(&Batch {
            articles: first,
            briefs,
            ..Batch::default()
        })
        .unwrap();
    // Batch 2: c2 joins s-new; then d1's placement merges s-new into s-mid,
    // and e1's merges s-mid into s-old (so s-new's articles, stored and in
    // this batch, end in s-old).
    let c2 = simple("c2", "s-new");
    let mut d1 = simple("d1", "s-mid");
    d1.absorbed = vec!["s-new".into()];
    let mut e1 = simple("e1", "s-old");
    e1.absorbed = vec!["s-mid".into()];
    let all: Vec<Article> = ["a1", "b1", "c1", "a2", "c2", "d1", "e1"]
        .iter()
        .map(|id| simple(id, "x").article)
        .collect();
    let refs: Vec<&Article> = all.iter().collect();
    store
        .commit_batch(&Batch {
            articles: vec![c2, d1, e1],
            briefs: vec![brief("s-old", "Old and merged", &refs)],
            ..Batch::default()
        })
        .unwrap();
    drop(store);
    let mut store = (f.open)();

    let members: Vec<String> = store
        .story_articles(&"s-old".into())
        .unwrap()
        .iter()
        .map(|s| s.article.id.0.clone())
        .collect();
    assert_eq!(members, ["a1", "b1", "c1", "a2", "c2", "d1", "e1"]);
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 1, "absorbed stories leave the list");
    assert_eq!(stories[0].id, StoryId::from("s-old"));
    assert_eq!(store.story_count().unwrap(), 1);
    assert!(store.brief(&"s-new".into()).unwrap().is_none());
    assert_eq!(
        store.brief(&"s-old".into()).unwrap().unwrap().title,
        "Old and merged"
    );
    assert!(store.stories_with_prefix("s-n").unwrap().is_empty());
    // Absorbed ids resolve to the survivor, through both merges.
    assert_eq!(
        store.merged_into(&"s-new".into()).unwrap(),
        Some("s-old".into())
    );
    assert_eq!(
        store.merged_into(&"s-mid".into()).unwrap(),
        Some("s-old".into())
    );
    assert_eq!(store.merged_into(&"s-old".into()).unwrap(), None);
    assert_eq!(store.merged_into(&"nope".into()).unwrap(), None);

    let history = vec![
        row(1, "s-old", "founded", "a1", None),
        row(2, "s-mid", "founded", "b1", None),
        row(3, "s-new", "founded", "c1", None),
        row(4, "s-old", "joined", "a2", None),
        row(5, "s-new", "joined", "c2", None),
        row(6, "s-mid", "merged", "d1", Some("s-new")),
        row(6, "s-mid", "joined", "d1", None),
        row(7, "s-old", "merged", "e1", Some("s-mid")),
        row(7, "s-old", "joined", "e1", None),
    ];
    // Every event, for replay; after a seq, what others added since.
    assert_eq!(event_rows(&store.events_after(0).unwrap()), history);
    assert_eq!(event_rows(&store.events_after(5).unwrap()), history[5..]);
    // A story's events include those of the stories merged into it.
    assert_eq!(
        event_rows(&store.story_events(&"s-old".into()).unwrap()),
        history
    );
    assert_eq!(
        event_rows(&store.story_events(&"s-mid".into()).unwrap()),
        [&history[1..3], &history[4..7]].concat()
    );
    let events = store.events_after(0).unwrap();
    assert!(
        events
            .iter()
            .all(|e| chrono::DateTime::parse_from_rfc3339(&e.at).is_ok())
    );
    // Search follows the merge once the story index catches up (a
    // projection, like article search): the absorbed stories are gone.
    store.index_stories().unwrap();
    let found = stories_matching(
        store.as_ref(),
        StoryFilter {
            q: q("merged"),
            ..StoryFilter::default()
        },
    );
    assert_eq!(found, ["s-old"]);
    assert!(
        stories_matching(
            store.as_ref(),
            StoryFilter {
                q: q("new"),
                ..StoryFilter::default()
            },
        )
        .iter()
        .all(|s| s == "s-old")
    );
}

fn checkpoints_keep_the_newest_and_resolve_ids_by_prefix(f: &Fixture) {
    let mut store = (f.open)();
    assert!(store.checkpoint_seqs().unwrap().is_empty());
    for seq in [10_i64, 20, 30] {
        let state: Vec<u8> = (0..=255u8).cycle().take(1000 + seq as usize).collect();
        store.write_checkpoint(seq, &state, 2).unwrap();
    }
    assert_eq!(store.checkpoint_seqs().unwrap(), vec![30, 20]);
    let state = store.checkpoint(30).unwrap().unwrap();
    assert_eq!(state.len(), 1030);
    assert_eq!(state[..3], [0, 1, 2]);
    assert_eq!(
        store.checkpoint(10).unwrap(),
        None,
        "older ones are dropped"
    );
    // Writing the same seq again replaces it.
    store.write_checkpoint(30, b"again", 2).unwrap();
    assert_eq!(store.checkpoint(30).unwrap().unwrap(), b"again");

    newsroom(store.as_mut());
    let all = store.stories_with_prefix("").unwrap();
    assert!(!all.is_empty());
    let first = all[0].as_str();
    assert_eq!(
        store.stories_with_prefix(first).unwrap(),
        vec![all[0].clone()]
    );
    let prefixed: Vec<_> = all
        .iter()
        .filter(|s| s.as_str().starts_with(&first[..2]))
        .cloned()
        .collect();
    assert_eq!(store.stories_with_prefix(&first[..2]).unwrap(), prefixed);
    assert!(
        store
            .stories_with_prefix("no-such-story")
            .unwrap()
            .is_empty()
    );
}

// ---- paging by cursor ---------------------------------------------------

/// 53 articles in 9 stories, every one holding "harbour" a different number
/// of times (so scores tie in groups), briefed and indexed.
fn harbour(store: &mut dyn Backend) {
    let mut articles = Vec::new();
    let mut briefs = Vec::new();
    let mut members: HashMap<String, Vec<Article>> = HashMap::new();
    for i in 0..53u32 {
        let words = vec!["harbour"; 1 + (i % 4) as usize].join(" ");
        let a = article(
            &format!("h-{i:02}"),
            &format!("Report {i}"),
            &format!("The {words} was busy on day {i}. Ships came and went."),
            ["Reuters", "BBC", "AP"][(i % 3) as usize],
            1 + i % 28,
        );
        let story = format!("s-{}", i % 9);
        members.entry(story.clone()).or_default().push(a.clone());
        articles.push(new(a, &story));
    }
    for (story, list) in &members {
        let refs: Vec<&Article> = list.iter().collect();
        briefs.push(brief(story, &format!("Harbour news {story}"), &refs));
    }
    store
        .commit_batch(&Batch {
            copies: vec![],
            briefs,
            articles,
        })
        .unwrap();
    store.index_articles(i64::MAX).unwrap();
}

/// Walks a listing page by page through `next`, returning what it saw.
fn walk<T: Clone>(
    mut page: impl FnMut(Option<parallax_store::Cursor>) -> parallax_store::Page<T>,
) -> Vec<T> {
    let mut seen = Vec::new();
    let mut cursor = None;
    for _ in 0..1000 {
        let p = page(cursor.take());
        seen.extend(p.items.iter().cloned());
        assert_eq!(p.more, p.next.is_some(), "a page with more names the next");
        match p.next {
            Some(next) => cursor = Some(next),
            None => return seen,
        }
    }
    panic!("paging did not end");
}

fn cursors_visit_every_result_once(f: &Fixture) {
    let mut store = (f.open)();
    harbour(store.as_mut());
    for q in [
        Some("harbour".to_owned()),
        Some("harbour ship".to_owned()),
        None,
    ] {
        let whole = store
            .find_articles(&ArticleFilter {
                q: q.clone(),
                limit: 200,
                ..ArticleFilter::default()
            })
            .unwrap();
        assert!(!whole.more);
        let walked = walk(|cursor| {
            store
                .find_articles(&ArticleFilter {
                    q: q.clone(),
                    limit: 7,
                    cursor,
                    ..ArticleFilter::default()
                })
                .unwrap()
        });
        let ids = |hits: &[parallax_store::ArticleHit]| -> Vec<String> {
            hits.iter().map(|h| h.id.0.clone()).collect()
        };
        assert_eq!(ids(&walked), ids(&whole.items), "articles, q = {q:?}");
        assert_eq!(walked.len(), 53);
        let whole = store
            .find_stories(&StoryFilter {
                q: q.clone(),
                limit: 200,
                ..StoryFilter::default()
            })
            .unwrap();
        let walked = walk(|cursor| {
            store
                .find_stories(&StoryFilter {
                    q: q.clone(),
                    limit: 2,
                    cursor,
                    ..StoryFilter::default()
                })
                .unwrap()
        });
        let ids = |s: &[parallax_store::StorySummary]| -> Vec<String> {
            s.iter().map(|s| s.id.0.clone()).collect()
        };
        assert_eq!(ids(&walked), ids(&whole.items), "stories, q = {q:?}");
        assert_eq!(walked.len(), 9);
    }
    // Filters hold on every page, and an offset counts from the cursor.
    let first = store
        .find_articles(&ArticleFilter {
            q: Some("harbour".into()),
            source: Some("bbc".into()),
            limit: 5,
            ..ArticleFilter::default()
        })
        .unwrap();
    let all_bbc = store
        .find_articles(&ArticleFilter {
            q: Some("harbour".into()),
            source: Some("bbc".into()),
            limit: 200,
            ..ArticleFilter::default()
        })
        .unwrap();
    let skipped = store
        .find_articles(&ArticleFilter {
            q: Some("harbour".into()),
            source: Some("bbc".into()),
            limit: 5,
            offset: 2,
            cursor: first.next.clone(),
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(all_bbc.items.len(), 18);
    assert_eq!(skipped.items[0].id, all_bbc.items[7].id);
    assert!(
        skipped
            .items
            .iter()
            .all(|h| h.source.as_deref() == Some("BBC"))
    );
    // A cursor of another listing's order is refused, not misread.
    let listing = store
        .find_articles(&ArticleFilter {
            limit: 5,
            ..ArticleFilter::default()
        })
        .unwrap();
    let cursor = listing.next.unwrap();
    // (A backend that pages by offset, PostgreSQL, takes any offset.)
    let by_offset = cursor.as_str().starts_with('o');
    let err = store
        .find_stories(&StoryFilter {
            q: Some("harbour".into()),
            cursor: Some(cursor),
            ..StoryFilter::default()
        })
        .map(|_| ());
    if !by_offset {
        assert!(matches!(err, Err(StoreError::BadCursor(_))), "{err:?}");
    }
}

fn merged_stories_are_searched_and_listed_whole(f: &Fixture) {
    let mut store = (f.open)();
    // Two stories whose articles name the lighthouse in their bodies only
    // (found through article hits), one that names it in its headline
    // only (found by its own words), one that never does.
    let a1 = article(
        "l-a1",
        "Keepers rescued",
        "The lighthouse keepers were rescued at dawn.",
        "Reuters",
        10,
    );
    let b1 = article(
        "l-b1",
        "Storm at the cape",
        "Waves hit the old lighthouse all night.",
        "BBC",
        20,
    );
    let c1 = article(
        "l-c1",
        "Museum opens",
        "The museum opened its doors.",
        "AP",
        12,
    );
    let d1 = article(
        "l-d1",
        "Budget passed",
        "Lawmakers approved the budget.",
        "AP",
        13,
    );
    store
        .commit_batch(&Batch {
            briefs: vec![
                brief("s-a", "Rescue", &[&a1]),
                brief("s-b", "Storm", &[&b1]),
                brief("s-c", "Lighthouse museum", &[&c1]),
                brief("s-d", "Budget", &[&d1]),
            ],
            articles: vec![
                new(a1.clone(), "s-a"),
                new(b1.clone(), "s-b"),
                new(c1, "s-c"),
                new(d1, "s-d"),
            ],
            ..Batch::default()
        })
        .unwrap();
    store.index_articles(i64::MAX).unwrap();
    let lighthouse = || StoryFilter {
        q: q("lighthouse"),
        ..StoryFilter::default()
    };
    assert_eq!(
        stories_matching(store.as_ref(), lighthouse()),
        ["s-a", "s-b", "s-c"]
    );
    // a2 joins s-a and its placement merges s-b into s-a.
    let a2 = article(
        "l-a2",
        "Cape rescue",
        "Boats reached the lighthouse.",
        "AP",
        15,
    );
    let mut joined = new(a2.clone(), "s-a");
    joined.absorbed = vec!["s-b".into()];
    store
        .commit_batch(&Batch {
            briefs: vec![brief("s-a", "Rescue at the cape", &[&a1, &b1, &a2])],
            articles: vec![joined],
            ..Batch::default()
        })
        .unwrap();
    store.index_articles(i64::MAX).unwrap();
    assert_eq!(
        stories_matching(store.as_ref(), lighthouse()),
        ["s-a", "s-c"]
    );
    let whole = store
        .find_stories(&StoryFilter {
            limit: 50,
            ..lighthouse()
        })
        .unwrap();
    let listed = store
        .find_stories(&StoryFilter {
            limit: 50,
            ..StoryFilter::default()
        })
        .unwrap();
    for page in [&whole, &listed] {
        let merged = page
            .items
            .iter()
            .find(|s| s.id.as_str() == "s-a")
            .expect("the survivor is listed");
        // The absorbed story's article and dates count, in arrival order.
        let members: Vec<&str> = merged.articles.iter().map(|a| a.as_str()).collect();
        assert_eq!(members, ["l-a1", "l-b1", "l-a2"]);
        assert!(
            merged
                .first_published
                .as_deref()
                .is_some_and(|d| d.starts_with("2018-05-10")),
            "{:?}",
            merged.first_published
        );
        assert!(
            merged
                .last_published
                .as_deref()
                .is_some_and(|d| d.starts_with("2018-05-20")),
            "{:?}",
            merged.last_published
        );
        assert_eq!(merged.outlets, ["Reuters", "BBC", "AP"]);
        assert!(page.items.iter().all(|s| s.id.as_str() != "s-b"));
    }
    // One story a page, by cursor: the same stories in the same order.
    let walked = walk(|cursor| {
        store
            .find_stories(&StoryFilter {
                limit: 1,
                cursor,
                ..lighthouse()
            })
            .unwrap()
    });
    let ids = |s: &[parallax_store::StorySummary]| -> Vec<String> {
        s.iter().map(|s| s.id.0.clone()).collect()
    };
    assert_eq!(ids(&walked), ids(&whole.items));
}
