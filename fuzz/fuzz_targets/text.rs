//! A `.txt` article: metadata header lines, UTF-8 check, cleaning. Goes
//! through a real file so the file reader (size limit, BOM) is covered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_ingest::{IngestOptions, Reader};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("parallax-fuzz-{}.txt", std::process::id()));
    std::fs::write(&path, data).expect("write the fuzz input");
    let mut reader = Reader::new(IngestOptions::default());
    reader.read_path(&path, &mut |_| {});
});
