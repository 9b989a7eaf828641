//! The five seed articles: cleaning removes exactly the boilerplate.

use std::path::{Path, PathBuf};

use parallax_ingest::{IngestOptions, read_batch};
use parallax_model::{Article, RemovalReason};

fn seeds_dir() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ))
    .to_owned()
}

/// The seeds by their numeric prefix, or `None` when they are not here.
fn seeds() -> Option<Vec<Article>> {
    let dir = seeds_dir();
    if !dir.is_dir() {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("seeds not found at {}: skipped", dir.display());
        return None;
    }
    let batch = read_batch(&dir, IngestOptions::default());
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    assert_eq!(batch.articles.len(), 5);
    Some(batch.articles)
}

fn reasons(a: &Article) -> Vec<RemovalReason> {
    a.removed.iter().map(|r| r.reason).collect()
}

#[test]
fn seed_004_date_prefix_is_metadata() {
    let Some(seeds) = seeds() else { return };
    let a = &seeds[4];
    assert_eq!(a.id.as_str(), "004_f64fde2f822e4293");
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2018-05-14T00:00:00+00:00"
    );
    assert!(a.body.starts_with("WASHINGTON — In a surprising overture"));
    assert_eq!(reasons(a), [RemovalReason::Metadata]);
    assert_eq!(a.removed[0].text, "date 2018-05-14");
    assert!(a.origin.file.ends_with("004_f64fde2f822e4293.txt") && a.origin.line.is_none());
}

#[test]
fn seed_003_second_copy_and_nav_line_go() {
    let Some(seeds) = seeds() else { return };
    let a = &seeds[3];
    assert_eq!(a.body.matches("ZTE employs 75,000 people").count(), 1);
    assert_eq!(
        a.body
            .matches("When US President Donald Trump talks about saving jobs")
            .count(),
        1
    );
    assert!(!a.body.contains("More from China"));
    assert_eq!(reasons(a), [RemovalReason::Repeated, RemovalReason::Promo]);
    // The tweet (quoted as prose and again as an embed) and its attribution stay.
    assert!(
        a.body
            .contains("\"Commerce Department has been instructed to get it done!\"")
    );
    assert!(
        a.body
            .contains("— Donald J. Trump (@realDonaldTrump) May 13, 2018")
    );
    assert!(a.body.ends_with("more than 160 countries."));
    assert_eq!(a.body.lines().count(), 21);
}

#[test]
fn seed_000_promo_line_goes() {
    let Some(seeds) = seeds() else { return };
    let a = &seeds[0];
    assert!(!a.body.contains("READ: Atiku"));
    assert_eq!(reasons(a), [RemovalReason::Promo]);
    assert_eq!(
        a.removed[0].text,
        "READ: Atiku Abubakar to privatise parts of NNPC if elected president"
    );
    assert!(
        a.body
            .contains("— Donald J. Trump (@realDonaldTrump) May 13, 2018")
    );
    assert_eq!(a.body.lines().count(), 15);
}

#[test]
fn seed_001_reading_time_and_footer_go() {
    let Some(seeds) = seeds() else { return };
    let a = &seeds[1];
    assert!(
        a.body
            .starts_with("washington beijing reuters u s president")
    );
    assert!(a.body.ends_with("make it go out of business reade said"));
    for gone in [
        "8 min read",
        "all quotes delayed",
        "all rights reserved",
        "reporting by valerie",
    ] {
        assert!(!a.body.contains(gone), "{gone}");
    }
    assert_eq!(
        reasons(a),
        [RemovalReason::Navigation, RemovalReason::Footer]
    );
    assert_eq!(a.removed[0].text, "8 min read");
    assert!(
        a.removed[1]
            .text
            .starts_with("reporting by valerie volcovici")
    );
    assert!(
        a.removed[1]
            .text
            .ends_with("2020 reuters all rights reserved")
    );
}

#[test]
fn seed_002_is_untouched() {
    let Some(seeds) = seeds() else { return };
    let a = &seeds[2];
    assert!(a.removed.is_empty(), "{:?}", a.removed);
    let raw = std::fs::read_to_string(seeds_dir().join("002_df84a0d7098cfa3b.txt")).unwrap();
    let paragraphs: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(a.body, paragraphs.join("\n"));
    assert!(a.body.ends_with("– Bloomberg"));
}

#[test]
fn no_seed_keeps_boilerplate() {
    let Some(seeds) = seeds() else { return };
    for a in &seeds {
        for gone in [
            "READ: Atiku",
            "More from China",
            "8 min read",
            "all quotes delayed",
            "all rights reserved",
            "reporting by valerie",
        ] {
            assert!(!a.body.contains(gone), "{} still has {gone:?}", a.id);
        }
    }
    let total: usize = seeds.iter().map(|a| a.removed.len()).sum();
    assert_eq!(total, 6);
}
