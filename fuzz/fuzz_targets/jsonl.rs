//! Article JSONL: the line reader, record validation and cleaning.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_ingest::{IngestOptions, Reader};

fuzz_target!(|data: &[u8]| {
    // A small record limit so the too-long-line path is reached too.
    let options = IngestOptions {
        max_record_bytes: 4096,
        ..IngestOptions::default()
    };
    let mut reader = Reader::new(options);
    reader.read_jsonl(data, "fuzz.jsonl", &mut |_| {});
});
