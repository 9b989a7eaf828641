//! Resource limits on hostile input: gzip bombs, deep nesting. Each is
//! refused quickly with an error that names the file (and line), without
//! holding the expanded data, and the rest of the input is still read.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use parallax_ingest::{Batch, IngestOptions, Reader};

const MIB: usize = 1024 * 1024;

/// 1 GiB of zeros as 1024 gzip members of 1 MiB each (a multi-member
/// stream unpacks as one), about 1 MiB in all: a bomb, built in a moment.
fn gzip_bomb(prefix: &[u8]) -> Vec<u8> {
    let member = |data: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    };
    let zeros = member(&vec![0u8; MIB]);
    let mut out = member(prefix);
    for _ in 0..1024 {
        out.extend_from_slice(&zeros);
    }
    assert!(out.len() < 2 * MIB, "bomb of {} bytes", out.len());
    out
}

fn read(path: &Path) -> (Batch, Duration) {
    let started = Instant::now();
    let mut batch = Batch::default();
    Reader::new(IngestOptions::default()).read_path(path, &mut |e| batch.push(e));
    (batch, started.elapsed())
}

fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[test]
fn warc_gzip_bomb_is_refused_after_the_good_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.warc.gz");
    let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n\
        <html><title>Bridge closed</title><body><p>The council voted on Tuesday to close \
        the old bridge over the river for repairs that will last until spring.</p></body></html>";
    let good = warc_record("response", "https://news.example/bridge", page);
    // A record that says it holds 1 GiB, followed by 1 GiB of zeros.
    let head = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: {}\r\n\r\n",
        1024 * MIB
    );
    let mut prefix = good.clone();
    prefix.extend_from_slice(head.as_bytes());
    fs::write(&path, gzip_bomb(&prefix)).unwrap();

    let (batch, took) = read(&path);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(batch.articles.len(), 1, "{:?}", batch.errors);
    assert_eq!(batch.articles[0].id.as_str(), "https://news.example/bridge");
    let errors: Vec<String> = batch.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("bomb.warc.gz") && errors[0].contains("decompression bomb"),
        "{}",
        errors[0]
    );
}

#[test]
fn html_and_feed_gzip_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["page.html.gz", "news.rss.gz"] {
        let path = dir.path().join(name);
        fs::write(&path, gzip_bomb(b"<")).unwrap();
        let (batch, took) = read(&path);
        assert!(took < Duration::from_secs(10), "{name}: took {took:?}");
        assert!(batch.articles.is_empty());
        let errors: Vec<String> = batch.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        // 1 MiB of input may unpack to 100 MiB by ratio, so the 16 MiB size
        // limit is what stops this one.
        assert!(
            errors[0].contains(name) && errors[0].contains("larger than the limit"),
            "{}",
            errors[0]
        );
    }
    // A small bomb is stopped by the ratio, long before the size limit.
    let path = dir.path().join("small.html.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 15 * MIB]).unwrap();
    fs::write(&path, gz.finish().unwrap()).unwrap();
    let (batch, _) = read(&path);
    let err = batch.errors[0].to_string();
    assert!(
        err.contains("small.html.gz") && err.contains("decompression bomb"),
        "{err}"
    );
}

#[test]
fn deep_json_nesting_is_an_error_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.jsonl");
    let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
    // Line 2 nests in a field that is skipped unread (serde skips without
    // recursing): kept. Line 3 nests a million deep where a value is
    // built: refused by serde_json's depth limit (128), not by a stack
    // overflow.
    let body = format!(
        "{{\"id\": \"a\", \"text\": \"Kept before.\"}}\n\
         {{\"id\": \"b\", \"text\": \"Deep but ignored.\", \"extra\": {}}}\n\
         {{\"id\": {}, \"text\": \"Too deep.\"}}\n\
         {{\"id\": \"c\", \"text\": \"Kept after.\"}}\n",
        deep(100_000),
        deep(1_000_000),
    );
    fs::write(&path, body).unwrap();
    let (batch, _) = read(&path);
    let ids: Vec<&str> = batch.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let errors: Vec<String> = batch.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("deep.jsonl:3") && errors[0].contains("recursion limit"),
        "{}",
        errors[0]
    );
}

#[test]
fn deep_feed_nesting_is_refused_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let n = 200_000;
    let xml = format!(
        "<rss version=\"2.0\"><channel><item><title>T</title><description>{}x{}</description></item></channel></rss>",
        "<b>".repeat(n),
        "</b>".repeat(n)
    );
    let path = dir.path().join("deep.rss");
    fs::write(&path, xml).unwrap();
    let (batch, _) = read(&path);
    // Either the feed is refused or the item is read; neither may crash.
    assert!(batch.articles.len() + batch.errors.len() >= 1);

    let json = format!(
        "{{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"T\", \"items\": [{{\"id\": \"1\", \"content_text\": \"x\", \"_x\": {}}}]}}",
        "[".repeat(n) + &"]".repeat(n)
    );
    let path = dir.path().join("deep.json");
    fs::write(&path, json).unwrap();
    let (batch, _) = read(&path);
    assert!(batch.articles.len() + batch.errors.len() >= 1);
}

#[test]
fn deep_html_nesting_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let html = format!(
        "<html><title>Deep</title><body>{}<p>The council voted to close the bridge for repairs.</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let path = dir.path().join("deep.html");
    fs::write(&path, &html).unwrap();
    let (batch, took) = read(&path);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(batch.articles.is_empty());
    let err = batch.errors[0].to_string();
    assert!(
        err.contains("deep.html") && err.contains("nest 100000 deep"),
        "{err}"
    );
    // The same page in a JSONL `html` field: refused on its line, the next
    // line still read.
    let path = dir.path().join("deep.jsonl");
    let line = serde_json::json!({"id": "deep", "html": html});
    fs::write(
        &path,
        format!("{line}\n{{\"id\": \"ok\", \"text\": \"Fine.\"}}\n"),
    )
    .unwrap();
    let (batch, _) = read(&path);
    assert_eq!(batch.articles.len(), 1);
    let err = batch.errors[0].to_string();
    assert!(
        err.contains("deep.jsonl:1") && err.contains("article deep") && err.contains("nest"),
        "{err}"
    );
}
