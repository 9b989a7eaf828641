//! Article JSONL: one JSON article object per line.
//!
//! Fields (see the project contract): `id` (required; a string of at most
//! [`crate::MAX_ID_BYTES`] bytes without control characters: a number or
//! any other type is rejected with the record), `text` or `html` (at least one; `text` wins when both are
//! given, `html` goes through the main-text extractor, [`parallax_extract`],
//! whose headline and date fill `title` and `published` when the record
//! has none), and optional
//! `title`, `url`, `source`, `published` and `lang`. Unknown fields are
//! ignored. `published` may be any form [`crate::parse_date`] reads, or a
//! number of seconds (or milliseconds) since the Unix epoch; an unreadable
//! date is a warning and the article is kept without one.
//!
//! Every line is its own record: a bad line (invalid JSON, invalid UTF-8,
//! too long, no id, no body) is reported with its file and line and the
//! next line is read. Blank lines are ignored.

use std::io::BufRead;

use parallax_model::{ArticleId, Origin};
use serde::Deserialize;
use serde_json::Value;

use super::lines::BoundedLines;
use super::{Draft, Emitter, Reader};
use crate::IngestError;
use crate::date::{from_epoch, parse_date};

/// One JSONL record as written.
#[derive(Deserialize)]
#[serde(expecting = "a JSON object with article fields")]
struct Record {
    id: Option<Value>,
    text: Option<String>,
    html: Option<String>,
    title: Option<String>,
    url: Option<String>,
    source: Option<String>,
    published: Option<Value>,
    lang: Option<String>,
}

/// Read every line of `input`, handing articles and errors to `out`.
pub(crate) fn read(reader: &mut Reader, input: impl BufRead, file: &str, out: &mut Emitter<'_>) {
    let limit = reader.options().max_record_bytes;
    let mut lines = BoundedLines::new(input, limit);
    loop {
        let info = match lines.next_line() {
            Ok(Some(info)) => info,
            Ok(None) => break,
            Err(source) => {
                return out.error(IngestError::Io {
                    path: file.to_owned(),
                    source,
                });
            }
        };
        let origin = Origin {
            file: file.to_owned(),
            line: Some(info.number),
        };
        if info.too_long {
            out.error(IngestError::LineTooLong {
                origin,
                len: info.len,
                limit,
            });
            continue;
        }
        let mut bytes = lines.bytes();
        if info.number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = match std::str::from_utf8(bytes) {
            Ok(line) => line,
            Err(e) => {
                out.error(IngestError::InvalidUtf8 {
                    origin,
                    offset: e.valid_up_to(),
                });
                continue;
            }
        };
        match draft(line, info.terminated, &origin) {
            Ok(draft) => reader.accept(draft, origin, out),
            Err(e) => out.error(e),
        }
    }
}

/// Turn one line into a draft article.
fn draft(line: &str, terminated: bool, origin: &Origin) -> Result<Draft, IngestError> {
    if !line.trim_start().starts_with('{') {
        return Err(IngestError::InvalidJson {
            origin: origin.clone(),
            id: None,
            message: "a record must be one JSON object on one line, starting with `{`".into(),
        });
    }
    let record: Record = serde_json::from_str(line).map_err(|e| {
        let mut message = e.to_string();
        if !terminated && e.is_eof() {
            message.push_str(" (the last line has no line break: the file looks truncated)");
        }
        IngestError::InvalidJson {
            origin: origin.clone(),
            id: salvage_id(line),
            message,
        }
    })?;
    let id = read_id(record.id).map_err(|problem| IngestError::BadId {
        origin: origin.clone(),
        problem,
    })?;
    let mut title = record.title;
    let mut page_date = None;
    let text = match (record.text, record.html) {
        (Some(text), _) if !text.trim().is_empty() => text,
        (_, Some(html)) if !html.trim().is_empty() => {
            let page =
                record_page(&html, record.url.as_deref()).map_err(|e| IngestError::BadPage {
                    origin: origin.clone(),
                    message: format!("article {id}: {e}"),
                })?;
            title = title.or(page.title);
            page_date = page.published;
            page.body
        }
        (None, None) => {
            return Err(IngestError::MissingBody {
                origin: origin.clone(),
                id,
            });
        }
        _ => String::new(),
    };
    let mut draft = Draft::new(id, text);
    draft.title = title;
    draft.url = record.url;
    draft.source = record.source;
    draft.lang = record.lang;
    draft.published = page_date;
    match record.published {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.trim().is_empty() => {}
        Some(Value::String(s)) => match parse_date(&s) {
            Some(d) => draft.published = Some(d),
            None => draft.bad_dates.push(s),
        },
        Some(Value::Number(n)) => match n.as_f64().and_then(from_epoch) {
            Some(d) => draft.published = Some(d),
            None => draft.bad_dates.push(n.to_string()),
        },
        Some(other) => draft.bad_dates.push(other.to_string()),
    }
    Ok(draft)
}

/// The id of a record: a non-empty string that [`crate::check_id`]
/// accepts. A number is refused rather than turned into a string: the
/// contract says `id` is a string, and `7`, `7.0` and `07` would otherwise
/// name one article or three depending on how they were written.
fn read_id(id: Option<Value>) -> Result<ArticleId, String> {
    match id {
        None | Some(Value::Null) => Err("the record has no `id`".into()),
        Some(Value::String(s)) if s.trim().is_empty() => Err("`id` is empty".into()),
        Some(Value::String(s)) => {
            crate::check_id(&s)?;
            Ok(ArticleId(s))
        }
        Some(Value::Number(n)) => Err(format!(
            "`id` must be a string, found the number {n} (write it as \"{n}\")"
        )),
        Some(other) => Err(format!("`id` must be a string, found {}", kind(&other))),
    }
}

/// The name of a JSON value's type, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The id of a line that failed to parse as a record, when the line is
/// still a JSON object with a usable id (a field of the wrong type, say).
fn salvage_id(line: &str) -> Option<ArticleId> {
    let value: Value = serde_json::from_str(line).ok()?;
    read_id(value.get("id").cloned()).ok()
}

/// The page an Article JSONL record given as `html` (no `text`) reads as:
/// its nesting checked, then its main text and metadata extracted
/// ([`parallax_extract::Mode::Best`]). Every command that takes such
/// records (`run`, `dedup`) reads them through this, so all of them see
/// the same text.
pub fn record_page(
    html: &str,
    url: Option<&str>,
) -> Result<parallax_extract::Page, parallax_extract::ExtractError> {
    parallax_extract::check_depth(html)?;
    Ok(parallax_extract::extract_html(
        html,
        url,
        parallax_extract::Mode::Best,
    ))
}
