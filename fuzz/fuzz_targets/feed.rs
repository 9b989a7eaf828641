//! Feeds: RSS, Atom, JSON Feed parsing and items to articles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_ingest::{IngestOptions, Reader};

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader::new(IngestOptions::default());
    reader.read_feed(data, "fuzz.rss", Some("https://fuzz.example/"), &mut |_| {});
});
