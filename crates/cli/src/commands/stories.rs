//! `parallax stories` and `parallax show`: read the store.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use parallax_engine::{Catalog, EngineError, is_postgres_url};
use serde_json::json;

use crate::output;

/// Most story ids an ambiguous prefix's error names.
const AMBIGUOUS_SHOWN: usize = 10;

/// Opens an existing store for reading, without building an engine; a
/// missing file is an error rather
/// than a silently created empty store (a PostgreSQL URL is opened as is).
pub fn open_existing(db: &Path) -> Result<Catalog> {
    let postgres = db.to_str().is_some_and(is_postgres_url);
    if !postgres && !db.exists() {
        bail!(
            "no store at {} (ingest articles first with `parallax run PATH...`, or pass --db)",
            db.display()
        );
    }
    Ok(Catalog::open(db)?)
}

/// Lists stories, as text or as one JSON object per line.
pub fn stories(db: &Path, as_json: bool) -> Result<ExitCode> {
    let engine = open_existing(db)?;
    let mut out = std::io::stdout().lock();
    let mut listed = 0usize;
    let mut failed: Option<std::io::Error> = None;
    // Printed as read: `parallax stories | head` stops the listing early.
    engine.each_story(&mut |s| {
        listed += 1;
        let written = if as_json {
            let line = json!({"story": s.id, "title": s.title, "articles": s.articles});
            writeln!(out, "{line}")
        } else {
            writeln!(
                out,
                "{}  {:>3} articles  {}",
                output::term(s.id.as_str()),
                s.articles.len(),
                output::term(&s.title)
            )
        };
        match written {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    if !as_json && listed == 0 {
        writeln!(out, "(no stories in {})", parallax_engine::display_db(db))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints one story's brief, and in text the stories merged into it. The id
/// of a story merged into another shows the survivor, with a note.
pub fn show(db: &Path, story: &str, as_json: bool) -> Result<ExitCode> {
    let engine = open_existing(db)?;
    let brief = match engine.brief(story) {
        Ok(brief) => brief,
        // A short prefix of a big store matches thousands of stories:
        // name a few.
        Err(EngineError::AmbiguousStory { prefix, matches }) => {
            let shown = matches[..matches.len().min(AMBIGUOUS_SHOWN)].join(", ");
            let more = matches.len().saturating_sub(AMBIGUOUS_SHOWN);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            bail!(
                "story id {prefix:?} is ambiguous: it matches {} stories ({shown}{more}); give more of the id",
                matches.len()
            );
        }
        Err(e) => return Err(e.into()),
    };
    if !brief.story.as_str().starts_with(story) {
        eprintln!(
            "note: story {story} was merged into {}; showing that story",
            brief.story
        );
    }
    let mut out = std::io::stdout().lock();
    if as_json {
        serde_json::to_writer_pretty(&mut out, &brief)?;
        writeln!(out)?;
    } else {
        output::write_brief(&mut out, &brief)?;
        let events = engine.story_events(brief.story.as_str())?;
        output::write_merges(&mut out, &events)?;
        let articles = engine.store().story_articles(&brief.story)?;
        output::write_removals(&mut out, articles.iter().map(|s| &s.article))?;
    }
    Ok(ExitCode::SUCCESS)
}
