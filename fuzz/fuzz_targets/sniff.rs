//! A file named directly without a known extension: format sniffing (BOM,
//! XML prolog and comments before `<rss`/`<feed`/`<rdf:RDF`, a JSON Feed
//! object, else `{` JSONL, `<` HTML, anything else text) and then the
//! reader it picks. Any bytes (non-Latin text, binary) must end in an
//! article or a clear error, never a panic (issue 18: a multi-byte
//! character where a feed tag was compared panicked).
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_ingest::{IngestOptions, Reader};

fuzz_target!(|data: &[u8]| {
    // No extension, so the reader must look inside the file.
    let path = std::env::temp_dir().join(format!("parallax-fuzz-sniff-{}", std::process::id()));
    std::fs::write(&path, data).expect("write the fuzz input");
    let mut reader = Reader::new(IngestOptions::default());
    reader.read_path(&path, &mut |_| {});
});
