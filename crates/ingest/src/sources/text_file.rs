//! Plain text files: one article per file.
//!
//! The id is the file name without its extension and the text is the body.
//! Leading metadata is read into fields and cut from the body, reported as
//! [`RemovalReason::Metadata`]. A metadata item is a `key value` at the very
//! start of the text, one after another:
//!
//! * date keys (`date`, `dated`, `published`, `pubdate`, ...) with a colon
//!   take the rest of their line (`Date: May 14, 2018`); without a colon
//!   they take only a date that follows, and the body may go on after it on
//!   the same line (` date 2018-05-14 WASHINGTON — In a ...`);
//! * `title:`/`headline:`, `source:`, `url:`, `lang:`/`language:` need a
//!   colon and take the rest of their line.
//!
//! An unreadable date after `date:` is still cut, and reported as a warning.
//! Files with NUL bytes are rejected as not text; invalid UTF-8 is rejected.

use std::fs::File;
use std::path::Path;

use parallax_model::{Origin, Removal, RemovalReason};

use super::{Draft, Emitter, Reader, id_from_path, read_single};
use crate::IngestError;
use crate::date::{leading_date, parse_date};

/// Metadata fields a header line can set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Date,
    Title,
    Source,
    Url,
    Lang,
}

impl Key {
    fn parse(word: &str) -> Option<Self> {
        Some(match word.to_ascii_lowercase().as_str() {
            "date" | "dated" | "published" | "pubdate" | "publish_date" | "published_at"
            | "publication_date" | "datetime" => Self::Date,
            "title" | "headline" => Self::Title,
            "source" | "outlet" => Self::Source,
            "url" | "link" => Self::Url,
            "lang" | "language" => Self::Lang,
            _ => return None,
        })
    }
}

/// Read one text file as an article.
pub(crate) fn read(reader: &mut Reader, file: File, path: &Path, out: &mut Emitter<'_>) {
    let origin = Origin {
        file: path.display().to_string(),
        line: None,
    };
    let bytes = match read_single(file, reader.options().max_record_bytes, &origin) {
        Ok(bytes) => bytes,
        Err(e) => return out.error(e),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return out.error(IngestError::InvalidUtf8 {
                origin,
                offset: e.valid_up_to(),
            });
        }
    };
    let draft = draft_from_text(id_from_path(path), text);
    reader.accept(draft, origin, out);
}

/// Split leading metadata from `text` into a draft's fields.
pub(crate) fn draft_from_text(id: parallax_model::ArticleId, text: &str) -> Draft {
    let mut draft = Draft::new(id, String::new());
    let mut rest = text;
    loop {
        let start = rest.trim_start();
        let line = start.split('\n').next().unwrap_or_default();
        let key_len = line
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .unwrap_or(line.len());
        let Some(key) = Key::parse(&line[..key_len]) else {
            break;
        };
        let after = &line[key_len..];
        let (colon, value) = match after.trim_start_matches([' ', '\t']).strip_prefix(':') {
            Some(v) => (true, v.trim()),
            None if after.starts_with(char::is_whitespace) => (false, after.trim()),
            None => break,
        };
        if value.is_empty() {
            break;
        }
        // Byte length, from `start`, of the metadata this item takes.
        let taken = match key {
            Key::Date if colon && parse_date(value).is_some() => {
                draft.published = draft.published.or(parse_date(value));
                line.len()
            }
            Key::Date => {
                let value_at =
                    line.len() - line[key_len..].trim_start_matches([' ', '\t', ':']).len();
                match leading_date(&line[value_at..]) {
                    Some((date, used)) => {
                        draft.published = draft.published.or(Some(date));
                        value_at + used
                    }
                    None if colon => {
                        draft.bad_dates.push(value.to_owned());
                        line.len()
                    }
                    None => break,
                }
            }
            _ if !colon => break,
            Key::Title => set(&mut draft.title, value, line.len()),
            Key::Source => set(&mut draft.source, value, line.len()),
            Key::Url => set(&mut draft.url, value, line.len()),
            Key::Lang => set(&mut draft.lang, value, line.len()),
        };
        draft.removed.push(Removal {
            text: start[..taken].trim().to_owned(),
            reason: RemovalReason::Metadata,
        });
        rest = &start[taken..];
        if taken < line.len() {
            break;
        }
    }
    draft.text = rest.trim_start().to_owned();
    draft
}

/// Set a field unless an earlier line set it; returns `taken`.
fn set(field: &mut Option<String>, value: &str, taken: usize) -> usize {
    if field.is_none() {
        *field = Some(value.to_owned());
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> Draft {
        draft_from_text("t".into(), text)
    }

    #[test]
    fn reads_a_date_prefix_on_the_body_line() {
        let d = draft(" date 2018-05-14 WASHINGTON — In a surprise.\n\nMore.");
        assert_eq!(d.published, parse_date("2018-05-14"));
        assert_eq!(d.text, "WASHINGTON — In a surprise.\n\nMore.");
        assert_eq!(d.removed[0].text, "date 2018-05-14");
        assert_eq!(d.removed[0].reason, RemovalReason::Metadata);
    }

    #[test]
    fn reads_header_lines() {
        let d = draft("Title: ZTE deal\nDate: May 14, 2018\nsource: AP\nBody text.");
        assert_eq!(d.title.as_deref(), Some("ZTE deal"));
        assert_eq!(d.source.as_deref(), Some("AP"));
        assert_eq!(d.published, parse_date("2018-05-14"));
        assert_eq!(d.text, "Body text.");
        assert_eq!(d.removed.len(), 3);
        let d = draft("Date: sometime soon\nBody.");
        assert_eq!(
            (d.published, d.bad_dates.len(), d.text.as_str()),
            (None, 1, "Body.")
        );
    }

    #[test]
    fn leaves_prose_that_only_looks_like_a_key() {
        for text in [
            "Date night in Florida went well.",
            "Title insurance rose.",
            "Dated: ",
        ] {
            let d = draft(text);
            assert_eq!(d.text, text.trim_start(), "{text}");
            assert!(d.removed.is_empty());
        }
    }
}
