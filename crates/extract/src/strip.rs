//! Emptying `<script>` and `<style>` elements before the page is parsed.
//!
//! On news pages about half the bytes are scripts and style sheets, and the
//! HTML tokenizer walks every one of them character by character, although
//! neither Readability nor trafilatura reads them: both drop these
//! elements first. Cutting their contents out with a byte search (SIMD
//! `memchr`) before parsing halves the tokenizer's work. The elements stay,
//! empty, so the tree is the same but for their text. JSON-LD scripts are
//! kept whole: Readability reads the headline, date and author from them.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// `html` with the contents of its `<script>` (JSON-LD excepted) and
/// `<style>` elements removed; borrowed when there is nothing to remove.
pub(crate) fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // `copied`: end of the input already handled (copied or skipped).
    let mut copied = 0;
    let mut at = 0;
    while let Some(p) = memchr(b'<', &bytes[at..]) {
        let lt = at + p;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            // A comment may mention `<script`; skip it whole.
            at = memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |e| lt + 4 + e + 3);
            continue;
        }
        let Some(name) = raw_text_tag(rest) else {
            at = lt + 1;
            continue;
        };
        let open_end = tag_end(bytes, lt + 1 + name.len());
        let Some(open_end) = open_end else {
            break;
        };
        let attrs = &bytes[lt + 1 + name.len()..open_end];
        if name == b"script" && contains_ignore_case(attrs, b"ld+json") {
            at = open_end + 1;
            continue;
        }
        let body_start = open_end + 1;
        let close = find_close(&bytes[body_start..], name).map_or(bytes.len(), |c| body_start + c);
        if close > body_start {
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            buf.push_str(&html[copied..body_start]);
            copied = close;
        }
        at = close;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut buf) => {
            buf.push_str(&html[copied..]);
            Cow::Owned(buf)
        }
    }
}

/// `script` or `style` when `rest` (the bytes after a `<`) opens one.
fn raw_text_tag(rest: &[u8]) -> Option<&'static [u8]> {
    [b"script".as_slice(), b"style".as_slice()]
        .into_iter()
        .find(|name| {
            rest.len() > name.len()
                && rest[..name.len()].eq_ignore_ascii_case(name)
                && matches!(
                    rest[name.len()],
                    b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
                )
        })
}

/// The index of the `>` that closes the tag whose attributes start at
/// `from`, quoted values skipped.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in bytes[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(from + i),
            None => {}
        }
    }
    None
}

/// Where the closing tag `</name` starts in `body`, any case.
fn find_close(body: &[u8], name: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(p) = memmem::find(&body[at..], b"</") {
        let start = at + p;
        let after = &body[start + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// True when `hay` contains `needle` (lowercase ASCII), any case.
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empties_scripts_and_styles_only() {
        let html = "<head><STYLE>p{color:red}</STYLE><script type=\"application/ld+json\">{\"headline\":\"H\"}</script>\
                    <script>if (a < b) { x = '</div>'; }</script></head>\
                    <body><!-- <script> in a comment --><p>Text</p><script src=\"a.js\"></script></body>";
        assert_eq!(
            strip_raw_text(html),
            "<head><STYLE></STYLE><script type=\"application/ld+json\">{\"headline\":\"H\"}</script>\
             <script></script></head>\
             <body><!-- <script> in a comment --><p>Text</p><script src=\"a.js\"></script></body>"
        );
        let plain = "<p>No scripts, a <scripted> word</p>";
        assert!(matches!(strip_raw_text(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_script_runs_to_the_end() {
        assert_eq!(
            strip_raw_text("<p>a</p><script>var x = 1;"),
            "<p>a</p><script>"
        );
    }
}
