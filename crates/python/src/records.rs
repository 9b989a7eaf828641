//! Articles from Python: dicts with the contract's fields (`id`, `text` or
//! `html`, `title`, `url`, `source`, `published`, `lang`), or objects with
//! those attributes.
//!
//! Two ways in. [`read_articles`] writes them as Article JSONL and hands it
//! to ingestion's reader, so every check, cleaning step and message is the
//! one `parallax cluster` / `parallax run` apply to a file. [`doc_fields`]
//! reads only what the copy detector needs, without copying any text, as
//! `parallax dedup` does for Article JSONL. Either way a bad record is named
//! `articles[i]` (its position in the caller's iterable) and, when known,
//! by its id.

use std::collections::HashSet;

use parallax_engine::pipeline::prepare_all;
use parallax_ingest::{Event, IngestError, IngestOptions, Reader};
use parallax_model::Article;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use crate::ParallaxWarning;

/// The name the caller's iterable goes by in messages (and in the origin of
/// the articles it yields: `articles:LINE` before renaming).
pub(crate) const NAME: &str = "articles";

/// The fields of an Article JSONL record; anything else is ignored.
const FIELDS: [&str; 8] = [
    "id",
    "text",
    "html",
    "title",
    "url",
    "source",
    "published",
    "lang",
];

/// The field names as interned Python strings, made once: looking a key up
/// with a Rust `&str` would build a new Python string every time.
static KEYS: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();

/// Field `name` (one of [`FIELDS`]) of `record` (a dict key, else an
/// attribute); `None` when it is missing or `None`.
fn field<'py>(record: &Bound<'py, PyAny>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = record.py();
    let keys = KEYS.get_or_init(py, || {
        FIELDS
            .iter()
            .map(|f| PyString::intern(py, f).unbind())
            .collect()
    });
    let key = match FIELDS.iter().position(|f| *f == name) {
        Some(k) => keys[k].bind(py).clone(),
        None => PyString::new(py, name),
    };
    let value = match record.cast::<PyDict>() {
        Ok(dict) => dict.get_item(key)?,
        Err(_) => record.getattr_opt(key)?,
    };
    Ok(value.filter(|v| !v.is_none()))
}

/// How a record is named in errors: `articles[3]`, and its id when it has
/// a string one.
fn label(index: usize, record: &Bound<'_, PyAny>) -> String {
    let id = field(record, "id")
        .ok()
        .flatten()
        .and_then(|v| v.extract::<String>().ok());
    match id {
        Some(id) => format!("{NAME}[{index}] (id {id:?})"),
        None => format!("{NAME}[{index}]"),
    }
}

/// Refuses what is neither a dict nor an object with article attributes
/// (a string, a number, a list).
fn check_shape(index: usize, record: &Bound<'_, PyAny>) -> PyResult<()> {
    if record.is_instance_of::<PyDict>() {
        return Ok(());
    }
    let plain = record.is_instance_of::<PyString>()
        || record.is_instance_of::<PyInt>()
        || record.is_instance_of::<PyFloat>();
    if plain || !record.hasattr("id")? {
        let kind = record.get_type().name()?;
        return Err(PyValueError::new_err(format!(
            "{NAME}[{index}]: expected a dict with the article fields (id, text or html, ...) \
             or an object with those attributes, got {kind}"
        )));
    }
    Ok(())
}

/// A field value as JSON: strings and numbers as they are, dates and times
/// (anything with `isoformat()`) as ISO 8601 text.
fn json_value(
    index: usize,
    record: &Bound<'_, PyAny>,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<serde_json::Value> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(serde_json::Value::String(s.to_str()?.to_owned()));
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(serde_json::Value::Bool(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(n.into());
        }
    } else if value.is_instance_of::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(value.extract()?)
            .map_or(serde_json::Value::Null, serde_json::Value::Number));
    } else if name == "published" && value.hasattr("isoformat")? {
        let text: String = value.call_method0("isoformat")?.extract()?;
        return Ok(serde_json::Value::String(text));
    }
    let kind = value.get_type().name()?;
    Err(PyValueError::new_err(format!(
        "{}: field {name:?} is a {kind}, not a string",
        label(index, record)
    )))
}

/// The records of `articles` as Article JSONL, one line each, in order:
/// line `i + 1` is `articles[i]`.
pub(crate) fn to_jsonl(articles: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    for (index, record) in articles.try_iter()?.enumerate() {
        let record = record?;
        check_shape(index, &record)?;
        let mut object = serde_json::Map::new();
        for name in FIELDS {
            if let Some(value) = field(&record, name)? {
                object.insert(name.to_owned(), json_value(index, &record, name, &value)?);
            }
        }
        serde_json::to_writer(&mut out, &object)
            .map_err(|e| PyValueError::new_err(format!("{NAME}[{index}]: {e}")))?;
        out.push(b'\n');
    }
    Ok(out)
}

/// An ingest message with every `articles:LINE` turned into the Python
/// position `articles[LINE - 1]`.
pub(crate) fn rename(message: &str) -> String {
    let prefix = format!("{NAME}:");
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(&prefix) {
        let after = &rest[at + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..at]);
        match after[..digits].parse::<usize>() {
            Ok(line) if line > 0 => out.push_str(&format!("{NAME}[{}]", line - 1)),
            _ => out.push_str(&prefix),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// What ingestion made of the caller's records.
pub(crate) struct Read {
    /// The articles kept, prepared (language filled in), in order.
    pub articles: Vec<Article>,
    /// One message per rejected record, positions renamed.
    pub errors: Vec<String>,
    /// One message per warning on a kept article.
    pub warnings: Vec<String>,
}

/// Reads `articles` through ingestion, as `parallax cluster` reads a file.
pub(crate) fn ingest(py: Python<'_>, articles: &Bound<'_, PyAny>) -> PyResult<Read> {
    let jsonl = to_jsonl(articles)?;
    let read = py.detach(move || {
        let mut read = Read {
            articles: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let mut reader = Reader::new(IngestOptions::default());
        reader.read_jsonl(jsonl.as_slice(), NAME, &mut |event| match event {
            Event::Article(a) => read.articles.push(a),
            Event::Error(e) => read.errors.push(rename(&e.to_string())),
            Event::Warning(w) => read.warnings.push(rename(&w.to_string())),
            Event::FileSkipped { path, reason } => {
                read.errors.push(format!("{}: {reason}", path.display()))
            }
        });
        prepare_all(&mut read.articles);
        read
    });
    Ok(read)
}

/// [`ingest`] for the stateless functions: the first rejected record is a
/// `ValueError` (saying how many more there are), warnings are Python
/// warnings, and an empty input is an error.
pub(crate) fn read_articles(py: Python<'_>, articles: &Bound<'_, PyAny>) -> PyResult<Vec<Article>> {
    let read = ingest(py, articles)?;
    if let Some(first) = read.errors.first() {
        let more = match read.errors.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more bad records)"),
        };
        return Err(PyValueError::new_err(format!("{first}{more}")));
    }
    warn_all(py, &read.warnings)?;
    if read.articles.is_empty() {
        return Err(PyValueError::new_err("no articles given"));
    }
    Ok(read.articles)
}

/// Issues each message as a [`ParallaxWarning`].
pub(crate) fn warn_all(py: Python<'_>, messages: &[String]) -> PyResult<()> {
    let category = py.get_type::<ParallaxWarning>();
    for message in messages {
        let text = std::ffi::CString::new(message.replace('\0', " "))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyErr::warn(py, &category, &text, 1)?;
    }
    Ok(())
}

/// The Python strings of one record the copy detector reads; kept alive
/// (and so unchanged: Python strings are immutable) while the detector
/// borrows their text without the GIL.
pub(crate) struct DocFields<'py> {
    /// `id`.
    pub id: Bound<'py, PyString>,
    /// `text`, when given.
    pub text: Option<Bound<'py, PyString>>,
    /// `html`, when given.
    pub html: Option<Bound<'py, PyString>>,
    /// `source`, when given.
    pub source: Option<Bound<'py, PyString>>,
    /// `url`, when given.
    pub url: Option<Bound<'py, PyString>>,
    /// `published`, read (seconds since 1970).
    pub published: Option<i64>,
}

/// A string field, or an error naming the record and the field.
fn string_field<'py>(
    index: usize,
    record: &Bound<'py, PyAny>,
    name: &str,
) -> PyResult<Option<Bound<'py, PyString>>> {
    match field(record, name)? {
        None => Ok(None),
        Some(v) => match v.cast_into::<PyString>() {
            Ok(s) => Ok(Some(s)),
            Err(e) => {
                let kind = e.into_inner().get_type().name()?;
                Err(PyValueError::new_err(format!(
                    "{}: field {name:?} is a {kind}, not a string",
                    label(index, record)
                )))
            }
        },
    }
}

/// Reads one record for the copy detector with the checks `parallax dedup`
/// makes of an Article JSONL line: a usable string id not seen before, a
/// `text` or an `html` that is more than whitespace; `published` read when
/// it is a date.
pub(crate) fn doc_fields<'py>(
    index: usize,
    record: &Bound<'py, PyAny>,
    seen: &mut HashSet<String>,
) -> PyResult<DocFields<'py>> {
    check_shape(index, record)?;
    let bad = |why: String| PyValueError::new_err(format!("{}: {why}", label(index, record)));
    let id = string_field(index, record, "id")?
        .ok_or_else(|| bad("record has no \"id\" string".into()))?;
    let id_text = id.to_str()?;
    if id_text.trim().is_empty() {
        return Err(bad("record has no \"id\" string".into()));
    }
    parallax_ingest::check_id(id_text).map_err(|problem| bad(format!("bad id: {problem}")))?;
    if !seen.insert(id_text.to_owned()) {
        return Err(bad("its id repeats an earlier article's".into()));
    }
    let text = string_field(index, record, "text")?;
    let html = string_field(index, record, "html")?;
    let blank = |v: &Option<Bound<'py, PyString>>| {
        v.as_ref()
            .is_none_or(|t| t.to_str().is_ok_and(|t| t.trim().is_empty()))
    };
    if blank(&text) && blank(&html) {
        return Err(bad("article has no \"text\" or \"html\"".into()));
    }
    let published = match field(record, "published")? {
        None => None,
        Some(v) => {
            let text: String = if let Ok(s) = v.cast::<PyString>() {
                s.to_str()?.to_owned()
            } else if v.hasattr("isoformat")? {
                v.call_method0("isoformat")?.extract()?
            } else {
                String::new()
            };
            parallax_ingest::parse_date(&text).map(|d| d.timestamp())
        }
    };
    Ok(DocFields {
        id,
        text,
        html,
        source: string_field(index, record, "source")?,
        url: string_field(index, record, "url")?,
        published,
    })
}

/// A model article as a dict with the contract's field names (`text` is the
/// cleaned body), plus where it was read.
pub(crate) fn article_dict<'py>(py: Python<'py>, a: &Article) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", a.id.as_str())?;
    d.set_item("title", a.title.as_deref())?;
    d.set_item("url", a.url.as_deref())?;
    d.set_item("source", a.source.as_ref().map(|s| s.0.as_str()))?;
    d.set_item("published", a.published.map(|t| t.to_rfc3339()))?;
    d.set_item("lang", a.lang.as_deref())?;
    d.set_item("text", a.body.as_str())?;
    d.set_item("origin", rename(&a.origin.to_string()))?;
    Ok(d)
}

/// An ingestion error as a message, positions renamed.
pub(crate) fn ingest_error(e: &IngestError) -> String {
    rename(&e.to_string())
}
