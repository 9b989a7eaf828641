//! Human-readable rendering of briefs.

use std::io::{self, Write};

use parallax_model::Brief;

/// Writes `brief` for a terminal reader: headline, cited summary, sources.
/// Citations are numbers into the source list printed below.
pub fn write_brief(out: &mut impl Write, brief: &Brief) -> io::Result<()> {
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
    for s in &brief.sentences {
        let cites: Vec<String> = s.sources.iter().map(number).collect();
        writeln!(out, "  - {} [{}]", s.text, cites.join(", "))?;
    }
    writeln!(out, "\n  Sources")?;
    for (i, s) in brief.sources.iter().enumerate() {
        let mut line = format!("  [{}] {}", i + 1, s.outlet);
        if s.outlet != s.article.as_str() {
            line.push_str(&format!(" ({})", s.article));
        }
        if let Some(d) = &s.published {
            line.push_str(&format!(", {}", &d[..d.len().min(10)]));
        }
        if let Some(t) = &s.title {
            line.push_str(&format!(": {t}"));
        }
        writeln!(out, "{line}")?;
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
                a.id,
                r.reason.as_str(),
                shown.replace('\n', " ")
            )?;
        }
    }
    Ok(())
}
