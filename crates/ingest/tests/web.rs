//! Web inputs: HTML pages (gzipped, any charset) and WARC archives written
//! at run time from the real pages of the ScrapingHub benchmark in
//! `../shared/data/extraction/` (skipped with a note when it is missing).
//! Bad inputs give one message per file and the rest is still read.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use parallax_ingest::{Batch, IngestError, IngestOptions, read_batch};

/// The benchmark pages, when the shared data is there.
fn real_pages(n: usize) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/extraction/scrapinghub/html");
    let Ok(entries) = fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} missing; test skipped", dir.display());
        return None;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    let pages = paths
        .into_iter()
        .take(n)
        .map(|p| {
            let mut html = Vec::new();
            flate2::read::GzDecoder::new(fs::File::open(&p).unwrap())
                .read_to_end(&mut html)
                .unwrap();
            let name = p.file_name().unwrap().to_string_lossy();
            (name.trim_end_matches(".html.gz").to_owned(), html)
        })
        .collect();
    Some(pages)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// One WARC record.
fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2019-11-20T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// The records of an archive of `pages`: a warcinfo, and for each page a
/// request and its response.
fn warc_records(pages: &[(String, Vec<u8>)]) -> Vec<Vec<u8>> {
    let mut records = vec![record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: parallax-test\r\n",
    )];
    for (name, html) in pages {
        let uri = format!("https://news.example/{name}");
        records.push(record(
            "request",
            &uri,
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            html.len()
        )
        .into_bytes();
        http.extend_from_slice(html);
        records.push(record(
            "response",
            &uri,
            "application/http; msgtype=response",
            &http,
        ));
    }
    records
}

fn check_archive(batch: &Batch, pages: &[(String, Vec<u8>)]) {
    assert_eq!(batch.articles.len(), pages.len(), "{:?}", batch.errors);
    for (article, (name, _)) in batch.articles.iter().zip(pages) {
        assert_eq!(article.id.as_str(), format!("https://news.example/{name}"));
        assert!(
            article.body.split_whitespace().count() > 20,
            "{}",
            article.id
        );
        assert!(article.published.is_some());
    }
    let (_, note) = &batch.skipped[0];
    assert!(
        note.contains("request 5") && note.contains("warcinfo 1"),
        "{note}"
    );
}

#[test]
fn warc_plain_and_gzipped_per_record() {
    let Some(pages) = real_pages(5) else { return };
    let dir = tempfile::tempdir().unwrap();
    let records = warc_records(&pages);
    let plain: Vec<u8> = records.concat();
    fs::write(dir.path().join("crawl.warc"), &plain).unwrap();
    let batch = read_batch(&dir.path().join("crawl.warc"), IngestOptions::default());
    check_archive(&batch, &pages);
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);

    // Per-record gzip, as Common Crawl writes, then a corrupt record.
    let mut gz: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    gz.extend(gzip(
        b"WARC/1.1\r\nWARC-Type: response\r\n\r\nno length here",
    ));
    fs::write(dir.path().join("crawl.warc.gz"), &gz).unwrap();
    let batch = read_batch(&dir.path().join("crawl.warc.gz"), IngestOptions::default());
    check_archive(&batch, &pages);
    assert_eq!(batch.errors.len(), 1);
    let message = batch.errors[0].to_string();
    assert!(
        message.contains("crawl.warc.gz") && message.contains("no valid Content-Length"),
        "{message}"
    );

    // An archive cut in the middle of a record keeps what came before.
    fs::write(dir.path().join("cut.warc"), &plain[..plain.len() - 500]).unwrap();
    let batch = read_batch(&dir.path().join("cut.warc"), IngestOptions::default());
    assert_eq!(batch.articles.len(), pages.len() - 1);
    assert!(matches!(batch.errors[0], IngestError::BadArchive { .. }));
}

#[test]
fn bad_pages_are_reported_and_the_rest_is_read() {
    let Some(pages) = real_pages(2) else { return };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("good.html"), &pages[0].1).unwrap();
    fs::write(p.join("good2.html.gz"), gzip(&pages[1].1)).unwrap();
    let gz = gzip(&pages[1].1);
    fs::write(p.join("truncated.html.gz"), &gz[..gz.len() / 2]).unwrap();
    fs::write(p.join("binary.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    let russian = "<html><body><article><p>Правительство Москвы объявило во вторник о закрытии старого моста \
                   на ремонт, который продлится не менее года, сообщили официальные лица.</p>\
                   <p>Водителей направят по северной дороге, пока идут работы, говорится в заявлении.</p>\
                   </article></body></html>";
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
    fs::write(p.join("ru.html"), &cp1251).unwrap();
    let big = fs::File::create(p.join("huge.html")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();

    let batch = read_batch(p, IngestOptions::default());
    let ids: Vec<&str> = batch.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["good", "good2", "ru"]);
    let ru = &batch.articles[2];
    assert!(ru.body.contains("Правительство Москвы"), "{}", ru.body);
    let errors: Vec<String> = batch.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].contains("binary.html") && errors[0].contains("binary"));
    assert!(errors[1].contains("huge.html") && errors[1].contains("larger than"));
    assert!(errors[2].contains("truncated.html.gz") && errors[2].contains("gzip"));
}
