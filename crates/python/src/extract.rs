//! `parallax.extract` and `parallax.extract_batch`: the article in a web
//! page, as `parallax extract` finds it (`parallax_extract`).

use parallax_extract::{DEFAULT_MAX_PAGE_BYTES, ExtractError, Mode, Page, extract_bytes};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString, PyTuple};
use rayon::prelude::*;

/// One page handed in: the Python object holding its bytes (kept alive
/// while the extractor borrows them without the GIL), its address, and
/// whether it is text already decoded (a `str`).
struct PageIn<'py> {
    data: Bound<'py, PyAny>,
    url: Option<Bound<'py, PyString>>,
}

/// The bytes of a page object and the charset to read them in: a `str` is
/// UTF-8 whatever its `<meta>` says, `bytes` are sniffed as on disk.
fn page_bytes<'a>(
    data: &'a Bound<'_, PyAny>,
    charset: Option<&'a str>,
) -> PyResult<(&'a [u8], Option<&'a str>)> {
    if let Ok(s) = data.cast::<PyString>() {
        return Ok((s.to_str()?.as_bytes(), Some("utf-8")));
    }
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok((b.as_bytes(), charset));
    }
    let kind = data.get_type().name()?;
    Err(PyValueError::new_err(format!(
        "expected the page as str or bytes, got {kind}"
    )))
}

/// The fields of an extracted page.
fn page_dict<'py>(py: Python<'py>, page: &Page) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("text", page.body.as_str())?;
    d.set_item("title", page.title.as_deref())?;
    d.set_item("date", page.published.map(|t| t.to_rfc3339()))?;
    d.set_item("author", page.author.as_deref())?;
    d.set_item("language", page.lang.as_deref())?;
    d.set_item("site_name", page.site_name.as_deref())?;
    d.set_item("url", page.url.as_deref())?;
    d.set_item("description", page.description.as_deref())?;
    Ok(d)
}

fn mode(fast: bool) -> Mode {
    if fast { Mode::Fast } else { Mode::Best }
}

/// Extract the article from one web page.
///
/// `html` is the page as `bytes` (as read from disk or the wire: gzip is
/// undone and the charset found from a byte-order mark, `charset`, the
/// page's `<meta>`, else guessed) or as `str` (already decoded). `url` is
/// the page's address when known: it helps find dates and the canonical
/// URL. `fast=True` takes Readability's text as it is (a little faster,
/// a few points less precise).
///
/// Returns a dict: `text` (the main text, one paragraph per line), `title`,
/// `date` (RFC 3339, UTC), `author`, `language`, `site_name`, `url`,
/// `description`; a field the page does not give is `None`.
///
/// Raises `ValueError` when the page cannot be read (bad gzip data, binary
/// data, larger than 32 MiB, nested too deep) or `html` is neither `str`
/// nor `bytes`. The GIL is released while the page is extracted, so
/// threads extract in parallel.
#[pyfunction]
#[pyo3(signature = (html, url = None, *, fast = false, charset = None))]
pub(crate) fn extract<'py>(
    py: Python<'py>,
    html: &Bound<'py, PyAny>,
    url: Option<&str>,
    fast: bool,
    charset: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let (bytes, charset) = page_bytes(html, charset)?;
    let page = py
        .detach(|| extract_bytes(bytes, charset, url, mode(fast), DEFAULT_MAX_PAGE_BYTES))
        .map_err(|e| PyValueError::new_err(format!("page{}: {e}", at(url))))?;
    page_dict(py, &page)
}

/// ` at URL`, or nothing.
fn at(url: Option<&str>) -> String {
    url.map_or_else(String::new, |u| format!(" at {u}"))
}

/// Extract the article from every page of an iterable, on all cores.
///
/// Each item is a page (`str` or `bytes`, as for `extract`) or a
/// `(page, url)` tuple. Returns one dict per page, in order, with the
/// fields of `extract` and `error`: `None`, or why the page could not be
/// read (`pages[i]: ...`; its other fields are then empty), so one bad page
/// never stops the batch, as with `parallax extract`. `jobs` is the number
/// of threads (default: one per core). The GIL is released while pages are
/// extracted.
#[pyfunction]
#[pyo3(signature = (pages, *, fast = false, jobs = None))]
pub(crate) fn extract_batch<'py>(
    py: Python<'py>,
    pages: &Bound<'py, PyAny>,
    fast: bool,
    jobs: Option<usize>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let mut held: Vec<PageIn<'py>> = Vec::new();
    for (index, item) in pages.try_iter()?.enumerate() {
        let item = item?;
        let page = match item.cast::<PyTuple>() {
            Ok(t) if t.len() == 2 => {
                let url = t.get_item(1)?;
                let url = if url.is_none() {
                    None
                } else {
                    Some(url.cast_into::<PyString>().map_err(|_| {
                        PyValueError::new_err(format!("pages[{index}]: the url is not a str"))
                    })?)
                };
                PageIn {
                    data: t.get_item(0)?,
                    url,
                }
            }
            Ok(_) => {
                return Err(PyValueError::new_err(format!(
                    "pages[{index}]: a tuple must be (page, url)"
                )));
            }
            Err(_) => PageIn {
                data: item,
                url: None,
            },
        };
        if page.data.is_instance_of::<PyByteArray>() {
            // A bytearray can change under us once the GIL is released.
            let frozen = PyBytes::new(py, &page.data.extract::<Vec<u8>>()?).into_any();
            held.push(PageIn {
                data: frozen,
                url: page.url,
            });
        } else {
            held.push(page);
        }
    }
    let mut inputs: Vec<(&[u8], Option<&str>, Option<&str>)> = Vec::with_capacity(held.len());
    for (index, page) in held.iter().enumerate() {
        let (bytes, charset) = page_bytes(&page.data, None)
            .map_err(|e| PyValueError::new_err(format!("pages[{index}]: {e}")))?;
        let url = page.url.as_ref().map(|u| u.to_str()).transpose()?;
        inputs.push((bytes, charset, url));
    }
    let mode = mode(fast);
    let results: Result<Vec<Result<Page, ExtractError>>, String> = py.detach(|| {
        let run = || {
            inputs
                .par_iter()
                .with_max_len(1)
                .map(|&(bytes, charset, url)| {
                    extract_bytes(bytes, charset, url, mode, DEFAULT_MAX_PAGE_BYTES)
                })
                .collect()
        };
        match jobs {
            None => Ok(run()),
            Some(0) => Err("jobs must be at least 1".to_owned()),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(|pool| pool.install(run))
                .map_err(|e| format!("cannot start {n} threads: {e}")),
        }
    });
    let results = results.map_err(PyValueError::new_err)?;
    results
        .iter()
        .enumerate()
        .map(|(index, result)| {
            let (page, error) = match result {
                Ok(page) => (page_dict(py, page)?, None),
                Err(e) => (
                    page_dict(py, &Page::default())?,
                    Some(format!("pages[{index}]{}: {e}", at(inputs[index].2))),
                ),
            };
            page.set_item("error", error)?;
            Ok(page)
        })
        .collect()
}
