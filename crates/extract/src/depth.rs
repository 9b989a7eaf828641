//! How deep a page's elements nest, estimated from its markup without
//! building a tree.
//!
//! Both extractors walk ancestors for every node, so their cost is size
//! times depth: a page of 100,000 nested `<div>`s (a few hundred KiB) keeps
//! them busy for many minutes. Real article pages nest a few dozen deep.
//! The estimate counts start tags against end tags; void elements, self-
//! closed tags, comments, `<script>`/`<style>` contents and the elements
//! that HTML closes implicitly and pages routinely leave open (`p`, `li`,
//! `td`, ...) are not counted, so it stays close to the parsed depth on
//! real pages and can only err high on hostile ones.

use crate::ExtractError;

/// The deepest nesting [`check_depth`] accepts: far past real pages (tens),
/// low enough that extraction stays fast.
pub const MAX_HTML_DEPTH: usize = 1024;

/// Elements that never have an end tag, or that are closed implicitly so
/// often that counting them would mistake a long list for deep nesting.
const NOT_COUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "optgroup", "colgroup",
    "tbody", "thead", "tfoot", "rb", "rt", "rp", "html", "head", "body", "frame", "keygen",
    "basefont", "bgsound", "image",
];

/// The estimated deepest element nesting of `html` (see the module docs).
///
/// ```
/// use parallax_extract::nesting_depth;
/// assert_eq!(nesting_depth("<div><section><p>a<p>b<br></section></div>"), 2);
/// assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
/// assert_eq!(nesting_depth("<script>if (a<b && c<d) {}</script><!-- <div> -->"), 1);
/// ```
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut at = 0;
    while let Some(lt) = memchr(b'<', &bytes[at..]) {
        let start = at + lt + 1;
        at = start;
        if bytes[start..].starts_with(b"!--") {
            at = find(bytes, start + 3, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = memchr(b'>', &bytes[name_start..]).map_or(bytes.len(), |e| name_start + e);
        at = tag_end.min(bytes.len());
        if NOT_COUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let self_closed = tag_end > name_start && bytes[tag_end - 1] == b'/';
        if self_closed {
            continue;
        }
        if name == "script" || name == "style" {
            // Their contents are text: skip to the end tag.
            let end = format!("</{name}");
            at = find_ascii_ci(bytes, at, end.as_bytes()).unwrap_or(bytes.len());
            // The end tag is then read as any other and closes it.
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// [`ExtractError::TooDeep`] when `html` nests past [`MAX_HTML_DEPTH`].
pub fn check_depth(html: &str) -> Result<(), ExtractError> {
    let depth = nesting_depth(html);
    if depth > MAX_HTML_DEPTH {
        return Err(ExtractError::TooDeep {
            depth,
            limit: MAX_HTML_DEPTH,
        });
    }
    Ok(())
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ascii_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}
