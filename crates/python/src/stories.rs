//! `parallax.read`, `parallax.cluster`, `parallax.brief` and
//! `parallax.briefs`: the stateless contract commands over articles in
//! memory (`parallax_engine::pipeline`).

use std::collections::HashMap;
use std::path::PathBuf;

use parallax_brief::BriefConfig;
use parallax_engine::pipeline;
use parallax_ingest::{Event, IngestOptions, Reader};
use parallax_model::{ArticleId, StoryId};
use parallax_stories::ClusterConfig;
use pyo3::exceptions::{PyFileNotFoundError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::serialize;
use crate::records::{article_dict, ingest_error, read_articles, warn_all};

/// Read articles from a file or folder, as `parallax run` does: Article
/// JSONL, `.txt` (one article each), HTML pages (gzipped or not, any
/// charset), feeds and WARC archives, cleaned.
///
/// Returns a list of dicts with the contract's fields (`id`, `text` (the
/// cleaned body), `title`, `url`, `source`, `published` (RFC 3339),
/// `lang`) and `origin` (file, and line for JSONL), ready for `cluster`,
/// `brief`, `dedup` or `Store.add`. A bad record is skipped with a
/// `parallax.ParallaxWarning` naming its file and line, as the CLI reports
/// it on stderr. Raises `FileNotFoundError` for a missing path and
/// `ValueError` when nothing at all could be read.
#[pyfunction]
pub(crate) fn read<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Vec<Bound<'py, PyDict>>> {
    if !path.exists() {
        return Err(PyFileNotFoundError::new_err(format!(
            "{}: no such file or folder",
            path.display()
        )));
    }
    let (articles, problems, errors) = py.detach(|| {
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        let mut reader = Reader::new(IngestOptions::default());
        let summary = reader.read_path(&path, &mut |event| match event {
            Event::Article(a) => articles.push(a),
            Event::Error(e) => problems.push(format!("skipped: {}", ingest_error(&e))),
            Event::Warning(w) => problems.push(format!("warning: {w}")),
            Event::FileSkipped { path, reason } => {
                problems.push(format!("skipped file {}: {reason}", path.display()))
            }
        });
        pipeline::prepare_all(&mut articles);
        (articles, problems, summary.errors)
    });
    warn_all(py, &problems)?;
    if articles.is_empty() {
        return Err(PyValueError::new_err(format!(
            "{}: no readable articles ({errors} records rejected)",
            path.display()
        )));
    }
    articles.iter().map(|a| article_dict(py, a)).collect()
}

/// Group `articles` into stories, as `parallax cluster` does: one stream
/// in the given order (as if they arrived in that order), each article
/// joining the closest story or founding one.
///
/// `articles` is an iterable of dicts (or objects) with the contract's
/// fields (`id`, `text` or `html`, and optionally `title`, `url`,
/// `source`, `published`, `lang`). `threshold` is the least cosine for an
/// article to join a story (default: the CLI's). Returns one story id per
/// article, in order: the story it belongs to once the stream ends (after
/// merges), so equal ids mean one story.
///
/// Raises `ValueError` naming the first bad record (`articles[i]`, with its
/// id) or for a threshold outside [0, 1]. The GIL is released while
/// articles are analysed (on all cores) and placed.
#[pyfunction]
#[pyo3(signature = (articles, threshold = None))]
pub(crate) fn cluster(
    py: Python<'_>,
    articles: &Bound<'_, PyAny>,
    threshold: Option<f32>,
) -> PyResult<Vec<String>> {
    let mut config = ClusterConfig::default();
    if let Some(t) = threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(PyValueError::new_err(format!(
                "threshold must be between 0 and 1 (got {t})"
            )));
        }
        config.threshold = t;
    }
    let articles = read_articles(py, articles)?;
    let ids = py.detach(|| {
        pipeline::cluster(&articles, config)
            .into_iter()
            .map(|a| a.story.0)
            .collect()
    });
    Ok(ids)
}

fn config(words: usize) -> PyResult<BriefConfig> {
    if words == 0 {
        return Err(PyValueError::new_err("words must be at least 1"));
    }
    Ok(BriefConfig { words })
}

/// The brief of one story made of all of `articles`, as `parallax brief`
/// writes it: a dict with `story` (the id given), `title`, `summary` (at
/// most `words` words), `sentences` (each with the article ids that carry
/// it), `facts` (each figure with its sources; `agree` is false where the
/// sources disagree), `quotes`, `entities`, `sources`, `timeline`,
/// `unique` (what one source alone reports) and `copies`.
///
/// `articles` is as for `cluster`. Raises `ValueError` naming the first bad
/// record. The GIL is released while the brief is written.
#[pyfunction]
#[pyo3(signature = (articles, *, story = "story", words = 60))]
pub(crate) fn brief<'py>(
    py: Python<'py>,
    articles: &Bound<'py, PyAny>,
    story: &str,
    words: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let config = config(words)?;
    let articles = read_articles(py, articles)?;
    let members: Vec<ArticleId> = articles.iter().map(|a| a.id.clone()).collect();
    let stories = [(StoryId(story.to_owned()), members)];
    let (mut briefs, _) = py.detach(|| pipeline::briefs(&articles, &stories, config));
    let brief = briefs
        .pop()
        .ok_or_else(|| PyValueError::new_err("no brief was written"))?;
    serialize(py, &brief)
}

/// One brief per story, as `parallax brief --stories` writes them:
/// `stories[i]` is the story id of `articles[i]` (the list `cluster`
/// returns). Briefs come in order of each story's first article; every
/// article informs term rarity and copy detection.
///
/// Raises `ValueError` when the two lists differ in length or a record is
/// bad.
#[pyfunction]
#[pyo3(signature = (articles, stories, *, words = 60))]
pub(crate) fn briefs<'py>(
    py: Python<'py>,
    articles: &Bound<'py, PyAny>,
    stories: Vec<String>,
    words: usize,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let config = config(words)?;
    let articles = read_articles(py, articles)?;
    if stories.len() != articles.len() {
        return Err(PyValueError::new_err(format!(
            "{} articles but {} story ids: give one story id per article",
            articles.len(),
            stories.len()
        )));
    }
    let mut order: Vec<(StoryId, Vec<ArticleId>)> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for (story, article) in stories.iter().zip(&articles) {
        let k = *slot.entry(story.as_str()).or_insert_with(|| {
            order.push((StoryId(story.clone()), Vec::new()));
            order.len() - 1
        });
        order[k].1.push(article.id.clone());
    }
    let (briefs, _) = py.detach(|| pipeline::briefs(&articles, &order, config));
    briefs.iter().map(|b| serialize(py, b)).collect()
}
