//! The index on disk: an append-only log of fingerprints.
//!
//! The in-memory [`Index`] is a pure function of the sequence of articles
//! added (and evictions), so the file stores exactly that sequence: one
//! record per article (id, time, flags, word count, exact hash, threshold,
//! samples, which samples come from its opening) and one per eviction.
//! Opening the file replays it through [`Index::add`], which rebuilds the
//! same index *and the same pairs*; no text is ever stored.
//!
//! Crash safety: every record is `[len: u32][payload][checksum: u64]`.
//! [`PersistentIndex::commit`] flushes and `fsync`s; an article is
//! *acknowledged* once a commit after its `add` has returned. A process
//! killed mid-write leaves at most one torn record at the end of the log;
//! opening the file checks every record, cuts the log back to the last whole
//! one and reports how many bytes were dropped. So a kill loses nothing that
//! was acknowledged, and, because pairs are recomputed from the log, it
//! cannot leave a pair behind whose article is not indexed.
//!
//! The header records the format and the sketch settings; a file written
//! with other settings, or in the format before openings were recorded
//! (`PXDEDUP2`), is refused with a message saying to delete it to rebuild,
//! rather than silently compared with incompatible samples. Rebuilding
//! means adding the articles again: the log keeps no text to re-sketch.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::direction::{DATED, DEGRADED, WIRE_CREDIT, WIRE_OUTLET};

/// The flag bits a record keeps.
const KEPT_FLAGS: u8 = WIRE_OUTLET | WIRE_CREDIT | DEGRADED;
use crate::index::{Added, Fingerprint, Index, IndexError, Pair};
use crate::shingle::hash_bytes;
use crate::sketch::Sketch;
use crate::{Config, SketchConfig};

const MAGIC: &[u8; 8] = b"PXDEDUP3";
/// The format before records carried their opening samples.
const MAGIC_V2: &[u8; 8] = b"PXDEDUP2";
const HEADER_LEN: u64 = 8 + 20 + 8;
const KIND_DOC: u8 = 1;
const KIND_EVICT: u8 = 2;
/// Largest record accepted when reading (a corrupt length beyond this is
/// treated as a torn tail).
const MAX_RECORD: u32 = 1 << 24;

/// Why the index file could not be used.
#[derive(Debug)]
pub enum PersistError {
    /// Reading or writing the file failed.
    Io {
        /// The index file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a dedup index, or was written with other settings.
    Incompatible {
        /// The index file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The index refused an article.
    Index(IndexError),
}

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Incompatible { path, reason } => write!(f, "{}: {reason}", path.display()),
            Self::Index(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PersistError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Index(e) => Some(e),
            Self::Incompatible { .. } => None,
        }
    }
}

/// What opening an index file found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    /// Articles replayed.
    pub articles: usize,
    /// The pairs among them, as [`Index::add`] found them.
    pub pairs: Vec<Pair>,
    /// Bytes of a torn or corrupt tail cut from the log (0 when clean).
    pub dropped_bytes: u64,
}

/// An [`Index`] backed by an append-only log file.
#[derive(Debug)]
pub struct PersistentIndex {
    index: Index,
    path: PathBuf,
    out: BufWriter<File>,
    buf: Vec<u8>,
}

impl PersistentIndex {
    /// Opens (creating if needed) the index at `path` and replays it.
    pub fn open(path: &Path, config: Config) -> Result<(Self, Replay), PersistError> {
        let io = |source| PersistError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let mut index = Index::new(config);
        let mut replay = Replay::default();
        if size < HEADER_LEN {
            // New (or a header torn before the first commit): start over.
            file.set_len(0).map_err(io)?;
            file.seek(SeekFrom::Start(0)).map_err(io)?;
            file.write_all(&header(&config.sketch)).map_err(io)?;
            file.sync_data().map_err(io)?;
        } else {
            let good = read_log(path, &mut file, &mut index, &mut replay, &config)?;
            if good < size {
                replay.dropped_bytes = size - good;
                file.set_len(good).map_err(io)?;
                file.sync_data().map_err(io)?;
            }
        }
        file.seek(SeekFrom::End(0)).map_err(io)?;
        Ok((
            Self {
                index,
                path: path.to_owned(),
                out: BufWriter::with_capacity(1 << 16, file),
                buf: Vec::new(),
            },
            replay,
        ))
    }

    /// The in-memory index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Sets the time stamped on undated articles (see [`Index::set_clock`]).
    pub fn set_clock(&mut self, minutes: i32) {
        self.index.set_clock(minutes);
    }

    /// Adds an article (see [`Index::add`]) and appends it to the log. It is
    /// durable once [`PersistentIndex::commit`] returns.
    pub fn add(&mut self, id: &str, fp: &Fingerprint) -> Result<Added, PersistError> {
        let added = self.index.add(id, fp).map_err(PersistError::Index)?;
        if let Added::New { doc, .. } = &added {
            let time = self.index.time(*doc);
            encode_doc(&mut self.buf, id, time, fp);
            self.write_record()?;
        }
        Ok(added)
    }

    /// Evicts articles older than `minutes` (see [`Index::evict_before`])
    /// and logs the eviction.
    pub fn evict_before(&mut self, minutes: i32) -> Result<usize, PersistError> {
        self.buf.clear();
        self.buf.push(KIND_EVICT);
        self.buf.extend_from_slice(&minutes.to_le_bytes());
        self.write_record()?;
        Ok(self.index.evict_before(minutes))
    }

    /// Makes everything added so far durable (flush and `fsync`).
    pub fn commit(&mut self) -> Result<(), PersistError> {
        let io = |source| PersistError::Io {
            path: self.path.clone(),
            source,
        };
        self.out.flush().map_err(io)?;
        self.out.get_ref().sync_data().map_err(io)
    }

    fn write_record(&mut self) -> Result<(), PersistError> {
        let len = self.buf.len() as u32;
        let sum = hash_bytes(&self.buf);
        let io = |source| PersistError::Io {
            path: self.path.clone(),
            source,
        };
        self.out.write_all(&len.to_le_bytes()).map_err(io)?;
        self.out.write_all(&self.buf).map_err(io)?;
        self.out.write_all(&sum.to_le_bytes()).map_err(io)
    }
}

fn header(c: &SketchConfig) -> Vec<u8> {
    let mut h = MAGIC.to_vec();
    for v in [
        c.shingle as u32,
        c.rate,
        c.min_samples as u32,
        c.max_samples as u32,
        c.opening_words as u32,
    ] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&c.seed.to_le_bytes());
    debug_assert_eq!(h.len() as u64, HEADER_LEN);
    h
}

fn encode_doc(buf: &mut Vec<u8>, id: &str, time: i32, fp: &Fingerprint) {
    let flags = (fp.flags & KEPT_FLAGS) | if fp.published.is_some() { DATED } else { 0 };
    buf.clear();
    buf.push(KIND_DOC);
    buf.extend_from_slice(&(id.len() as u16).to_le_bytes());
    buf.extend_from_slice(id.as_bytes());
    buf.extend_from_slice(&time.to_le_bytes());
    buf.push(flags);
    buf.extend_from_slice(&fp.sketch.words.to_le_bytes());
    buf.extend_from_slice(&fp.content_words.to_le_bytes());
    buf.extend_from_slice(&fp.sketch.exact.to_le_bytes());
    buf.extend_from_slice(&fp.sketch.threshold.to_le_bytes());
    buf.extend_from_slice(&(fp.sketch.samples.len() as u16).to_le_bytes());
    for s in &fp.sketch.samples {
        buf.extend_from_slice(&s.to_le_bytes());
    }
    buf.extend_from_slice(&fp.sketch.opening.to_le_bytes());
}

/// A cursor over a record's payload; every read checks bounds.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    }
    fn i32(&mut self) -> Option<i32> {
        self.take(4)
            .and_then(|b| b.try_into().ok())
            .map(i32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    }
}

/// Replays the log into `index`; returns the offset after the last good
/// record.
fn read_log(
    path: &Path,
    file: &mut File,
    index: &mut Index,
    replay: &mut Replay,
    config: &Config,
) -> Result<u64, PersistError> {
    let io = |source| PersistError::Io {
        path: path.to_owned(),
        source,
    };
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut r = BufReader::with_capacity(1 << 16, &mut *file);
    let mut head = [0u8; HEADER_LEN as usize];
    r.read_exact(&mut head).map_err(io)?;
    if &head[..8] == MAGIC_V2 {
        return Err(PersistError::Incompatible {
            path: path.to_owned(),
            reason: "a dedup index of an earlier format (PXDEDUP2, without articles' \
                     openings); delete it and add the articles again to rebuild it"
                .into(),
        });
    }
    if &head[..8] != MAGIC {
        return Err(PersistError::Incompatible {
            path: path.to_owned(),
            reason: "not a parallax dedup index".into(),
        });
    }
    if head[..] != header(&config.sketch)[..] {
        return Err(PersistError::Incompatible {
            path: path.to_owned(),
            reason: "written with other sketch settings; delete it to rebuild".into(),
        });
    }
    let mut good = HEADER_LEN;
    let mut payload = Vec::new();
    let mut samples = Vec::new();
    let clock = 0;
    loop {
        let mut len = [0u8; 4];
        if !read_full(&mut r, &mut len).map_err(io)? {
            break;
        }
        let len = u32::from_le_bytes(len);
        if len == 0 || len > MAX_RECORD {
            break;
        }
        payload.resize(len as usize, 0);
        let mut sum = [0u8; 8];
        if !read_full(&mut r, &mut payload).map_err(io)?
            || !read_full(&mut r, &mut sum).map_err(io)?
        {
            break;
        }
        if u64::from_le_bytes(sum) != hash_bytes(&payload) {
            break;
        }
        let mut c = Cursor(&payload);
        let ok = match c.u8() {
            Some(KIND_DOC) => {
                let Some((id, fp, time)) = decode_doc(&mut c, &mut samples) else {
                    break;
                };
                index.set_clock(time);
                match index.add(id, &fp) {
                    Ok(Added::New { pairs, .. }) => {
                        replay.articles += 1;
                        replay.pairs.extend(pairs);
                        true
                    }
                    Ok(Added::Known(_)) => true,
                    Err(_) => false,
                }
            }
            Some(KIND_EVICT) => match c.i32() {
                Some(before) => {
                    index.evict_before(before);
                    true
                }
                None => false,
            },
            _ => false,
        };
        if !ok {
            break;
        }
        good += 4 + u64::from(len) + 8;
    }
    index.set_clock(clock);
    Ok(good)
}

fn decode_doc<'a>(
    c: &mut Cursor<'a>,
    samples: &mut Vec<u64>,
) -> Option<(&'a str, Fingerprint, i32)> {
    let id_len = c.u16()?;
    let id = std::str::from_utf8(c.take(usize::from(id_len))?).ok()?;
    let time = c.i32()?;
    let flags = c.u8()?;
    let words = c.u32()?;
    let content_words = c.u32()?;
    let exact = c.u64()?;
    let threshold = c.u32()?;
    let n = c.u16()?;
    samples.clear();
    for _ in 0..n {
        samples.push(c.u64()?);
    }
    let opening = c.u64()?;
    let fp = Fingerprint {
        sketch: Sketch {
            exact,
            words,
            threshold,
            samples: samples.clone(),
            opening,
        },
        published: (flags & DATED != 0).then_some(time),
        content_words,
        flags: flags & KEPT_FLAGS,
    };
    Some((id, fp, time))
}

/// Fills `buf` completely; `false` at a clean or torn end of file.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<bool> {
    let mut at = 0;
    while at < buf.len() {
        match r.read(&mut buf[at..]) {
            Ok(0) => return Ok(false),
            Ok(n) => at += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}
