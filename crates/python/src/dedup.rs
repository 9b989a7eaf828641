//! `parallax.dedup` and `parallax.CopyIndex`: duplicate, near-duplicate and
//! syndicated pairs, as `parallax dedup` finds them (`parallax_dedup`).

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use parallax_dedup::{Added, Config, Fingerprint, Fingerprinter, Index, Pair};
use parallax_engine::dedup_run::{RecordFields, fingerprint_fields};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

use crate::records::{DocFields, doc_fields};

/// One copy pair: `copy` reuses the text of `original`.
///
/// `relation` is `"duplicate"` (the same text after normalisation),
/// `"near-duplicate"` (the same text with small edits) or `"syndicated"`
/// (a substantial part of the original's text); `score` is the estimated
/// overlap in [0, 1]. The same four columns as `parallax dedup`'s TSV.
#[pyclass(name = "Copy", module = "parallax", frozen, eq, get_all)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CopyPair {
    /// The article that copies.
    copy: String,
    /// The article it copies (the earlier or fuller one).
    original: String,
    /// `duplicate`, `near-duplicate` or `syndicated`.
    relation: String,
    /// Estimated overlap, in [0, 1].
    score: f64,
}

#[pymethods]
impl CopyPair {
    fn __repr__(&self) -> String {
        format!(
            "Copy(copy={:?}, original={:?}, relation={:?}, score={:.4})",
            self.copy, self.original, self.relation, self.score
        )
    }

    /// The pair as a dict (`copy`, `original`, `relation`, `score`): one
    /// row of a table (`pandas.DataFrame(c.to_dict() for c in copies)`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("copy", &self.copy)?;
        d.set_item("original", &self.original)?;
        d.set_item("relation", &self.relation)?;
        d.set_item("score", self.score)?;
        Ok(d)
    }
}

impl CopyPair {
    fn from_pair(index: &Index, p: &Pair) -> Self {
        Self {
            copy: index.id(p.copy).to_owned(),
            original: index.id(p.original).to_owned(),
            relation: p.relation.to_string(),
            // The four decimals the TSV prints.
            score: (p.score * 1e4).round() / 1e4,
        }
    }
}

/// The wall clock in minutes since 1970, as `parallax dedup` sets it:
/// undated articles take it as their time.
fn now_minutes() -> i32 {
    let minutes = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60);
    minutes.min(i32::MAX as u64) as i32
}

/// The borrowed text of one record, for the detector without the GIL.
struct Doc<'a> {
    /// Its position in the caller's iterable.
    position: usize,
    id: &'a str,
    text: Option<&'a str>,
    html: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    published: Option<i64>,
}

fn borrow<'a>(position: usize, f: &'a DocFields<'_>) -> PyResult<Doc<'a>> {
    let s = |v: &'a Option<Bound<'_, pyo3::types::PyString>>| {
        v.as_ref().map(|s| s.to_str()).transpose()
    };
    Ok(Doc {
        position,
        id: f.id.to_str()?,
        text: s(&f.text)?,
        html: s(&f.html)?,
        source: s(&f.source)?,
        url: s(&f.url)?,
        published: f.published,
    })
}

/// The fingerprint of one record, read as `parallax dedup` reads an
/// Article JSONL line ([`fingerprint_fields`]). The error names the record.
fn fingerprint(fpr: &mut Fingerprinter, d: &Doc<'_>) -> Result<Fingerprint, String> {
    let fields = RecordFields {
        text: d.text,
        html: d.html,
        published: d.published,
        source: d.source,
        url: d.url,
    };
    let named = |why: String| format!("articles[{}] (id {:?}): {why}", d.position, d.id);
    fingerprint_fields(fpr, &fields, false)
        .map_err(named)?
        .ok_or_else(|| named("no \"text\" or \"html\"".into()))
}

/// Articles fingerprinted on all cores before being added in order.
const CHUNK: usize = 8192;

/// Every duplicate, near-duplicate and syndicated pair among `articles`.
///
/// `articles` is an iterable of dicts (or objects) with the contract's
/// fields: `id`, `text` or `html`, and optionally `published`, `source`,
/// `url` (they help tell the original from the copy). They are compared as
/// one stream in the given order, each with every article before it, as
/// `parallax dedup` does with an Article JSONL file: texts are read as
/// given, an `html` (without `text`) through the extractor. Returns a list of `Copy` (`copy`, `original`, `relation`,
/// `score`) with `to_records()` for a table.
///
/// Raises `ValueError` naming the first bad record (`articles[i]`, with its
/// id): no string id, an id seen before, no `text` or `html`, a field of
/// the wrong type, an `html` page that cannot be read. The GIL is released while articles are fingerprinted
/// (on all cores) and matched.
#[pyfunction]
pub(crate) fn dedup(py: Python<'_>, articles: &Bound<'_, PyAny>) -> PyResult<Vec<CopyPair>> {
    let mut seen = HashSet::new();
    let mut fields = Vec::new();
    for (i, record) in articles.try_iter()?.enumerate() {
        fields.push(doc_fields(i, &record?, &mut seen)?);
    }
    let docs = fields
        .iter()
        .enumerate()
        .map(|(i, f)| borrow(i, f))
        .collect::<PyResult<Vec<_>>>()?;
    let found = py.detach(|| {
        let config = Config::default();
        let mut index = Index::new(config);
        index.set_clock(now_minutes());
        let mut copies = Vec::new();
        for chunk in docs.chunks(CHUNK) {
            let fps: Vec<Fingerprint> = chunk
                .par_iter()
                .map_init(|| Fingerprinter::new(config), fingerprint)
                .collect::<Result<_, String>>()?;
            for (d, fp) in chunk.iter().zip(&fps) {
                match index.add(d.id, fp) {
                    Ok(Added::New { pairs, .. }) => {
                        copies.extend(pairs.iter().map(|p| CopyPair::from_pair(&index, p)));
                    }
                    // Ids were checked to be distinct.
                    Ok(Added::Known(_)) => {}
                    Err(e) => return Err(format!("article {:?}: {e}", d.id)),
                }
            }
        }
        Ok(copies)
    });
    found.map_err(PyValueError::new_err)
}

/// An incremental copy detector: `add` an article, get its pairs with every
/// article added before (the shape of datasketch's `MinHashLSH`
/// `query` + `insert`, with the relation and the direction decided).
///
/// The index keeps no text (a few hundred bytes an article). It is safe to
/// share between threads (one `add` at a time).
#[pyclass(module = "parallax", frozen)]
pub(crate) struct CopyIndex {
    state: Mutex<IndexState>,
    /// Articles offered, to number them in errors (`articles[i]`).
    offered: AtomicUsize,
}

struct IndexState {
    index: Index,
    fingerprinter: Fingerprinter,
}

#[pymethods]
impl CopyIndex {
    #[new]
    fn new() -> Self {
        let config = Config::default();
        let mut index = Index::new(config);
        index.set_clock(now_minutes());
        Self {
            state: Mutex::new(IndexState {
                index,
                fingerprinter: Fingerprinter::new(config),
            }),
            offered: AtomicUsize::new(0),
        }
    }

    /// Compare `article` (a dict or object, as for `dedup`) with every
    /// article added before, then add it. Returns its pairs (as copy or
    /// as original); an id already in the index adds nothing and returns
    /// `[]`. Raises `ValueError` for a bad record.
    fn add(&self, py: Python<'_>, article: &Bound<'_, PyAny>) -> PyResult<Vec<CopyPair>> {
        let position = self.offered.fetch_add(1, Ordering::Relaxed);
        let fields = doc_fields(position, article, &mut HashSet::new())?;
        let doc = borrow(position, &fields)?;
        // The lock is taken and released without the GIL: a thread holding
        // it never waits for the GIL, so threads cannot deadlock.
        py.detach(|| {
            let mut state = self.lock()?;
            let state = &mut *state;
            let fp = fingerprint(&mut state.fingerprinter, &doc).map_err(PyValueError::new_err)?;
            match state.index.add(doc.id, &fp) {
                Ok(Added::New { pairs, .. }) => Ok(pairs
                    .iter()
                    .map(|p| CopyPair::from_pair(&state.index, p))
                    .collect()),
                Ok(Added::Known(_)) => Ok(Vec::new()),
                Err(e) => Err(PyValueError::new_err(format!("article {:?}: {e}", doc.id))),
            }
        })
    }

    /// Number of articles in the index.
    fn __len__(&self) -> PyResult<usize> {
        Ok(self.lock()?.index.len())
    }

    /// Whether an article with this id was added.
    fn __contains__(&self, id: &str) -> PyResult<bool> {
        Ok(self.lock()?.index.lookup(id).is_some())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("CopyIndex({} articles)", self.lock()?.index.len()))
    }
}

impl CopyIndex {
    fn lock(&self) -> PyResult<std::sync::MutexGuard<'_, IndexState>> {
        self.state
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the index was poisoned by an earlier panic"))
    }
}
