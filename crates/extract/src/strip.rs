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
//! ...). That is [`Cuts::Page`]: the page as every extractor may read it.
//!
//! [`Cuts::FirstAttempt`] cuts more, for Readability's first attempt
//! alone (the one that finds the article on most pages; `lib.rs` reads the
//! page again as [`Cuts::Page`] when it does not): what that attempt
//! removes anyway before it scores anything, so that it is neither parsed
//! nor walked. Those are, inside `<body>`, elements that nest cleanly and
//! are hidden (`hidden`, `display: none`, `aria-hidden`), dialogs, or
//! "unlikely candidates" by Readability's own `class`/`id` words and
//! `role`s, unless they hold something Readability reads from the whole
//! page (an `<h1>`, a `<meta>` it reads, JSON-LD, a byline's marks) or more
//! than [`MAX_BLOCK_SHARE`] of the page's prose (their contents go, the
//! element stays, as Readability sees it when it decides on the parent);
//! scripts, `<noscript>` and styles whole (Readability's preparation
//! removes them); `<meta>` elements naming nothing Readability reads;
//! whitespace alone between block-level tags (not in `<pre>` nor in a
//! possible byline, whose length Readability measures with whitespace);
//! and long attribute values of which Readability reads only the start
//! (`href` past 16 bytes, `srcset` lists past their first source).

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
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
const KEEP_ALL: u32 = 1 << 1;
/// Its contents are cut: scripts, styles, drawings, `<noscript>`.
const EMPTIED: u32 = 1 << 2;
/// HTML reads its contents as text: left as they are, not searched for
/// tags.
const TEXT_ONLY: u32 = 1 << 3;
/// One of the [`BLOCKS`].
const BLOCK: u32 = 1 << 4;
/// Has no end tag, or one left out so often that the depth estimate does
/// not count it ([`crate::depth`]'s list).
const NO_END: u32 = 1 << 5;
const LINK: u32 = 1 << 6;
const PLAINTEXT: u32 = 1 << 7;
const SVG: u32 = 1 << 9;
const SCRIPT: u32 = 1 << 10;
/// `<table>` or `<code>`: Readability spares what is inside them from its
/// unlikely-candidate cut.
const TABLE_CODE: u32 = 1 << 11;
/// `<body>`: Readability looks for the article only after it.
const BODY: u32 = 1 << 12;
/// Something Readability reads from the whole page, not only from the
/// article: `<h1>` (the headline when `<title>` is odd; `<meta>` is
/// handled apart). A block holding one is not cut in
/// [`Cuts::FirstAttempt`].
const READ_ANYWHERE: u32 = 1 << 13;
/// `<dialog>`: Readability removes it wherever it is.
const DIALOG: u32 = 1 << 14;
/// `<meta>`: see [`Stripper::meta`].
const META: u32 = 1 << 15;
/// `<pre>` and `<listing>`: their whitespace is text.
const PRE: u32 = 1 << 16;
/// An element whose end tag may be left out (`<p>`, `<li>`, ...): it may
/// still hold a byline.
const OPTIONAL_END: u32 = 1 << 17;
/// Block-level elements, and those of the head: whitespace alone between
/// two of their tags is no text (outside `<pre>`).
const LINE: u32 = 1 << 18;

/// What the strip pass needs to know of a tag name, any case, in one
/// lookup (this runs for every tag of every page).
fn tag_kind(name: &[u8]) -> u32 {
    let mut buf = [0u8; 10];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return 0;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    match &*lower {
        b"p" | b"li" | b"dt" | b"dd" => NO_END | OPTIONAL_END | LINE,
        b"thead" | b"tbody" | b"tfoot" | b"html" | b"head" | b"hr" => NO_END | LINE,
        b"body" => NO_END | BODY | LINE,
        b"td" | b"th" => KEEP_ALL | NO_END | OPTIONAL_END | LINE,
        b"tr" => KEEP_ALL | NO_END | LINE,
        b"table" => KEEP_ALL | TABLE_CODE | LINE,
        b"code" => TABLE_CODE,
        b"h1" => READ_ANYWHERE | LINE,
        b"dialog" => DIALOG,
        b"nav" | b"footer" | b"aside" | b"form" => BLOCK | LINE,
        b"meta" => KEEP_ALL | NO_END | META | LINE,
        b"link" => KEEP_ALL | NO_END | LINK | LINE,
        b"title" => TEXT_ONLY | LINE,
        b"script" => EMPTIED | SCRIPT | LINE,
        b"style" | b"noscript" => EMPTIED | LINE,
        b"svg" => EMPTIED | SVG,
        b"pre" | b"listing" => PRE,
        b"div" | b"ul" | b"ol" | b"dl" | b"caption" | b"section" | b"article" | b"main"
        | b"header" | b"fieldset" | b"figure" | b"figcaption" | b"blockquote" | b"h2" | b"h3"
        | b"h4" | b"h5" | b"h6" => LINE,
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
    b == b' ' || (b'\t'..=b'\r').contains(&b) && b != b'\x0b'
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
pub(crate) fn strip_page(html: &str, cuts_kind: Cuts) -> (Cow<'_, str>, usize) {
    let mut s = Stripper {
        bytes: html.as_bytes(),
        first_attempt: cuts_kind == Cuts::FirstAttempt,
        cuts: Vec::new(),
        open: Vec::new(),
        blocks: Vec::new(),
        prose: 0,
        depth: 0,
        deepest: 0,
        in_body: false,
        table_code: 0,
        drop_end_tag: false,
        after_line: false,
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
        .filter(|b| !b.keep && (b.prose as f64) <= MAX_BLOCK_SHARE * prose as f64)
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
    /// Left whole: it holds something Readability reads from the whole page.
    keep: bool,
}

/// A block whose end tag is not reached yet.
struct OpenBlock<'a> {
    name: &'a [u8],
    /// Where its contents start.
    from: usize,
    /// The page's prose count at that point.
    prose: usize,
    /// Elements open inside it (those with end tags, as `depth` counts
    /// them).
    depth: usize,
    /// Cut only in [`Cuts::FirstAttempt`] (one Readability removes before
    /// scoring), and then only while it holds nothing Readability reads
    /// from the whole page (a headline, `<meta>`, JSON-LD, a byline).
    first_attempt: bool,
    keep: bool,
    /// Not a block to cut but an element whose whitespace stays: `<pre>`,
    /// or one Readability could take for a byline (it measures a byline's
    /// text with its whitespace).
    verbatim: bool,
}

/// What an [`OpenBlock`] is opened for.
#[derive(Clone, Copy, PartialEq)]
enum BlockRole {
    /// A block that may be cut (`nav`, `footer`, ...).
    Block,
    /// A block Readability's first attempt removes.
    FirstAttempt,
    /// An element whose whitespace stays (see [`OpenBlock::verbatim`]).
    Verbatim,
}

impl<'a> OpenBlock<'a> {
    /// The element `name` whose contents start at `from`, with the page's
    /// prose count `prose` at that point.
    fn new(name: &'a [u8], from: usize, prose: usize, role: BlockRole) -> Self {
        Self {
            name,
            from,
            prose,
            depth: 0,
            first_attempt: role == BlockRole::FirstAttempt,
            keep: false,
            verbatim: role == BlockRole::Verbatim,
        }
    }
}

struct Stripper<'a> {
    bytes: &'a [u8],
    /// Whether blocks Readability's first attempt removes are cut too.
    first_attempt: bool,
    /// Past the `<body>` start tag, where Readability looks.
    in_body: bool,
    /// `<table>` and `<code>` elements open.
    table_code: usize,
    /// The next end tag closes an element cut whole: cut it too.
    drop_end_tag: bool,
    /// The last tag was a block-level element's ([`LINE`]).
    after_line: bool,
    /// Spans to leave out, in order, apart (both ends at ASCII bytes, so on
    /// character boundaries).
    cuts: Vec<(usize, usize)>,
    open: Vec<OpenBlock<'a>>,
    blocks: Vec<Block>,
    /// Characters of prose (see [`PROSE_RUN`]) so far.
    prose: usize,
    /// Elements open, and the most ever open, counted as
    /// [`crate::nesting_depth`] counts them.
    depth: usize,
    deepest: usize,
}

impl<'a> Stripper<'a> {
    fn cut(&mut self, from: usize, to: usize) {
        if to > from {
            self.cuts.push((from, to));
        }
    }

    /// Cut a tag's attributes past [`MAX_ATTRIBUTES`] / [`MAX_TAG_BYTES`]
    /// (they come after every other cut made in the tag).
    fn cut_excess(&mut self, tag: TagEnd) {
        if let Some((from, to)) = tag.excess {
            self.cut(from, to);
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
            if self.first_attempt {
                // Whitespace alone between two block-level tags is no text:
                // left out, it makes no node for Readability to walk (but in
                // `<pre>`, or in a possible byline, which Readability
                // measures whitespace and all).
                if self.after_line
                    && kind & LINE != 0
                    && lt > at
                    && bytes[at..lt].iter().all(|&b| is_space(b))
                    && !self.open.iter().any(|b| b.verbatim)
                {
                    self.cut(at, lt);
                }
                self.after_line = kind & LINE != 0;
            }
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
                    let tag = attributes(bytes, name_end, |_, _, _| {});
                    if std::mem::take(&mut self.drop_end_tag) {
                        self.cut(lt, tag.end);
                    } else {
                        self.cut_excess(tag);
                    }
                    tag.end
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
            // Branch-free, so that it runs as vector code: most of a
            // page's bytes are text.
            let spaces: usize = self.bytes[from..to]
                .iter()
                .map(|&b| usize::from(is_space(b)))
                .sum();
            let n = to - from - spaces;
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
    fn end_tag(&mut self, name: &[u8], kind: u32, lt: usize) {
        if kind & NO_END != 0 {
            return;
        }
        if kind & TABLE_CODE != 0 {
            self.table_code = self.table_code.saturating_sub(1);
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
            if b.name.eq_ignore_ascii_case(name) && !b.verbatim {
                blocks.push(Block {
                    from: b.from,
                    to: lt,
                    prose: prose - b.prose,
                    keep: b.first_attempt && b.keep,
                });
            }
            false
        });
    }

    /// Handle the start tag whose name begins at `name_at`; returns where
    /// to go on scanning.
    fn element(&mut self, name_at: usize, kind: u32) -> usize {
        let bytes = self.bytes;
        let name_end = name_end(bytes, name_at);
        let name = &bytes[name_at..name_end];
        if kind & LINK != 0 {
            return self.link(name_at - 1, name_end);
        }
        if kind & META != 0 {
            return self.meta(name_at - 1, name_end);
        }
        // Readability's first attempt looks at attributes only inside
        // `<body>`.
        // Only the attributes of an element that could be cut, or of one
        // inside a block that could be, need reading.
        let read = self.first_attempt && self.in_body;
        let (end, marks) = if kind & KEEP_ALL != 0 {
            self.start_tag(name_end, read)
        } else {
            self.start_tag_dropping(name_end, read)
        };
        let json_ld = marks.json_ld;
        if kind & BODY != 0 {
            self.in_body = true;
        }
        if self.open.iter().any(|b| b.first_attempt && !b.keep)
            && (kind & READ_ANYWHERE != 0 || (kind & SCRIPT != 0 && json_ld) || marks.byline())
        {
            for b in &mut self.open {
                b.keep = true;
            }
        }
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
            if kind & TABLE_CODE != 0 {
                self.table_code += 1;
            }
        }
        if kind & EMPTIED != 0 && !self_closed {
            let close = find_close(bytes, end, name);
            let keep = kind & SCRIPT != 0 && json_ld;
            if self.first_attempt && kind & SVG == 0 && !keep && close.is_some() {
                // Readability removes scripts, `<noscript>` and styles
                // before it reads anything but JSON-LD and `<meta>`: here
                // the whole element goes, end tag included (and the
                // attribute cuts made in its start tag with it).
                let lt = name_at - 1;
                while self.cuts.last().is_some_and(|&(from, _)| from >= lt) {
                    self.cuts.pop();
                }
                self.drop_end_tag = true;
                self.cut(lt, close.unwrap_or(bytes.len()));
                return close.unwrap_or(bytes.len());
            }
            let close = close.unwrap_or(bytes.len());
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
        let optional_end = kind & OPTIONAL_END != 0;
        if read && (has_end_tag || optional_end) && (kind & PRE != 0 || marks.byline()) {
            self.open
                .push(OpenBlock::new(name, end, self.prose, BlockRole::Verbatim));
        }
        if !has_end_tag {
            return end;
        }
        if kind & BLOCK != 0 {
            debug_assert!(BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name)));
            self.open
                .push(OpenBlock::new(name, end, self.prose, BlockRole::Block));
        } else if read
            && !slash_end
            && kind & (SVG | READ_ANYWHERE) == 0
            && marks.removed_first(name, kind & DIALOG != 0, self.table_code > 0)
        {
            self.open.push(OpenBlock::new(
                name,
                end,
                self.prose,
                BlockRole::FirstAttempt,
            ));
        }
        end
    }

    /// A `<link>` (a void element) starting at `lt`: style sheets, icons,
    /// preloads and feeds are left out whole; the canonical address and
    /// the author are kept.
    fn link(&mut self, lt: usize, name_end: usize) -> usize {
        let mut keep = false;
        let tag = attributes(self.bytes, name_end, |_, name, value| {
            if name.eq_ignore_ascii_case(b"rel") {
                keep |= value.split(|&b| is_space(b)).any(|w| {
                    w.eq_ignore_ascii_case(b"canonical") || w.eq_ignore_ascii_case(b"author")
                });
            }
        });
        if !keep && tag.end < self.bytes.len() {
            self.cut(lt, tag.end);
        } else {
            self.cut_excess(tag);
        }
        tag.end
    }

    /// A `<meta>` (a void element) starting at `lt`. In
    /// [`Cuts::FirstAttempt`] one whose `name`, `property` or `itemprop`
    /// names none of the things Readability reads from metadata (title,
    /// author, description, date, site name, image) is left out whole
    /// (viewport, robots, verification tokens, app ids, ...), and a block
    /// holding one that is kept is not cut.
    fn meta(&mut self, lt: usize, name_end: usize) -> usize {
        let mut read = false;
        let first_attempt = self.first_attempt;
        let tag = attributes(self.bytes, name_end, |_, name, value| {
            if first_attempt
                && (name.eq_ignore_ascii_case(b"name")
                    || name.eq_ignore_ascii_case(b"property")
                    || name.eq_ignore_ascii_case(b"itemprop"))
            {
                read |= META_WORDS.is_match(value);
            }
        });
        let end = tag.end;
        if first_attempt && !read && end < self.bytes.len() {
            self.cut(lt, end);
            return end;
        }
        self.cut_excess(tag);
        if first_attempt && read {
            for b in &mut self.open {
                b.keep = true;
            }
        }
        end
    }

    /// Read a tag's attributes from `from` to its end, keeping them all;
    /// returns the index after its `>` and what the attributes say
    /// ([`Marks`]; but `json_ld`, only when `read`).
    fn start_tag(&mut self, from: usize, read: bool) -> (usize, Marks<'a>) {
        let mut marks = Marks::default();
        let bytes = self.bytes;
        let first_attempt = self.first_attempt;
        let cuts = &mut self.cuts;
        let tag = attributes(bytes, from, |_, name, value| {
            if !(read || first_attempt) {
                return;
            }
            let mut lower = [0u8; 32];
            let Some(lower) = lowercase(name, &mut lower) else {
                return;
            };
            if read {
                marks.see(lower, value);
            }
            // Of a responsive image's list of sources Readability reads
            // that it is there and what the first looks like.
            if first_attempt
                && lower.ends_with(b"srcset")
                && let Some(comma) = memchr(b',', value)
            {
                let at = value.as_ptr() as usize - bytes.as_ptr() as usize;
                cuts.push((at + comma, at + value.len()));
            }
        });
        self.cut_excess(tag);
        (tag.end, marks)
    }

    /// [`Self::start_tag`], cutting the attributes [`dropped_attribute`]
    /// names.
    fn start_tag_dropping(&mut self, from: usize, read: bool) -> (usize, Marks<'a>) {
        let mut marks = Marks::default();
        let bytes = self.bytes;
        let first_attempt = self.first_attempt;
        let cuts = &mut self.cuts;
        let tag = attributes(bytes, from, |span, name, value| {
            let mut lower = [0u8; 32];
            if let Some(lower) = lowercase(name, &mut lower) {
                // Readers find JSON-LD by `<script type=...>`.
                if lower == b"type" {
                    marks.json_ld |= contains_ignore_case(value, b"ld+json");
                }
                if read {
                    marks.see(lower, value);
                }
                if dropped_attribute(lower) {
                    cuts.push(span);
                } else if first_attempt && lower == b"href" && value.len() > HREF_KEPT {
                    // Readability reads of a link's address only whether
                    // it is there, starts with `#` or `javascript:`.
                    let at = value.as_ptr() as usize - bytes.as_ptr() as usize;
                    let mut keep = HREF_KEPT;
                    while keep > 0 && !is_char_start(value[keep]) {
                        keep -= 1;
                    }
                    cuts.push((at + keep, at + value.len()));
                }
            }
        });
        self.cut_excess(tag);
        (tag.end, marks)
    }
}

/// Bytes of a link's `href` left in [`Cuts::FirstAttempt`]: enough for
/// what Readability reads of it (`#...`, `javascript:`).
const HREF_KEPT: usize = 16;

/// Whether `b` starts a UTF-8 character (is not a continuation byte).
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// `name` in lowercase ASCII, in `buf`; `None` when longer than `buf`.
fn lowercase<'b>(name: &[u8], buf: &'b mut [u8; 32]) -> Option<&'b [u8]> {
    let lower = buf.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    Some(lower)
}

/// Which blocks the strip pass cuts besides the [`BLOCKS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cuts {
    /// None: the page as every extractor may read it.
    Page,
    /// Also the elements Readability's first attempt removes before it
    /// scores anything, whatever the page: hidden ones (`hidden`,
    /// `display: none`, `visibility: hidden`, `aria-hidden="true"`),
    /// dialogs, and "unlikely candidates" (a `class`/`id` word such as
    /// `sidebar`, `comment`, `related` and none such as `content`,
    /// `article`, outside tables and code; a `role` such as `navigation`),
    /// when they nest cleanly, hold at most [`MAX_BLOCK_SHARE`] of the
    /// page's prose, and hold nothing Readability reads from the whole
    /// page (an `<h1>`, `<meta>`, JSON-LD, a byline's marks). Readability's
    /// first attempt then finds what it finds on the whole page; a page
    /// where that attempt fails is read again as [`Cuts::Page`] (see
    /// `lib.rs`).
    FirstAttempt,
}

/// Words of `class`/`id` that make an element an unlikely candidate for
/// Readability (dom_smoothie 0.19's list, matched the way it matches them:
/// anywhere in the lowercased value), unless one of [`MAYBE_WORDS`] is there
/// too.
const UNLIKELY_WORDS: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];

/// Words of `class`/`id` that keep an element a candidate.
const MAYBE_WORDS: &[&str] = &[
    "and", "article", "body", "column", "content", "layout", "main", "mathjax", "shadow",
];

/// `role` values Readability's first attempt removes.
const UNLIKELY_ROLES: &[&[u8]] = &[
    b"menu",
    b"menubar",
    b"complementary",
    b"navigation",
    b"alert",
    b"alertdialog",
    b"dialog",
];

/// Words of `class`/`id` that make an element a byline candidate for
/// Readability.
const BYLINE_WORDS: &[&str] = &["byline", "author", "dateline", "writtenby"];

/// Words of `<meta>` names that dom_smoothie 0.19 reads metadata from
/// (the keys of its `property` and `name` patterns; "published_time" and
/// "pub-date" by their common part), any case.
static META_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "author",
            "creator",
            "description",
            "pub",
            "title",
            "site_name",
            "image",
        ])
        .expect("a handful of plain words")
});

/// Matchers for the word lists (on lowercased values).
static UNLIKELY: LazyLock<AhoCorasick> = LazyLock::new(|| words_matcher(UNLIKELY_WORDS));
static MAYBE: LazyLock<AhoCorasick> = LazyLock::new(|| words_matcher(MAYBE_WORDS));

fn words_matcher(words: &[&str]) -> AhoCorasick {
    // Values are short: a full DFA, no prefilter to set up per search.
    AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .prefilter(false)
        .build(words)
        .expect("a handful of plain words")
}

/// Whether `value` holds one of the [`BYLINE_WORDS`], any case. Asked of
/// every element in the body, and the words are few: one pass over the
/// bytes, each word tried where its first letter is.
fn has_byline_word(value: &[u8]) -> bool {
    (0..value.len()).any(|at| {
        let first = value[at] | 0x20;
        BYLINE_WORDS.iter().any(|word| {
            let word = word.as_bytes();
            word[0] == first
                && value[at..]
                    .get(..word.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(word))
        })
    })
}

/// Whether `matcher` finds a word in the lowercased `class` or `id`.
fn has_word(matcher: &AhoCorasick, class: &[u8], id: &[u8]) -> bool {
    [class, id].into_iter().any(|value| {
        if value.is_empty() {
            return false;
        }
        let mut buf = [0u8; 256];
        match buf.get_mut(..value.len()) {
            Some(lower) => {
                lower.copy_from_slice(value);
                lower.make_ascii_lowercase();
                matcher.is_match(&*lower)
            }
            None => matcher.is_match(&value.to_ascii_lowercase()),
        }
    })
}

/// What a start tag's attributes tell Readability (read as it reads
/// them: the first of a repeated attribute counts). The values are looked
/// at only when asked about: most tags are never asked.
#[derive(Default)]
struct Marks<'a> {
    /// Attributes met (bits of [`Marks::see`]'s names).
    seen: u16,
    json_ld: bool,
    class: &'a [u8],
    id: &'a [u8],
    role: &'a [u8],
    style: &'a [u8],
    hidden: bool,
    aria_hidden: bool,
    aria_modal: bool,
    /// `rel="author"` or an `itemprop` naming the author.
    author: bool,
}

impl<'a> Marks<'a> {
    /// Take in one attribute (`name` lowercase).
    fn see(&mut self, name: &[u8], value: &'a [u8]) {
        let bit = match name {
            b"class" => 1,
            b"id" => 2,
            b"role" => 4,
            b"style" => 8,
            b"hidden" => 16,
            b"aria-hidden" => 32,
            b"aria-modal" => 64,
            b"rel" => 128,
            b"itemprop" => 256,
            _ => return,
        };
        if self.seen & bit != 0 {
            return;
        }
        self.seen |= bit;
        match bit {
            1 => self.class = value,
            2 => self.id = value,
            4 => self.role = value,
            8 => self.style = value,
            16 => self.hidden = true,
            32 => self.aria_hidden = value == b"true",
            64 => self.aria_modal = value == b"true",
            128 => self.author |= value == b"author",
            _ => self.author |= contains_ignore_case(value, b"author"),
        }
    }

    /// Whether Readability could take the element for a byline.
    fn byline(&self) -> bool {
        self.author || has_byline_word(self.class) || has_byline_word(self.id)
    }

    /// Whether Readability's first attempt removes the element `name`
    /// (`dialog` when it is a `<dialog>`) with these attributes, when
    /// `in_table_code` says whether a table or code element is open; never
    /// one that could be a byline.
    fn removed_first(&self, name: &[u8], dialog: bool, in_table_code: bool) -> bool {
        let hidden = self.hidden
            || (!self.style.is_empty() && {
                let style = self.style.to_ascii_lowercase();
                style_says(&style, b"display", b"none")
                    || style_says(&style, b"visibility", b"hidden")
            });
        let invisible =
            hidden || (self.aria_hidden && memmem::find(self.class, b"fallback-image").is_none());
        let modal = dialog || (self.aria_modal && self.role == b"dialog");
        let role = UNLIKELY_ROLES.contains(&self.role);
        let removed = invisible
            || modal
            || role
            || (self.seen & 3 != 0
                && !in_table_code
                && !name.eq_ignore_ascii_case(b"a")
                && has_word(&UNLIKELY, self.class, self.id)
                && !has_word(&MAYBE, self.class, self.id));
        removed && !self.byline()
    }
}

/// Whether a (lowercase) style sets `key` to `value`, read as Readability
/// reads it: at the first mention of `key`, the first word after its `:`.
fn style_says(style: &[u8], key: &[u8], value: &[u8]) -> bool {
    let Some(at) = memmem::find(style, key) else {
        return false;
    };
    let rest = &style[at..];
    let Some(colon) = memchr(b':', rest) else {
        return false;
    };
    let rest = &rest[colon + 1..];
    let rest = &rest[..memchr(b';', rest).unwrap_or(rest.len())];
    let rest = rest.trim_ascii_start();
    let word = &rest[..rest
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(rest.len())];
    word == value
}

/// Where the tag name starting at `at` ends.
fn name_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .map_or(bytes.len(), |p| at + p)
}

/// Most attributes of one tag that are kept: html5ever checks each new
/// attribute against every earlier one of its tag (HTML drops repeated
/// names), so a tag with 200,000 attributes took minutes to parse. Real
/// pages stay far below (the 181 ScrapingHub pages: at most 64 on one tag,
/// a `<meta>`).
pub const MAX_ATTRIBUTES: usize = 256;

/// Longest run of attributes kept in one tag, in bytes from the end of its
/// name: attributes that end past it are cut with the rest of the tag's
/// attributes. (A `data:` image in a `src` may be long; a tag of
/// megabytes is no page's: the longest start tag of the 181 ScrapingHub
/// pages is 27 KB.)
pub const MAX_TAG_BYTES: usize = 256 * 1024;

/// Where a tag ends, from [`attributes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TagEnd {
    /// The index after the tag's `>` (the input's end when it has none).
    end: usize,
    /// The attributes past [`MAX_ATTRIBUTES`] or [`MAX_TAG_BYTES`]: from
    /// the first one's name to the last one's end (both on character
    /// boundaries), never handed to `seen`. To be cut, so that no parser
    /// sees them.
    excess: Option<(usize, usize)>,
}

/// Walk the attributes of a tag from `at` (just after its name) as HTML's
/// tokenizer reads them, calling `seen(span, name, value)` for each, where
/// `span` runs from the name to the end of the value, up to
/// [`MAX_ATTRIBUTES`] of them within [`MAX_TAG_BYTES`]; the others are
/// only measured ([`TagEnd::excess`]).
fn attributes<'b>(
    bytes: &'b [u8],
    mut at: usize,
    mut seen: impl FnMut((usize, usize), &'b [u8], &'b [u8]),
) -> TagEnd {
    let n = bytes.len();
    let start = at;
    let mut count = 0;
    let mut excess: Option<(usize, usize)> = None;
    let mut attribute = |span: (usize, usize), name: &'b [u8], value: &'b [u8]| {
        count += 1;
        match &mut excess {
            Some((_, to)) => *to = span.1,
            None if count > MAX_ATTRIBUTES || span.1 - start > MAX_TAG_BYTES => {
                excess = Some(span);
            }
            None => seen(span, name, value),
        }
    };
    loop {
        while at < n && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= n {
            return TagEnd { end: n, excess };
        }
        if bytes[at] == b'>' {
            return TagEnd {
                end: at + 1,
                excess,
            };
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
            attribute((name_at, at), name, b"");
            at = after_name;
            continue;
        }
        at = after_name + 1;
        while at < n && is_space(bytes[at]) {
            at += 1;
        }
        if at >= n {
            return TagEnd { end: n, excess };
        }
        let (value, end) = match bytes[at] {
            q @ (b'"' | b'\'') => {
                let Some(close) = memchr(q, &bytes[at + 1..]) else {
                    return TagEnd { end: n, excess };
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
        attribute((name_at, end), name, value);
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
        strip_page(html, Cuts::Page).0
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
            assert_eq!(
                strip_page(html, Cuts::Page).1,
                crate::nesting_depth(html),
                "{html}"
            );
        }
        assert_eq!(strip_page(&"<div>".repeat(3000), Cuts::Page).1, 3000);
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
    fn keeps_the_first_attributes_of_a_tag_and_cuts_the_rest() {
        let attrs = |n: usize, from: usize| {
            (from..from + n)
                .map(|i| format!("a{i}=\"{i}\""))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Kept: exactly the limit, on a kept element and on a start tag
        // whose attributes are read.
        for tag in ["div", "img", "meta"] {
            let html = format!("<{tag} {}>", attrs(MAX_ATTRIBUTES, 0));
            assert_eq!(strip(&html), html.as_str(), "{tag}");
        }
        // Past it: the rest of the tag's attributes go, up to the last one
        // (the `/>` and `>` stay), in start and end tags alike.
        let html = format!(
            "<div {} />x</div {}>é<p {}>",
            attrs(MAX_ATTRIBUTES + 3, 0),
            attrs(MAX_ATTRIBUTES + 1, 0),
            attrs(2, 0)
        );
        let want = format!(
            "<div {}  />x</div {} >é<p {}>",
            attrs(MAX_ATTRIBUTES, 0),
            attrs(MAX_ATTRIBUTES, 0),
            attrs(2, 0)
        );
        assert_eq!(strip(&html), want.as_str());
        // Past the byte limit: a huge value ends the kept run; the tag
        // after is whole.
        let big = "v".repeat(MAX_TAG_BYTES);
        let html = format!("<div class=a data-x=1 id={big} c=d>t</div><b class=b>u</b>");
        assert_eq!(strip(&html), "<div class=a  >t</div><b class=b>u</b>");
        // A tag without its `>`: the excess goes to the last attribute.
        let html = format!("<div {}", attrs(MAX_ATTRIBUTES + 2, 0));
        assert_eq!(strip(&html), format!("<div {} ", attrs(MAX_ATTRIBUTES, 0)));
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

    fn first(html: &str) -> Cow<'_, str> {
        strip_page(html, Cuts::FirstAttempt).0
    }

    #[test]
    fn cuts_what_readabilitys_first_attempt_removes() {
        let prose = "The council voted on Tuesday to close the old bridge for repairs that will take at least a year to finish.";
        let page = format!(
            "<html><head><script src=a.js async></script><style>p{{color:red}}</style></head><body>\
             <div class=\"sidebar-widget\"><p>Popular: <a href=/x>X</a></p></div>\
             <div class=\"main-content sidebar\"><p>{prose}</p></div>\
             <div hidden><p>Hidden</p></div><div style=\"Display: none\">Gone</div>\
             <span aria-hidden=\"true\">icon</span><span aria-hidden=\"true\" class=\"fallback-image\">kept</span>\
             <div role=\"navigation\"><a href=/>Home</a></div><dialog><p>Sign up</p></dialog>\
             <table><tr><td><div class=comment>cell</div></td></tr></table>\
             <a class=social href=/s>Share</a>\
             <article><p>{prose}</p><p>{prose}</p></article></body></html>"
        );
        assert_eq!(
            first(&page),
            format!(
                "<html><head></head><body>\
                 <div class=\"sidebar-widget\"></div>\
                 <div class=\"main-content sidebar\"><p>{prose}</p></div>\
                 <div hidden></div><div style=\"Display: none\"></div>\
                 <span aria-hidden=\"true\"></span><span aria-hidden=\"true\" class=\"fallback-image\">kept</span>\
                 <div role=\"navigation\"></div><dialog></dialog>\
                 <table><tr><td><div class=comment>cell</div></td></tr></table>\
                 <a class=social href=/s>Share</a>\
                 <article><p>{prose}</p><p>{prose}</p></article></body></html>"
            )
        );
        // As every extractor may read it, the page keeps all of those.
        let page_cut = strip(&page);
        assert!(
            page_cut.contains("<p>Hidden</p>") && page_cut.contains("<script src=a.js ></script>")
        );
        // Nothing is cut before `<body>`.
        let head = "<head><div class=menu><p>x</p></div></head>";
        assert_eq!(first(head), head);
    }

    #[test]
    fn keeps_blocks_holding_what_readability_reads_anywhere() {
        let page = "<body><div class=\"header\"><h1>Headline</h1></div>\
                    <div class=\"social\"><span class=\"byline\">By Ann</span></div>\
                    <div class=\"related\"><a rel=\"author\" href=\"/ann\">Ann</a></div>\
                    <div class=\"extra\"><meta itemprop=\"datePublished\" content=\"2020-01-01\"></div>\
                    <div class=menu><script type=\"application/ld+json\">{}</script></div>\
                    <div class=\"author-social\">Ann's links</div></body>";
        assert_eq!(first(page), page);
    }

    #[test]
    fn shortens_link_addresses_and_source_lists_for_readability() {
        let page = "<body><a href=\"https://example.com/a/long/path\">x</a>\
                    <a href='#top-of-the-page-anchor'>y</a><a href=\"/ñññññññññññ\">z</a>\
                    <img src=\"a.jpg\" srcset=\"a.jpg 1x, b.jpg 2x\" data-srcset=\"c.jpg\"></body>";
        assert_eq!(
            first(page),
            "<body><a href=\"https://example.\">x</a>\
             <a href='#top-of-the-page'>y</a><a href=\"/ñññññññ\">z</a>\
             <img src=\"a.jpg\" srcset=\"a.jpg 1x\" data-srcset=\"c.jpg\"></body>"
        );
        assert!(matches!(strip(page), Cow::Borrowed(_)));
    }

    #[test]
    fn drops_whitespace_between_blocks_for_readability_but_in_pre_and_bylines() {
        let page = "<head>\n  <title>T</title>\n</head>\n<body>\n<div>\n  <p>A <b>b</b> <i>c</i></p>\n</div>\n\
                    <pre>\n<div> x </div>\n</pre>\n<div class=\"byline\">\n  <p>By Ann</p>\n  <p>May 1</p>\n</div>\n\
                    <ul> <li>d</li> </ul></body>";
        assert_eq!(
            first(page),
            "<head><title>T</title></head><body><div><p>A <b>b</b> <i>c</i></p></div>\n\
             <pre>\n<div> x </div>\n</pre>\n<div class=\"byline\">\n  <p>By Ann</p>\n  <p>May 1</p>\n</div>\
             <ul><li>d</li></ul></body>"
        );
        assert!(matches!(strip(page), Cow::Borrowed(_)));
    }

    #[test]
    fn finds_byline_words_in_any_case() {
        for value in [
            "byline",
            "post-Author-box",
            "DATELINE",
            "x writtenby",
            "the-author",
        ] {
            assert!(has_byline_word(value.as_bytes()), "{value}");
        }
        for value in ["", "by", "authr", "date-line", "written-by", "writtenb"] {
            assert!(!has_byline_word(value.as_bytes()), "{value}");
        }
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
