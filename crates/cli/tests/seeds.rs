//! The first acceptance case: the five seed articles become one story.

mod common;

use common::{parallax, shared, text};
use parallax_store::Store;

#[test]
fn seeds_become_one_story_with_five_sources_and_clean_bodies() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("seeds");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db_arg = db.to_str().unwrap();

    let out = parallax(&["run", "--db", db_arg, seeds.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stdout.matches("\nStory ").count() + stdout.starts_with("Story ") as usize,
        1,
        "{stdout}"
    );
    assert!(stdout.contains("5 articles from 5 sources"), "{stdout}");
    assert!(stderr.contains("5 new articles stored"), "{stderr}");

    let store = Store::open(&db).unwrap();
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].articles.len(), 5);
    let articles = store.articles().unwrap();
    let by_prefix = |p: &str| {
        &articles
            .iter()
            .find(|a| a.article.id.as_str().starts_with(p))
            .unwrap()
            .article
    };
    assert_eq!(
        by_prefix("004")
            .published
            .unwrap()
            .format("%Y-%m-%d")
            .to_string(),
        "2018-05-14"
    );
    assert!(by_prefix("004").body.starts_with("WASHINGTON"));
    for a in &articles {
        let body = &a.article.body;
        for noise in [
            "READ: Atiku",
            "More from China",
            "8 min read",
            "all quotes delayed",
            "all rights reserved",
        ] {
            assert!(
                !body.contains(noise),
                "{} still holds {noise:?}",
                a.article.id
            );
        }
    }
    let bbc = &by_prefix("003").body;
    assert_eq!(bbc.matches("ZTE employs 75,000 people").count(), 1);
    assert_eq!(
        bbc.matches("When US President Donald Trump talks").count(),
        1
    );

    // The brief: a headline, a summary within budget whose sentences are
    // real sentences of the cited first source, never from the degraded copy.
    let brief = store.brief(&stories[0].id).unwrap().unwrap();
    assert!(!brief.title.is_empty());
    assert!(brief.summary.split_whitespace().count() <= 60);
    assert!(brief.sentences.len() >= 2, "{:?}", brief.sentences);
    for s in &brief.sentences {
        let first = &s.sources[0];
        assert!(
            !first.as_str().starts_with("001"),
            "quoted the degraded copy: {}",
            s.text
        );
        assert!(by_prefix(first.as_str()).body.contains(&s.text));
    }
    assert!(
        brief.sentences.iter().any(|s| s.sources.len() >= 2),
        "no sentence is cited by two outlets"
    );
}

#[test]
fn running_twice_adds_nothing() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("seeds");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let args = ["run", "--db", db.to_str().unwrap(), seeds.to_str().unwrap()];
    assert!(parallax(&args).status.success());
    let before = Store::open(&db).unwrap().stories().unwrap();
    let out = parallax(&args);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("0 new articles stored, 5 already stored"),
        "{stderr}"
    );
    // Nothing was touched, so nothing is printed (the story is in the
    // store: `parallax stories` lists it).
    assert_eq!(stdout, "", "a rerun printed stories it did not touch");
    assert!(stderr.contains("0 stories touched by this run"), "{stderr}");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.article_count().unwrap(), 5);
    assert_eq!(store.stories().unwrap(), before);
}

#[test]
fn stories_and_show_read_the_store() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db_arg = db.to_str().unwrap();
    let seeds = shared.join("seeds");
    assert!(
        parallax(&["run", "-q", "--db", db_arg, seeds.to_str().unwrap()])
            .status
            .success()
    );

    let out = parallax(&["stories", "--db", db_arg, "--json"]);
    let (stdout, _) = text(&out);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["articles"].as_array().unwrap().len(), 5);
    let id = lines[0]["story"].as_str().unwrap().to_owned();

    let out = parallax(&["show", "--db", db_arg, "--json", &id[..6]]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let brief: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(brief["story"], id);
    assert_eq!(brief["sources"].as_array().unwrap().len(), 5);

    let out = parallax(&["show", "--db", db_arg, "nope"]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("no story with id \"nope\""));
}
