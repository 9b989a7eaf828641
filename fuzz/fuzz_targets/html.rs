//! HTML extraction: gzip, charset detection, main-text extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_extract::{Mode, extract_bytes};

fuzz_target!(|data: &[u8]| {
    // Fuzzer inputs are at most a few KiB; a 1 MiB output limit still lets
    // a small gzip member expand past it and reach the refusal.
    let _ = extract_bytes(
        data,
        None,
        Some("https://fuzz.example/a"),
        Mode::Best,
        1 << 20,
    );
});
