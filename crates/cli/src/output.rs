//! Human-readable rendering of briefs.
//!
//! Everything here is printed for a terminal, and every string in it came
//! from someone else's input (titles, outlets, sentences, ids), so each is
//! passed through [`term`] first: a control character (an escape sequence
//! that would recolour, retitle or clear the terminal, a line break that
//! would fake a line) is shown escaped, never sent raw.

use std::borrow::Cow;
use std::io::{self, Write};

use parallax_model::{Brief, StoryEvent, StoryEventKind};

/// `text` with every control character (and the Unicode line and paragraph
/// separators) written as an escape (`\u{1b}`, `\n`, `\t`), borrowed when
/// there is none.
pub fn term(text: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}';
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `brief` with every string in it passed through [`term`].
fn for_terminal(brief: &Brief) -> io::Result<Brief> {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                if let Cow::Owned(escaped) = term(s) {
                    *s = escaped;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(brief).map_err(io::Error::other)?;
    walk(&mut value);
    serde_json::from_value(value).map_err(io::Error::other)
}

/// Writes `brief` for a terminal reader: headline, cited summary, where the
/// sources disagree (each source's figure), agreed figures, quotes with
/// speakers, entities, timeline, what only one source reports, texts
/// carried by several outlets, sources.
/// Citations are numbers into the source list printed below.
pub fn write_brief(out: &mut impl Write, brief: &Brief) -> io::Result<()> {
    let brief = &for_terminal(brief)?;
    let outlets: std::collections::BTreeSet<&str> =
        brief.sources.iter().map(|s| s.outlet.as_str()).collect();
    writeln!(out, "Story {}", brief.story)?;
    writeln!(out, "  {}", brief.title)?;
    writeln!(
        out,
        "  {} articles from {} sources",
        brief.sources.len(),
        outlets.len()
    )?;
    if !brief.sentences.is_empty() {
        writeln!(out, "\n  Summary")?;
    }
    let number = |id: &parallax_model::ArticleId| {
        brief
            .sources
            .iter()
            .position(|s| &s.article == id)
            .map_or_else(|| id.to_string(), |i| (i + 1).to_string())
    };
    let cite = |ids: &[parallax_model::ArticleId]| -> String {
        let n: Vec<String> = ids.iter().map(number).collect();
        format!("[{}]", n.join(", "))
    };
    for s in &brief.sentences {
        writeln!(out, "  - {} {}", s.text, cite(&s.sources))?;
    }
    write_facts(out, brief, &cite)?;
    write_quotes(out, brief, &cite)?;
    write_entities(out, brief, &cite)?;
    if !brief.timeline.is_empty() {
        writeln!(out, "\n  Timeline")?;
        for e in &brief.timeline {
            writeln!(
                out,
                "  - {:<10}  {} {}",
                e.date,
                clip(&e.text, 160),
                cite(&e.sources)
            )?;
        }
    }
    if !brief.unique.is_empty() {
        writeln!(out, "\n  Only in one source")?;
        for u in &brief.unique {
            for s in &u.sentences {
                writeln!(
                    out,
                    "  - {} {}",
                    cite(std::slice::from_ref(&u.article)),
                    clip(s, 160)
                )?;
            }
        }
    }
    write_copies(out, brief, &cite)?;
    writeln!(out, "\n  Sources")?;
    for (i, s) in brief.sources.iter().enumerate() {
        let mut line = format!("  [{}] {}", i + 1, s.outlet);
        if s.outlet != s.article.as_str() {
            line.push_str(&format!(" ({})", s.article));
        }
        if let Some(d) = &s.published {
            // The day of an RFC 3339 time (char-safe on any string).
            let day = d
                .char_indices()
                .nth(10)
                .map_or(d.as_str(), |(i, _)| &d[..i]);
            line.push_str(&format!(", {day}"));
        }
        if let Some(t) = &s.title {
            line.push_str(&format!(": {t}"));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Each text several articles carry, once: its original, how many outlets
/// carried it and how many edited it, then every copy with its relation.
fn write_copies(
    out: &mut impl Write,
    brief: &Brief,
    cite: &dyn Fn(&[parallax_model::ArticleId]) -> String,
) -> io::Result<()> {
    if brief.copies.is_empty() {
        return Ok(());
    }
    let copied: usize = brief.copies.iter().map(|g| g.copies.len()).sum();
    writeln!(
        out,
        "\n  Texts carried by several articles ({} distinct texts among {} articles)",
        brief.sources.len() - copied,
        brief.sources.len()
    )?;
    for g in &brief.copies {
        let edited = g.copies.iter().filter(|c| c.relation.edited()).count();
        let outlets = g.outlets.len();
        writeln!(
            out,
            "  - {} text {}, carried by {} outlet{}, {} of {} cop{} edited",
            g.outlet,
            cite(std::slice::from_ref(&g.original)),
            outlets,
            if outlets == 1 { "" } else { "s" },
            edited,
            g.copies.len(),
            if g.copies.len() == 1 { "y" } else { "ies" }
        )?;
        for c in &g.copies {
            let from = if c.from == g.original {
                String::new()
            } else {
                format!(", via {}", cite(std::slice::from_ref(&c.from)))
            };
            writeln!(
                out,
                "      {} {}: {} ({:.2}){from}",
                cite(std::slice::from_ref(&c.article)),
                c.outlet,
                c.relation,
                c.score
            )?;
        }
    }
    Ok(())
}

/// Writes the merges among a story's `events`: which stories were absorbed
/// into it, and at which article's arrival. Nothing when there were none.
pub fn write_merges(out: &mut impl Write, events: &[StoryEvent]) -> io::Result<()> {
    let mut header = false;
    for e in events {
        if let StoryEventKind::Merged { from } = &e.kind {
            if !header {
                writeln!(out, "\n  Merged into this story")?;
                header = true;
            }
            writeln!(
                out,
                "  {} -> {} when article {} arrived (#{})",
                term(from.as_str()),
                term(e.story.as_str()),
                term(e.article.as_str()),
                e.seq
            )?;
        }
    }
    Ok(())
}

/// Writes what in-article cleaning removed from each article, and why.
pub fn write_removals<'a>(
    out: &mut impl Write,
    articles: impl Iterator<Item = &'a parallax_model::Article>,
) -> io::Result<()> {
    let mut header = false;
    for a in articles {
        for r in &a.removed {
            if !header {
                writeln!(out, "\n  Removed while cleaning")?;
                header = true;
            }
            let mut shown: String = r.text.chars().take(70).collect();
            if shown.len() < r.text.len() {
                shown.push('…');
            }
            writeln!(
                out,
                "  {} [{}] {}",
                term(a.id.as_str()),
                r.reason.as_str(),
                term(&shown.replace('\n', " "))
            )?;
        }
    }
    Ok(())
}

/// Most facts that agree shown (disagreements are all shown).
const AGREED_SHOWN: usize = 8;

/// Most entities shown.
const ENTITIES_SHOWN: usize = 20;

/// `text` cut to about `max` characters at a word boundary.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

fn fact_name(f: &parallax_model::Fact) -> String {
    match &f.subject {
        Some(s) => format!("{s}: {}", f.about),
        None => f.about.clone(),
    }
}

/// Disagreements, each source's figure and wording; then agreed figures
/// that several sources give.
fn write_facts(
    out: &mut impl Write,
    brief: &Brief,
    cite: &dyn Fn(&[parallax_model::ArticleId]) -> String,
) -> io::Result<()> {
    let disagree: Vec<_> = brief.facts.iter().filter(|f| !f.agree).collect();
    if !disagree.is_empty() {
        writeln!(out, "\n  Where sources disagree")?;
        for f in disagree {
            writeln!(out, "  - {}", fact_name(f))?;
            for v in &f.values {
                let hedge = v
                    .qualifier
                    .as_deref()
                    .map(|q| format!(" ({q})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "      {}{hedge} {}: \"{}\"",
                    v.value,
                    cite(&v.sources),
                    clip(&v.text, 100)
                )?;
            }
        }
    }
    let agreed: Vec<_> = brief
        .facts
        .iter()
        .filter(|f| f.agree && f.values.first().is_some_and(|v| v.sources.len() >= 2))
        .take(AGREED_SHOWN)
        .collect();
    if !agreed.is_empty() {
        writeln!(out, "\n  Figures the sources agree on")?;
        for f in agreed {
            let v = &f.values[0];
            writeln!(
                out,
                "  - {}: {} {}",
                fact_name(f),
                v.value,
                cite(&v.sources)
            )?;
        }
    }
    Ok(())
}

/// Every quote with its speaker and the sources that carry it.
fn write_quotes(
    out: &mut impl Write,
    brief: &Brief,
    cite: &dyn Fn(&[parallax_model::ArticleId]) -> String,
) -> io::Result<()> {
    if brief.quotes.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n  Quotes")?;
    for q in &brief.quotes {
        let who = q.speaker.as_deref().unwrap_or("(unattributed)");
        let how = if q.direct { "" } else { " (reported)" };
        writeln!(
            out,
            "  - {who}{how} {}: \"{}\"",
            cite(&q.sources),
            clip(&q.text, 240)
        )?;
    }
    Ok(())
}

/// The most widely mentioned people, organisations and places.
fn write_entities(
    out: &mut impl Write,
    brief: &Brief,
    cite: &dyn Fn(&[parallax_model::ArticleId]) -> String,
) -> io::Result<()> {
    use parallax_model::EntityKind;
    let shown: Vec<_> = brief
        .entities
        .iter()
        .filter(|e| e.kind != EntityKind::Other)
        .take(ENTITIES_SHOWN)
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n  People, organisations, places")?;
    for e in shown {
        let kind = match e.kind {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        };
        let total: u32 = e.mentions.iter().sum();
        writeln!(
            out,
            "  - {} ({kind}, {total} mentions) {}",
            e.name,
            cite(&e.sources)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal_raw() {
        assert_eq!(
            term("Flood \u{1b}[2J\u{1b}]0;pwned\u{7}title"),
            r"Flood \u{1b}[2J\u{1b}]0;pwned\u{7}title"
        );
        assert_eq!(term("a\tb\nc\u{85}d\u{2028}"), r"a\tb\nc\u{85}d\u{2028}");
        assert!(matches!(term("Plain, ünïcode — text"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_brief_is_printed_with_its_strings_escaped() {
        let mut brief: Brief = serde_json::from_value(serde_json::json!({
            "story": "s1", "title": "Flood\u{1b}[31m red", "summary": "", "sentences": [],
            "facts": [], "quotes": [], "entities": [], "sources": [], "timeline": [],
            "unique": [], "copies": []
        }))
        .expect("a brief");
        brief.title.push_str("\r\nFAKE LINE");
        let mut out = Vec::new();
        write_brief(&mut out, &brief).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(r"Flood\u{1b}[31m red\r\nFAKE LINE"), "{out}");
        assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out:?}");
    }
}
