//! Reading lines with a bound on their length.
//!
//! A line longer than the bound is consumed and measured but never stored,
//! so a 200 MB line costs no more memory than the bound.

use std::io::{self, BufRead};

/// What [`BoundedLines::next_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineInfo {
    /// 1-based line number.
    pub number: u64,
    /// Full length in bytes, without the line break.
    pub len: u64,
    /// False for a last line with no line break after it.
    pub terminated: bool,
    /// True when the line was longer than the bound (its bytes are dropped).
    pub too_long: bool,
}

/// A line reader over any [`BufRead`] that never buffers more than `limit`
/// bytes of one line.
pub(crate) struct BoundedLines<R> {
    inner: R,
    limit: usize,
    number: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> BoundedLines<R> {
    pub(crate) fn new(inner: R, limit: usize) -> Self {
        Self {
            inner,
            limit,
            number: 0,
            buf: Vec::new(),
        }
    }

    /// Read the next line; its bytes (without `\n` or `\r\n`) are then in
    /// [`Self::bytes`]. `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<LineInfo>> {
        self.buf.clear();
        let (mut len, mut any, mut terminated, mut too_long) = (0u64, false, false, false);
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let chunk = &available[..newline.unwrap_or(available.len())];
            len += chunk.len() as u64;
            if !too_long {
                if self.buf.len() + chunk.len() > self.limit {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(chunk);
                }
            }
            let used = chunk.len() + usize::from(newline.is_some());
            self.inner.consume(used);
            if newline.is_some() {
                terminated = true;
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
            len -= 1;
        }
        self.number += 1;
        Ok(Some(LineInfo {
            number: self.number,
            len,
            terminated,
            too_long,
        }))
    }

    /// The bytes of the line last read (empty when it was too long).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_lines_and_counts_them() {
        let input = format!("ab\r\n{}\nlast", "x".repeat(100));
        let mut lines = BoundedLines::new(io::BufReader::with_capacity(7, input.as_bytes()), 10);
        let first = lines.next_line().unwrap().unwrap();
        assert_eq!(
            (first.number, first.len, first.terminated, first.too_long),
            (1, 2, true, false)
        );
        assert_eq!(lines.bytes(), b"ab");
        let long = lines.next_line().unwrap().unwrap();
        assert_eq!((long.number, long.len, long.too_long), (2, 100, true));
        assert!(lines.bytes().is_empty());
        let last = lines.next_line().unwrap().unwrap();
        assert_eq!((last.number, last.terminated), (3, false));
        assert_eq!(lines.bytes(), b"last");
        assert_eq!(lines.next_line().unwrap(), None);
    }
}
