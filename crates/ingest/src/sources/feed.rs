//! Feeds: RSS 0.9x, 1.0 (RDF) and 2.0, Atom, and JSON Feed, read with
//! `feed-rs`. Every item becomes an article.
//!
//! An item's id is its link (the article's address, so the same article
//! reached through two feeds, or through a feed and a crawl, is one
//! article), else the feed's own id for it (`guid`, Atom `id`), else a
//! stable hash of its title and text. Its body is the item's full content
//! (`content:encoded`, Atom `content`, JSON Feed `content_html` /
//! `content_text`) turned into text, else its summary; its outlet is the
//! feed's title (else the host of the feed's link). A feed that is not
//! well-formed is reported once, naming the file, and nothing of it is
//! ingested.
//!
//! [`parse_feed`] is public so that `parallax watch` can see which items
//! carry only a summary and fetch their pages.

use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use parallax_model::{ArticleId, Origin};

use super::{Draft, Emitter, Reader};
use crate::{IngestError, html_to_text};

/// Fewest words an item's content needs to count as the full article; a
/// shorter one is taken as a summary.
const FULL_TEXT_WORDS: usize = 120;

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Feed {
    /// The feed's title (often the outlet's name).
    pub title: Option<String>,
    /// The feed's home page.
    pub link: Option<String>,
    /// The items, in feed order.
    pub items: Vec<FeedItem>,
}

impl Feed {
    /// The outlet the items are credited to: the feed's title, else the host
    /// of its home page.
    pub fn outlet(&self) -> Option<String> {
        self.title
            .clone()
            .or_else(|| self.link.as_deref().and_then(host_name).map(str::to_owned))
    }
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedItem {
    /// Its article id: link, else the feed's id for it, else a content hash.
    pub id: String,
    /// The linked page.
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// When it was published (else last updated).
    pub published: Option<DateTime<Utc>>,
    /// The authors' names, joined with `, `.
    pub author: Option<String>,
    /// Its text: the full content as text, else the summary as text.
    pub text: String,
    /// True when `text` is the item's full content, not only a summary
    /// (so there is no need to fetch the page).
    pub full: bool,
}

/// Parse a feed of any supported kind from its bytes (any XML encoding,
/// gzip undone by the caller). `base` is the feed's own address, used to
/// resolve relative links. The error says why the bytes are not a feed.
///
/// ```
/// let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Town News</title>
///   <item><title>Bridge closes</title><link>https://town.example/bridge</link>
///   <description>The council voted to close the bridge.</description>
///   <pubDate>Wed, 20 Nov 2019 13:14:00 +0200</pubDate></item></channel></rss>"#;
/// let feed = parallax_ingest::sources::feed::parse_feed(rss.as_bytes(), None).unwrap();
/// assert_eq!(feed.title.as_deref(), Some("Town News"));
/// let item = &feed.items[0];
/// assert_eq!(item.id, "https://town.example/bridge");
/// assert_eq!(item.text, "The council voted to close the bridge.");
/// assert!(!item.full);
/// assert_eq!(item.published.unwrap().to_rfc3339(), "2019-11-20T11:14:00+00:00");
/// assert!(parallax_ingest::sources::feed::parse_feed(b"<rss><channel><item>", None).is_err());
/// ```
pub fn parse_feed(bytes: &[u8], base: Option<&str>) -> Result<Feed, String> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base)
        // Ids feed-rs would invent (random UUIDs for items without link
        // or title) are not stable: leave them empty and hash below.
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = parser.parse(bytes).map_err(|e| e.to_string())?;
    let mut feed = Feed {
        title: parsed.title.as_ref().and_then(|t| one_line(&text_of(t))),
        link: parsed
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .map(|l| l.href.clone()),
        items: Vec::with_capacity(parsed.entries.len()),
    };
    for entry in parsed.entries {
        let url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.trim().to_owned())
            .filter(|h| !h.is_empty());
        let title = entry.title.as_ref().and_then(|t| one_line(&text_of(t)));
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .map(|body| {
                if c_is_text(entry.content.as_ref()) {
                    tidy(body)
                } else {
                    html_to_text(body)
                }
            })
            .filter(|t| !t.is_empty());
        let summary = entry
            .summary
            .as_ref()
            .map(text_of)
            .filter(|t| !t.is_empty());
        let (text, full) = match (content, summary) {
            (Some(c), _) if word_count(&c) >= FULL_TEXT_WORDS => (c, true),
            (Some(c), Some(s)) => (if c.len() >= s.len() { c } else { s }, false),
            (Some(c), None) => (c, false),
            (None, Some(s)) => {
                let full = word_count(&s) >= FULL_TEXT_WORDS;
                (s, full)
            }
            (None, None) => (String::new(), false),
        };
        let id = url
            .clone()
            .or_else(|| Some(entry.id.trim().to_owned()).filter(|i| !i.is_empty()))
            .unwrap_or_else(|| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (&title, &text).hash(&mut h);
                format!("feed-item-{:016x}", h.finish())
            });
        let author = entry
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref().map(str::trim))
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        feed.items.push(FeedItem {
            id,
            url,
            title,
            published: entry.published.or(entry.updated),
            author: (!author.is_empty()).then_some(author),
            text,
            full,
        });
    }
    Ok(feed)
}

/// True when the content is declared plain text.
fn c_is_text(content: Option<&feed_rs::model::Content>) -> bool {
    content.is_some_and(|c| c.content_type.essence().to_string() == "text/plain")
}

/// A feed-rs text as plain text: markup removed unless it is declared
/// plain text.
fn text_of(t: &feed_rs::model::Text) -> String {
    if t.content_type.essence().to_string() == "text/plain" && !t.content.contains('<') {
        tidy(&t.content)
    } else {
        html_to_text(&t.content)
    }
}

/// Lines trimmed, inner whitespace collapsed, blank lines dropped.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// All of `text` on one line, or `None` when empty.
fn one_line(text: &str) -> Option<String> {
    let s = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The host part of an `http(s)://` address.
///
/// ```
/// use parallax_ingest::sources::feed::host_name;
/// assert_eq!(host_name("https://a.example:8080/x?y"), Some("a.example"));
/// assert_eq!(host_name("ftp://a"), None);
/// ```
pub fn host_name(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Read one feed file: every item an article.
pub(crate) fn read(reader: &mut Reader, file: File, path: &Path, out: &mut Emitter<'_>) {
    let name = path.display().to_string();
    let limit = reader.options().max_record_bytes;
    let mut bytes = Vec::new();
    if let Err(source) = file.take(limit as u64 + 1).read_to_end(&mut bytes) {
        return out.error(IngestError::Io { path: name, source });
    }
    let origin = Origin {
        file: name.clone(),
        line: None,
    };
    if bytes.len() > limit {
        return out.error(IngestError::FileTooLarge { origin, limit });
    }
    let bytes = match parallax_extract::decompress(&bytes, limit) {
        Ok(b) => b,
        Err(e) => {
            return out.error(IngestError::BadFeed {
                origin,
                message: e.to_string(),
            });
        }
    };
    read_bytes(reader, &bytes, &name, None, out);
}

/// Read a feed held in memory, naming it `name` in origins and errors.
pub(crate) fn read_bytes(
    reader: &mut Reader,
    bytes: &[u8],
    name: &str,
    base: Option<&str>,
    out: &mut Emitter<'_>,
) {
    let feed = match parse_feed(bytes, base) {
        Ok(feed) => feed,
        Err(message) => {
            return out.error(IngestError::BadFeed {
                origin: Origin {
                    file: name.to_owned(),
                    line: None,
                },
                message,
            });
        }
    };
    let outlet = feed.outlet();
    for (n, item) in feed.items.into_iter().enumerate() {
        let origin = Origin {
            file: format!("{name} (item {})", n + 1),
            line: None,
        };
        let mut draft = Draft::new(ArticleId(item.id), item.text);
        draft.title = item.title;
        draft.url = item.url;
        draft.source = outlet.clone();
        draft.published = item.published;
        reader.accept(draft, origin, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_and_json_feed() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Wire</title>
<link href="https://wire.example/"/><id>urn:x</id><updated>2020-01-01T00:00:00Z</updated>
<entry><title>Storm hits coast</title><id>urn:item:1</id>
<updated>2020-01-02T10:00:00+01:00</updated><author><name>Ann Lee</name></author>
<content type="html">&lt;p&gt;The storm hit the coast.&lt;/p&gt;&lt;p&gt;Power is out.&lt;/p&gt;</content></entry>
</feed>"#;
        let feed = parse_feed(atom.as_bytes(), None).unwrap();
        assert_eq!(feed.outlet().as_deref(), Some("Example Wire"));
        let item = &feed.items[0];
        assert_eq!(item.id, "urn:item:1");
        assert_eq!(item.text, "The storm hit the coast.\nPower is out.");
        assert_eq!(item.author.as_deref(), Some("Ann Lee"));
        assert_eq!(
            item.published.unwrap().to_rfc3339(),
            "2020-01-02T09:00:00+00:00"
        );

        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "JF",
            "items": [{"id": "7", "url": "https://jf.example/7", "content_text": "Plain words here.",
                       "date_published": "2021-03-04T05:06:07Z"},
                      {"id": "8", "content_html": "<p>No link.</p>"}]}"#;
        let feed = parse_feed(json.as_bytes(), None).unwrap();
        assert_eq!(feed.items[0].id, "https://jf.example/7");
        assert_eq!(feed.items[0].text, "Plain words here.");
        assert_eq!(feed.items[1].id, "8");
        assert_eq!(feed.items[1].text, "No link.");
    }

    #[test]
    fn rss1_and_rss091() {
        let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://r.example/"><title>RDF News</title><link>https://r.example/</link></channel>
<item rdf:about="https://r.example/a"><title>A</title><link>https://r.example/a</link>
<description>First item.</description></item></rdf:RDF>"#;
        let feed = parse_feed(rdf.as_bytes(), None).unwrap();
        assert_eq!(feed.items[0].id, "https://r.example/a");
        assert_eq!(feed.items[0].text, "First item.");
        let rss091 = r#"<rss version="0.91"><channel><title>Old</title><link>http://o.example/</link>
<item><title>Only a title</title><link>http://o.example/1</link></item></channel></rss>"#;
        let feed = parse_feed(rss091.as_bytes(), None).unwrap();
        assert_eq!(feed.items[0].title.as_deref(), Some("Only a title"));
        assert_eq!(feed.items[0].text, "");
    }
}
