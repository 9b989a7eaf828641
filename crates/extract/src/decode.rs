//! From the bytes of a file to the text of a page: gzip, then charset.
//!
//! The charset is taken, in order of trust, from a byte-order mark, the
//! charset the caller was given (an HTTP `Content-Type`), a `<meta>`
//! declaration in the first 4 KiB, and otherwise guessed from the bytes
//! (valid UTF-8 is UTF-8; anything else goes to `chardetng`). Decoding never
//! fails: bytes that do not belong to the charset become U+FFFD.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::ExtractError;

/// How far into a page a `<meta charset>` is looked for.
const PRESCAN_BYTES: usize = 4096;

/// Most bytes of output per byte of gzip input. Real pages and WARC
/// records compress 3 to 20 times; DEFLATE cannot exceed about 1032:1, and
/// runs of one byte (the usual bomb) get close to that.
pub const MAX_GZIP_RATIO: u64 = 100;

/// Output allowed before [`MAX_GZIP_RATIO`] is checked, so a tiny but
/// legitimately repetitive member is never refused.
pub const GZIP_RATIO_FREE_BYTES: u64 = 1 << 20;

/// The most output `compressed` bytes of gzip may expand to.
fn ratio_cap(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MAX_GZIP_RATIO)
        .max(GZIP_RATIO_FREE_BYTES)
}

/// The bytes of a page: gunzipped when they start with the gzip magic
/// bytes, never more than `limit` bytes of output, and never more than
/// [`MAX_GZIP_RATIO`] times the input (past [`GZIP_RATIO_FREE_BYTES`]), so a
/// decompression bomb costs at most that much work and memory.
///
/// ```
/// use parallax_extract::{decompress, ExtractError};
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
    let by_ratio = ratio_cap(bytes.len() as u64);
    let cap = by_ratio.min(limit as u64);
    // The gzip trailer holds the CRC-32 and the size (mod 2^32) of the last
    // member's output.
    let trailer = |back: usize| {
        bytes.len().checked_sub(back).map_or(0, |at| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        })
    };
    let hint = trailer(4) as usize;
    if let Some(out) = inflate_whole(bytes, hint, trailer(8), cap) {
        return Ok(Cow::Owned(out));
    }
    let mut out = Vec::with_capacity(hint.min(cap as usize).saturating_add(1));
    flate2::read::MultiGzDecoder::new(bytes)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::Gzip(e.to_string()))?;
    if out.len() as u64 > cap {
        return Err(if cap == by_ratio {
            ExtractError::GzipBomb {
                ratio: MAX_GZIP_RATIO,
            }
        } else {
            ExtractError::TooLarge { limit }
        });
    }
    Ok(Cow::Owned(out))
}

/// One gzip member inflated in one call into a buffer of the size its
/// trailer states (`size`, `crc`): libdeflate, about twice as fast as a
/// streaming inflater on whole pages. `None` when that is not the whole
/// story (a trailer stating more than `cap` or nothing, corrupt or
/// truncated data, several members), so that the streaming path, with its
/// guards and error messages, decides.
fn inflate_whole(bytes: &[u8], size: usize, crc: u32, cap: u64) -> Option<Vec<u8>> {
    thread_local! {
        static INFLATER: std::cell::RefCell<libdeflater::Decompressor> =
            std::cell::RefCell::new(libdeflater::Decompressor::new());
    }
    if size == 0 || size as u64 > cap {
        return None;
    }
    let mut out = vec![0u8; size];
    let n = INFLATER
        .with(|d| d.borrow_mut().gzip_decompress(bytes, &mut out))
        .ok()?;
    // libdeflate reads the first member only: it checks that member
    // against its own trailer, and the input's last trailer must describe
    // the same output, or more members follow. (A file of one member
    // repeated passes this and reads as that member once.)
    (n == size && libdeflater::crc32(&out) == crc).then_some(out)
}

/// A gzip stream (any number of members) read through, failing with
/// [`io::ErrorKind::InvalidData`] as soon as its output passes
/// [`MAX_GZIP_RATIO`] times the compressed bytes consumed so far (past
/// [`GZIP_RATIO_FREE_BYTES`]). For streams too long to hold, such as a WARC
/// archive: a bomb is stopped after a bounded amount of work.
///
/// ```
/// use std::io::Read;
/// use parallax_extract::GuardedGz;
///
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
/// std::io::Write::write_all(&mut gz, &vec![0u8; 64 << 20]).unwrap();
/// let bomb = gz.finish().unwrap();
/// let err = GuardedGz::new(&bomb[..]).read_to_end(&mut Vec::new()).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
/// ```
pub struct GuardedGz<R: BufRead> {
    decoder: flate2::bufread::MultiGzDecoder<Counted<R>>,
    consumed: Rc<Cell<u64>>,
    produced: u64,
}

impl<R: BufRead> GuardedGz<R> {
    /// Unpacks the gzip data `input` yields.
    pub fn new(input: R) -> Self {
        let consumed = Rc::new(Cell::new(0));
        let counted = Counted {
            inner: input,
            consumed: Rc::clone(&consumed),
        };
        Self {
            decoder: flate2::bufread::MultiGzDecoder::new(counted),
            consumed,
            produced: 0,
        }
    }
}

impl<R: BufRead> Read for GuardedGz<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.decoder.read(buf)?;
        self.produced += n as u64;
        if self.produced > ratio_cap(self.consumed.get()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                ExtractError::GzipBomb {
                    ratio: MAX_GZIP_RATIO,
                },
            ));
        }
        Ok(n)
    }
}

/// A reader that counts the bytes taken from it.
struct Counted<R> {
    inner: R,
    consumed: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.consumed.set(self.consumed.get() + amt as u64);
        self.inner.consume(amt);
    }
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

    #[test]
    fn reads_every_member() {
        let member = |text: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut gz, text).unwrap();
            gz.finish().unwrap()
        };
        let one = member(b"<p>first</p>");
        assert_eq!(&*decompress(&one, 1000).unwrap(), b"<p>first</p>");
        let two = [one, member(b"<p>second</p>")].concat();
        assert_eq!(
            &*decompress(&two, 1000).unwrap(),
            b"<p>first</p><p>second</p>"
        );
        // A trailer that states a wrong size or checksum.
        let mut lying = member(b"<p>text</p>");
        let n = lying.len();
        lying[n - 4] ^= 1;
        assert!(matches!(
            decompress(&lying, 1000),
            Err(ExtractError::Gzip(_))
        ));
        lying[n - 4] ^= 1;
        lying[n - 8] ^= 1;
        assert!(matches!(
            decompress(&lying, 1000),
            Err(ExtractError::Gzip(_))
        ));
    }
}
