//! HTML pages to articles: the main text, with its paragraphs, and the
//! page's headline, publication date, author, site name, URL and language.
//!
//! Parallax reads what the web gives it, and a web page is mostly not the
//! article: menus, related stories, share buttons, footers. This crate finds
//! the article in a page. One byte pass first cuts out what no extractor
//! reads (`strip` in the source: script and style contents, drawings,
//! comments, script-only attributes, and menus, sidebars, footers and forms
//! that nest cleanly and hold little prose: most of a news page's bytes),
//! estimating the nesting depth on the way; for Readability's first attempt
//! the same pass also cuts what that attempt would remove before scoring
//! (hidden elements, "unlikely candidate" blocks, scripts, unread `<meta>`,
//! whitespace between blocks). It parses what is left once and asks
//! `dom_smoothie` (a port of Mozilla's Readability) for the container
//! that holds the article (its first attempt alone; its later ones, on the
//! page without those cuts, only when the first finds under its threshold
//! of 500 characters; those later attempts, which keep what the first
//! drops as unlikely, are held to two rules Readability lacks: an article
//! that is mostly readers' comments counts as empty, and once the first
//! attempt found 100 characters a later one must hold most of them, not
//! land on a sidebar); then it cuts, from the document Readability
//! leaves, the furniture publishers put inside that container (see
//! `clean`): captions, credits and galleries, bylines and
//! "Updated ..." stamps, share bars, pop-ups, tag links (`rel="tag"`),
//! teaser cards and link lists, found by tag, by the words of `class`/`id`
//! names and by link density, never by per-site rules. Lines that are only
//! the page's link texts (related-story lists, "READ MORE:" promos; a
//! written-out web address stays) are cut too (`combine`). Only when that
//! leaves next to nothing does `rs-trafilatura` (a port of trafilatura),
//! several times slower, get a say, its paragraphs kept where Readability's
//! text supports them. On the ScrapingHub article-extraction benchmark this
//! beats either extractor alone, at about Readability's speed (figures in
//! `bench/README.md`). [`Mode::Fast`] takes Readability's text as it is.
//!
//! Input is bytes as found on disk or on the wire: gzip is undone (whole
//! pages by libdeflate in one call), the
//! charset found (byte-order mark, declared, `<meta>`, else guessed with
//! `chardetng`) and decoded with `encoding_rs` ([`decode_html`]). Bad input
//! gives an [`ExtractError`], never a panic. A folder of saved pages is
//! extracted on several threads by [`folder::extract_pages`] (`parallax
//! extract`).
//!
//! ```
//! use parallax_extract::{extract_html, Mode};
//! let html = r#"<html><head><title>Bridge closes | Town News</title>
//!   <meta property="article:published_time" content="2019-11-20T13:14:00+02:00"></head>
//!   <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
//!   <article><h1>Bridge closes</h1>
//!   <p>The council voted on Tuesday to close the old bridge for repairs that will take at least a year to finish.</p>
//!   <p>Drivers will be sent through the north road while the work goes on, officials said in a statement on Wednesday.</p>
//!   </article><footer>Copyright Town News</footer></body></html>"#;
//! let page = extract_html(html, None, Mode::Best);
//! assert!(page.body.starts_with("The council voted"));
//! assert!(!page.body.contains("Home"));
//! assert_eq!(page.published.unwrap().to_rfc3339(), "2019-11-20T11:14:00+00:00");
//! ```

mod clean;
mod combine;
mod decode;
mod depth;
pub mod folder;
mod meta;
mod strip;

use chrono::{DateTime, Utc};
use dom_smoothie::ParsePolicy;
use strip::Cuts;

pub use decode::{
    Decoded, GZIP_RATIO_FREE_BYTES, GuardedGz, MAX_GZIP_RATIO, decode_html, decompress,
};
pub use depth::{MAX_HTML_DEPTH, check_depth, nesting_depth};
pub use meta::parse_date;
pub use strip::{MAX_ATTRIBUTES, MAX_TAG_BYTES};

/// Fewest words of cleaned Readability text taken as the article without
/// asking rs-trafilatura.
const MIN_ARTICLE_WORDS: usize = 50;

/// Largest share of Readability's article that may sit in readers'
/// comments ([`clean::comment_share`]) for it to count as a find: past
/// it, the article counts as empty, so the next attempt is made and any
/// other find is preferred. Chosen leaving one benchmark set out (of
/// 0.3 / 0.5 / 0.7; `bench/README.md`).
const MAX_COMMENT_SHARE: f64 = 0.3;

/// Fewest characters (as Readability counts them) Readability's first
/// attempt must find for its later attempts to be held to it: a retry whose
/// article holds under [`MIN_EXTENDED`] of the first find's word 4-grams
/// found another part of the page (a sidebar, a profile box), not more of
/// the article, and is passed over. Chosen leaving one set out (of 1, 50,
/// 100, 200).
const MIN_FIRST_CHARS: usize = 100;

/// Least share of the first find's word 4-grams a later attempt must hold.
const MIN_EXTENDED: f64 = 0.5;

/// Default for the largest page accepted, after gunzipping: 32 MiB.
pub const DEFAULT_MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// What can make a page unreadable. The caller names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The page is gzip but could not be gunzipped (truncated or corrupt).
    #[error("bad gzip data: {0}")]
    Gzip(String),
    /// The page is larger than the limit.
    #[error("page is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The gzip data expands more than [`MAX_GZIP_RATIO`] times (past the
    /// first [`GZIP_RATIO_FREE_BYTES`]): a decompression bomb, refused
    /// before it is unpacked whole.
    #[error("gzip data expands more than {ratio}:1 (a decompression bomb?)")]
    GzipBomb {
        /// The ratio in force.
        ratio: u64,
    },
    /// Elements nest deeper than [`MAX_HTML_DEPTH`]: the extractors' cost
    /// grows with depth times size, so such a page is refused.
    #[error("elements nest {depth} deep, past the limit of {limit}")]
    TooDeep {
        /// The nesting found (at least).
        depth: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The bytes are binary data (NUL or control bytes), not a web page.
    #[error("binary data, not an HTML page")]
    Binary,
}

/// How hard to look for the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Readability's article with its furniture cut; rs-trafilatura when
    /// that finds next to nothing: the best text.
    #[default]
    Best,
    /// Readability's text as it is: a little faster, a few points less
    /// precise.
    Fast,
}

/// An article as found in a web page. Every field but the body may be
/// missing; the body may be empty when the page holds no article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The main text, one paragraph per line.
    pub body: String,
    /// The headline.
    pub title: Option<String>,
    /// When it was published, normalised to UTC.
    pub published: Option<DateTime<Utc>>,
    /// The author(s), as the page names them.
    pub author: Option<String>,
    /// The outlet's name.
    pub site_name: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    /// The language the page declares (a BCP 47 tag such as `en`).
    pub lang: Option<String>,
    /// The page's own short description.
    pub description: Option<String>,
    /// The charset the page was read in (set by [`extract_bytes`]).
    pub charset: Option<&'static str>,
}

/// Extract the article from a page's raw bytes (gzip or not, any charset).
/// `charset` is a label given from outside (an HTTP header), `url` the
/// page's address when known (it helps find dates and canonical URLs).
///
/// ```
/// use parallax_extract::{extract_bytes, ExtractError, Mode, DEFAULT_MAX_PAGE_BYTES};
/// let page = extract_bytes(b"<title>Caf\xe9</title><p>x</p>", None, None, Mode::Fast, DEFAULT_MAX_PAGE_BYTES).unwrap();
/// assert_eq!(page.title.as_deref(), Some("Café"));
/// let err = extract_bytes(b"\x7fELF\0\0\0\x01\0\0", None, None, Mode::Best, DEFAULT_MAX_PAGE_BYTES);
/// assert_eq!(err, Err(ExtractError::Binary));
/// ```
pub fn extract_bytes(
    bytes: &[u8],
    charset: Option<&str>,
    url: Option<&str>,
    mode: Mode,
    limit: usize,
) -> Result<Page, ExtractError> {
    let bytes = decompress(bytes, limit)?;
    if looks_binary(&bytes) {
        return Err(ExtractError::Binary);
    }
    let (text, used) = decode::decode_cow(&bytes, charset);
    // The strip pass estimates the depth on the way (as `check_depth`).
    let (pruned, depth) = strip::strip_page(&text, Cuts::FirstAttempt);
    if depth > MAX_HTML_DEPTH {
        return Err(ExtractError::TooDeep {
            depth,
            limit: MAX_HTML_DEPTH,
        });
    }
    let mut page = extract_pruned(&text, &pruned, url, mode);
    page.charset = Some(used);
    Ok(page)
}

/// True when the start of `bytes` holds NUL bytes (and no UTF-16 mark) or
/// many control bytes: an image, an archive, an executable.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    head.contains(&0) || control * 20 > head.len().max(1)
}

/// Extract the article from a page's text.
pub fn extract_html(html: &str, url: Option<&str>, mode: Mode) -> Page {
    extract_pruned(
        html,
        &strip::strip_page(html, Cuts::FirstAttempt).0,
        url,
        mode,
    )
}

/// [`extract_html`] on a page (`html`) and the same page stripped for
/// Readability's first attempt (`pruned`, [`Cuts::FirstAttempt`]).
///
/// Readability tries up to four times, each time on a fresh copy of the
/// page with fewer of its rules, and keeps the first article of at least
/// [`dom_smoothie::Config::char_threshold`] characters: on most pages the
/// first. That first attempt runs alone on the pruned page, where what it
/// would remove before scoring is gone already (so it is parsed and walked
/// once, and not copied); only when it finds too little are the later
/// attempts made ([`later_attempts`]) on the page stripped as
/// [`Cuts::Page`], which is also what rs-trafilatura reads.
fn extract_pruned(html: &str, pruned: &str, url: Option<&str>, mode: Mode) -> Page {
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut whole: Option<std::borrow::Cow<'_, str>> = None;
    let (links, found) = {
        let document = dom_query::Document::from(pruned);
        let links = combine::link_texts(&document.root());
        // Its first attempt is the one with every rule on.
        let first = readability(document, url, mode, ParsePolicy::Strict);
        let first_chars = first.as_ref().map(|(_, doc)| article_chars(doc, mode));
        if first_chars.is_some_and(|n| n >= config(mode).char_threshold) {
            (links, first)
        } else {
            let stripped = whole.insert(strip::strip_page(html, Cuts::Page).0);
            let document = dom_query::Document::from(&**stripped);
            let links = combine::link_texts(&document.root());
            let first = first.zip(first_chars);
            (links, later_attempts(document, url, mode, first))
        }
    };
    let mut page = Page::default();
    let (raw, cleaned) = match found {
        Some((article, doc)) => {
            page.title = non_empty(Some(article.title.clone()));
            page.author = non_empty(article.byline.clone());
            page.site_name = non_empty(article.site_name.clone());
            page.lang = non_empty(article.lang.clone());
            page.url = non_empty(article.url.clone());
            page.description = non_empty(article.excerpt.clone());
            page.published = article.published_time.as_deref().and_then(parse_date);
            let cleaned = match mode {
                // The furniture is cut from the document Readability
                // left, rather than from its article HTML parsed again.
                Mode::Best => doc
                    .select_single("#readability-page-1")
                    .nodes()
                    .first()
                    .map(|root| clean::drop_furniture_lines(&tidy(&clean::article_text(root))))
                    .unwrap_or_default(),
                Mode::Fast => String::new(),
            };
            // Readability's whole text is the body in fast mode, and
            // otherwise only wanted when the cleaned text is too short.
            let raw = if mode == Mode::Fast || !long_enough(&cleaned) {
                tidy(&article.text_content)
            } else {
                String::new()
            };
            (raw, cleaned)
        }
        None => (String::new(), String::new()),
    };
    let body = match mode {
        Mode::Fast => raw,
        Mode::Best if long_enough(&cleaned) => cleaned,
        Mode::Best => {
            let options = rs_trafilatura::Options {
                url: url.map(str::to_owned),
                ..rs_trafilatura::Options::default()
            };
            let stripped = whole.get_or_insert_with(|| strip::strip_page(html, Cuts::Page).0);
            match rs_trafilatura::extract_with_options(stripped, &options) {
                Ok(result) if !result.content_text.trim().is_empty() => {
                    let m = result.metadata;
                    page.title = page.title.or(non_empty(m.title));
                    page.author = page.author.or(non_empty(m.author));
                    page.site_name = page.site_name.or(non_empty(m.sitename));
                    page.lang = page.lang.or(non_empty(m.language));
                    page.url = page.url.or(non_empty(m.url));
                    page.description = page.description.or(non_empty(m.description));
                    page.published = page.published.or(m.date);
                    combine::supported(&tidy(&result.content_text), &raw)
                }
                _ => raw,
            }
        }
    };
    page.body = combine::drop_link_lines(&body, &links);
    if page.published.is_none() {
        page.published = url.and_then(meta::date_in_url);
    }
    if page.url.is_none() {
        page.url = url.map(str::to_owned);
    }
    page
}

/// Readability's view of the page, and the document it leaves, which holds
/// the article's content element. Its text is formatted (one block per
/// line) only in [`Mode::Fast`], where it is the body; [`Mode::Best`] reads
/// the article's elements instead and needs the text only as support.
///
/// `policy` says which of its attempts to make (each runs on the whole
/// document; see [`later_attempts`]).
fn readability(
    document: dom_query::Document,
    url: Option<&str>,
    mode: Mode,
    policy: ParsePolicy,
) -> Option<(dom_smoothie::Article, dom_query::Document)> {
    let mut readability =
        dom_smoothie::Readability::with_document(document, url, Some(config(mode))).ok()?;
    let article = readability.parse_with_policy(policy).ok()?;
    Some((article, readability.doc))
}

/// Readability's attempts after its first (`first`, made on the pruned
/// page, with the characters it found), each on a fresh copy of
/// `document`, the way `Readability::parse` makes them: the first to find
/// its threshold of characters wins, else the one that found the most (the
/// earliest of equals). Each rule is dropped in turn: unlikely candidates
/// kept, then class weights, then the conditional cleaning. Two guards
/// that Readability lacks, in [`Mode::Best`]: an article made mostly of readers' comments
/// counts as empty ([`article_chars`]), and when the first attempt found
/// [`MIN_FIRST_CHARS`] or more, a retry must hold most of what it found.
fn later_attempts(
    document: dom_query::Document,
    url: Option<&str>,
    mode: Mode,
    first: Option<((dom_smoothie::Article, dom_query::Document), usize)>,
) -> Option<(dom_smoothie::Article, dom_query::Document)> {
    let policies = [ParsePolicy::Moderate, ParsePolicy::Clean, ParsePolicy::Raw];
    // A first find with some text says where the article is: a retry
    // must extend it, not land elsewhere.
    let first_text = first
        .as_ref()
        .filter(|(_, n)| mode == Mode::Best && *n >= MIN_FIRST_CHARS)
        .map(|((_, doc), _)| container_text(doc));
    let mut best = first;
    let mut document = Some(document);
    for (i, policy) in policies.into_iter().enumerate() {
        let copy = if i + 1 < policies.len() {
            document.clone()
        } else {
            document.take()
        };
        let Some(found) = copy.and_then(|doc| readability(doc, url, mode, policy)) else {
            continue;
        };
        if let Some(text) = &first_text
            && combine::containment(text, &container_text(&found.1)) < MIN_EXTENDED
        {
            continue;
        }
        let chars = article_chars(&found.1, mode);
        if chars >= config(mode).char_threshold {
            return Some(found);
        }
        if best.as_ref().is_none_or(|(_, most)| chars > *most) {
            best = Some((found, chars));
        }
    }
    best.map(|(found, _)| found)
}

/// The text of the article Readability left in `doc`.
fn container_text(doc: &dom_query::Document) -> String {
    doc.select_single("#readability-page-1")
        .nodes()
        .first()
        .map(|root| root.text().to_string())
        .unwrap_or_default()
}

/// Readability's configuration.
fn config(mode: Mode) -> dom_smoothie::Config {
    dom_smoothie::Config {
        text_mode: match mode {
            Mode::Fast => dom_smoothie::TextMode::Formatted,
            Mode::Best => dom_smoothie::TextMode::Raw,
        },
        // The furniture cut (`clean`) reads class names.
        keep_classes: true,
        ..dom_smoothie::Config::default()
    }
}

/// The characters of the article Readability left in `doc`, counted as
/// Readability counts them to decide whether to try again; none when more
/// than [`MAX_COMMENT_SHARE`] of them are readers' comments ([`Mode::Best`]
/// only: [`Mode::Fast`] is Readability as it is).
fn article_chars(doc: &dom_query::Document, mode: Mode) -> usize {
    doc.select_single("#readability-page-1")
        .nodes()
        .first()
        .map_or(0, |root| {
            if mode == Mode::Best && clean::comment_share(root) > MAX_COMMENT_SHARE {
                0
            } else {
                root.normalized_char_count()
            }
        })
}

/// True when `text` has at least [`MIN_ARTICLE_WORDS`] words.
fn long_enough(text: &str) -> bool {
    combine::words(text).nth(MIN_ARTICLE_WORDS - 1).is_some()
}

/// Lines trimmed and whitespace collapsed, blank lines dropped.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut first = true;
        for word in line.split_whitespace() {
            if first {
                if !out.is_empty() {
                    out.push('\n');
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// `s` trimmed with inner whitespace collapsed, or `None` when empty.
fn non_empty(s: Option<String>) -> Option<String> {
    let s = s?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` sentences of comment prose, each naming its number.
    fn comments(n: usize) -> String {
        (1..=n)
            .map(|i| {
                format!(
                    "<div class=\"comment-body\"><p>Reader {i} wrote: I drive over that bridge every \
                     morning on the way to work and I am glad the council finally decided to fix it \
                     before something terrible happened to somebody.</p></div>"
                )
            })
            .collect()
    }

    /// A blog post too short for Readability's threshold above a long
    /// comment thread: Readability alone retries with the thread kept and
    /// takes it for the article; the thread is turned down (as comments,
    /// and as a find that does not extend the first).
    #[test]
    fn a_comment_thread_is_not_the_article() {
        let post = "The old bridge closes on Monday for a year. The council voted for the repairs \
                    on Tuesday after a long debate, and drivers will be sent through the north road \
                    while the work goes on. Shops on the bridge street say they fear losing trade, \
                    and the council has promised them help with their rents until it opens again.";
        let page = format!(
            "<html><head><title>Bridge</title></head><body>\
             <div class=\"entry\"><h2>Bridge</h2><p>{post}</p></div>\
             <div id=\"comments\">{}</div></body></html>",
            comments(6)
        );
        let body = extract_html(&page, None, Mode::Best).body;
        assert!(body.contains(post), "{body}");
        assert!(!body.contains("Reader 1 wrote"), "{body}");
    }

    /// A short post and, in a block the first attempt drops as unlikely,
    /// a longer profile box: a retry that lands on the box instead of
    /// extending the post is passed over.
    #[test]
    fn a_retry_must_extend_the_first_find() {
        let post = "The council voted on Tuesday to close the old bridge for repairs. \
                    Drivers will use the north road while the work goes on, officials said. \
                    The work is planned to take a full year, and shops on the bridge street \
                    fear they will lose trade; the council has promised them help with rents. \
                    A new bridge was ruled out as too dear.";
        let about =
            "<p>I am a writer and photographer who has lived in this town for thirty years, \
                     and I write about its streets, its people and its history.</p>"
                .repeat(10);
        let page = format!(
            "<html><head><title>Bridge</title></head><body>\
             <div class=\"main\"><div class=\"content\"><div class=\"post\"><p>{post}</p></div></div></div>\
             <div class=\"sidebar\"><div class=\"widget\"><div class=\"bio\">{about}</div></div></div></body></html>"
        );
        let body = extract_html(&page, None, Mode::Best).body;
        assert!(body.contains("The council voted"), "{body}");
        assert!(!body.contains("photographer"), "{body}");
    }

    /// A page whose readable text all sits in blocks Readability's first
    /// attempt strips ("comment"): that attempt finds nothing on the
    /// pruned page, so the whole page is read with Readability's later
    /// attempts, as Readability alone would.
    #[test]
    fn reads_the_whole_page_when_the_first_attempt_finds_too_little() {
        let para = |n: usize| {
            format!(
                "<p>Comment {n}: the council voted on Tuesday to close the old bridge for repairs, \
                 which will take at least a year, and residents are not pleased about the detour.</p>"
            )
        };
        let page = format!(
            "<html><head><title>Bridge</title></head><body>\
             <div class=\"comment-thread\">{}{}</div><div class=\"comment-thread\">{}{}</div>\
             <div class=\"comment-thread\">{}{}</div></body></html>",
            para(1),
            para(2),
            para(3),
            para(4),
            para(5),
            para(6)
        );
        let pruned = strip::strip_page(&page, Cuts::FirstAttempt).0;
        assert!(
            !pruned.contains("Comment 1"),
            "the blocks are cut for the first attempt"
        );
        let body = extract_html(&page, None, Mode::Best).body;
        assert!(
            body.contains("Comment 1:") && body.contains("Comment 6:"),
            "{body}"
        );
    }
}
