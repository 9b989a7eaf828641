//! The nesting-depth limit never refuses a real article page.

use std::path::Path;

use parallax_extract::{
    DEFAULT_MAX_PAGE_BYTES, MAX_HTML_DEPTH, decode_html, decompress, nesting_depth,
};

#[test]
fn benchmark_pages_nest_far_below_the_limit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/extraction/scrapinghub/html");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} is missing; test skipped", dir.display());
        return;
    };
    let mut deepest = (0, String::new());
    let mut pages = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let bytes = decompress(&bytes, DEFAULT_MAX_PAGE_BYTES).unwrap();
        let depth = nesting_depth(&decode_html(&bytes, None).text);
        pages += 1;
        if depth > deepest.0 {
            deepest = (depth, path.display().to_string());
        }
    }
    eprintln!(
        "{pages} pages; deepest estimate {} ({})",
        deepest.0, deepest.1
    );
    assert!(pages > 100);
    assert!(deepest.0 * 4 < MAX_HTML_DEPTH, "{deepest:?}");
}
