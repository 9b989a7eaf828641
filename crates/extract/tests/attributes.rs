//! A tag with very many attributes (issue 18): html5ever compares each
//! attribute of a tag with every earlier one, so 200,000 attributes on one
//! `<div>` kept extraction busy for minutes. The strip pass keeps the first
//! `MAX_ATTRIBUTES` of a tag (within `MAX_TAG_BYTES`) and cuts the rest
//! before any parse.

use std::time::{Duration, Instant};

use parallax_extract::{DEFAULT_MAX_PAGE_BYTES, Mode, extract_bytes, extract_html};

fn many_attributes(n: usize) -> String {
    let attrs: Vec<String> = (0..n).map(|i| format!("a{i}=x")).collect();
    format!(
        "<html><head><title>Flood</title></head><body><div {}><p>The river flooded the valley on Monday, and hundreds of families left their homes as the water rose.</p></div></body></html>",
        attrs.join(" ")
    )
}

/// Runs `f` on another thread; fails when it takes more than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not finish within {limit:?}"))
}

#[test]
fn a_tag_with_200000_attributes_extracts_in_seconds() {
    let page = many_attributes(200_000);
    let started = Instant::now();
    let got = within(Duration::from_secs(30), move || {
        extract_bytes(
            page.as_bytes(),
            None,
            None,
            Mode::Best,
            DEFAULT_MAX_PAGE_BYTES,
        )
    })
    .expect("a page");
    assert!(
        got.body.contains("The river flooded the valley"),
        "{}",
        got.body
    );
    eprintln!("200,000 attributes: {:?}", started.elapsed());
}

#[test]
fn every_mode_and_quoting_is_bounded() {
    // Quoted values, attributes without values, end tags with attributes
    // (html5ever tokenizes those too), and `<meta>` / `<link>` tags.
    let quoted: Vec<String> = (0..100_000).map(|i| format!("b{i}=\"v {i}\"")).collect();
    let bare: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let page = format!(
        "<html><head><meta name=description {q}><link rel=canonical href=/x {b}></head><body><section {q}><p {b}>The dam held after the storm, engineers said on Tuesday, and the river fell overnight.</p></section {b}></body></html>",
        q = quoted.join(" "),
        b = bare.join(" ")
    );
    for mode in [Mode::Best, Mode::Fast] {
        let page = page.clone();
        let got = within(Duration::from_secs(30), move || {
            extract_html(&page, None, mode)
        });
        assert!(got.body.contains("The dam held"), "{mode:?}: {}", got.body);
    }
}
