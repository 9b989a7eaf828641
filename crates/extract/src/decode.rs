//! From the bytes of a file to the text of a page: gzip, then charset.
//!
//! The charset is taken, in order of trust, from a byte-order mark, the
//! charset the caller was given (an HTTP `Content-Type`), a `<meta>`
//! declaration in the first 4 KiB, and otherwise guessed from the bytes
//! (valid UTF-8 is UTF-8; anything else goes to `chardetng`). Decoding never
//! fails: bytes that do not belong to the charset become U+FFFD.

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::ExtractError;

/// How far into a page a `<meta charset>` is looked for.
const PRESCAN_BYTES: usize = 4096;

/// The bytes of a page: gunzipped when they start with the gzip magic
/// bytes, never more than `limit` bytes of output.
///
/// ```
/// use parallax_extract::decompress;
/// assert_eq!(&*decompress(b"<p>plain</p>", 100).unwrap(), b"<p>plain</p>");
/// assert!(decompress(&[0x1f, 0x8b, 8, 0, 0], 100).is_err());
/// ```
pub fn decompress(bytes: &[u8], limit: usize) -> Result<Cow<'_, [u8]>, ExtractError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        if bytes.len() > limit {
            return Err(ExtractError::TooLarge { limit });
        }
        return Ok(Cow::Borrowed(bytes));
    }
    // The gzip trailer holds the size of the last member's output (mod
    // 2^32): reserving it up front spares the copies of a growing buffer.
    let hint = bytes.len().checked_sub(4).map_or(0, |at| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    });
    let mut out = Vec::with_capacity(hint.min(limit).saturating_add(1));
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::Gzip(e.to_string()))?;
    if out.len() > limit {
        return Err(ExtractError::TooLarge { limit });
    }
    Ok(Cow::Owned(out))
}

/// A page decoded to text, and the charset it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The page's text.
    pub text: String,
    /// The charset's name (WHATWG), such as `UTF-8` or `windows-1251`.
    pub charset: &'static str,
}

/// Decode a page's bytes (already gunzipped) to text. `declared` is a
/// charset label from outside the page (an HTTP header), if any.
///
/// ```
/// use parallax_extract::decode_html;
/// let page = b"<meta charset=\"iso-8859-1\"><p>Caf\xe9</p>";
/// let d = decode_html(page, None);
/// assert_eq!((d.text.as_str(), d.charset), ("<meta charset=\"iso-8859-1\"><p>Café</p>", "windows-1252"));
/// ```
pub fn decode_html(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let (text, charset) = decode_cow(bytes, declared);
    Decoded {
        text: text.into_owned(),
        charset,
    }
}

/// [`decode_html`] without the copy of a page that is already valid in its
/// charset: the text borrows `bytes` then.
pub(crate) fn decode_cow<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
) -> (Cow<'a, str>, &'static str) {
    let encoding = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| declared.and_then(|l| Encoding::for_label(l.trim().as_bytes())))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]))
        .map(html_compatible)
        .unwrap_or_else(|| sniff(bytes));
    let (text, used, _) = encoding.decode(bytes);
    (text, used.name())
}

/// A charset a page may declare for itself: a page can't be UTF-16 if its
/// `<meta>` was readable as ASCII, and `x-user-defined` is windows-1252.
fn html_compatible(e: &'static Encoding) -> &'static Encoding {
    if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
        UTF_8
    } else if e == encoding_rs::X_USER_DEFINED {
        WINDOWS_1252
    } else {
        e
    }
}

/// The charset of bytes that declare none.
fn sniff(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// The charset a `<meta charset=...>` or `<meta http-equiv content="...;
/// charset=...">` in `head` declares.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta").map(|p| p + from) {
        let end = lower[at..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| at + p);
        let tag = &lower[at..end];
        if let Some(p) = find(tag, b"charset") {
            let value = tag[p + 7..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace() || **b == b'=')
                .skip_while(|b| matches!(b, b'"' | b'\''))
                .take_while(|b| {
                    !matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') && !b.is_ascii_whitespace()
                })
                .copied()
                .collect::<Vec<u8>>();
            if let Some(e) = Encoding::for_label(&value) {
                return Some(e);
            }
        }
        from = end;
    }
    None
}

/// The first position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declared_and_guessed_charsets() {
        let d = decode_html(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\xcf\xf0\xe8",
            None,
        );
        assert_eq!(d.charset, "windows-1251");
        assert!(d.text.ends_with("При"));
        // Russian in windows-1251 with no declaration at all.
        let text = "Привет, как дела? Это обычная русская страница новостей о погоде в Москве.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let d = decode_html(&bytes, None);
        assert_eq!((d.charset, d.text.as_str()), ("windows-1251", text));
        assert_eq!(decode_html("é".as_bytes(), None).charset, "UTF-8");
        assert_eq!(
            decode_html(b"\xef\xbb\xbfx", Some("latin1")).charset,
            "UTF-8"
        );
    }

    #[test]
    fn reports_truncated_gzip_and_limits() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &[b'a'; 1000]).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(decompress(&gz, 1000).unwrap().len(), 1000);
        assert!(matches!(
            decompress(&gz, 999),
            Err(ExtractError::TooLarge { .. })
        ));
        assert!(matches!(
            decompress(&gz[..gz.len() / 2], 1000),
            Err(ExtractError::Gzip(_))
        ));
    }
}
