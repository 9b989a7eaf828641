//! `import parallax`: the Parallax library crates as a Python extension
//! module (PyO3), built into a wheel by maturin (`pyproject.toml`).
//!
//! This crate is a thin shell like the CLI, over the same library calls,
//! never over the CLI:
//!
//! * `extract` / `extract_batch` ([`extract`]): `parallax_extract`, one page
//!   or many on all cores;
//! * `dedup` / `CopyIndex` ([`dedup`]): `parallax_dedup`'s index, fed as
//!   `parallax dedup` feeds it from Article JSONL;
//! * `read`, `cluster`, `brief`, `briefs` ([`stories`]): ingestion and
//!   `parallax_engine::pipeline`, as `parallax cluster` and `parallax
//!   brief`;
//! * `Store` ([`store`]): `parallax_engine::Engine` and `Catalog` over the
//!   store `parallax run` writes.
//!
//! Articles come from Python as dicts with the contract's fields (or
//! objects with those attributes); [`records`] turns them into what the
//! library reads and names a bad one `articles[i]`. Rust work runs with the
//! GIL released. The Python side (`python/parallax/`) re-exports this module
//! as `parallax`, with type stubs and a list type with `to_records()`.
//!
//! The module is always built as an extension module (it never links
//! libpython: `.cargo/config.toml` sets `PYO3_BUILD_EXTENSION_MODULE`, as
//! maturin does), so it has no Rust test binary; `tests/` holds the pytest
//! suite, run against the built wheel by `ci.sh`.

mod convert;
mod dedup;
mod extract;
mod records;
mod store;
mod stories;

use pyo3::prelude::*;

pyo3::create_exception!(
    parallax,
    ParallaxError,
    pyo3::exceptions::PyException,
    "Base class of the errors Parallax raises besides ValueError, KeyError and FileNotFoundError."
);
pyo3::create_exception!(
    parallax,
    StoreError,
    ParallaxError,
    "The store failed: it cannot be opened, read or written, or it is closed."
);
pyo3::create_exception!(
    parallax,
    ParallaxWarning,
    pyo3::exceptions::PyUserWarning,
    "A record was skipped or kept with a problem (the CLI reports these on stderr)."
);

/// The native module; `parallax/__init__.py` re-exports it.
#[pymodule]
#[pyo3(name = "_native")]
fn parallax_python(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(extract::extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract::extract_batch, m)?)?;
    m.add_function(wrap_pyfunction!(dedup::dedup, m)?)?;
    m.add_function(wrap_pyfunction!(stories::read, m)?)?;
    m.add_function(wrap_pyfunction!(stories::cluster, m)?)?;
    m.add_function(wrap_pyfunction!(stories::brief, m)?)?;
    m.add_function(wrap_pyfunction!(stories::briefs, m)?)?;
    m.add_class::<dedup::CopyPair>()?;
    m.add_class::<dedup::CopyIndex>()?;
    m.add_class::<store::Store>()?;
    m.add_class::<store::StoryIter>()?;
    m.add_class::<store::ArticleIter>()?;
    m.add("ParallaxError", py.get_type::<ParallaxError>())?;
    m.add("StoreError", py.get_type::<StoreError>())?;
    m.add("ParallaxWarning", py.get_type::<ParallaxWarning>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
