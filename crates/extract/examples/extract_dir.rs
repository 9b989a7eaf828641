//! Development aid: run one extraction path over a folder of pages and
//! write `{NAME: {"articleBody": TEXT}}` (the benchmark's shape), timing the
//! loop. Paths: `best`, `fast`, `traf` (rs-trafilatura alone).
//!
//! `cargo run --release -p parallax-extract --example extract_dir -- PATH DIR OUT.json`
//!
//! With `PER_PAGE` set, each page's extraction time (µs), size and file go
//! to stderr, to find the pages that cost the most.

use std::time::Instant;

use parallax_extract::{DEFAULT_MAX_PAGE_BYTES, Mode, decode_html, decompress, extract_bytes};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, dir, out] = args.as_slice() else {
        eprintln!("usage: extract_dir best|fast|traf DIR OUT.json");
        std::process::exit(2);
    };
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".html"))
        .collect();
    names.sort();
    let mut result = serde_json::Map::new();
    let start = Instant::now();
    for file in &names {
        let bytes = std::fs::read(file).expect("readable page");
        let t0 = Instant::now();
        let body = match path.as_str() {
            "html" => {
                let raw = decompress(&bytes, DEFAULT_MAX_PAGE_BYTES).expect("page");
                let html = decode_html(&raw, None).text;
                let config = dom_smoothie::Config {
                    keep_classes: true,
                    ..dom_smoothie::Config::default()
                };
                dom_smoothie::Readability::new(html.as_str(), None, Some(config))
                    .ok()
                    .and_then(|mut r| r.parse().ok())
                    .map(|a| a.content.to_string())
                    .unwrap_or_default()
            }
            "traf" => {
                let raw = decompress(&bytes, DEFAULT_MAX_PAGE_BYTES).expect("page");
                let html = decode_html(&raw, None).text;
                rs_trafilatura::extract(&html)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }
            p => {
                let mode = if p == "fast" { Mode::Fast } else { Mode::Best };
                extract_bytes(&bytes, None, None, mode, DEFAULT_MAX_PAGE_BYTES)
                    .map(|p| p.body)
                    .unwrap_or_default()
            }
        };
        if std::env::var_os("PER_PAGE").is_some() {
            eprintln!(
                "{} {} {}",
                t0.elapsed().as_micros(),
                bytes.len(),
                file.display()
            );
        }
        let name = file.file_name().unwrap().to_string_lossy();
        let name = name.split(".html").next().unwrap().to_owned();
        result.insert(name, serde_json::json!({ "articleBody": body }));
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} pages in {secs:.2}s ({:.1} pages/s)",
        names.len(),
        names.len() as f64 / secs
    );
    std::fs::write(out, serde_json::to_string(&result).unwrap()).expect("writable output");
}
