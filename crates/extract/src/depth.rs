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

use memchr::{memchr, memmem};

use crate::ExtractError;

/// The deepest nesting [`check_depth`] accepts: far past real pages (tens),
/// low enough that extraction stays fast.
pub const MAX_HTML_DEPTH: usize = 1024;

/// Elements that never have an end tag, or that are closed implicitly so
/// often that counting them would mistake a long list for deep nesting.
pub(crate) const NOT_COUNTED: &[&str] = &[
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
            at = memmem::find(&bytes[start + 3..], b"-->")
                .map_or(bytes.len(), |e| start + 3 + e + 3);
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
        let name = &bytes[name_start..name_start + name_len];
        let tag_end = memchr(b'>', &bytes[name_start..]).map_or(bytes.len(), |e| name_start + e);
        at = tag_end;
        if not_counted(name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let self_closed = bytes[tag_end - 1] == b'/';
        if self_closed {
            continue;
        }
        if name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style") {
            // Their contents are text: skip to the end tag, which is then
            // read as any other and closes the element.
            at = find_end_tag(bytes, at, name).unwrap_or(bytes.len());
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// True for the names in [`NOT_COUNTED`], any case (compared without
/// allocating: this runs for every tag of every page).
pub(crate) fn not_counted(name: &[u8]) -> bool {
    NOT_COUNTED
        .iter()
        .any(|n| n.len() == name.len() && n.as_bytes().eq_ignore_ascii_case(name))
}

/// Where the first `</name` (any case) at or after `from` starts.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memmem::find(bytes.get(at..)?, b"</") {
        let start = at + p;
        if bytes[start + 2..]
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements_any_case() {
        assert_eq!(
            nesting_depth("<DIV><Section><div></div></SECTION></div>"),
            3
        );
        assert_eq!(
            nesting_depth("<div><BR><Img src=x><P>a<LI>b<span/></div>"),
            1
        );
        // An end tag in any case ends a script; one for another element
        // inside it does not.
        assert_eq!(
            nesting_depth("<div><SCRIPT>x = '</div>';</Script><div><div>"),
            3
        );
        // An unclosed comment or script runs to the end.
        assert_eq!(nesting_depth("<div><!-- <div><div>"), 1);
        assert_eq!(nesting_depth("<div><style>div { }<div>"), 2);
        assert_eq!(nesting_depth("<div></div></div></div><div>"), 1);
        assert_eq!(nesting_depth("a < b <1 <"), 0);
    }
}
