//! Hostile input to the readers (issue 18): non-Latin and binary files
//! named directly without a known extension, ids that would forge a TSV
//! line or reach a terminal raw, ids of any length, numeric ids, and
//! folders holding FIFOs, devices and links to `/dev/zero`. Every case
//! ends with a clear error or skip report naming the file or line, and the
//! good records beside it are kept.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use parallax_ingest::{Batch, IngestOptions, MAX_ID_BYTES, Reader, read_batch};

/// Reads `path` on another thread and fails the test when it takes more
/// than 20 s (a read that never ends must fail, not hang the suite).
fn read_within_20s(path: &Path) -> Batch {
    let path = path.to_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read_batch(&path, IngestOptions::default()));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the read finished within 20 s")
}

fn messages(batch: &Batch) -> Vec<String> {
    batch.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn non_latin_and_binary_files_named_directly_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let ru = dir.path().join("ru_notes");
    fs::write(&ru, "Привет мир. Наводнение в долине.\n").unwrap();
    let batch = read_batch(&ru, IngestOptions::default());
    assert_eq!(batch.articles.len(), 1, "{:?}", messages(&batch));
    assert_eq!(batch.articles[0].id.as_str(), "ru_notes");
    assert!(batch.articles[0].body.starts_with("Привет мир."));

    // A multi-byte character right where a feed tag would be compared,
    // after a prolog and a comment, and bytes that are not UTF-8 at all.
    let cases: [&[u8]; 5] = [
        "<?xml version=\"1.0\"?><!-- x --><fée/>".as_bytes(),
        "<ré".as_bytes(),
        "  <rdf:Ré".as_bytes(),
        b"<\xF0\x9F\x92\x96\xff\xfe\x80 binary",
        b"\x89PNG\r\n\x1a\n\xc3\x28\xa0\xa1",
    ];
    for (n, bytes) in cases.iter().enumerate() {
        let path = dir.path().join(format!("named{n}"));
        fs::write(&path, bytes).unwrap();
        let got = std::panic::catch_unwind(|| read_batch(&path, IngestOptions::default()));
        let batch = got.unwrap_or_else(|_| panic!("reading {bytes:?} panicked"));
        for e in messages(&batch) {
            assert!(e.contains(&format!("named{n}")), "{e}");
        }
    }
}

#[test]
fn ids_with_control_characters_are_rejected_at_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    // JSONL: the forged line of the issue, an escape sequence, a C1
    // control, and a good record after them.
    let jsonl = dir.path().join("in.jsonl");
    fs::write(
        &jsonl,
        concat!(
            r#"{"id": "evil\tid\nINJECTED\tsFAKE", "text": "The river flooded the valley."}"#,
            "\n",
            r#"{"id": "esc\u001b[31mred", "text": "The river flooded the valley again."}"#,
            "\n",
            r#"{"id": "c1\u0085x", "text": "A third flood report."}"#,
            "\n",
            r#"{"id": "fine", "text": "The dam held, officials said."}"#,
            "\n",
        ),
    )
    .unwrap();
    let batch = read_batch(&jsonl, IngestOptions::default());
    let ids: Vec<&str> = batch.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["fine"]);
    let errors = messages(&batch);
    assert_eq!(errors.len(), 3, "{errors:?}");
    let file = jsonl.display().to_string();
    for (k, e) in errors.iter().enumerate() {
        assert!(e.starts_with(&format!("{file}:{}: bad id:", k + 1)), "{e}");
        assert!(e.contains("control character"), "{e}");
        assert!(
            !e.chars().any(char::is_control),
            "the message is escaped: {e:?}"
        );
    }
    assert!(
        errors[0].contains(r"evil\tid\nINJECTED\tsFAKE"),
        "{}",
        errors[0]
    );

    // A text file whose name (its id) holds a tab and an escape.
    let folder = dir.path().join("txt");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("bad\tname\u{1b}[2J.txt"), "Flood waters rose.").unwrap();
    fs::write(folder.join("good.txt"), "Flood waters fell.").unwrap();
    let batch = read_batch(&folder, IngestOptions::default());
    assert_eq!(batch.articles.len(), 1);
    assert_eq!(batch.articles[0].id.as_str(), "good");
    let errors = messages(&batch);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("bad id") && errors[0].contains("U+0009"),
        "{}",
        errors[0]
    );

    // A JSON Feed item without a link, whose own id (then its article
    // id) holds a line break. (A link is parsed as a URL, which drops tabs
    // and line breaks and percent-encodes other control characters.)
    let feed = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Wire",
        "items": [{"id": "1\nFAKE\tline", "content_text": "Flood one."},
                  {"id": "2", "url": "https://w.example/b", "content_text": "Flood two."}]}"#;
    let mut reader = Reader::new(IngestOptions::default());
    let mut batch = Batch::default();
    reader.read_feed(feed.as_bytes(), "wire.json", None, &mut |e| batch.push(e));
    assert_eq!(batch.articles.len(), 1);
    assert_eq!(batch.articles[0].id.as_str(), "https://w.example/b");
    let errors = messages(&batch);
    assert!(
        errors[0].starts_with("wire.json (item 1): bad id"),
        "{}",
        errors[0]
    );
}

#[test]
fn ids_longer_than_the_cap_are_rejected() {
    let long = "x".repeat(MAX_ID_BYTES + 1);
    let fits = "y".repeat(MAX_ID_BYTES);
    let huge = "z".repeat(8 * 1024 * 1024);
    let input = format!(
        "{{\"id\": \"{long}\", \"text\": \"One.\"}}\n{{\"id\": \"{fits}\", \"text\": \"Two.\"}}\n{{\"id\": \"{huge}\", \"text\": \"Three.\"}}\n"
    );
    let mut reader = Reader::new(IngestOptions::default());
    let mut batch = Batch::default();
    reader.read_jsonl(input.as_bytes(), "body", &mut |e| batch.push(e));
    assert_eq!(batch.articles.len(), 1);
    assert_eq!(batch.articles[0].id.as_str(), fits);
    let errors = messages(&batch);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("body:1: bad id: `id` is 513 bytes long"),
        "{}",
        errors[0]
    );
    assert!(errors[1].starts_with("body:3: bad id: `id` is 8388608 bytes long"));
    // The message shows the start of the id, not all of it.
    assert!(errors[1].len() < 300, "{}", errors[1].len());

    // A feed item link over the cap.
    let feed = format!(
        r#"{{"version": "https://jsonfeed.org/version/1.1", "title": "W", "items": [{{"url": "https://w.example/{long}", "content_text": "Flood."}}]}}"#
    );
    let mut batch = Batch::default();
    reader.read_feed(feed.as_bytes(), "f.json", None, &mut |e| batch.push(e));
    assert!(batch.articles.is_empty());
    let errors = messages(&batch);
    assert!(
        errors[0].contains("over the limit of 512 bytes"),
        "{errors:?}"
    );
}

#[test]
fn numeric_ids_are_refused_with_a_clear_error() {
    let input = concat!(
        r#"{"id": 7, "text": "Seven."}"#,
        "\n",
        r#"{"id": 7.5, "text": "Seven and a half."}"#,
        "\n",
        r#"{"id": "7", "text": "Seven as a string."}"#,
        "\n",
    );
    let mut reader = Reader::new(IngestOptions::default());
    let mut batch = Batch::default();
    reader.read_jsonl(input.as_bytes(), "n.jsonl", &mut |e| batch.push(e));
    assert_eq!(batch.articles.len(), 1);
    assert_eq!(batch.articles[0].id.as_str(), "7");
    let errors = messages(&batch);
    assert_eq!(
        errors[0],
        "n.jsonl:1: bad id: `id` must be a string, found the number 7 (write it as \"7\")"
    );
    assert!(
        errors[1].starts_with("n.jsonl:2: bad id: `id` must be a string, found the number 7.5")
    );
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_links_to_them_are_reported_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.txt"), "The river flooded the valley.").unwrap();
    let fifo = folder.join("pipe.jsonl");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo works");
    std::os::unix::fs::symlink("/dev/zero", folder.join("zero.jsonl")).unwrap();
    std::os::unix::fs::symlink("/dev/null", folder.join("null.txt")).unwrap();

    let batch = read_within_20s(&folder);
    assert_eq!(batch.articles.len(), 1, "{:?}", messages(&batch));
    let mut skipped: Vec<(String, &str)> = batch
        .skipped
        .iter()
        .map(|(p, why)| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                why.as_str(),
            )
        })
        .collect();
    skipped.sort();
    let names: Vec<&str> = skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["null.txt", "pipe.jsonl", "zero.jsonl"]);
    for (_, why) in &skipped {
        assert!(why.starts_with("not a regular file"), "{why}");
    }

    // Named directly, too.
    for name in ["zero.jsonl", "pipe.jsonl"] {
        let batch = read_within_20s(&folder.join(name));
        assert!(batch.articles.is_empty());
        assert_eq!(batch.skipped.len(), 1, "{name}");
        assert!(batch.skipped[0].1.starts_with("not a regular file"));
    }
}

#[test]
fn an_html_field_with_a_tag_of_many_attributes_is_read_in_time() {
    // The page of issue 18 as a JSONL `html` field (as a POST carries it):
    // html5ever's cost grows with the square of one tag's attributes.
    let attrs: Vec<String> = (0..100_000).map(|i| format!("a{i}=x")).collect();
    let page = format!(
        "<html><body><div {}><p>The river flooded the valley on Monday, officials said.</p></div></body></html>",
        attrs.join(" ")
    );
    let line = serde_json::json!({"id": "attrs", "html": page}).to_string() + "\n";
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut batch = Batch::default();
        Reader::new(IngestOptions::default())
            .read_jsonl(line.as_bytes(), "body", &mut |e| batch.push(e));
        let _ = tx.send(batch);
    });
    let batch = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("read within 30 s");
    assert_eq!(batch.articles.len(), 1, "{:?}", messages(&batch));
    assert!(batch.articles[0].body.contains("The river flooded"));
}
