//! `parallax.Store`: the engine over a store, the same SQLite file or
//! PostgreSQL database `parallax run`, `parallax stories` and
//! `parallax serve` open.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use parallax_engine::{Catalog, Engine, EngineConfig, EngineError, IngestNotice, is_postgres_url};
use parallax_model::StoryId;
use parallax_store::{StoredArticle, StoryFilter, StorySummary};
use pyo3::exceptions::{PyFileNotFoundError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::StoreError;
use crate::convert::serialize;
use crate::records::{NAME, article_dict, ingest_error, rename, to_jsonl};

/// An engine error as the Python exception that fits it: an unknown or
/// ambiguous story id is a `KeyError`, anything else a `StoreError`.
fn py_err(e: EngineError) -> PyErr {
    match e {
        EngineError::NoSuchStory(_) | EngineError::AmbiguousStory { .. } => {
            PyKeyError::new_err(e.to_string())
        }
        other => StoreError::new_err(other.to_string()),
    }
}

/// Stories fetched at a time by `Store.stories` (the most a store page
/// holds).
const PAGE: u32 = 200;

fn closed() -> PyErr {
    StoreError::new_err("the store is closed")
}

fn poisoned() -> PyErr {
    StoreError::new_err("the store was left unusable by an earlier panic")
}

/// A Parallax store: articles, the stories they form and their briefs.
///
/// `Store(path)` opens an SQLite file (created when missing, unless
/// `create=False`) or, given a `postgres://` URL, a PostgreSQL database:
/// the same store `parallax run --db`, `parallax stories` and
/// `parallax serve` use, so Python and the CLI can take turns on it.
/// `add` ingests articles (idempotently: adding the same article twice
/// stores it once); `stories`, `story` and `articles` read.
///
/// Use it as a context manager, or call `close()`, to let go of the file.
/// The GIL is released during every store operation.
#[pyclass(module = "parallax", frozen)]
pub(crate) struct Store {
    path: PathBuf,
    /// Reads: opening builds no engine state.
    catalog: Mutex<Option<Catalog>>,
    /// Writes: the engine, opened (which replays the stored stream) at the
    /// first `add`.
    engine: Mutex<Option<Engine>>,
    closed: std::sync::atomic::AtomicBool,
}

impl Store {
    /// Runs `f` on the catalog without the GIL (the lock is taken and
    /// released without it, so threads cannot deadlock).
    fn read<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Catalog) -> Result<T, EngineError> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let guard = self.catalog.lock().map_err(|_| poisoned())?;
            let catalog = guard.as_ref().ok_or_else(closed)?;
            f(catalog).map_err(py_err)
        })
    }

    fn engine(&self) -> PyResult<MutexGuard<'_, Option<Engine>>> {
        if self.closed.load(std::sync::atomic::Ordering::Acquire) {
            return Err(closed());
        }
        let mut guard = self.engine.lock().map_err(|_| poisoned())?;
        if guard.is_none() {
            *guard = Some(Engine::open(&self.path, EngineConfig::default()).map_err(py_err)?);
        }
        Ok(guard)
    }
}

#[pymethods]
impl Store {
    #[new]
    #[pyo3(signature = (path, *, create = true))]
    fn new(py: Python<'_>, path: PathBuf, create: bool) -> PyResult<Self> {
        let postgres = path.to_str().is_some_and(is_postgres_url);
        if !postgres && !create && !path.exists() {
            return Err(PyFileNotFoundError::new_err(format!(
                "no store at {} (create=False)",
                path.display()
            )));
        }
        let catalog = py.detach(|| Catalog::open(&path)).map_err(py_err)?;
        Ok(Self {
            path,
            catalog: Mutex::new(Some(catalog)),
            engine: Mutex::new(None),
            closed: false.into(),
        })
    }

    /// Ingest `articles` (an iterable of dicts or objects with the
    /// contract's fields, as for `cluster`): clean, find copies, place each
    /// in a story and store, exactly as `parallax run` does with a file;
    /// the briefs of the stories touched are stored before it returns.
    ///
    /// A bad record never stops the batch: it is skipped and reported, as
    /// the CLI does. Returns a dict: `stored` (new articles), `unchanged`
    /// (already stored, same content), `conflicts` (id stored with other
    /// content; skipped), `rejected` (bad records), `errors` (one message
    /// per rejected or conflicting record, naming it `articles[i]`),
    /// `stories` (ids of the stories that gained articles), `founded`,
    /// `merged` (`[absorbed, survivor]` pairs) and `copies` (copy pairs
    /// found).
    fn add<'py>(
        &self,
        py: Python<'py>,
        articles: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        // Records are checked by ingestion inside the engine, as a file's
        // are; a record that is not an article at all (a number, a field
        // of a type JSON has no place for) is a `ValueError` here.
        let jsonl = to_jsonl(articles)?;
        let (report, errors) = py.detach(|| -> PyResult<_> {
            let mut guard = self.engine()?;
            let engine = guard.as_mut().ok_or_else(closed)?;
            let mut errors = Vec::new();
            let mut input: &[u8] = &jsonl;
            let report = engine
                .ingest_jsonl(&mut input, NAME, &mut |notice| match notice {
                    IngestNotice::Rejected(e) => errors.push(ingest_error(e)),
                    IngestNotice::Conflict(a) => errors.push(format!(
                        "{}: article {} is already stored with different content",
                        rename(&a.origin.to_string()),
                        a.id
                    )),
                    IngestNotice::Warning(_)
                    | IngestNotice::FileSkipped(..)
                    | IngestNotice::Committed { .. } => {}
                })
                .map_err(py_err)?;
            engine.sync_briefs().map_err(py_err)?;
            Ok((report, errors))
        })?;
        let d = PyDict::new(py);
        d.set_item("stored", report.stored)?;
        d.set_item("unchanged", report.unchanged)?;
        d.set_item("conflicts", report.conflicts)?;
        d.set_item("rejected", report.rejected)?;
        d.set_item("errors", errors)?;
        let touched: Vec<&str> = report.touched.iter().map(StoryId::as_str).collect();
        d.set_item("stories", touched)?;
        d.set_item("founded", report.founded)?;
        let merged: Vec<(&str, &str)> = report
            .merged
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        d.set_item("merged", merged)?;
        d.set_item("copies", report.copies)?;
        Ok(d)
    }

    /// Iterate over the stored stories, most recently updated first, or
    /// with `q` those matching a full-text search (all words required; the
    /// last may be a prefix), best first. Stories are fetched a page at a
    /// time as the iterator advances. Each is a dict: `story` (id),
    /// `title`, `summary`, `articles` (ids), `outlets`,
    /// `first_published`, `last_published`, `updated_at`.
    #[pyo3(signature = (q = None))]
    fn stories(slf: Bound<'_, Self>, q: Option<String>) -> PyResult<StoryIter> {
        if let Some(q) = &q
            && q.trim().is_empty()
        {
            return Err(PyValueError::new_err(
                "q is empty: leave it out to list every story",
            ));
        }
        Ok(StoryIter {
            store: slf.unbind(),
            filter: StoryFilter {
                q,
                limit: PAGE,
                ..StoryFilter::default()
            },
            page: VecDeque::new(),
            more: true,
        })
    }

    /// The brief of story `id` (the full id, a unique prefix, or the id of
    /// a story merged into another, which gives that story's brief): the
    /// same dict as `parallax.brief`, as `parallax show --json` prints it.
    /// Raises `KeyError` for an unknown or ambiguous id.
    fn story<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let brief = self.read(py, |c| c.brief(id))?;
        serialize(py, &brief)
    }

    /// Iterate over the articles of story `id` (as for `story`) in arrival
    /// order, as dicts like `parallax.read` gives, plus `story` and `seq`
    /// (arrival order in the store). Raises `KeyError` for an unknown id.
    fn articles(&self, py: Python<'_>, id: &str) -> PyResult<ArticleIter> {
        let rows = self.read(py, |c| {
            let story = c.resolve(id)?;
            Ok(c.store().story_articles(&story)?)
        })?;
        Ok(ArticleIter {
            rows: rows.into_iter(),
        })
    }

    /// Number of stored articles.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        let n = self.read(py, |c| Ok(c.store().article_count()?))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Let go of the store (its connections and the engine's state). Later
    /// calls raise `StoreError`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.closed
            .store(true, std::sync::atomic::Ordering::Release);
        py.detach(|| {
            let engine = self.engine.lock().map_err(|_| poisoned())?.take();
            drop(engine);
            let catalog = self.catalog.lock().map_err(|_| poisoned())?.take();
            drop(catalog);
            Ok(())
        })
    }

    fn __enter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!("Store({:?})", parallax_engine::display_db(&self.path))
    }
}

/// The stories of a store, a page at a time (see `Store.stories`).
#[pyclass(module = "parallax")]
pub(crate) struct StoryIter {
    store: Py<Store>,
    filter: StoryFilter,
    page: VecDeque<StorySummary>,
    more: bool,
}

fn story_dict<'py>(py: Python<'py>, s: &StorySummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("story", s.id.as_str())?;
    d.set_item("title", &s.title)?;
    d.set_item("summary", &s.summary)?;
    let articles: Vec<&str> = s.articles.iter().map(|a| a.as_str()).collect();
    d.set_item("articles", articles)?;
    d.set_item("outlets", &s.outlets)?;
    d.set_item("first_published", &s.first_published)?;
    d.set_item("last_published", &s.last_published)?;
    d.set_item("updated_at", &s.updated_at)?;
    Ok(d)
}

#[pymethods]
impl StoryIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        if self.page.is_empty() && self.more {
            let filter = self.filter.clone();
            let page = self
                .store
                .get()
                .read(py, |c| Ok(c.store().find_stories(&filter)?))?;
            self.more = page.more && !page.items.is_empty();
            // The next page starts after this one's last story: as cheap
            // as the first, however far the iteration goes.
            self.filter.cursor = page.next;
            self.page.extend(page.items);
        }
        self.page
            .pop_front()
            .map(|s| story_dict(py, &s))
            .transpose()
    }
}

/// The articles of one story (see `Store.articles`).
#[pyclass(module = "parallax")]
pub(crate) struct ArticleIter {
    rows: std::vec::IntoIter<StoredArticle>,
}

#[pymethods]
impl ArticleIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(row) = self.rows.next() else {
            return Ok(None);
        };
        let d = article_dict(py, &row.article)?;
        d.set_item("story", row.story.as_str())?;
        d.set_item("seq", row.seq)?;
        Ok(Some(d))
    }

    fn __len__(&self) -> usize {
        self.rows.len()
    }
}
