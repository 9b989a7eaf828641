//! HTML tags with very many attributes (issue 18: html5ever compares each
//! attribute of a tag with every earlier one, so one tag with 200,000
//! attributes never finished). The input picks the tag, how many
//! attributes it gets (up to 4,096) and the bytes each is made from; the
//! page around it holds an article, and extraction (strip pass, both
//! Readability attempts, trafilatura) must finish in time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_extract::{Mode, extract_bytes};

/// Tags the strip pass treats differently: kept attributes, dropped ones,
/// `<meta>`/`<link>` read whole, emptied, text-only, blocks, end tags.
const TAGS: &[&str] = &[
    "div", "img", "meta", "link", "script", "a", "nav", "table", "svg", "title", "p", "/div",
];

fuzz_target!(|data: &[u8]| {
    let [tag, hi, lo, rest @ ..] = data else {
        return;
    };
    let tag = TAGS[usize::from(*tag) % TAGS.len()];
    let count = ((usize::from(*hi) << 8) | usize::from(*lo)) % 4097;
    // One attribute's bytes (at most 48), numbered so each name differs;
    // the rest of the input follows the tag as page text.
    let (unit, tail) = rest.split_at(rest.len().min(48));
    let unit = String::from_utf8_lossy(unit);
    let mut page = String::from("<html><head><title>Flood</title></head><body><article>");
    page.push('<');
    page.push_str(tag);
    for i in 0..count {
        page.push(' ');
        page.push_str(&unit.replace('#', &i.to_string()));
        page.push_str(&format!(" a{i}=x"));
    }
    page.push('>');
    page.push_str(&String::from_utf8_lossy(tail));
    page.push_str(
        "<p>The river flooded the valley on Monday after three days of rain, officials said.</p>\
         </article></body></html>",
    );
    let _ = extract_bytes(page.as_bytes(), None, None, Mode::Best, 1 << 20);
});
