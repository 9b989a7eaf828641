//! WARC archives (plain or gzipped): record headers, HTTP responses,
//! chunked and gzip bodies. Goes through a real file, as archives are read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_ingest::{IngestOptions, Reader};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("parallax-fuzz-{}.warc", std::process::id()));
    std::fs::write(&path, data).expect("write the fuzz input");
    let options = IngestOptions {
        max_record_bytes: 1 << 20,
        ..IngestOptions::default()
    };
    let mut reader = Reader::new(options);
    reader.read_path(&path, &mut |_| {});
});
