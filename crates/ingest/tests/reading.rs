//! Reading Article JSONL, text, HTML and folders: good records in order,
//! every bad one reported with its place, nothing panics.

use std::fs;
use std::io::Write;
use std::path::Path;

use parallax_ingest::{Batch, Event, IngestError, IngestOptions, Reader, read_batch};

const MIB: usize = 1024 * 1024;

fn small_limit() -> IngestOptions {
    IngestOptions {
        max_record_bytes: MIB,
        ..IngestOptions::default()
    }
}

#[test]
fn jsonl_mix_of_good_and_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mix.jsonl");
    let mut f = fs::File::create(&path).unwrap();
    let mut line = |s: &[u8]| {
        f.write_all(s).unwrap();
    };
    line(b"{\"id\": \"a\", \"text\": \"First article.\", \"published\": \"2018-05-14\", \"extra\": 1}\n"); // 1
    line(b"{\"id\": \"b\", \"text\": \"unterminated}\n"); // 2: invalid JSON
    line(b"{\"text\": \"No id here.\"}\n"); // 3: missing id
    line(b"{\"id\": \"c\", \"text\": \"  \"}\n"); // 4: empty text, no title
    line(b"{\"id\": \"d\", \"text\": \"caf\xE9\"}\n"); // 5: invalid UTF-8
    line(b"\n"); // 6: blank, ignored
    line(b"{\"id\": \"e\", \"text\": \""); // 7: 20 MB line
    line(&vec![b'x'; 20 * MIB]);
    line(b"\"}\n");
    line(b"{\"id\": \"7\", \"html\": \"<title>T</title><p>Second &amp; last.</p>\", \"published\": \"soon\"}\n"); // 8
    line(b"{\"id\": \"a\", \"text\": \"Again.\"}\n"); // 9: duplicate
    line(b"{\"id\": true, \"text\": \"Bad id type.\"}\n"); // 10
    line(b"{\"id\": \"f\", \"title\": 5, \"text\": \"Bad title.\"}\n"); // 11
    line(b"[1, 2]\n"); // 12
    line(b"{\"id\": \"g\"}\n"); // 13: no body
    line(b"{\"id\": \"h\", \"text\": \"Trunc"); // 14: truncated last line
    drop(f);

    let mut events = Vec::new();
    let summary = Reader::new(small_limit()).read_path(&path, &mut |e| events.push(e));
    assert_eq!(
        (
            summary.files,
            summary.articles,
            summary.errors,
            summary.warnings
        ),
        (1, 2, 11, 1)
    );

    let file = path.display().to_string();
    let mut batch = Batch::default();
    let mut order = Vec::new();
    for e in events {
        order.push(match &e {
            Event::Article(a) => format!("article {}", a.id),
            Event::Warning(w) => format!("warning {w}"),
            Event::Error(e) => format!("error {}", e.origin().and_then(|o| o.line).unwrap_or(0)),
            Event::FileSkipped { .. } => "skipped".into(),
        });
        batch.push(e);
    }
    assert_eq!(
        order[..4],
        ["article a", "error 2", "error 3", "error 4"].map(String::from)
    );
    assert_eq!(
        order[6],
        format!("warning {file}:8: article 7: cannot read date \"soon\"; published left empty")
    );
    assert_eq!(order[7], "article 7");

    let a = &batch.articles[0];
    assert_eq!(
        (a.body.as_str(), a.origin.line),
        ("First article.", Some(1))
    );
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2018-05-14T00:00:00+00:00"
    );
    let h = &batch.articles[1];
    assert_eq!(
        (h.body.as_str(), h.title.as_deref(), h.published),
        ("Second & last.", Some("T"), None)
    );

    let messages: Vec<String> = batch.errors.iter().map(ToString::to_string).collect();
    let expect = [
        (2, "invalid JSON"),
        (3, "bad id: the record has no `id`"),
        (4, "article c has an empty body"),
        (5, "not valid UTF-8 (first bad byte at offset 24)"),
        (
            7,
            "line of 20971543 bytes is longer than the limit of 1048576 bytes",
        ),
        (9, "duplicate id a, first seen at"),
        (10, "bad id: `id` must be a string, found a boolean"),
        (11, "invalid JSON (article f): invalid type: integer `5`"),
        (
            12,
            "invalid JSON: a record must be one JSON object on one line",
        ),
        (13, "article g has no `text` or `html` field"),
        (14, "the file looks truncated"),
    ];
    assert_eq!(messages.len(), expect.len(), "{messages:#?}");
    for (message, (line, part)) in messages.iter().zip(expect) {
        assert!(
            message.starts_with(&format!("{file}:{line}: ")),
            "{message}"
        );
        assert!(message.contains(part), "{message} lacks {part}");
    }
    assert!(messages[5].ends_with(&format!("first seen at {file}:1")));
}

#[test]
fn binary_and_undecodable_text_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bin.txt"), b"GIF89a\0\0\x01binary").unwrap();
    fs::write(dir.path().join("latin.txt"), b"caf\xE9 au lait").unwrap();
    fs::write(dir.path().join("ok.txt"), "Fine text.").unwrap();
    let batch = read_batch(dir.path(), IngestOptions::default());
    assert_eq!(batch.articles.len(), 1);
    let messages: Vec<String> = batch.errors.iter().map(ToString::to_string).collect();
    assert!(
        messages[0].ends_with("bin.txt: binary data (NUL bytes), not text"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("latin.txt: not valid UTF-8"),
        "{messages:?}"
    );
}

#[test]
fn empty_folder_missing_path_and_skips() {
    let dir = tempfile::tempdir().unwrap();
    let batch = read_batch(dir.path(), IngestOptions::default());
    assert!(matches!(batch.errors[..], [IngestError::NoArticles { .. }]));

    let missing = dir.path().join("nope.jsonl");
    let batch = read_batch(&missing, IngestOptions::default());
    assert!(
        matches!(&batch.errors[..], [IngestError::Io { path, .. }] if path.ends_with("nope.jsonl"))
    );
    assert!(
        batch.errors[0]
            .to_string()
            .contains("nope.jsonl: cannot read:")
    );

    fs::write(dir.path().join("notes.md"), "# hi").unwrap();
    fs::write(dir.path().join("array.json"), "[{\"id\": \"x\"}]").unwrap();
    fs::write(dir.path().join(".hidden.txt"), "Hidden.").unwrap();
    let batch = read_batch(dir.path(), IngestOptions::default());
    assert_eq!(batch.skipped.len(), 2);
    assert!(batch.skipped[0].1.contains("not Article JSONL"));
    assert_eq!(batch.skipped[1].1, "unknown file extension .md");
    assert!(matches!(batch.errors[..], [IngestError::NoArticles { .. }]));
}

#[test]
fn folder_walk_reads_every_format_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("b");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("story.html"), "<html><head><title>Page</title></head><body><p>Page body.</p><script>x</script></body></html>").unwrap();
    fs::write(
        dir.path().join("a.ndjson"),
        "{\"id\": \"j1\", \"text\": \"One.\"}\n{\"id\": \"j2\", \"text\": \"Two.\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("c.json"),
        "{\"id\": \"j3\", \"text\": \"Three.\"}",
    )
    .unwrap();
    fs::write(
        dir.path().join("d.txt"),
        "Title: Dee\nDate: 2020-01-02T03:04:05+01:00\n\nBody of d.",
    )
    .unwrap();
    fs::write(dir.path().join("e.txt"), "Body of d.").unwrap();
    let batch = read_batch(dir.path(), IngestOptions::default());
    let ids: Vec<&str> = batch.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["j1", "j2", "story", "j3", "d", "e"]);
    let page = &batch.articles[2];
    assert_eq!(
        (page.title.as_deref(), page.body.as_str()),
        (Some("Page"), "Page body.")
    );
    let d = &batch.articles[4];
    assert_eq!(d.title.as_deref(), Some("Dee"));
    assert_eq!(
        d.published.unwrap().to_rfc3339(),
        "2020-01-02T02:04:05+00:00"
    );
    assert_eq!(d.body, "Body of d.");
    assert_eq!(batch.articles[1].origin.line, Some(2));
    assert!(batch.errors.is_empty() && batch.warnings.is_empty());
}

#[test]
fn oversized_text_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("big.txt"), "word ".repeat(300_000)).unwrap();
    let batch = read_batch(dir.path(), small_limit());
    assert!(matches!(
        batch.errors[..],
        [IngestError::FileTooLarge { .. }]
    ));
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: [&[u8]; 12] = [
        b"{",
        b"}",
        b"\"id\":",
        b"\"text\":",
        b"\"",
        b"\n",
        b"<p>",
        b"&amp",
        b"\xE9",
        b"READ: ",
        b"date ",
        b"2018-05-14 ",
    ];
    for _ in 0..300 {
        let mut bytes = Vec::new();
        for _ in 0..(next() % 40) {
            bytes.extend_from_slice(pieces[(next() % 12) as usize]);
        }
        let mut reader = Reader::new(IngestOptions::default());
        reader.read_jsonl(&bytes[..], "fuzz", &mut |_| {});
        let text = String::from_utf8_lossy(&bytes);
        parallax_ingest::clean_body(&text);
        parallax_ingest::html_to_text(&text);
    }
}

fn corpus(name: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/stories"
    ))
    .join(name);
    path.is_file().then_some(path).or_else(|| {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("{name} not found: skipped");
        None
    })
}

#[test]
fn dev_corpora_read_without_errors() {
    for (name, count) in [("neus-val.jsonl", 921), ("ecbplus-dev.jsonl", 535)] {
        let Some(path) = corpus(name) else { continue };
        let batch = read_batch(&path, IngestOptions::default());
        assert!(batch.errors.is_empty(), "{name}: {:?}", batch.errors);
        assert_eq!(batch.articles.len(), count, "{name}");
    }
}

#[test]
fn pathological_bodies_stay_fast() {
    let start = std::time::Instant::now();
    let lines = "ok\n".repeat(100_000);
    let cleaned = parallax_ingest::clean_body(&lines);
    assert!(cleaned.body.starts_with("ok\nok"));
    let amps = "&".repeat(1_000_000) + "<a" + &"<".repeat(100_000);
    parallax_ingest::html_to_text(&amps);
    let long_line = "word ".repeat(500_000);
    parallax_ingest::clean_body(&long_line);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

/// Bodies are cleaned in parallel batches; what comes out must be what
/// one-at-a-time cleaning gives, in input order, with every rejection in
/// its place, across batch and template-window boundaries.
#[test]
fn batched_gate_keeps_order_and_matches_cleaning_one_by_one() {
    let mut input = String::new();
    for i in 0..700 {
        let line = match i {
            // A duplicate of an id read in an earlier batch.
            300 => r#"{"id": "a10", "text": "Again."}"#.to_owned(),
            // A record whose body cleans to nothing and has no title.
            301 => r#"{"id": "gone", "text": "8 min read"}"#.to_owned(),
            // The id of that rejected record, reused: it is accepted.
            302 => r#"{"id": "gone", "text": "Now with a body."}"#.to_owned(),
            // Broken JSON.
            450 => "{not json".to_owned(),
            _ => format!(
                r#"{{"id": "a{i}", "text": "Story {i} began.\n\nREAD: Ten best beaches\nThe talks went on for {i} hours, officials said."}}"#
            ),
        };
        input.push_str(&line);
        input.push('\n');
    }
    let mut events = Vec::new();
    let summary =
        Reader::new(IngestOptions::default())
            .read_jsonl(input.as_bytes(), "big.jsonl", &mut |e| events.push(e));
    assert_eq!((summary.articles, summary.errors), (697, 3));
    let mut lines = Vec::new();
    for event in &events {
        match event {
            Event::Article(a) => {
                let raw: serde_json::Value = serde_json::from_str(
                    input
                        .lines()
                        .nth(a.origin.line.unwrap() as usize - 1)
                        .unwrap(),
                )
                .unwrap();
                let alone = parallax_ingest::clean_body(raw["text"].as_str().unwrap());
                assert_eq!(a.body, alone.body, "{}", a.id);
                assert_eq!(a.removed, alone.removed, "{}", a.id);
                lines.push(a.origin.line.unwrap());
            }
            Event::Error(e) => {
                let text = e.to_string();
                let line: u64 = text.split(':').nth(1).unwrap().parse().unwrap();
                lines.push(line);
            }
            other => panic!("unexpected event {other:?}"),
        }
    }
    // Every record reported once, in input order.
    assert_eq!(lines, (1..=700).collect::<Vec<_>>());
    let errors: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Error(e) => Some(e.to_string()),
            _ => None,
        })
        .collect();
    assert!(errors[0].starts_with("big.jsonl:301: duplicate id a10, first seen at big.jsonl:11"));
    assert!(errors[1].starts_with("big.jsonl:302:"), "{}", errors[1]);
    assert!(errors[2].starts_with("big.jsonl:451:"), "{}", errors[2]);
}
