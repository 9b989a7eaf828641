//! The fast path for an Article JSONL file: the reader only cuts the file
//! into blocks of whole lines ([`read_blocks`]), and each fingerprint worker
//! parses its block's records ([`fingerprint_line`]), so parsing runs on
//! every core.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parallax_dedup::{DocInput, Fingerprint, Fingerprinter};

use super::DedupRunError;

/// The longest JSONL line accepted, as ingestion's readers.
const MAX_LINE: usize = parallax_ingest::DEFAULT_MAX_RECORD_BYTES;
/// Bytes of lines per block handed to a worker.
const BLOCK: usize = 1 << 20;

/// A block of whole JSONL lines, the first being line `first` of `path`.
pub(super) struct Block {
    pub path: Arc<PathBuf>,
    pub first: u64,
    pub data: Vec<u8>,
}

/// Cuts the file at `path` into blocks of whole lines and hands each to
/// `send`, in order, until the file ends or `send` returns false (nobody
/// is listening any more). Each block is read straight into the buffer
/// handed on (only the partial line at its end is copied, into the next
/// block), and newlines are found with `memchr`. A line longer than the
/// limit is reported through `rejected` and skipped; returns how many were.
pub(super) fn read_blocks(
    path: &Path,
    send: &mut dyn FnMut(Block) -> bool,
    rejected: &dyn Fn(String),
) -> Result<usize, DedupRunError> {
    let shared = Arc::new(path.to_owned());
    let mut file = File::open(path).map_err(|source| DedupRunError::Open {
        path: path.to_owned(),
        source,
    })?;
    let read_error = |source| DedupRunError::Read {
        path: path.to_owned(),
        source,
    };
    let mut line = 1u64;
    // The unfinished line at the end of the last block.
    let mut carry: Vec<u8> = Vec::new();
    let mut errors = 0usize;
    'blocks: loop {
        let mut data = Vec::with_capacity(BLOCK + carry.len());
        data.append(&mut carry);
        // Read until the block holds a newline (or the file ends).
        let (cut, eof) = loop {
            let before = data.len();
            let n = (&mut file)
                .take(BLOCK as u64)
                .read_to_end(&mut data)
                .map_err(read_error)?;
            if n == 0 {
                break (data.len(), true);
            }
            if let Some(i) = memchr::memrchr(b'\n', &data[before..]) {
                break (before + i + 1, false);
            }
            if data.len() > MAX_LINE {
                // One line longer than the limit: skip to its end.
                rejected(format!(
                    "{}:{line}: record longer than {MAX_LINE} bytes",
                    path.display()
                ));
                errors += 1;
                skip_line(&mut file, &mut carry).map_err(read_error)?;
                line += 1;
                continue 'blocks;
            }
        };
        carry.extend_from_slice(&data[cut..]);
        data.truncate(cut);
        if !data.is_empty() {
            let lines = memchr::memchr_iter(b'\n', &data).count() as u64;
            let block = Block {
                path: Arc::clone(&shared),
                first: line,
                data,
            };
            line += lines;
            if !send(block) {
                break;
            }
        }
        if eof {
            break;
        }
    }
    Ok(errors)
}

/// Drops input up to and including the next newline; what follows it in
/// the last read goes to `carry`.
fn skip_line(file: &mut File, carry: &mut Vec<u8>) -> std::io::Result<()> {
    carry.clear();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            carry.extend_from_slice(&buf[i + 1..n]);
            return Ok(());
        }
    }
}

/// The fields of an Article JSONL record the detector reads.
#[derive(serde::Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    html: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    published: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    url: Option<Cow<'a, str>>,
}

/// One JSONL line, parsed and fingerprinted ([`fingerprint_fields`]):
/// `None` for a blank line, an error naming what is wrong (the caller adds
/// file and line).
pub(super) fn fingerprint_line(
    raw: &[u8],
    clean: bool,
    fpr: &mut Fingerprinter,
) -> Result<Option<(String, Fingerprint)>, String> {
    // The reader cuts only lines that reach the limit before a newline
    // turns up, so a line up to a block over it gets here: checked again,
    // the limit holds to the byte.
    if raw.len() > MAX_LINE {
        return Err(format!("record longer than {MAX_LINE} bytes"));
    }
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let raw = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let rec: Record<'_> =
        serde_json::from_slice(raw).map_err(|e| format!("not a JSON article: {e}"))?;
    let id = rec
        .id
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| "record has no \"id\" string".to_string())?;
    // The same rule as every reader's gate: an id goes into TSV lines.
    parallax_ingest::check_id(&id).map_err(|problem| format!("bad id: {problem}"))?;
    let fields = RecordFields {
        text: rec.text.as_deref(),
        html: rec.html.as_deref(),
        published: rec
            .published
            .as_deref()
            .and_then(parallax_ingest::parse_date)
            .map(|d| d.timestamp()),
        source: rec.source.as_deref(),
        url: rec.url.as_deref(),
    };
    match fingerprint_fields(fpr, &fields, clean) {
        Ok(Some(fp)) => Ok(Some((id.into_owned(), fp))),
        Ok(None) => Err(format!("article {id:?} has no \"text\" or \"html\"")),
        Err(e) => Err(format!("article {id:?}: {e}")),
    }
}

/// The fields of one article record that its fingerprint reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordFields<'a> {
    /// The article text, if the record has one.
    pub text: Option<&'a str>,
    /// The page, read when there is no text (or only whitespace).
    pub html: Option<&'a str>,
    /// Publication time, Unix seconds.
    pub published: Option<i64>,
    /// The outlet.
    pub source: Option<&'a str>,
    /// The article's address.
    pub url: Option<&'a str>,
}

/// The fingerprint of one record, read as `parallax run` reads it: its
/// `text` as given, else its `html` through ingestion's extractor
/// ([`parallax_ingest::record_page`]), whose date stands in for a missing
/// `published`. With `clean`, ingestion's in-article cleaning runs first.
/// `Ok(None)`: neither a text nor a page; `Err`: the page cannot be read
/// (the caller names the record). One step for `parallax dedup` and the
/// Python `dedup`, so both fingerprint what `run` stores.
pub fn fingerprint_fields(
    fpr: &mut Fingerprinter,
    fields: &RecordFields<'_>,
    clean: bool,
) -> Result<Option<Fingerprint>, String> {
    let page;
    let mut published = fields.published;
    let text: &str = match (fields.text, fields.html) {
        (Some(t), _) if !t.trim().is_empty() => t,
        (_, Some(h)) if !h.trim().is_empty() => {
            page = parallax_ingest::record_page(h, fields.url).map_err(|e| e.to_string())?;
            published = published.or(page.published.map(|d| d.timestamp()));
            &page.body
        }
        _ => return Ok(None),
    };
    let cleaned;
    let text = if clean {
        cleaned = parallax_ingest::clean_body(text).body;
        cleaned.as_str()
    } else {
        text
    };
    Ok(Some(fpr.fingerprint(&DocInput {
        text,
        published,
        source: fields.source,
        url: fields.url,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_dedup::Config;
    use std::cell::RefCell;

    #[test]
    fn blank_bad_and_good_lines() {
        let mut fpr = Fingerprinter::new(Config::default());
        assert_eq!(fingerprint_line(b"  \r", false, &mut fpr), Ok(None));
        let err = fingerprint_line(b"{not json", false, &mut fpr).unwrap_err();
        assert!(err.starts_with("not a JSON article"), "{err}");
        let err = fingerprint_line(br#"{"text":"x"}"#, false, &mut fpr).unwrap_err();
        assert!(err.contains("no \"id\""), "{err}");
        let err = fingerprint_line(br#"{"id":"a\tb","text":"x"}"#, false, &mut fpr).unwrap_err();
        assert!(err.starts_with("bad id"), "{err}");
        let err = fingerprint_line(br#"{"id":"a","text":"  "}"#, false, &mut fpr).unwrap_err();
        assert!(err.contains("no \"text\" or \"html\""), "{err}");
        let good = "\u{feff}{\"id\":\"a\",\"text\":\"Some words here.\"}".as_bytes();
        let (id, _) = fingerprint_line(good, false, &mut fpr).unwrap().unwrap();
        assert_eq!(id, "a");
    }

    #[test]
    fn blocks_hold_whole_lines_numbered_from_one_and_skip_overlong_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        // The reader checks the limit on blocks without a newline: a line
        // two blocks over it is cut here (a shorter one over it is refused
        // by `fingerprint_line`).
        let long = "x".repeat(MAX_LINE + 2 * BLOCK);
        let text = format!("one\n{long}\nthree\nfour");
        std::fs::write(&path, text).unwrap();
        let blocks = RefCell::new(Vec::new());
        let rejected = RefCell::new(Vec::new());
        let errors = read_blocks(
            &path,
            &mut |b| {
                blocks.borrow_mut().push((b.first, b.data));
                true
            },
            &|why| rejected.borrow_mut().push(why),
        )
        .unwrap();
        assert_eq!(errors, 1);
        let rejected = rejected.into_inner();
        assert_eq!(rejected.len(), 1);
        assert!(rejected[0].contains("a.jsonl:2: record longer than"));
        // The lines that are kept, each with its line number.
        let mut kept = Vec::new();
        for (first, data) in blocks.into_inner() {
            for (k, line) in data.split(|&b| b == b'\n').enumerate() {
                if !line.is_empty() {
                    kept.push((first + k as u64, String::from_utf8(line.to_vec()).unwrap()));
                }
            }
        }
        assert_eq!(
            kept,
            [(1, "one".into()), (3, "three".into()), (4, "four".into())]
        );
    }

    #[test]
    fn a_line_just_over_the_limit_is_refused() {
        let mut fpr = Fingerprinter::new(Config::default());
        let mut raw = br#"{"id":"a","text":""#.to_vec();
        raw.resize(MAX_LINE - 2, b'x');
        raw.extend_from_slice(br#""}"#);
        assert!(matches!(
            fingerprint_line(&raw, false, &mut fpr),
            Ok(Some(_))
        ));
        raw.insert(20, b'x');
        let err = fingerprint_line(&raw, false, &mut fpr).unwrap_err();
        assert!(err.contains("record longer than"), "{err}");
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = read_blocks(Path::new("/nonexistent/x.jsonl"), &mut |_| true, &|_| {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/x.jsonl"), "{err}");
    }
}
