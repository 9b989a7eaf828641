//! The detector on real articles from `../shared` (read at run time; each
//! test skips with a note when the data is missing).

use std::path::{Path, PathBuf};

use parallax_dedup::{
    Added, Config, DocInput, Fingerprinter, Index, Pair, PersistentIndex, Relation,
};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.join("seeds").is_dir() {
        Some(p)
    } else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("skipped: ../shared not found next to the repository");
        None
    }
}

fn seeds(shared: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(shared.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

fn add(index: &mut Index, id: &str, text: &str) -> Vec<Pair> {
    match index.add_doc(id, &DocInput::text(text)).unwrap() {
        Added::New { pairs, .. } => pairs,
        Added::Known(_) => panic!("{id} added twice"),
    }
}

#[test]
fn no_two_seeds_are_copies() {
    let Some(shared) = shared() else { return };
    let mut index = Index::default();
    for (id, text) in seeds(&shared) {
        let pairs = add(&mut index, &id, &text);
        // 000 re-uses the tweet and one quote of 003's BBC text and
        // paraphrases the rest: reporting, not syndication (see
        // `relation`'s docs). No relation at all is reported.
        assert!(pairs.is_empty(), "{id}: {pairs:?}");
    }
}

#[test]
fn seed_001_format_copy_is_a_duplicate_and_not_the_original() {
    let Some(shared) = shared() else { return };
    let seeds = seeds(&shared);
    let (id, text) = seeds.iter().find(|(id, _)| id.starts_with("003")).unwrap();
    // Lowercased and unpunctuated, as seed 001 is.
    let degraded: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut index = Index::default();
    add(&mut index, "copy", &degraded);
    let pairs = add(&mut index, id, text);
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].relation, Relation::Duplicate);
    assert_eq!(index.id(pairs[0].original), id.as_str());
    assert_eq!(index.id(pairs[0].copy), "copy");
}

#[test]
fn finds_real_wire_copies_in_ecb() {
    let Some(shared) = shared() else { return };
    let path = shared.join("data/stories/ecbplus-dev.jsonl");
    let Ok(data) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let mut index = Index::default();
    let mut found = Vec::new();
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (Some(id), Some(text)) = (v["id"].as_str(), v["text"].as_str()) else {
            continue;
        };
        for p in add(&mut index, id, text) {
            found.push((index.id(p.copy).to_owned(), index.id(p.original).to_owned()));
        }
    }
    // ucsusa.org and commondreams.org carry the same statement.
    assert!(
        found.iter().any(|(c, o)| {
            let mut k = [c.as_str(), o.as_str()];
            k.sort();
            k == ["ecb-9_3ecbplus", "ecb-9_9ecbplus"]
        }),
        "{found:?}"
    );
    // Copies are rare: a few dozen pairs among 535 articles, not hundreds.
    assert!(found.len() < 120, "{} pairs", found.len());
}

#[test]
fn persistent_index_survives_reopen_and_a_torn_tail() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dedup.idx");
    let seeds = seeds(&shared);
    let mut fpr = Fingerprinter::new(Config::default());
    let copy = seeds[3].1.replace("ZTE", "Z.T.E.");
    {
        let (mut idx, replay) = PersistentIndex::open(&path, Config::default()).unwrap();
        assert_eq!(replay.articles, 0);
        for (id, text) in &seeds {
            idx.add(id, &fpr.fingerprint(&DocInput::text(text)))
                .unwrap();
        }
        idx.add("copy", &fpr.fingerprint(&DocInput::text(&copy)))
            .unwrap();
        idx.commit().unwrap();
        // An unacknowledged article whose write is torn by a kill.
        idx.add("lost", &fpr.fingerprint(&DocInput::text(&seeds[0].1)))
            .unwrap();
    }
    let len = std::fs::metadata(&path).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(len - 5).unwrap();
    drop(f);
    let (idx, replay) = PersistentIndex::open(&path, Config::default()).unwrap();
    assert!(replay.dropped_bytes > 0);
    assert_eq!(replay.articles, 6);
    assert_eq!(idx.index().lookup("lost"), None);
    for (id, _) in &seeds {
        assert!(idx.index().lookup(id).is_some(), "{id} lost");
    }
    assert_eq!(replay.pairs.len(), 1);
    assert_eq!(idx.index().id(replay.pairs[0].copy), "copy");
    // Other settings are refused, not silently mixed.
    let mut other = Config::default();
    other.sketch.rate += 1;
    drop(idx);
    assert!(PersistentIndex::open(&path, other).is_err());
}
