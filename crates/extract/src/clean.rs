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

use dom_query::{Document, NodeRef};

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
    "social",
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
];

/// Words of `class`/`id` values that mark a picture or video with its
/// caption; such a block is only cut when it is short, since recipe cards
/// and galleries of prose also carry these names.
const MEDIA_WORDS: &[&str] = &["image", "images", "img", "photo", "photos", "picture", "video"];

/// Most characters of a media block that is cut as a caption.
const MAX_CAPTION_CHARS: usize = 400;

/// Least share of a block's characters inside links for it to be taken as
/// a list of links (teasers, "more stories") rather than prose.
const LINK_DENSITY: f64 = 0.7;

/// Largest share of the article's characters a marked block may hold and
/// still be cut.
const MAX_CUT_SHARE: f64 = 0.3;

/// The text of Readability's article HTML (`content`) without its
/// furniture, one block per line.
pub(crate) fn article_text(content: &str) -> String {
    let doc = Document::from(content);
    let root = doc.root();
    let total = root.normalized_char_count().max(1) as f64;
    let mut cut: Vec<NodeRef<'_>> = Vec::new();
    // Depth-first, not entering what is cut.
    let mut stack: Vec<NodeRef<'_>> = root.element_children();
    while let Some(node) = stack.pop() {
        let small = || (node.normalized_char_count() as f64) < MAX_CUT_SHARE * total;
        if (is_furniture(&node) || is_link_block(&node)) && small() {
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

/// True when most of the element's text is link text: a teaser card, a
/// list of other stories. Only containers count; a paragraph that is one
/// link is left to the link-line cut, which knows the page's links.
fn is_link_block(node: &NodeRef<'_>) -> bool {
    let Some(name) = node.node_name() else {
        return false;
    };
    if !matches!(
        name.as_ref(),
        "div" | "section" | "article" | "ul" | "ol" | "li" | "header" | "table"
    ) {
        return false;
    }
    let chars = node.normalized_char_count();
    if chars == 0 {
        return false;
    }
    let mut in_links = 0;
    let mut stack = node.element_children();
    while let Some(n) = stack.pop() {
        if n.has_name("a") {
            in_links += n.normalized_char_count();
        } else {
            stack.extend(n.element_children());
        }
    }
    in_links as f64 > LINK_DENSITY * chars as f64
}

/// True when the element's tag or the words of its class/id say furniture.
fn is_furniture(node: &NodeRef<'_>) -> bool {
    if let Some(name) = node.node_name()
        && FURNITURE_TAGS.contains(&name.as_ref())
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
            && node.normalized_char_count() <= MAX_CAPTION_CHARS)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_class_names_into_words() {
        let words: Vec<String> = name_words("article__byline imageCaption js-share").collect();
        assert_eq!(words, ["article", "byline", "image", "caption", "js", "share"]);
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
        let text = article_text(&html);
        assert!(text.contains("The council voted"));
        assert!(!text.contains("The old bridge"));
        assert!(!text.contains("A. Writer"));
    }
}
