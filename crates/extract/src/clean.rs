//! Cutting page furniture out of Readability's article.
//!
//! Readability finds the one container that holds the article, but keeps
//! what the publisher put inside it beside the prose: photo captions and
//! credits, slideshow controls, bylines and "Updated ..." stamps, share
//! bars, "related stories" teasers, newsletter boxes. Publishers mark such
//! blocks in the same few ways everywhere, so they are found by general
//! signals rather than per-site rules: the element's tag (`figure`,
//! `aside`, `nav`, ...) and the words of its `class` and `id` (`caption`,
//! `byline`, `share`, `related`, ...). A marked block is only cut when it
//! is a small part of the article, so a container that happens to be named
//! `post-meta-content` around the whole text survives.

use dom_query::{NodeId, NodeRef};
use rustc_hash::FxHashMap;

/// Elements that are never article prose.
const FURNITURE_TAGS: &[&str] = &[
    "figure",
    "figcaption",
    "aside",
    "nav",
    "footer",
    "form",
    "button",
    "select",
    "noscript",
];

/// Words of `class`/`id` values that mark page furniture (compared after
/// splitting on punctuation and camelCase, lowercased).
const FURNITURE_WORDS: &[&str] = &[
    "caption",
    "captions",
    "credit",
    "credits",
    "byline",
    "bylines",
    "dateline",
    "timestamp",
    "share",
    "sharing",
    "related",
    "recommended",
    "promo",
    "newsletter",
    "subscribe",
    "signup",
    "gallery",
    "slideshow",
    "carousel",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "advertisement",
    "sponsor",
    "sponsored",
    "copyright",
    "toolbar",
    "disclaimer",
    "rail",
    "sidebar",
    "teaser",
    "trending",
    "popular",
    "recirc",
    "outbrain",
    "taboola",
    "popup",
    "popover",
    "tooltip",
    "rollover",
];

/// Words of `class`/`id` values that mark a picture or video with its
/// caption; such a block is only cut when it is short, since recipe cards
/// and galleries of prose also carry these names.
const MEDIA_WORDS: &[&str] = &[
    "image", "images", "img", "photo", "photos", "picture", "video",
];

/// Words of `class`/`id` values that mark readers' comments and the form
/// to write one (compared as [`FURNITURE_WORDS`] are). `reply` alone is
/// left out: forum posts, often the page's content, carry it.
const COMMENT_WORDS: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "respond",
    "replies",
    "discussion",
    "disqus",
    "dsq",
];

/// Most characters (whitespace not counted) of a media block that is cut as a caption.
const MAX_CAPTION_CHARS: usize = 340;

/// Least share of a block's characters inside links for it to be taken as
/// a list of links (teasers, "more stories") rather than prose.
const LINK_DENSITY: f64 = 0.7;

/// Largest share of the article's characters a marked block may hold and
/// still be cut.
const MAX_CUT_SHARE: f64 = 0.3;

/// The text of Readability's article (`root`, its content element, in the
/// document Readability worked on) without its furniture, one block per
/// line. Cuts from that document.
pub(crate) fn article_text(root: &NodeRef<'_>) -> String {
    let sizes = measure(root);
    let size = |n: &NodeRef<'_>| sizes.get(&n.id).copied().unwrap_or_default();
    let total = size(root).chars.max(1) as f64;
    let mut cut: Vec<NodeRef<'_>> = Vec::new();
    // Depth-first, not entering what is cut.
    let mut stack: Vec<NodeRef<'_>> = root.element_children();
    while let Some(node) = stack.pop() {
        let s = size(&node);
        let marked = is_furniture(&node, s) || is_link_block(&node, s) || is_teaser_card(&node);
        if marked && (s.chars as f64) < MAX_CUT_SHARE * total {
            cut.push(node);
        } else {
            stack.extend(node.element_children());
        }
    }
    for node in &cut {
        node.remove_from_parent();
    }
    root.formatted_text().to_string()
}

/// Share of the text under `root` (Readability's article) that sits in
/// readers' comments: elements whose class/id words say so ([`COMMENT_WORDS`]),
/// `root` itself included. Readability's retries, which keep what its first
/// attempt drops as unlikely, often take the comment thread of a short blog
/// post for the article; the caller turns such a find down.
pub(crate) fn comment_share(root: &NodeRef<'_>) -> f64 {
    if is_comment_block(root) {
        return 1.0;
    }
    let mut inside = 0;
    let mut stack: Vec<NodeRef<'_>> = root.element_children();
    while let Some(node) = stack.pop() {
        if is_comment_block(&node) {
            inside += node.normalized_char_count();
        } else {
            stack.extend(node.element_children());
        }
    }
    if inside == 0 {
        return 0.0;
    }
    inside as f64 / root.normalized_char_count().max(1) as f64
}

/// True when the element's class/id words say readers' comments. A cheap
/// byte test first: most elements carry no such name at all.
fn is_comment_block(node: &NodeRef<'_>) -> bool {
    let class = node.attr("class");
    let id = node.attr("id");
    // Most elements have neither attribute, or no cue in it: told without
    // allocating.
    let cued = |v: Option<&str>| {
        v.is_some_and(|v| {
            [
                "comment",
                "respond",
                "replies",
                "discussion",
                "disqus",
                "dsq",
            ]
            .iter()
            .any(|cue| {
                v.as_bytes()
                    .windows(cue.len())
                    .any(|w| w.eq_ignore_ascii_case(cue.as_bytes()))
            })
        })
    };
    if !cued(class.as_deref()) && !cued(id.as_deref()) {
        return false;
    }
    let names = format!(
        "{} {}",
        class.as_deref().unwrap_or(""),
        id.as_deref().unwrap_or("")
    );
    name_words(&names).any(|w| COMMENT_WORDS.contains(&w.as_str()))
}

/// Visible characters (whitespace not counted) under a node, and how many
/// of them are inside links.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    chars: usize,
    in_links: usize,
}

/// The [`Size`] of every node under `root`, in one bottom-up pass (asking
/// each element for its text separately would be quadratic in the depth).
fn measure(root: &NodeRef<'_>) -> FxHashMap<NodeId, Size> {
    let mut sizes: FxHashMap<NodeId, Size> = FxHashMap::default();
    let mut stack = vec![(*root, false)];
    while let Some((node, children_done)) = stack.pop() {
        if !children_done {
            stack.push((node, true));
            stack.extend(node.children_it(false).map(|c| (c, false)));
            continue;
        }
        let mut size = Size::default();
        if node.is_text() {
            size.chars = node.text().chars().filter(|c| !c.is_whitespace()).count();
        } else {
            for child in node.children_it(false) {
                let s = sizes.get(&child.id).copied().unwrap_or_default();
                size.chars += s.chars;
                size.in_links += s.in_links;
            }
        }
        if node.has_name("a") {
            size.in_links = size.chars;
        }
        sizes.insert(node.id, size);
    }
    sizes
}

/// True when most of the element's text is link text: a teaser card, a
/// list of other stories. Only containers count; a paragraph that is one
/// link is left to the link-line cut, which knows the page's links.
fn is_link_block(node: &NodeRef<'_>, size: Size) -> bool {
    let Some(name) = node.node_name() else {
        return false;
    };
    matches!(
        name.as_ref(),
        "div" | "section" | "article" | "ul" | "ol" | "li" | "header" | "table"
    ) && size.chars > 0
        && size.in_links as f64 > LINK_DENSITY * size.chars as f64
}

/// True for an `article` element inside the article that opens with a
/// link or heading-link: a teaser card for another story.
fn is_teaser_card(node: &NodeRef<'_>) -> bool {
    node.has_name("article")
        && node.descendants_it().filter(|d| d.has_name("a")).any(|a| {
            a.descendants_it()
                .any(|d| d.has_name("img") || d.has_name("picture"))
        })
}

/// True when the element's tag or the words of its class/id say furniture.
fn is_furniture(node: &NodeRef<'_>, size: Size) -> bool {
    if let Some(name) = node.node_name()
        && FURNITURE_TAGS.contains(&name.as_ref())
    {
        return true;
    }
    // `rel="tag"` (a microformat) marks links to the site's tag pages.
    if node.has_name("a")
        && node
            .attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("tag")))
    {
        return true;
    }
    let mut names = String::new();
    for attr in ["class", "id"] {
        if let Some(v) = node.attr(attr) {
            names.push_str(&v);
            names.push(' ');
        }
    }
    if names.is_empty() {
        return false;
    }
    let words: Vec<String> = name_words(&names).collect();
    words.iter().any(|w| FURNITURE_WORDS.contains(&w.as_str()))
        || (words.iter().any(|w| MEDIA_WORDS.contains(&w.as_str()))
            && size.chars <= MAX_CAPTION_CHARS
            // An embedded post (a tweet in a "video-container") is quoted
            // content, not a caption.
            && !node.descendants_it().any(|d| d.has_name("blockquote")))
}

/// The words of a class/id value: split on anything not a letter and at
/// lower-to-upper case changes, lowercased.
fn name_words(names: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in names.chars() {
        if !c.is_ascii_alphabetic() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_ascii_lowercase();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.into_iter()
}

/// Longest line (in words) taken as a date stamp or byline.
const MAX_STAMP_WORDS: usize = 14;
/// Longest line (in words) dropped for being repeated on the page.
const MAX_REPEATED_WORDS: usize = 1;
/// Times a short line must occur to be taken as a repeated control label.
const MIN_REPEATS: usize = 3;

/// Words that open a byline or date stamp line.
const STAMP_CUES: &[&str] = &[
    "by",
    "published",
    "updated",
    "posted",
    "modified",
    "last",
    "publicado",
    "atualizado",
    "actualizado",
    "publié",
    "veröffentlicht",
];

/// Month names, lowercased, for date stamps.
const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Lines of the article text that are not prose: bylines and date stamps
/// ("By A. Writer - 11/18/19 11:04 PM", "Updated at 1:23 p.m."), and
/// one-word control labels repeated down the page ("Advert").
pub(crate) fn drop_furniture_lines(text: &str) -> String {
    use crate::combine::{fold, words};
    let lines: Vec<&str> = text.lines().collect();
    // Only short lines can be labels or stamps: longer ones (most of an
    // article) are told by counting words, without folding them.
    let short = |line: &str, most: usize| words(line).nth(most).is_none();
    let mut counts: FxHashMap<String, usize> = FxHashMap::default();
    for line in &lines {
        if short(line, MAX_REPEATED_WORDS) {
            let folded = fold(line);
            if folded.chars().all(char::is_alphabetic) {
                *counts.entry(folded).or_default() += 1;
            }
        }
    }
    let mut kept = Vec::with_capacity(lines.len());
    for line in lines {
        if !short(line, MAX_STAMP_WORDS.max(MAX_REPEATED_WORDS)) {
            kept.push(line);
            continue;
        }
        let folded = fold(line);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let repeated = counts.get(&folded).copied().unwrap_or(0) >= MIN_REPEATS;
        if words.is_empty() || repeated || is_stamp(line, &words) {
            continue;
        }
        kept.push(line);
    }
    kept.join("\n")
}

/// A short line that opens with a byline/stamp cue and holds a date: a
/// month name, a year, a clock time, a d/m/y date or "ago".
fn is_stamp(line: &str, words: &[&str]) -> bool {
    if words.len() > MAX_STAMP_WORDS || !STAMP_CUES.contains(&words[0]) {
        return false;
    }
    let is_year = |w: &&str| {
        w.len() == 4
            && w.chars().all(|c| c.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
    };
    let b = line.as_bytes();
    let clock_or_slash = b
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && matches!(w[1], b':' | b'/') && w[2].is_ascii_digit());
    clock_or_slash
        || words
            .iter()
            .any(|w| is_year(w) || MONTHS.contains(w) || *w == "ago")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`article_text`] of an HTML fragment.
    fn text_of(html: &str) -> String {
        let doc = dom_query::Document::from(html);
        article_text(&doc.root())
    }

    #[test]
    fn splits_class_names_into_words() {
        let words: Vec<String> = name_words("article__byline imageCaption js-share").collect();
        assert_eq!(
            words,
            ["article", "byline", "image", "caption", "js", "share"]
        );
    }

    #[test]
    fn cuts_marked_blocks_but_not_the_article() {
        let prose = "The council voted on Tuesday to close the old bridge for repairs. ".repeat(6);
        let html = format!(
            r#"<div class="post-meta-content"><p>{prose}</p>
               <figure><img src="a.jpg"><figcaption>The old bridge</figcaption></figure>
               <div class="article-byline">By A. Writer</div>
               <p>{prose}</p></div>"#
        );
        let text = text_of(&html);
        assert!(text.contains("The council voted"));
        assert!(!text.contains("The old bridge"));
        assert!(!text.contains("A. Writer"));
        let html = format!(
            r#"<div><p>{prose} Rep. <span><a href="/p/1">Jane Roe</a><span class="rollover-people-block">Jane Roe: other news</span></span> said.</p>
               <p>Tags: <a rel="tag" href="/tag/bridges">bridges in town</a></p></div>"#
        );
        let text = text_of(&html);
        assert!(text.contains("Rep. Jane Roe said."));
        assert!(!text.contains("other news"));
        assert!(!text.contains("bridges in town"));
    }

    #[test]
    fn cuts_link_lists_and_teaser_cards() {
        let prose =
            "Officials said the repairs would take a year and cost more than planned. ".repeat(8);
        let html = format!(
            r#"<div><p>{prose}</p>
               <ul><li><a href="/a">Mayor opens a park</a></li><li><a href="/b">Rain expected all week</a></li></ul>
               <article><a href="/c"><img src="c.jpg"></a><h2>Fire on Main Street</h2><p>Crews worked all night.</p></article>
               <div class="video-container"><blockquote><p>A quoted post that is part of the story.</p></blockquote></div>
               </div>"#
        );
        let text = text_of(&html);
        assert!(text.contains("Officials said"));
        assert!(!text.contains("Mayor opens a park"));
        assert!(!text.contains("Fire on Main Street"));
        assert!(text.contains("A quoted post"));
    }

    #[test]
    fn measures_the_share_of_readers_comments() {
        let post = "The council voted on Tuesday to close the old bridge for repairs. ".repeat(2);
        let comment = "I drive over that bridge every day and I am glad it gets fixed at last. ";
        let thread = format!(
            r#"<ol class="commentList"><li class="comment-body"><p>{comment}</p></li>
               <li class="comment-body"><p>{comment}</p></li><li><p>{comment}</p></li></ol>"#
        );
        // A short post under a long thread: most of the text is comments.
        let doc = dom_query::Document::from(format!(
            r#"<div id="root"><div class="entry"><p>{post}</p></div>{thread}</div>"#
        ));
        let root = doc.select_single("#root").nodes()[0];
        assert!(comment_share(&root) > 0.6, "{}", comment_share(&root));
        // The container itself named as the comments.
        let doc = dom_query::Document::from(format!(r#"<div id="comments">{thread}</div>"#));
        let root = doc.select_single("#comments").nodes()[0];
        assert!((comment_share(&root) - 1.0).abs() < 1e-9);
        // Names that only look alike, and a forum's "reply" posts, are not comments.
        let doc = dom_query::Document::from(format!(
            r#"<div id="root"><div class="commentary"><p>{post}</p></div>
               <div class="reply"><p>{comment}</p></div><div class="responsive"><p>{comment}</p></div></div>"#
        ));
        let root = doc.select_single("#root").nodes()[0];
        assert_eq!(comment_share(&root), 0.0);
    }

    #[test]
    fn drops_stamps_and_repeated_labels_only() {
        let text = "By Jane Doe - 11/18/19 11:04 PM EST\n\
                    The vote passed on Tuesday after a long debate.\n\
                    Advert\n\
                    Updated at 1:23 p.m.\n\
                    By the end of the night, 40 members had spoken.\n\
                    Advert\n\
                    29 November 2018 | 20 January 2019\n\
                    Advert";
        assert_eq!(
            drop_furniture_lines(text),
            "The vote passed on Tuesday after a long debate.\n\
             By the end of the night, 40 members had spoken.\n\
             29 November 2018 | 20 January 2019"
        );
    }
}
