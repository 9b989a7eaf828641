//! The body of `POST /api/articles`: what the server hands to
//! `Engine::ingest_jsonl` (validation, idempotency, clustering, briefs,
//! store), on a fresh in-memory engine per input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_engine::{Engine, EngineConfig};

fuzz_target!(|data: &[u8]| {
    let mut engine = Engine::in_memory(EngineConfig::default()).expect("in-memory engine");
    let mut input = data;
    // Errors are answers (a 4xx/5xx); only a panic or a sanitizer report is
    // a finding.
    let _ = engine.ingest_jsonl(&mut input, "request body", &mut |_| {});
});
