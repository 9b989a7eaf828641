//! A deliberately small HTML-to-text conversion.
//!
//! This is a stand-in until a real main-text extractor exists: it keeps all
//! visible text, with a paragraph break at every block-level tag, and drops
//! scripts, styles and the document head. Callers only use
//! [`html_to_text`] and [`html_title`], so the extractor can be swapped
//! without touching them.

/// Elements whose content is never text to read.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object",
];

/// Elements that start or end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "dd",
    "dt",
    "dl",
    "form",
    "body",
    "html",
    "address",
    "details",
    "summary",
];

/// The visible text of an HTML document: one paragraph per line, scripts,
/// styles and the head dropped, whitespace collapsed, common entities
/// decoded.
///
/// ```
/// use parallax_ingest::html_to_text;
/// let html = "<html><head><title>T</title><script>x()</script></head>\
///             <body><p>Fish &amp; chips</p><p>Second\n  line</p></body></html>";
/// assert_eq!(html_to_text(html), "Fish & chips\nSecond line");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut out = Text::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = html[i..].find('<').map_or(html.len(), |p| i + p);
            out.push_text(&decode_entities(&html[i..end]));
            i = end;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(html.len(), |p| i + p + 3);
            continue;
        }
        let starts_tag = bytes
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
        if !starts_tag {
            out.push_text("<");
            i += 1;
            continue;
        }
        let Some(end) = tag_end(html, i + 1) else {
            break;
        };
        let inner = &html[i + 1..end];
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        i = end + 1;
        if !closing && HIDDEN.contains(&name.as_str()) && !inner.ends_with('/') {
            i = find_closing(html, i, &name).unwrap_or(html.len());
            out.push_break();
        } else if BLOCKS.contains(&name.as_str()) {
            out.push_break();
        }
    }
    out.finish()
}

/// The document title: the text of the first `<title>` element.
///
/// ```
/// use parallax_ingest::html_title;
/// assert_eq!(html_title("<title> ZTE &amp; Trump </title>").as_deref(), Some("ZTE & Trump"));
/// assert_eq!(html_title("<p>none</p>"), None);
/// ```
pub fn html_title(html: &str) -> Option<String> {
    let start = find_ci(html, 0, "<title")?;
    let open_end = tag_end(html, start + 1)?;
    let close = find_ci(html, open_end, "</title").unwrap_or(html.len());
    let title = decode_entities(&html[open_end + 1..close]);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// Text being assembled: whitespace collapsed, paragraphs on lines.
#[derive(Default)]
struct Text {
    out: String,
    space: bool,
}

impl Text {
    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = !self.out.is_empty() && !self.out.ends_with('\n');
            } else {
                if self.space {
                    self.out.push(' ');
                    self.space = false;
                }
                self.out.push(c);
            }
        }
    }

    fn push_break(&mut self) {
        self.space = false;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn finish(self) -> String {
        self.out.trim_end().to_owned()
    }
}

/// The index of the `>` closing a tag whose name starts at `from`, skipping
/// `>` inside quoted attribute values.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, b) in html.bytes().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The index just past the `</name ...>` tag that closes an element whose
/// content starts at `from`.
fn find_closing(html: &str, from: usize, name: &str) -> Option<usize> {
    let at = find_ci(html, from, &format!("</{name}"))?;
    html[at..].find('>').map(|p| at + p + 1)
}

/// ASCII-case-insensitive search for `needle` in `hay[from..]`.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if from > h.len() || n.is_empty() {
        return None;
    }
    h[from..]
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
        .map(|p| from + p)
}

/// Decode the common named entities and all numeric ones; anything else is
/// left as written.
pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..]
            .bytes()
            .take(12)
            .position(|b| b == b';')
            .and_then(|semi| {
                let name = &rest[1..1 + semi];
                let text = match entity(name) {
                    Some(c) => c.to_string(),
                    None => rare_entity(name)?,
                };
                Some((text, semi + 2))
            });
        match decoded {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Any other named entity (`&eacute;`, `&euro;`, ...), decoded by the
/// HTML parser's full table.
fn rare_entity(name: &str) -> Option<String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let raw = format!("&{name};");
    let text = dom_query::Document::fragment(raw.as_str())
        .root()
        .text()
        .to_string();
    (text != raw && !text.is_empty()).then_some(text)
}

/// The character an entity name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "middot" => '·',
        "bull" => '•',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_keeps_paragraphs() {
        let html = r#"<!DOCTYPE html><html><head><style>p{}</style></head><body>
            <h1>Title</h1><!-- c --><div class="a>b">One <b>bold</b>&nbsp;word</div>
            <SCRIPT type="x">if (a < b) {}</SCRIPT>Two&#8217;s &#x41; &bogus; 3 < 4<br/>end</body></html>"#;
        assert_eq!(
            html_to_text(html),
            "Title\nOne bold word\nTwo’s A &bogus; 3 < 4\nend"
        );
    }

    #[test]
    fn survives_broken_markup() {
        assert_eq!(html_to_text("text <unclosed"), "text");
        assert_eq!(html_to_text("<script>never closed"), "");
        assert_eq!(
            html_to_text("a &#0; &#xFFFFFFFF; b"),
            "a &#0; &#xFFFFFFFF; b"
        );
    }
}
