//! Readers: from paths and streams to checked, cleaned articles.
//!
//! [`Reader`] is the entry point. It decides what each path is, walks
//! folders ([`folder`]), reads each format ([`jsonl`], [`text_file`],
//! [`html_file`]), and passes every article through one gate that cleans
//! its body and rejects empty bodies and ids seen earlier in the batch.
//!
//! Formats, by extension (a file named directly with another extension is
//! recognised by its first non-blank byte: `{` JSONL, `<` HTML, else text):
//!
//! | extension | format |
//! | --- | --- |
//! | `.jsonl`, `.ndjson` | Article JSONL |
//! | `.json` | Article JSONL when it starts with `{`; skipped otherwise |
//! | `.txt`, `.text` | one article, id = file stem |
//! | `.html`, `.htm`, `.xhtml`, and those `.gz` | one article (main text found by [`parallax_extract`]), id = file name without extensions |
//! | `.warc`, `.warc.gz` | WARC archive: one article per HTML `response` record, id = its URL |
//! | `.rss`, `.atom`, `.rdf`, `.feed`, and those `.gz` | feed ([`feed`]): RSS 0.9x/1.0/2.0, Atom or JSON Feed, one article per item, id = its link |
//! | `.xml` | a feed when it opens with `<rss`, `<feed` or `<rdf:RDF`; skipped otherwise |
//! | `.json` holding a JSON Feed (`jsonfeed.org/version`) | feed |
//!
//! A file named directly with another extension is a feed when it starts
//! like one (`<rss`, `<feed`, `<rdf:RDF` after any `<?xml ...?>` prolog and
//! comments, or a JSON Feed object).

pub mod feed;
pub mod folder;
pub mod html_file;
pub mod jsonl;
mod lines;
pub mod text_file;
pub mod warc;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use parallax_model::{Article, ArticleId, Origin, Removal, Source};

use rayon::prelude::*;

use crate::clean::{Cleaned, TEMPLATE_WINDOW, Templates, clean_body, tidy};
use crate::{Event, IngestError, IngestOptions, IngestWarning, Summary};

/// Reads inputs into articles for one batch. It remembers the ids it has
/// handed on, so a later record with the same id is rejected as a duplicate
/// ("first seen at file:line") across every path it reads.
///
/// ```
/// use parallax_ingest::{Batch, IngestOptions, Reader};
///
/// let mut reader = Reader::new(IngestOptions::default());
/// let mut batch = Batch::default();
/// let line = "{\"id\": \"x\", \"text\": \"Hello.\"}\n";
/// reader.read_jsonl(line.as_bytes(), "a.jsonl", &mut |e| batch.push(e));
/// reader.read_jsonl(line.as_bytes(), "b.jsonl", &mut |e| batch.push(e));
/// assert_eq!(batch.articles.len(), 1);
/// assert_eq!(batch.errors[0].to_string(), "b.jsonl:1: duplicate id x, first seen at a.jsonl:1");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Reader {
    options: IngestOptions,
    seen: HashMap<ArticleId, Origin>,
    templates: Templates,
}

impl Reader {
    /// A reader with the given options and no ids seen yet.
    pub fn new(options: IngestOptions) -> Self {
        Self {
            options,
            seen: HashMap::new(),
            templates: Templates::new(),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &IngestOptions {
        &self.options
    }

    /// How many articles this reader has handed on.
    pub fn articles_seen(&self) -> usize {
        self.seen.len()
    }

    /// Read a file or a folder (recursively, in path order), handing each
    /// [`Event`] to `sink` as it happens. Only regular files are read (links
    /// followed); anything else is reported as a skipped file. A path that yields no article and
    /// no other error (an empty folder or file) ends with
    /// [`IngestError::NoArticles`].
    pub fn read_path(&mut self, path: &Path, sink: &mut dyn FnMut(Event)) -> Summary {
        let mut out = self.emitter(sink);
        match std::fs::metadata(path) {
            Err(source) => out.error(IngestError::Io {
                path: path.display().to_string(),
                source,
            }),
            Ok(meta) if meta.is_dir() => folder::walk(path, &mut |found| match found {
                folder::Found::File(file) => match Format::by_extension(&file) {
                    Ok(format) => self.read_file(&file, format, &mut out),
                    Err(reason) => out.emit(Event::FileSkipped { path: file, reason }),
                },
                folder::Found::Special(file) => out.emit(Event::FileSkipped {
                    path: file,
                    reason: NOT_REGULAR.into(),
                }),
                folder::Found::Error(e) => out.error(e),
            }),
            Ok(meta) if !meta.is_file() => out.emit(Event::FileSkipped {
                path: path.to_owned(),
                reason: NOT_REGULAR.into(),
            }),
            Ok(_) => match Format::of_named_file(path) {
                Ok(format) => self.read_file(path, format, &mut out),
                Err(reason) => out.emit(Event::FileSkipped {
                    path: path.to_owned(),
                    reason,
                }),
            },
        }
        // Counts are final only once everything has passed the gate.
        self.flush(&mut out);
        if out.summary.articles == 0 && out.summary.errors == 0 {
            out.error(IngestError::NoArticles {
                path: path.display().to_string(),
            });
            self.flush(&mut out);
        }
        out.summary
    }

    /// Read Article JSONL from any byte stream (a request body, stdin),
    /// naming it `name` in origins and errors.
    pub fn read_jsonl(
        &mut self,
        input: impl Read,
        name: &str,
        sink: &mut dyn FnMut(Event),
    ) -> Summary {
        let mut out = self.emitter(sink);
        jsonl::read(self, io::BufReader::new(input), name, &mut out);
        self.flush(&mut out);
        out.summary
    }

    /// Open `path` and read it as `format`.
    fn read_file(&mut self, path: &Path, format: Format, out: &mut Emitter<'_>) {
        let name = path.display().to_string();
        let file = match File::open(path) {
            Ok(f) => f,
            Err(source) => return out.error(IngestError::Io { path: name, source }),
        };
        out.summary.files += 1;
        match format {
            Format::Jsonl => jsonl::read(self, io::BufReader::new(file), &name, out),
            Format::Text => text_file::read(self, file, path, out),
            Format::Html => html_file::read(self, file, path, out),
            Format::Warc => warc::read(self, file, path, out),
            Format::Feed => feed::read(self, file, path, out),
        }
    }

    /// Read a feed (RSS, Atom, JSON Feed) held in memory, naming it `name`
    /// in origins and errors; `base` is its address, for relative links.
    /// Every item becomes an article (see [`feed`]).
    pub fn read_feed(
        &mut self,
        bytes: &[u8],
        name: &str,
        base: Option<&str>,
        sink: &mut dyn FnMut(Event),
    ) -> Summary {
        let mut out = self.emitter(sink);
        feed::read_bytes(self, bytes, name, base, &mut out);
        self.flush(&mut out);
        out.summary
    }

    /// An emitter that holds articles back for template learning when the
    /// options ask for it.
    fn emitter<'a>(&self, sink: &'a mut dyn FnMut(Event)) -> Emitter<'a> {
        let mut out = Emitter::new(sink);
        out.templates = self.options.clean && self.options.templates;
        out
    }

    /// Gate everything still queued, cut outlet templates from the last
    /// window and hand every event on, in order.
    fn flush(&mut self, out: &mut Emitter<'_>) {
        self.gate(out);
        self.strip_window(out);
    }

    /// Cut outlet templates from the window of held-back articles and hand
    /// every held event on, in order.
    fn strip_window(&mut self, out: &mut Emitter<'_>) {
        let held = std::mem::take(&mut out.window);
        out.window_articles = 0;
        let mut articles = Vec::new();
        let mut order = Vec::with_capacity(held.len());
        for event in held {
            match event {
                Event::Article(a) => {
                    articles.push(a);
                    order.push(None);
                }
                other => order.push(Some(other)),
            }
        }
        self.templates.strip(&mut articles);
        let mut articles = articles.into_iter();
        for slot in order {
            let event = match slot {
                Some(e) => e,
                None => match articles.next() {
                    Some(a) => Event::Article(a),
                    None => continue,
                },
            };
            (out.sink)(event);
        }
    }

    /// Queue a read record for the gate. Records are gated in batches of
    /// [`CLEAN_BATCH`]: their bodies are cleaned on all cores, then each
    /// passes the gate in input order, so the result is the same as
    /// cleaning one at a time while the reader itself stays sequential.
    pub(crate) fn accept(&mut self, draft: Draft, origin: Origin, out: &mut Emitter<'_>) {
        out.queue.push(Queued::Draft(Box::new(draft), origin));
        out.drafts += 1;
        if out.drafts >= CLEAN_BATCH {
            self.gate(out);
        }
    }

    /// Clean the queued drafts in parallel, then pass every queued item
    /// through the gate in input order.
    fn gate(&mut self, out: &mut Emitter<'_>) {
        let queue = std::mem::take(&mut out.queue);
        out.drafts = 0;
        let clean = self.options.clean;
        let cleaned: Vec<Option<Cleaned>> = queue
            .par_iter()
            .map(|item| match item {
                Queued::Draft(draft, _) if clean => Some(clean_body(&draft.text)),
                Queued::Draft(draft, _) => Some(Cleaned {
                    body: tidy(&draft.text),
                    removed: Vec::new(),
                }),
                Queued::Event(_) => None,
            })
            .collect();
        for (item, cleaned) in queue.into_iter().zip(cleaned) {
            match item {
                Queued::Draft(draft, origin) => {
                    self.admit(*draft, cleaned.unwrap_or_default(), origin, out)
                }
                Queued::Event(event) => self.pass(event, out),
            }
        }
    }

    /// Hand one gated event on: count it, and hold it for template learning
    /// when the options ask for it (a window closes at
    /// [`TEMPLATE_WINDOW`] articles).
    fn pass(&mut self, event: Event, out: &mut Emitter<'_>) {
        out.summary.count(&event);
        if !out.templates {
            return (out.sink)(event);
        }
        if matches!(event, Event::Article(_)) {
            if out.window_articles >= TEMPLATE_WINDOW {
                self.strip_window(out);
            }
            out.window_articles += 1;
        }
        out.window.push(event);
    }

    /// The gate every article passes: reject an unusable id (control
    /// characters, too long: [`crate::check_id`]) and a seen one, take the cleaned
    /// body, fall back to the title when no body is left (a headline-only
    /// record is still an article; a warning says so), reject the record
    /// when there is no title either, then hand the article and its
    /// warnings on.
    fn admit(&mut self, draft: Draft, cleaned: Cleaned, origin: Origin, out: &mut Emitter<'_>) {
        if let Err(problem) = crate::check_id(draft.id.as_str()) {
            return self.pass(Event::Error(IngestError::BadId { origin, problem }), out);
        }
        if let Some(first) = self.seen.get(&draft.id) {
            let error = IngestError::DuplicateId {
                origin,
                id: draft.id,
                first: first.clone(),
            };
            return self.pass(Event::Error(error), out);
        }
        let mut notes = Vec::new();
        let mut removed = draft.removed;
        removed.extend(cleaned.removed);
        let mut body = cleaned.body;
        let title = non_empty(draft.title);
        if body.is_empty() {
            let Some(title) = &title else {
                let error = IngestError::EmptyBody {
                    origin,
                    id: draft.id,
                    after_cleaning: !draft.text.trim().is_empty(),
                };
                return self.pass(Event::Error(error), out);
            };
            body = title.clone();
            notes.push(IngestWarning::TitleAsBody {
                origin: origin.clone(),
                id: draft.id.clone(),
            });
        }
        for value in draft.bad_dates {
            notes.push(IngestWarning::UnparsedDate {
                origin: origin.clone(),
                id: draft.id.clone(),
                value,
            });
        }
        for note in notes {
            self.pass(Event::Warning(note), out);
        }
        self.seen.insert(draft.id.clone(), origin.clone());
        let article = Article {
            id: draft.id,
            title,
            url: non_empty(draft.url),
            source: non_empty(draft.source).map(Source),
            published: draft.published,
            lang: non_empty(draft.lang),
            body,
            removed,
            origin,
        };
        self.pass(Event::Article(article), out);
    }
}

/// An article as read, before the gate.
#[derive(Debug)]
pub(crate) struct Draft {
    pub id: ArticleId,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub lang: Option<String>,
    /// The raw body text, before cleaning.
    pub text: String,
    /// What the reader already took out (metadata lines).
    pub removed: Vec<Removal>,
    /// Dates that were given but could not be read.
    pub bad_dates: Vec<String>,
}

impl Draft {
    /// A draft with only an id and a body.
    pub(crate) fn new(id: ArticleId, text: String) -> Self {
        Self {
            id,
            title: None,
            url: None,
            source: None,
            published: None,
            lang: None,
            text,
            removed: Vec::new(),
            bad_dates: Vec::new(),
        }
    }
}

/// Why a FIFO, socket or device (or a link to one) is skipped: only
/// regular files are read, since reading one of these could block for ever
/// (a FIFO nobody writes to) or never end (`/dev/zero`).
const NOT_REGULAR: &str =
    "not a regular file (a FIFO, socket or device, or a link to one); only regular files are read";

/// How many records are gated at a time: their bodies are cleaned in
/// parallel. Enough work per batch to keep every core busy, little enough
/// to keep the reader streaming.
pub const CLEAN_BATCH: usize = 256;

/// Something read, in input order, waiting for the gate.
enum Queued {
    /// An event the reader found (a rejected record, a skipped file).
    Event(Event),
    /// A record that still has to be cleaned and checked.
    Draft(Box<Draft>, Origin),
}

/// Carries events from the readers to the caller's sink: queues them for
/// the gate, counts them, and holds gated ones back for template learning.
pub(crate) struct Emitter<'a> {
    sink: &'a mut dyn FnMut(Event),
    pub summary: Summary,
    /// Hold gated events in `window` for template learning.
    templates: bool,
    /// Events and drafts not gated yet, in input order.
    queue: Vec<Queued>,
    /// Drafts in `queue`.
    drafts: usize,
    /// Gated events held for template learning.
    window: Vec<Event>,
    /// Articles in `window`.
    window_articles: usize,
}

impl<'a> Emitter<'a> {
    fn new(sink: &'a mut dyn FnMut(Event)) -> Self {
        Self {
            sink,
            summary: Summary::default(),
            templates: false,
            queue: Vec::new(),
            drafts: 0,
            window: Vec::new(),
            window_articles: 0,
        }
    }

    /// Queue an event behind the records read before it; it is counted
    /// and handed on when they have passed the gate.
    pub(crate) fn emit(&mut self, event: Event) {
        self.queue.push(Queued::Event(event));
    }

    pub(crate) fn error(&mut self, error: IngestError) {
        self.emit(Event::Error(error));
    }
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Text,
    Html,
    Warc,
    Feed,
}

impl Format {
    /// The format of a file found in a folder, by its extension; the error
    /// says why the file is skipped.
    fn by_extension(path: &Path) -> Result<Self, String> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "jsonl" | "ndjson" => Ok(Self::Jsonl),
            "txt" | "text" => Ok(Self::Text),
            "html" | "htm" | "xhtml" => Ok(Self::Html),
            "warc" => Ok(Self::Warc),
            "rss" | "atom" | "rdf" | "feed" => Ok(Self::Feed),
            "xml" => match sniff(path) {
                Some(Self::Feed) => Ok(Self::Feed),
                _ => Err("XML that is not a feed (no <rss>, <feed> or <rdf:RDF>)".into()),
            },
            "gz" => {
                let inner = Path::new(path.file_stem().unwrap_or_default())
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                match inner.as_str() {
                    "html" | "htm" | "xhtml" => Ok(Self::Html),
                    "warc" => Ok(Self::Warc),
                    "rss" | "atom" | "rdf" | "feed" | "xml" => Ok(Self::Feed),
                    _ => Err(format!("unknown file extension .{inner}.gz")),
                }
            }
            "json" => match first_byte(path) {
                Some(b'{') if sniff(path) == Some(Self::Feed) => Ok(Self::Feed),
                Some(b'{') | None => Ok(Self::Jsonl),
                Some(_) => Err("JSON that is not Article JSONL (one object per line)".into()),
            },
            "" => Err("no file extension".into()),
            other => Err(format!("unknown file extension .{other}")),
        }
    }

    /// The format of a file named directly: by extension, else by its
    /// first non-blank byte.
    fn of_named_file(path: &Path) -> Result<Self, String> {
        Self::by_extension(path).or_else(|reason| {
            if reason.starts_with("JSON") {
                return Err(reason);
            }
            if let Some(format) = sniff(path) {
                return Ok(format);
            }
            Ok(match first_byte(path) {
                Some(b'{') => Self::Jsonl,
                Some(b'<') => Self::Html,
                _ => Self::Text,
            })
        })
    }
}

/// The first byte of a file that is not whitespace or a UTF-8 byte-order
/// mark, looking at most 64 KiB in.
fn first_byte(path: &Path) -> Option<u8> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    head.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// [`Format::Feed`] when the start of the file looks like a feed: the
/// first element (after an XML prolog, comments and doctype) is `<rss`,
/// `<feed` or `<rdf:RDF`, or a JSON object names a JSON Feed version.
fn sniff(path: &Path) -> Option<Format> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    looks_like_feed(&head).then_some(Format::Feed)
}

/// True when `head` (a file's first bytes) starts a feed.
pub(crate) fn looks_like_feed(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    if rest.starts_with('{') {
        return rest.contains("jsonfeed.org/version");
    }
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |(_, r)| r).trim_start();
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |(_, r)| r).trim_start();
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>').map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    // Compared as bytes: the text may hold any character at any offset,
    // and a string slice inside a multi-byte character would panic.
    let rest = rest.as_bytes();
    ["<rss", "<feed", "<rdf:rdf", "<rdf "].iter().any(|tag| {
        rest.get(..tag.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(tag.as_bytes()))
    })
}

/// `s` trimmed, or `None` when nothing is left.
fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Read a whole single-article file, or `None` when it is longer than
/// `limit` bytes (never reading more than `limit + 1`).
fn read_whole(file: File, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// The bytes of a single-article file, or the error that rejects it.
fn read_single(file: File, limit: usize, origin: &Origin) -> Result<Vec<u8>, IngestError> {
    match read_whole(file, limit) {
        Err(source) => Err(IngestError::Io {
            path: origin.file.clone(),
            source,
        }),
        Ok(None) => Err(IngestError::FileTooLarge {
            origin: origin.clone(),
            limit,
        }),
        Ok(Some(bytes)) if bytes.contains(&0) => Err(IngestError::NotText {
            origin: origin.clone(),
        }),
        Ok(Some(bytes)) => Ok(bytes),
    }
}

/// The id of a single-article file: its name without the extension.
fn id_from_path(path: &Path) -> ArticleId {
    let stem = path
        .file_stem()
        .filter(|s| !s.is_empty())
        .or_else(|| path.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    ArticleId(stem)
}
