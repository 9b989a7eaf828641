//! WARC archives (1.0 and 1.1, plain or gzipped record by record, as
//! Common Crawl writes them): every `response` record holding an HTML page
//! becomes an article.
//!
//! The archive is streamed: one record at a time is held in memory. The id
//! of an article is the record's `WARC-Target-URI` (the page's address, also
//! kept as its URL); when the page itself gives no publication date, the
//! crawl date (`WARC-Date`) stands in. The HTTP headers of the response give
//! the charset; chunked bodies are reassembled, gzip bodies unpacked.
//!
//! Other records (`warcinfo`, `request`, `metadata`, non-HTML responses,
//! error statuses) are skipped and counted in one
//! [`Event::FileSkipped`](crate::Event::FileSkipped) note at the end. A
//! record that breaks the format (no `WARC/` line, no `Content-Length`, the
//! file ending inside it, bad gzip) ends the reading of that archive with an
//! error naming the file and the record's byte offset; the articles before
//! it are kept.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use parallax_model::{ArticleId, Origin};

use super::html_file::page_draft;
use super::{Emitter, Reader};
use crate::{Event, IngestError, parse_date};

/// Longest WARC or HTTP header block accepted.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Read every record of the archive at `path`.
pub(crate) fn read(reader: &mut Reader, file: File, path: &Path, out: &mut Emitter<'_>) {
    let name = path.display().to_string();
    let mut raw = BufReader::new(file);
    let gz = match raw.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(source) => return out.error(IngestError::Io { path: name, source }),
    };
    let input: Box<dyn BufRead> = if gz {
        // Guarded: a record that unpacks to gigabytes of nothing (a gzip
        // bomb) ends the archive with an error instead of being skipped
        // byte by byte.
        Box::new(BufReader::new(parallax_extract::GuardedGz::new(raw)))
    } else {
        Box::new(raw)
    };
    read_records(reader, input, &name, out);
}

/// Read records from a (decompressed) WARC stream.
pub(crate) fn read_records(
    reader: &mut Reader,
    mut input: impl BufRead,
    name: &str,
    out: &mut Emitter<'_>,
) {
    let limit = reader.options().max_record_bytes;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut offset: u64 = 0;
    let mut record_no: u64 = 0;
    loop {
        let at = offset;
        let origin = Origin {
            file: format!("{name} (record at byte {at})"),
            line: None,
        };
        let corrupt = |message: String| IngestError::BadArchive {
            origin: Origin {
                file: name.to_owned(),
                line: Some(at),
            },
            message,
        };
        let head = match read_head(&mut input, &mut offset) {
            Ok(Some(head)) => head,
            Ok(None) => break,
            Err(e) => {
                out.error(corrupt(e.to_string()));
                break;
            }
        };
        record_no += 1;
        if !head.first().is_some_and(|l| l.starts_with("WARC/")) {
            out.error(corrupt(format!(
                "record {record_no} does not start with a WARC/ version line"
            )));
            break;
        }
        let fields = header_fields(&head[1..]);
        let Some(len) = fields
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok())
        else {
            out.error(corrupt(format!(
                "record {record_no} has no valid Content-Length"
            )));
            break;
        };
        let kind = fields
            .get("warc-type")
            .map_or("?", String::as_str)
            .to_owned();
        let wanted = kind == "response"
            && fields
                .get("content-type")
                .is_some_and(|t| t.contains("application/http"));
        if !wanted || len > limit as u64 {
            if let Err(e) = skip(&mut input, len) {
                out.error(corrupt(format!("record {record_no} is cut short: {e}")));
                break;
            }
            offset += len;
            if wanted {
                out.error(IngestError::FileTooLarge { origin, limit });
            } else {
                *skipped.entry(kind).or_default() += 1;
            }
        } else {
            let mut block = Vec::with_capacity(len as usize);
            match (&mut input).take(len).read_to_end(&mut block) {
                Ok(n) if n as u64 == len => {}
                Ok(n) => {
                    out.error(corrupt(format!(
                        "record {record_no} is cut short: {n} of {len} bytes"
                    )));
                    break;
                }
                Err(e) => {
                    out.error(corrupt(format!("record {record_no}: {e}")));
                    break;
                }
            }
            offset += len;
            let uri = fields
                .get("warc-target-uri")
                .map(|u| u.trim().trim_matches(['<', '>']).to_owned());
            match http_page(&block) {
                Some(page) => {
                    let id = ArticleId(uri.clone().unwrap_or_else(|| {
                        fields
                            .get("warc-record-id")
                            .cloned()
                            .unwrap_or_else(|| format!("{name}#{record_no}"))
                    }));
                    match page_draft(id, &page.body, page.charset, uri.as_deref(), limit) {
                        Ok(mut draft) => {
                            if draft.published.is_none() {
                                draft.published =
                                    fields.get("warc-date").and_then(|d| parse_date(d));
                            }
                            draft.url = draft.url.or(uri);
                            reader.accept(draft, origin, out);
                        }
                        Err(message) => out.error(IngestError::BadPage { origin, message }),
                    }
                }
                None => {
                    *skipped
                        .entry("response (not an HTML page)".into())
                        .or_default() += 1
                }
            }
        }
        // The two CRLFs that close a record.
        match skip_blank(&mut input, &mut offset) {
            Ok(()) => {}
            Err(e) => {
                out.error(corrupt(e.to_string()));
                break;
            }
        }
    }
    if !skipped.is_empty() {
        let counts: Vec<String> = skipped.iter().map(|(k, n)| format!("{k} {n}")).collect();
        out.emit(Event::FileSkipped {
            path: name.into(),
            reason: format!(
                "records that are not HTML pages skipped: {}",
                counts.join(", ")
            ),
        });
    }
}

/// The lines of the next header block (up to a blank line), skipping blank
/// lines before it; `None` at the end of the input.
fn read_head(input: &mut impl BufRead, offset: &mut u64) -> io::Result<Option<Vec<String>>> {
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take((MAX_HEADER_BYTES + 1) as u64)
            .read_until(b'\n', &mut line)?;
        *offset += n as u64;
        total += n;
        if total > MAX_HEADER_BYTES {
            return Err(io::Error::other("header block longer than 64 KiB"));
        }
        if n == 0 {
            return if lines.is_empty() {
                Ok(None)
            } else {
                Err(io::Error::other("the file ends inside a record header"))
            };
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_owned();
        if text.is_empty() {
            if lines.is_empty() {
                continue;
            }
            return Ok(Some(lines));
        }
        lines.push(text);
    }
}

/// `name: value` header lines, names lowercased (continuation lines are
/// joined to the field before them).
fn header_fields(lines: &[String]) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in lines {
        if line.starts_with([' ', '\t']) {
            if let Some(v) = last.as_ref().and_then(|k| fields.get_mut(k)) {
                let v: &mut String = v;
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            fields.insert(k.clone(), v.trim().to_owned());
            last = Some(k);
        }
    }
    fields
}

/// Read and drop `len` bytes.
fn skip(input: &mut impl Read, len: u64) -> io::Result<()> {
    let n = io::copy(&mut input.take(len), &mut io::sink())?;
    if n < len {
        return Err(io::Error::other(format!("{n} of {len} bytes")));
    }
    Ok(())
}

/// Skip the blank lines after a record block.
fn skip_blank(input: &mut impl BufRead, offset: &mut u64) -> io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        let n = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if n == 0 {
            return Ok(());
        }
        input.consume(n);
        *offset += n as u64;
    }
}

/// An HTML page inside an HTTP response: its body and declared charset.
struct HttpPage<'a> {
    body: std::borrow::Cow<'a, [u8]>,
    charset: Option<&'a str>,
}

/// The page in an HTTP response block, when it is a successful HTML one.
fn http_page(block: &[u8]) -> Option<HttpPage<'_>> {
    let split = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4));
    let split = split.or_else(|| {
        block
            .windows(2)
            .position(|w| w == b"\n\n")
            .map(|p| (p, p + 2))
    });
    let (head_end, body_start) = split?;
    let head = std::str::from_utf8(&block[..head_end]).ok()?;
    let mut lines = head.lines();
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    if !(200..300).contains(&status) {
        return None;
    }
    let mut content_type = None;
    let mut chunked = false;
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim();
            if k.eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim());
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.to_ascii_lowercase().contains("chunked");
            }
        }
    }
    let body = &block[body_start..];
    let is_html = match content_type {
        Some(t) => {
            let t = t.to_ascii_lowercase();
            t.contains("html")
        }
        None => body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'<'),
    };
    if !is_html {
        return None;
    }
    let charset = content_type.and_then(|t| {
        t.split(';')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
            .map(|(_, v)| v.trim().trim_matches('"'))
    });
    let body = if chunked {
        std::borrow::Cow::Owned(dechunk(body))
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    Some(HttpPage { body, charset })
}

/// Reassemble a chunked HTTP body (as much of it as is well formed).
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok());
        let Some(size) = size.filter(|&s| s > 0) else {
            break;
        };
        let start = eol + 2;
        let end = (start + size).min(body.len());
        out.extend_from_slice(&body[start..end]);
        body = body.get(end + 2..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_http_pages() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"windows-1251\"\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>ab\r\n4\r\nc</p\r\n0\r\n\r\n";
        let page = http_page(block).unwrap();
        assert_eq!(page.charset, Some("windows-1251"));
        assert_eq!(&*page.body, b"<p>abc</p");
        assert!(
            http_page(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>x").is_none()
        );
        assert!(http_page(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG").is_none());
    }
}
