//! The brief on the five seed articles (one event, five outlets): the
//! disagreements, the merged tweet, every speaker, the timeline.
//!
//! Reads `../shared/seeds` next to the repository at run time and skips
//! with a note when it is missing.

use std::path::PathBuf;

use parallax_brief::{BriefConfig, Briefer};
use parallax_model::{Article, Brief, EntityKind};

fn seeds() -> Option<Vec<Article>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} is missing; seed tests skipped", dir.display());
        return None;
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    Some(
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("seed readable");
                // A leading "date YYYY-MM-DD" line is metadata.
                let (published, body) = match text.trim_start().strip_prefix("date ") {
                    Some(rest) => {
                        let date = &rest[..10];
                        let published = format!("{date}T00:00:00Z").parse().ok();
                        (published, rest[10..].trim_start().to_owned())
                    }
                    None => (None, text),
                };
                Article {
                    published,
                    lang: Some("en".into()),
                    ..Article::new(p.file_stem().unwrap().to_string_lossy().as_ref(), body)
                }
            })
            .collect(),
    )
}

fn brief() -> Option<Brief> {
    let articles = seeds()?;
    let mut briefer = Briefer::new(BriefConfig::default());
    for a in &articles {
        briefer.observe(a);
    }
    let refs: Vec<&Article> = articles.iter().collect();
    Some(briefer.brief(&"seeds".into(), &refs))
}

/// (value, sources by 3-digit prefix) of the disagreement about `about`.
fn disagreement(b: &Brief, about: &str) -> Vec<(String, Vec<String>)> {
    let f = b
        .facts
        .iter()
        .find(|f| f.about == about && !f.agree)
        .unwrap_or_else(|| panic!("no disagreement about {about}: {:#?}", b.facts));
    let mut v: Vec<(String, Vec<String>)> = f
        .values
        .iter()
        .map(|v| {
            (
                v.value.clone(),
                v.sources
                    .iter()
                    .map(|s| s.as_str()[..3].to_owned())
                    .collect(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_two_disagreements_show_each_sources_figure() {
    let Some(b) = brief() else { return };
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        disagreement(&b, "employees"),
        [
            ("70000".to_owned(), s(&["004"])),
            ("75000".to_owned(), s(&["003"])),
            ("80000".to_owned(), s(&["000"])),
        ]
    );
    assert_eq!(
        disagreement(&b, "companies"),
        [
            ("200".to_owned(), s(&["000"])),
            ("211".to_owned(), s(&["001"])),
        ]
    );
    // "At least a quarter" and "25-30%" are compatible: not flagged.
    assert!(
        b.facts
            .iter()
            .all(|f| f.agree || !f.about.starts_with("share")),
        "{:#?}",
        b.facts
    );
    // Exactly the two disagreements, each side shown with its sentence.
    let flagged: Vec<&str> = b
        .facts
        .iter()
        .filter(|f| !f.agree)
        .map(|f| f.about.as_str())
        .collect();
    assert_eq!(flagged, ["employees", "companies"]);
    for f in b.facts.iter().filter(|f| !f.agree) {
        assert!(
            f.values
                .iter()
                .all(|v| v.text.split_whitespace().count() >= 5)
        );
    }
    // The hedges are kept with each source's figure.
    let emp = b.facts.iter().find(|f| f.about == "employees").unwrap();
    let q: Vec<Option<&str>> = emp.values.iter().map(|v| v.qualifier.as_deref()).collect();
    assert!(
        q.contains(&Some("about")) && q.contains(&Some("more than")),
        "{q:?}"
    );
    // Agreed figures are normalised: "seven years", "$1.1bn".
    let ban = b.facts.iter().find(|f| f.about == "ban length").unwrap();
    assert!(ban.agree && ban.values[0].value == "7 years" && ban.values[0].sources.len() == 5);
    let fine = b.facts.iter().find(|f| f.about == "fine").unwrap();
    assert_eq!(fine.values[0].value, "$1.1 billion");
}

#[test]
fn the_tweet_is_one_quote_from_all_five_and_every_speaker_is_named() {
    let Some(b) = brief() else { return };
    let tweet = b
        .quotes
        .iter()
        .find(|q| q.text.contains("Too many jobs in China lost"))
        .expect("the tweet");
    assert_eq!(tweet.speaker.as_deref(), Some("Donald Trump"));
    assert_eq!(tweet.sources.len(), 5, "{tweet:?}");
    assert_eq!(
        b.quotes
            .iter()
            .filter(|q| q.text.contains("Too many jobs in China lost"))
            .count(),
        1
    );
    for who in [
        "Adam Schiff",
        "Douglas Jacobson",
        "Lindsay Walters",
        "Wilbur Ross",
        "Claire Reade",
        "Eswar Prasad",
        "Amanda DeBusk",
        "Scott Kennedy",
    ] {
        assert!(
            b.quotes.iter().any(|q| q.speaker.as_deref() == Some(who)),
            "no quote by {who}: {:#?}",
            b.quotes
        );
    }
    // Every quote has a speaker.
    assert!(
        b.quotes.iter().all(|q| q.speaker.is_some()),
        "{:#?}",
        b.quotes
    );
}

#[test]
fn entities_timeline_and_unique_content() {
    let Some(b) = brief() else { return };
    let kind = |n: &str| b.entities.iter().find(|e| e.name == n).map(|e| e.kind);
    assert_eq!(kind("ZTE"), Some(EntityKind::Organisation));
    assert_eq!(kind("Donald Trump"), Some(EntityKind::Person));
    assert_eq!(kind("China"), Some(EntityKind::Place));
    assert_eq!(kind("United States"), Some(EntityKind::Place));
    let zte = b.entities.iter().find(|e| e.name == "ZTE").unwrap();
    assert_eq!(zte.sources.len(), 5);
    assert_eq!(zte.mentions.len(), 5);
    let dates: Vec<&str> = b.timeline.iter().map(|e| e.date.as_str()).collect();
    for d in ["2012", "2017-03", "2018-04", "2018-05-13"] {
        assert!(dates.contains(&d), "{d} missing from {dates:?}");
    }
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(b.unique.len() >= 4, "{:#?}", b.unique);
}
