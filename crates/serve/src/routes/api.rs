//! The JSON API handlers. Reads run on the reader pool; ingestion takes the
//! one writer.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use parallax_engine::IngestNotice;
use parallax_model::{ArticleId, CopyLink, StoryEventKind, StoryId};
use parallax_store::{ArticleHit, Backend, Cursor, SourceCount, StoredArticle, StorySummary};
use serde_json::{Value, json};

use super::ApiError;
use crate::search::ListParams;
use crate::state::{AppState, Cached, EngineStatus};

type Shared = State<Arc<AppState>>;

/// Answers `cached` as JSON with its headers.
fn respond(cached: Cached) -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        cached.body,
    )
        .into_response();
    for (name, value) in cached.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, v);
        }
    }
    response
}

/// Serves `key` from the cache, or computes it on a reader and keeps it.
async fn cached<F>(state: &Arc<AppState>, key: String, compute: F) -> Result<Response, ApiError>
where
    F: FnOnce(&dyn Backend) -> Result<Cached, ApiError> + Send + 'static,
{
    if let Some(hit) = state.cache.get(&key) {
        return Ok(respond(hit));
    }
    let generation = state.cache.generation();
    let value = state.read(compute).await?;
    state.cache.put(key, generation, value.clone());
    Ok(respond(value))
}

fn to_bytes(value: &impl serde::Serialize) -> Result<Bytes, ApiError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| ApiError::internal(format!("encoding a response: {e}")))
}

/// `X-Has-More` and, when more follow, the cursor of the next page
/// (`X-Next-Cursor`) and a `Link` to it: this request's parameters with the
/// cursor for `offset` and `cursor`.
fn page_headers(uri: &Uri, next: Option<&Cursor>) -> Vec<(&'static str, String)> {
    let mut headers = vec![("x-has-more", next.is_some().to_string())];
    if let Some(next) = next {
        let mut query: Vec<&str> = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("offset=") && !p.starts_with("cursor="))
            .collect();
        // A cursor is letters, digits, `.` and `-`: nothing to escape.
        let param = format!("cursor={next}");
        query.push(&param);
        headers.push(("x-next-cursor", next.to_string()));
        headers.push((
            "link",
            format!("<{}?{}>; rel=\"next\"", uri.path(), query.join("&")),
        ));
    }
    headers
}

fn params(query: Result<Query<ListParams>, QueryRejection>) -> Result<ListParams, ApiError> {
    query
        .map(|Query(p)| p)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// The one story `id` names (exactly or as a unique prefix); a story merged
/// into another, named in full, names the story it is part of now.
fn resolve(store: &dyn Backend, id: &str) -> Result<StoryId, ApiError> {
    resolve_merged(store, id).map(|(story, _)| story)
}

/// As [`resolve`], and whether `id` named a story merged into the answer.
fn resolve_merged(store: &dyn Backend, id: &str) -> Result<(StoryId, bool), ApiError> {
    let matches = store.stories_with_prefix(id)?;
    if let Some(exact) = matches.iter().find(|s| s.as_str() == id) {
        return Ok((exact.clone(), false));
    }
    if let Some(survivor) = store.merged_into(&StoryId(id.to_owned()))? {
        return Ok((survivor, true));
    }
    match matches.len() {
        0 => Err(ApiError::not_found(format!("no story with id {id:?}"))),
        1 => Ok((matches.into_iter().next().expect("one match"), false)),
        _ => {
            let ids: Vec<&str> = matches.iter().map(StoryId::as_str).collect();
            Err(super::ambiguous(id, &ids))
        }
    }
}

fn story_json(s: &StorySummary) -> Value {
    json!({
        "story": s.id,
        "title": s.title,
        "summary": s.summary,
        "articles": s.articles,
        "outlets": s.outlets,
        "first_published": s.first_published,
        "last_published": s.last_published,
        "updated_at": s.updated_at,
    })
}

fn hit_json(h: &ArticleHit) -> Value {
    let snippet: Vec<Value> = h
        .snippet
        .iter()
        .map(|p| json!({"text": p.text, "hit": p.hit}))
        .collect();
    json!({
        "id": h.id,
        "story": h.story,
        "seq": h.seq,
        "title": h.title,
        "url": h.url,
        "source": h.source,
        "published": h.published,
        "lang": h.lang,
        "snippet": snippet,
    })
}

fn copy_json(l: &CopyLink) -> Value {
    json!({
        "copy": l.copy,
        "original": l.original,
        "relation": l.relation,
        "score": l.score,
        "evidence": l.evidence,
    })
}

/// An article with the stored copy pairs it is part of (as copy or as
/// original).
fn article_json(s: &StoredArticle, copies: &[CopyLink]) -> Value {
    let a = &s.article;
    let copies: Vec<Value> = copies.iter().map(copy_json).collect();
    json!({
        "id": a.id,
        "story": s.story,
        "seq": s.seq,
        "title": a.title,
        "url": a.url,
        "source": a.source,
        "outlet": a.outlet(),
        "published": a.published.map(|d| d.to_rfc3339()),
        "lang": a.lang,
        "body": a.body,
        "removed": a.removed,
        "origin": a.origin.to_string(),
        "copies": copies,
    })
}

fn source_json(s: &SourceCount) -> Value {
    json!({"source": s.source, "articles": s.articles, "stories": s.stories})
}

/// `GET /api/health`.
pub async fn health(State(state): Shared) -> Result<Response, ApiError> {
    let (articles, stories) = state
        .read(|store| Ok((store.article_count()?, store.story_count()?)))
        .await?;
    let (status, code) = match state.writer.status() {
        EngineStatus::Ready => ("ok", StatusCode::OK),
        EngineStatus::Loading => ("starting", StatusCode::SERVICE_UNAVAILABLE),
        EngineStatus::Failed(_) => ("failed", StatusCode::INTERNAL_SERVER_ERROR),
    };
    let body = json!({
        "status": status,
        "articles": articles,
        "stories": stories,
        "version": env!("CARGO_PKG_VERSION"),
    });
    Ok((code, Json(body)).into_response())
}

/// `GET /api/stories`.
pub async fn list_stories(
    State(state): Shared,
    uri: Uri,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = params(query)?.story_filter()?;
    cached(&state, uri.to_string(), move |store| {
        let page = store.find_stories(&filter)?;
        let items: Vec<Value> = page.items.iter().map(story_json).collect();
        Ok(Cached {
            body: to_bytes(&items)?,
            headers: page_headers(&uri, page.next.as_ref()),
        })
    })
    .await
}

/// `GET /api/stories/{id}`. A story merged into another answers the
/// survivor's brief with `merged_from`: the id asked for.
pub async fn get_story(State(state): Shared, Path(id): Path<String>) -> Result<Response, ApiError> {
    cached(&state, format!("brief {id}"), move |store| {
        let (story, merged) = resolve_merged(store, &id)?;
        let brief = store
            .brief(&story)?
            .ok_or_else(|| ApiError::not_found(format!("no story with id {id:?}")))?;
        let body = if merged {
            let mut value = serde_json::to_value(&brief)
                .map_err(|e| ApiError::internal(format!("encoding a response: {e}")))?;
            value["merged_from"] = json!(id);
            to_bytes(&value)?
        } else {
            to_bytes(&brief)?
        };
        Ok(Cached {
            body,
            headers: vec![],
        })
    })
    .await
}

/// `GET /api/stories/{id}/articles`.
pub async fn story_articles(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    cached(&state, format!("articles {id}"), move |store| {
        let story = resolve(store, &id)?;
        let articles = store
            .story_articles(&story)?
            .iter()
            .map(|a| Ok(article_json(a, &store.article_copies(&a.article.id)?)))
            .collect::<Result<Vec<Value>, ApiError>>()?;
        Ok(Cached {
            body: to_bytes(&articles)?,
            headers: vec![],
        })
    })
    .await
}

/// `GET /api/stories/{id}/events`: the stored events of the story and of
/// the stories merged into it, in order.
pub async fn story_events(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    cached(&state, format!("events {id}"), move |store| {
        let story = resolve(store, &id)?;
        // Every article an event names is the story's now (merged
        // stories' articles were moved to it).
        let articles: HashMap<ArticleId, StoredArticle> = store
            .story_articles(&story)?
            .into_iter()
            .map(|s| (s.article.id.clone(), s))
            .collect();
        let events: Vec<Value> = store
            .story_events(&story)?
            .iter()
            .map(|e| {
                let article = articles.get(&e.article).map(|s| &s.article);
                let mut v = json!({
                    "seq": e.seq,
                    "kind": e.kind.as_str(),
                    "story": e.story,
                    "article": e.article,
                    "outlet": article.map_or_else(|| e.article.0.clone(), |a| a.outlet()),
                    "published": article.and_then(|a| a.published).map(|d| d.to_rfc3339()),
                    "at": e.at,
                });
                if let StoryEventKind::Merged { from } = &e.kind {
                    v["from"] = json!(from);
                }
                v
            })
            .collect();
        Ok(Cached {
            body: to_bytes(&events)?,
            headers: vec![],
        })
    })
    .await
}

/// `GET /api/stories/{id}/syndication`: the copy pairs the dedup stage
/// stored between the story's articles, with their outlets.
pub async fn story_syndication(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    cached(&state, format!("syndication {id}"), move |store| {
        let story = resolve(store, &id)?;
        let outlets: HashMap<ArticleId, String> = store
            .story_articles(&story)?
            .into_iter()
            .map(|s| (s.article.id.clone(), s.article.outlet()))
            .collect();
        let outlet = |id: &ArticleId| outlets.get(id).cloned().unwrap_or_else(|| id.0.clone());
        let pairs: Vec<Value> = store
            .story_copies(&story)?
            .iter()
            .map(|l| {
                let mut v = copy_json(l);
                v["copy_outlet"] = json!(outlet(&l.copy));
                v["original_outlet"] = json!(outlet(&l.original));
                v
            })
            .collect();
        Ok(Cached {
            body: to_bytes(&json!({"story": story, "pairs": pairs}))?,
            headers: vec![],
        })
    })
    .await
}

/// `GET /api/articles`.
pub async fn list_articles(
    State(state): Shared,
    uri: Uri,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = params(query)?.article_filter()?;
    cached(&state, uri.to_string(), move |store| {
        let page = store.find_articles(&filter)?;
        let items: Vec<Value> = page.items.iter().map(hit_json).collect();
        Ok(Cached {
            body: to_bytes(&items)?,
            headers: page_headers(&uri, page.next.as_ref()),
        })
    })
    .await
}

/// `GET /api/articles/{id}`.
pub async fn get_article(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (article, copies) = state
        .read(move |store| {
            let id = ArticleId(id);
            let article = store
                .article(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no article with id {:?}", id.0)))?;
            Ok((article, store.article_copies(&id)?))
        })
        .await?;
    Ok(Json(article_json(&article, &copies)).into_response())
}

/// `GET /api/sources`.
pub async fn list_sources(State(state): Shared) -> Result<Response, ApiError> {
    cached(&state, "sources".into(), |store| {
        let sources: Vec<Value> = store.sources()?.iter().map(source_json).collect();
        Ok(Cached {
            body: to_bytes(&sources)?,
            headers: vec![],
        })
    })
    .await
}

/// `POST /api/articles`: Article JSONL in, what was stored and rejected out.
///
/// The body must arrive within the request timeout (`408`) and the ingest
/// must get the writer within it (`503`, nothing stored: retry); once it
/// has the writer it runs to its end, however long, so the answer always
/// says exactly what was stored.
pub async fn post_articles(State(state): Shared, request: Request) -> Result<Response, ApiError> {
    // The body's bytes come out of the budget shared by every request
    // before any is read (as announced; the limit on one body when it is
    // not), and go back when the ingest is done with them.
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let need = announced.unwrap_or(state.max_body).min(state.max_body);
    // A budget set below one body's limit still admits one at a time.
    let permits =
        crate::state::body_permits(need).min(crate::state::body_permits(state.body_budget)) as u32;
    let body_permit = state
        .bodies
        .clone()
        .try_acquire_many_owned(permits)
        .map_err(|_| {
            ApiError::unavailable(format!(
                "the server is receiving or ingesting other request bodies (at most {} bytes \
                 at once); nothing was stored, retry shortly",
                state.body_budget
            ))
        })?;
    let limit = state.timeout;
    let body = match tokio::time::timeout(limit, Bytes::from_request(request, &state)).await {
        Ok(Ok(body)) => body,
        Ok(Err(rejection)) => return Err(ApiError::new(rejection.status(), rejection.body_text())),
        Err(_) => {
            return Err(ApiError::timeout(format!(
                "the request body did not arrive within {} s",
                limit.as_secs_f32()
            )));
        }
    };
    let mut guard = tokio::time::timeout(limit, state.writer.lock())
        .await
        .map_err(|_| {
            ApiError::unavailable(format!(
                "other ingests held the writer for {} s; nothing was stored, retry",
                limit.as_secs_f32()
            ))
        })??;
    let done = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        // Held as long as the body is: until the ingest ends, even when the
        // client has gone.
        let _body_permit = body_permit;
        let engine = guard
            .as_mut()
            .ok_or_else(|| ApiError::unavailable("the engine is not loaded"))?;
        let mut rejected: Vec<String> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let mut conflicts: Vec<String> = Vec::new();
        let mut input: &[u8] = &body;
        let report = engine.ingest_jsonl(&mut input, "request body", &mut |notice| {
            #[allow(unreachable_patterns)]
            match notice {
                IngestNotice::Rejected(e) => rejected.push(e.to_string()),
                IngestNotice::Warning(w) => warnings.push(w.to_string()),
                IngestNotice::Conflict(a) => conflicts.push(format!(
                    "{}: article {} is already stored with different content",
                    a.origin, a.id
                )),
                IngestNotice::FileSkipped(..) | IngestNotice::Committed { .. } => {}
                _ => {}
            }
        });
        // Whatever was committed before a failure is visible: drop the cache
        // either way.
        done.cache.invalidate();
        // The briefs of the stories touched are built a moment later, off
        // the writer; the engine drops the cache again when they land
        // (`AppState::start_engine`).
        let report = report?;
        Ok::<_, ApiError>(json!({
            "stored": report.stored_ids,
            "unchanged": report.unchanged,
            "conflicts": conflicts,
            "rejected": rejected,
            "warnings": warnings,
            "stories": report.touched,
        }))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "ingest task failed");
        ApiError::internal(crate::routes::INTERNAL)
    })??;
    let readable = !result["stored"].as_array().is_some_and(Vec::is_empty)
        || result["unchanged"].as_u64().unwrap_or(0) > 0
        || !result["conflicts"].as_array().is_some_and(Vec::is_empty);
    let code = if readable {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((code, Json(result)).into_response())
}

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    static DOC: OnceLock<Bytes> = OnceLock::new();
    let body = DOC.get_or_init(|| {
        Bytes::from(serde_json::to_vec_pretty(&crate::openapi::document()).expect("JSON"))
    });
    respond(Cached {
        body: body.clone(),
        headers: vec![],
    })
}
