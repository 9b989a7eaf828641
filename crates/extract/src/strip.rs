//! Cutting what can never be article text out of a page before it is
//! parsed.
//!
//! The HTML tokenizer walks every byte of a page character by character and
//! the tree builder makes a node of every element and an attribute of every
//! name/value pair, and Readability then walks and scores that tree,
//! although much of it is read by no one: on news pages about half the
//! bytes are scripts and style sheets, and of what is left most are start
//! tags whose attributes only scripts read (`data-*`, event handlers,
//! `srcset`, ARIA labels), inline SVG drawings, comments, the fallbacks in
//! `<noscript>`, and menus, sidebars and footers. Readability drops
//! scripts, styles, comments and `<noscript>` before it looks for the
//! article, skips SVG, removes footers and asides from what it finds, and
//! reads only a handful of attributes (`class`, `id`, `style`, `hidden`,
//! `role`, `href`, `rel`, `itemprop`, the `<meta>` and media attributes).
//! So one byte pass, a small tokenizer that follows HTML's rules for tags,
//! attributes, comments and raw-text elements, removes those parts first:
//!
//! - the contents of `<script>` (JSON-LD kept: Readability reads the
//!   headline, date and author from it), `<style>`, `<svg>` and
//!   `<noscript>`; the elements stay, empty, so the tree keeps its shape;
//! - the contents of `<nav>`, `<footer>`, `<aside>` and `<form>` (see
//!   [`BLOCKS`] for when);
//! - comments, whole;
//! - attributes of the kinds [`dropped_attribute`] names, except on media,
//!   `<meta>`/`<link>` and table elements, which keep all of theirs;
//! - `<link>` elements but the canonical address and the author (style
//!   sheets, icons, preloads).
//!
//! Text outside those elements is never touched, and neither are the
//! contents of the elements HTML reads as text (`<title>`, `<textarea>`,
//! ...).

use std::borrow::Cow;

use memchr::{memchr, memchr2, memmem};

/// Whether an attribute name (lowercase ASCII) is one that neither
/// Readability, the furniture cut nor trafilatura reads: data for scripts
/// (`data-*`, `on*` handlers, ARIA labels but `aria-hidden`/`aria-modal`,
/// which say what is hidden), responsive-image lists, link targets and
/// tooltips, focus order and loading hints.
fn dropped_attribute(name: &[u8]) -> bool {
    if name.starts_with(b"data-") {
        return true;
    }
    if let Some(aria) = name.strip_prefix(b"aria-") {
        return aria != b"hidden" && aria != b"modal";
    }
    if name.len() > 2 && name.starts_with(b"on") {
        return true;
    }
    DROPPED_ATTRIBUTES.contains(&name)
}

/// Attribute names dropped besides `data-*`, `on*` and `aria-*`.
const DROPPED_ATTRIBUTES: &[&[u8]] = &[
    b"srcset",
    b"sizes",
    b"target",
    b"title",
    b"tabindex",
    b"async",
    b"defer",
    b"crossorigin",
    b"integrity",
    b"referrerpolicy",
    b"nonce",
    b"decoding",
    b"fetchpriority",
    b"autocomplete",
    b"placeholder",
    b"xmlns",
    b"xmlns:xlink",
];

// What a tag name says to the strip pass: bits of [`tag_kind`].
/// Keeps all its attributes: images and embeds (Readability tells empty
/// and lazy images by theirs), `<meta>` (the page's metadata), and tables
/// (Readability tells layout tables from data tables by theirs).
const KEEP_ALL: u16 = 1 << 1;
/// Its contents are cut: scripts, styles, drawings, `<noscript>`.
const EMPTIED: u16 = 1 << 2;
/// HTML reads its contents as text: left as they are, not searched for
/// tags.
const TEXT_ONLY: u16 = 1 << 3;
/// One of the [`BLOCKS`].
const BLOCK: u16 = 1 << 4;
/// Has no end tag, or one left out so often that the depth estimate does
/// not count it ([`crate::depth`]'s list).
const NO_END: u16 = 1 << 5;
const LINK: u16 = 1 << 6;
const PLAINTEXT: u16 = 1 << 7;
const SVG: u16 = 1 << 9;
const SCRIPT: u16 = 1 << 10;

/// What the strip pass needs to know of a tag name, any case, in one
/// lookup (this runs for every tag of every page).
fn tag_kind(name: &[u8]) -> u16 {
    let mut buf = [0u8; 10];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return 0;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    match &*lower {
        b"p" | b"li" | b"dt" | b"dd" | b"thead" | b"tbody" | b"tfoot" | b"html" | b"head"
        | b"body" | b"hr" => NO_END,
        b"td" | b"th" | b"tr" => KEEP_ALL | NO_END,
        b"table" => KEEP_ALL,
        b"nav" | b"footer" | b"aside" | b"form" => BLOCK,
        b"meta" => KEEP_ALL | NO_END,
        b"link" => KEEP_ALL | NO_END | LINK,
        b"title" => TEXT_ONLY,
        b"script" => EMPTIED | SCRIPT,
        b"style" | b"noscript" => EMPTIED,
        b"svg" => EMPTIED | SVG,
        b"textarea" | b"xmp" | b"noembed" | b"noframes" => TEXT_ONLY,
        b"iframe" => TEXT_ONLY | KEEP_ALL,
        b"picture" | b"video" | b"audio" | b"object" => KEEP_ALL,
        b"img" | b"source" | b"embed" => KEEP_ALL | NO_END,
        b"plaintext" => PLAINTEXT,
        b"area" | b"base" | b"br" | b"col" | b"input" | b"param" | b"track" | b"wbr"
        | b"option" | b"optgroup" | b"colgroup" | b"rb" | b"rt" | b"rp" | b"frame" | b"keygen"
        | b"basefont" | b"bgsound" | b"image" => NO_END,
        _ => 0,
    }
}

/// True for HTML's whitespace between attributes.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Elements whose contents are cut, when they nest cleanly and hold at
/// most [`MAX_BLOCK_SHARE`] of the page's prose: HTML gives navigation,
/// footers and asides for what is not the main content, and forms are
/// search boxes and sign-ups; Readability removes footers, asides and
/// forms from the article it finds and the furniture cut removes all four,
/// so cut here they are only spared being parsed and scored. (`<header>` is
/// not one: article headers hold standfirsts.) The share guards against a
/// page that puts its article in one of them (a page wrapped in one
/// `<form>`); on the benchmark the blocks above it are sidebars and menus.
const BLOCKS: &[&[u8]] = &[b"nav", b"footer", b"aside", b"form"];

/// Largest share of the page's prose one of the [`BLOCKS`] may hold and
/// be cut.
const MAX_BLOCK_SHARE: f64 = 0.5;

/// Fewest characters (whitespace not counted) of text between two tags
/// taken as prose: a sentence or more, where menus and link lists hold
/// words.
const PROSE_RUN: usize = 80;

/// `html` without what can never be article text (see the module docs),
/// borrowed when there is nothing to remove, and how deep its elements
/// nest, estimated as [`crate::nesting_depth`] does (on what this pass
/// reads: the contents of emptied elements are not counted), so that the
/// page need not be scanned again for it.
pub(crate) fn strip_page(html: &str) -> (Cow<'_, str>, usize) {
    let mut s = Stripper {
        bytes: html.as_bytes(),
        cuts: Vec::new(),
        open: Vec::new(),
        blocks: Vec::new(),
        prose: 0,
        depth: 0,
        deepest: 0,
    };
    s.run();
    let Stripper {
        mut cuts,
        blocks,
        prose,
        deepest,
        ..
    } = s;
    // Blocks small enough to go, outermost first; what else would be cut
    // inside one goes with it.
    let mut taken: Vec<(usize, usize)> = blocks
        .into_iter()
        .filter(|b| (b.prose as f64) <= MAX_BLOCK_SHARE * prose as f64)
        .map(|b| (b.from, b.to))
        .collect();
    taken.sort_unstable_by_key(|&(from, to)| (from, std::cmp::Reverse(to)));
    let mut outer: Vec<(usize, usize)> = Vec::with_capacity(taken.len());
    for (from, to) in taken {
        match outer.last() {
            Some(&(_, last_to)) if from < last_to => {}
            _ => outer.push((from, to)),
        }
    }
    if !outer.is_empty() {
        let inside = |&(from, _): &(usize, usize)| {
            let i = outer.partition_point(|&(f, _)| f <= from);
            i > 0 && from < outer[i - 1].1
        };
        cuts.retain(|c| !inside(c));
        cuts.extend(outer);
        cuts.sort_unstable();
    }
    if cuts.is_empty() {
        return (Cow::Borrowed(html), deepest);
    }
    let mut out = String::with_capacity(html.len() / 2);
    let mut copied = 0;
    for (from, to) in cuts {
        // Cuts are in order and apart but for a block whose start shares a
        // cut's (an attribute or comment cut just before it was taken in).
        if from < copied {
            copied = copied.max(to);
            continue;
        }
        out.push_str(&html[copied..from]);
        copied = to;
    }
    out.push_str(&html[copied..]);
    (Cow::Owned(out), deepest)
}

/// One of the [`BLOCKS`] in the page: its contents' span and how much
/// prose they hold.
struct Block {
    from: usize,
    to: usize,
    prose: usize,
}

/// A block whose end tag is not reached yet.
struct OpenBlock {
    name: &'static [u8],
    /// Where its contents start.
    from: usize,
    /// The page's prose count at that point.
    prose: usize,
    /// Elements open inside it (those with end tags, as `depth` counts
    /// them).
    depth: usize,
}

struct Stripper<'a> {
    bytes: &'a [u8],
    /// Spans to leave out, in order, apart (both ends at ASCII bytes, so on
    /// character boundaries).
    cuts: Vec<(usize, usize)>,
    open: Vec<OpenBlock>,
    blocks: Vec<Block>,
    /// Characters of prose (see [`PROSE_RUN`]) so far.
    prose: usize,
    /// Elements open, and the most ever open, counted as
    /// [`crate::nesting_depth`] counts them.
    depth: usize,
    deepest: usize,
}

impl Stripper<'_> {
    fn cut(&mut self, from: usize, to: usize) {
        if to > from {
            self.cuts.push((from, to));
        }
    }

    fn run(&mut self) {
        let bytes = self.bytes;
        let mut at = 0;
        while let Some(p) = memchr(b'<', &bytes[at..]) {
            let lt = at + p;
            self.count_text(at, lt);
            let rest = &bytes[lt + 1..];
            let tag = match rest.first() {
                Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                    Some((lt + 2, name_end(bytes, lt + 2)))
                }
                Some(c) if c.is_ascii_alphabetic() => Some((lt + 1, name_end(bytes, lt + 1))),
                _ => None,
            };
            let kind = tag.map_or(0, |(from, to)| tag_kind(&bytes[from..to]));
            at = match rest.first() {
                Some(b'!') if rest.starts_with(b"!--") => {
                    let end = comment_end(bytes, lt + 4);
                    self.cut(lt, end);
                    end
                }
                // Doctype, CDATA, processing instruction: up to the next
                // `>`, as HTML reads them.
                Some(b'!' | b'?') => memchr(b'>', rest).map_or(bytes.len(), |e| lt + 1 + e + 1),
                Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                    let name_end = name_end(bytes, lt + 2);
                    self.end_tag(&bytes[lt + 2..name_end], kind, lt);
                    // An end tag's attributes are read and ignored.
                    attributes(bytes, name_end, |_, _, _| {})
                }
                Some(c) if c.is_ascii_alphabetic() => self.element(lt + 1, kind),
                // A `<` that opens no tag is text (uncounted).
                _ => lt + 1,
            };
        }
        self.count_text(at, bytes.len());
    }

    /// Count the text in `from..to` (between two tags) if it is prose.
    fn count_text(&mut self, from: usize, to: usize) {
        if to - from >= PROSE_RUN {
            let n = self.bytes[from..to]
                .iter()
                .filter(|&&b| !is_space(b))
                .count();
            if n >= PROSE_RUN {
                self.prose += n;
            }
        }
    }

    /// Follow an end tag through the open blocks. A block is taken when
    /// its own end tag closes it with everything opened inside it closed;
    /// any other end tag at its level (HTML would close the block there
    /// implicitly, or ignore a stray tag) drops it: when the markup does not
    /// nest cleanly, nothing is cut.
    fn end_tag(&mut self, name: &[u8], kind: u16, lt: usize) {
        if kind & NO_END != 0 {
            return;
        }
        self.depth = self.depth.saturating_sub(1);
        if self.open.is_empty() {
            return;
        }
        let prose = self.prose;
        let blocks = &mut self.blocks;
        self.open.retain_mut(|b| {
            if b.depth > 0 {
                b.depth -= 1;
                return true;
            }
            if b.name.eq_ignore_ascii_case(name) {
                blocks.push(Block {
                    from: b.from,
                    to: lt,
                    prose: prose - b.prose,
                });
            }
            false
        });
    }

    /// Handle the start tag whose name begins at `name_at`; returns where
    /// to go on scanning.
    fn element(&mut self, name_at: usize, kind: u16) -> usize {
        let bytes = self.bytes;
        let name_end = name_end(bytes, name_at);
        let name = &bytes[name_at..name_end];
        if kind & LINK != 0 {
            return self.link(name_at - 1, name_end);
        }
        let (end, json_ld) = if kind & KEEP_ALL != 0 {
            self.start_tag(name_end)
        } else {
            self.start_tag_dropping(name_end)
        };
        let slash_end = bytes[end - 2] == b'/';
        // HTML ignores `/>` but on foreign elements such as `<svg/>`.
        let self_closed = kind & SVG != 0 && slash_end;
        let has_end_tag = !self_closed && kind & NO_END == 0;
        // The estimate takes any `/>` as closing the element.
        if has_end_tag && !slash_end {
            self.depth += 1;
            self.deepest = self.deepest.max(self.depth);
        }
        if end >= bytes.len() {
            return end;
        }
        if kind & PLAINTEXT != 0 {
            return bytes.len();
        }
        if has_end_tag {
            for b in &mut self.open {
                b.depth += 1;
            }
        }
        if kind & EMPTIED != 0 && !self_closed {
            let close = find_close(bytes, end, name).unwrap_or(bytes.len());
            let keep = kind & SCRIPT != 0 && json_ld;
            if !keep {
                self.cut(end, close);
            }
            return close;
        }
        if kind & TEXT_ONLY != 0 {
            let close = find_close(bytes, end, name).unwrap_or(bytes.len());
            self.count_text(end, close);
            return close;
        }
        if !has_end_tag {
            return end;
        }
        if kind & BLOCK == 0 {
            return end;
        }
        if let Some(block) = BLOCKS.iter().find(|b| b.eq_ignore_ascii_case(name)) {
            self.open.push(OpenBlock {
                name: block,
                from: end,
                prose: self.prose,
                depth: 0,
            });
        }
        end
    }

    /// A `<link>` (a void element) starting at `lt`: style sheets, icons,
    /// preloads and feeds are left out whole; the canonical address and
    /// the author are kept.
    fn link(&mut self, lt: usize, name_end: usize) -> usize {
        let mut keep = false;
        let end = attributes(self.bytes, name_end, |_, name, value| {
            if name.eq_ignore_ascii_case(b"rel") {
                keep |= value.split(|&b| is_space(b)).any(|w| {
                    w.eq_ignore_ascii_case(b"canonical") || w.eq_ignore_ascii_case(b"author")
                });
            }
        });
        if !keep && end < self.bytes.len() {
            self.cut(lt, end);
        }
        end
    }

    /// Read a tag's attributes from `from` to its end, keeping them all;
    /// returns the index after its `>` and whether an attribute value says
    /// `ld+json`.
    fn start_tag(&mut self, from: usize) -> (usize, bool) {
        let mut json_ld = false;
        let end = attributes(self.bytes, from, |_, _, value| {
            json_ld |= contains_ignore_case(value, b"ld+json");
        });
        (end, json_ld)
    }

    /// [`Self::start_tag`], cutting the attributes [`dropped_attribute`]
    /// names.
    fn start_tag_dropping(&mut self, from: usize) -> (usize, bool) {
        let mut json_ld = false;
        let cuts = &mut self.cuts;
        let end = attributes(self.bytes, from, |span, name, value| {
            json_ld |= contains_ignore_case(value, b"ld+json");
            let mut lower = [0u8; 32];
            if name.len() <= lower.len() {
                let lower = &mut lower[..name.len()];
                lower.copy_from_slice(name);
                lower.make_ascii_lowercase();
                if dropped_attribute(lower) {
                    cuts.push(span);
                }
            }
        });
        (end, json_ld)
    }
}

/// Where the tag name starting at `at` ends.
fn name_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .map_or(bytes.len(), |p| at + p)
}

/// Walk the attributes of a tag from `at` (just after its name) as HTML's
/// tokenizer reads them, calling `seen(span, name, value)` for each, where
/// `span` runs from the name to the end of the value; returns the index
/// after the tag's `>` (the input's end when it has none).
fn attributes(
    bytes: &[u8],
    mut at: usize,
    mut seen: impl FnMut((usize, usize), &[u8], &[u8]),
) -> usize {
    let n = bytes.len();
    loop {
        while at < n && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= n {
            return n;
        }
        if bytes[at] == b'>' {
            return at + 1;
        }
        // The name: a leading `=` belongs to it; it ends at whitespace,
        // `/`, `>` or `=`.
        let name_at = at;
        at += 1;
        while at < n && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let name = &bytes[name_at..at];
        let mut after_name = at;
        while after_name < n && is_space(bytes[after_name]) {
            after_name += 1;
        }
        if after_name >= n || bytes[after_name] != b'=' {
            // No value.
            seen((name_at, at), name, b"");
            at = after_name;
            continue;
        }
        at = after_name + 1;
        while at < n && is_space(bytes[at]) {
            at += 1;
        }
        if at >= n {
            return n;
        }
        let (value, end) = match bytes[at] {
            q @ (b'"' | b'\'') => {
                let Some(close) = memchr(q, &bytes[at + 1..]) else {
                    return n;
                };
                (&bytes[at + 1..at + 1 + close], at + 1 + close + 1)
            }
            // `>` right after `=`: an empty value, and the tag ends.
            b'>' => (&bytes[at..at], at),
            _ => {
                let len = bytes[at..]
                    .iter()
                    .position(|&b| is_space(b) || b == b'>')
                    .unwrap_or(n - at);
                (&bytes[at..at + len], at + len)
            }
        };
        seen((name_at, end), name, value);
        at = end;
    }
}

/// The index after the comment whose text starts at `from` (after `<!--`):
/// after `-->` or `--!>`, right away for the abrupt `<!-->` and `<!--->`,
/// the input's end when it is not closed.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut at = from;
    while let Some(p) = memchr2(b'-', b'>', &bytes[at..]).map(|p| at + p) {
        if bytes[p] == b'>' {
            if p >= from + 2 && &bytes[p - 2..p] == b"--" {
                return p + 1;
            }
            if p >= from + 3 && &bytes[p - 3..p] == b"--!" {
                return p + 1;
            }
        }
        at = p + 1;
    }
    bytes.len()
}

/// Where the end tag `</name` (any case) first starts at or after `from`.
fn find_close(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memmem::find(&bytes[at..], b"</") {
        let start = at + p;
        let after = &bytes[start + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// True when `hay` contains `needle` (lowercase ASCII), any case.
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(html: &str) -> Cow<'_, str> {
        strip_page(html).0
    }

    #[test]
    fn tag_kinds_agree_with_the_depth_estimate() {
        for name in crate::depth::NOT_COUNTED {
            assert_ne!(tag_kind(name.as_bytes()) & NO_END, 0, "{name}");
            let upper = name.to_ascii_uppercase();
            assert_ne!(tag_kind(upper.as_bytes()) & NO_END, 0, "{name}");
        }
        for name in ["div", "a", "span", "nav", "script", "svg", "title", "pre"] {
            assert_eq!(tag_kind(name.as_bytes()) & NO_END, 0, "{name}");
        }
        for name in BLOCKS {
            assert_ne!(tag_kind(name) & BLOCK, 0);
        }
    }

    #[test]
    fn estimates_depth_as_nesting_depth_does() {
        for html in [
            "<div><section><p>a<p>b<br></section></div>",
            "<DIV><Section><div></div></SECTION></div>",
            "<div><SCRIPT>x = '</div>';</Script><div><div>",
            "<div><!-- <div><div> --><span/><div></div></div></div><div>",
            "<nav><div><div><a>x</a></div></div></nav><p>y",
        ] {
            assert_eq!(strip_page(html).1, crate::nesting_depth(html), "{html}");
        }
        assert_eq!(strip_page(&"<div>".repeat(3000)).1, 3000);
    }

    #[test]
    fn empties_scripts_styles_and_drawings() {
        let html = "<head><STYLE>p{color:red}</STYLE><script type=\"application/ld+json\">{\"headline\":\"H\"}</script>\
                    <script>if (a < b) { x = '</div>'; }</script></head>\
                    <body><!-- <script> in a comment --><p>Text</p><script src=\"a.js\"></script>\
                    <svg viewBox=\"0 0 2 2\"><path d=\"M0 0\"/><title>Share</title></svg>\
                    <noscript><img src=\"x.png\"></noscript></body>";
        assert_eq!(
            strip(html),
            "<head><STYLE></STYLE><script type=\"application/ld+json\">{\"headline\":\"H\"}</script>\
             <script></script></head>\
             <body><p>Text</p><script src=\"a.js\"></script>\
             <svg viewBox=\"0 0 2 2\"></svg><noscript></noscript></body>"
        );
        let plain = "<p>No scripts, a <scripted> word, 1 < 2</p>";
        assert!(matches!(strip(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn drops_script_only_attributes() {
        assert_eq!(
            strip(
                "<div class=\"story\" data-id='7' onclick=go() aria-label=\"x\" aria-hidden=\"true\" id=main>\
                 <a href=\"/a\" target=_blank title=\"A > B\">A</a>\
                 <img src=\"a.jpg\" data-src=\"b.jpg\" srcset=\"a.jpg 2x\"></div>"
            ),
            "<div class=\"story\"    aria-hidden=\"true\" id=main>\
             <a href=\"/a\"  >A</a>\
             <img src=\"a.jpg\" data-src=\"b.jpg\" srcset=\"a.jpg 2x\"></div>"
        );
        // Valueless and odd attributes are read as HTML reads them.
        assert_eq!(
            strip("<p hidden data-x data-y = \"1\" =x title=>t</p>"),
            "<p hidden   =x >t</p>"
        );
    }

    #[test]
    fn leaves_text_elements_and_odd_comments_alone() {
        let html = "<title>a <b data-x=1> c</title><textarea><!-- x --></textarea>\
                    <p>a<!-->b<!--->c<!-- x --!>d</p>";
        assert_eq!(
            strip(html),
            "<title>a <b data-x=1> c</title><textarea><!-- x --></textarea><p>abcd</p>"
        );
    }

    #[test]
    fn empties_menus_sidebars_and_footers_that_nest_cleanly() {
        let prose = "The council voted on Tuesday to close the old bridge for repairs that will take at least a year to finish.";
        let page = format!(
            "<body><nav class=menu><ul><li><a href=/>Home</a><li><a href=/news>News</a></ul></nav>\
             <article><p>{prose}</p><aside><p>Related: <a href=/b>Other</a></p>\
             <aside>inner</aside></aside><p>{prose}</p></article>\
             <footer data-x=1><p>Copyright</p><!-- c --></footer></body>"
        );
        assert_eq!(
            strip(&page),
            format!(
                "<body><nav class=menu></nav><article><p>{prose}</p><aside></aside><p>{prose}</p></article>\
                 <footer ></footer></body>"
            )
        );
        // A block HTML would close before its end tag (here at `</div>`),
        // or one never closed, is left whole.
        let page = "<div><nav><a href=/>Home</a></div><p>Text</p></nav><aside><p>Side";
        assert!(matches!(strip(page), Cow::Borrowed(_)));
        // So is a block holding most of the page's prose.
        let page = format!("<aside><p>{prose}</p><p>{prose}</p></aside><p>{prose}</p>");
        assert!(matches!(strip(&page), Cow::Borrowed(_)));
        let page = format!("<aside><p>{prose}</p></aside><p>{prose}</p><p>{prose}</p>");
        assert_eq!(
            strip(&page),
            format!("<aside></aside><p>{prose}</p><p>{prose}</p>")
        );
    }

    #[test]
    fn keeps_only_canonical_and_author_links() {
        assert_eq!(
            strip(
                "<head><link rel=stylesheet href=a.css><link rel=\"canonical\" href=\"/x\"><link href=/f rel='alternate feed'><link rel=author href=/me></head>"
            ),
            "<head><link rel=\"canonical\" href=\"/x\"><link rel=author href=/me></head>"
        );
    }

    #[test]
    fn unclosed_elements_run_to_the_end() {
        assert_eq!(strip("<p>a</p><script>var x = 1;"), "<p>a</p><script>");
        assert_eq!(strip("<p>a<!-- open"), "<p>a");
        assert_eq!(strip("<p data-x=\"open>a"), "<p data-x=\"open>a");
    }
}
