//! The log on disk keeps what direction needs: reopening it replays the
//! same pairs, decided by the same rules (the opening rule included); a log
//! of the format before openings were recorded is refused with a message
//! saying what to do, never read as if its articles had no opening.

use std::io::Write;

use parallax_dedup::direction::Rule;
use parallax_dedup::{Added, Config, DocInput, Fingerprinter, PersistError, PersistentIndex};

/// A story of `n` sentences, each its own words.
fn story(salt: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|s| {
            (0..18)
                .map(|w| format!("{salt}{s}x{w}"))
                .collect::<Vec<_>>()
                .join(" ")
                + "."
        })
        .collect()
}

#[test]
fn a_reopened_log_replays_the_opening_rule() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("dedup.log");
    let wire = story("wire", 8);
    let own = story("own", 5);
    let original = wire[..6].join(" ");
    // Own intro, then the first four sentences: longer than the original.
    let copy = [own.join(" "), wire[..4].join(" ")].join("\n");
    let config = Config::default();
    let mut fp = Fingerprinter::new(config);
    let (mut index, replay) = PersistentIndex::open(&path, config).expect("opens");
    assert_eq!(replay.articles, 0);
    index
        .add("original", &fp.fingerprint(&DocInput::text(&original)))
        .expect("adds");
    let Added::New { pairs, .. } = index
        .add("copy", &fp.fingerprint(&DocInput::text(&copy)))
        .expect("adds")
    else {
        panic!("copy is new");
    };
    index.commit().expect("commits");
    let live: Vec<_> = pairs.iter().map(|p| (p.copy, p.original, p.rule)).collect();
    assert_eq!(live, [(1, 0, Some(Rule::Opening))]);
    drop(index);
    let (_, replay) = PersistentIndex::open(&path, config).expect("reopens");
    let replayed: Vec<_> = replay
        .pairs
        .iter()
        .map(|p| (p.copy, p.original, p.rule))
        .collect();
    assert_eq!((replay.articles, replayed), (2, live));
}

#[test]
fn a_log_of_the_previous_format_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("old.log");
    let mut old = std::fs::File::create(&path).expect("creates");
    // A format-2 header (magic, four settings, seed) and one record's worth
    // of bytes after it.
    old.write_all(b"PXDEDUP2").expect("writes");
    old.write_all(&[0u8; 24 + 64]).expect("writes");
    drop(old);
    let size = std::fs::metadata(&path).expect("exists").len();
    match PersistentIndex::open(&path, Config::default()) {
        Err(PersistError::Incompatible { reason, .. }) => {
            assert!(reason.contains("earlier format"), "{reason}");
            assert!(reason.contains("delete it"), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Refused, not rewritten.
    assert_eq!(std::fs::metadata(&path).expect("exists").len(), size);
}
