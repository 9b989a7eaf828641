//! The router: every entry of [`crate::openapi::ROUTES`] bound to its
//! handler, the guards of [`crate::security`], the limits on request heads
//! and bodies, errors made JSON whoever made them, and the headers every
//! response carries.

pub mod api;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde_json::json;

use crate::openapi::ROUTES;
use crate::security;
use crate::state::AppState;
use crate::web;

/// The page may load only its own script and style: even if article text
/// ever reached the DOM as markup, an inline `<script>` would not run.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// The handler of the route with operation id `id`.
fn handler(id: &str) -> Option<MethodRouter<Arc<AppState>>> {
    Some(match id {
        "health" => get(api::health),
        "listStories" => get(api::list_stories),
        "getStory" => get(api::get_story),
        "getStoryArticles" => get(api::story_articles),
        "getStoryEvents" => get(api::story_events),
        "getStorySyndication" => get(api::story_syndication),
        "listArticles" => get(api::list_articles),
        "postArticles" => post(api::post_articles),
        "getArticle" => get(api::get_article),
        "listSources" => get(api::list_sources),
        "openapi" => get(api::openapi),
        "index" => get(web::index),
        "asset" => get(web::asset),
        _ => return None,
    })
}

/// The whole application over `state`.
///
/// # Panics
/// When a route of the table has no handler (caught by every test).
pub fn router(state: Arc<AppState>) -> Router {
    let mut router: Router<Arc<AppState>> = Router::new();
    for route in ROUTES {
        let h = handler(route.id)
            .unwrap_or_else(|| panic!("route {} {} has no handler", route.method, route.id));
        router = router.route(route.path, h);
    }
    router
        .fallback(not_found)
        // Innermost first: the last layer added sees a request first. A
        // request is rate-limited, then authorized, then checked for size,
        // then timed; every answer, refusals included, gets the headers.
        .layer(DefaultBodyLimit::max(state.max_body))
        .layer(from_fn_with_state(state.clone(), security::read_timeout))
        .layer(from_fn_with_state(state.clone(), refuse_announced_oversize))
        .layer(from_fn_with_state(state.clone(), security::authorize))
        .layer(from_fn_with_state(state.clone(), security::rate_limit))
        .layer(axum::middleware::from_fn(check_head))
        .layer(axum::middleware::map_response(json_errors))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(state)
}

/// Longest request target (path and query) answered, in bytes; longer is
/// `414`.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Most header fields in a request; more is `431`.
pub const MAX_HEADERS: usize = 100;
/// Most bytes of header fields (names and values) in a request; more is
/// `431`.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;
/// hyper's own limits, set above ours so that a request over ours reaches
/// [`check_head`] and gets a JSON answer; past these hyper answers `431`
/// (or `414` past its 64 KiB request target) with an empty body.
pub const HYPER_MAX_HEADERS: usize = 1024;
/// See [`HYPER_MAX_HEADERS`]: the most bytes hyper buffers for a head.
pub const HYPER_MAX_HEAD_BYTES: usize = 1024 * 1024;

/// Middleware: a request target or header section over this server's
/// limits is refused with `414` or `431` (JSON, like every error).
async fn check_head(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the request target is {target} bytes long; the limit is {MAX_URI_BYTES}"),
        )
        .into_response();
    }
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEAD_BYTES {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "{} header fields of {bytes} bytes; the limits are {MAX_HEADERS} fields and {MAX_HEAD_BYTES} bytes",
                headers.len()
            ),
        )
        .into_response();
    }
    next.run(request).await
}

/// Largest body of a non-JSON error answer read to turn it into JSON.
const MAX_ERROR_TEXT: usize = 16 * 1024;

/// Every error answer is `{"error": message}`: those axum makes itself
/// (`405` for a method a route lacks, `400` for a path that is not UTF-8,
/// `413` for a body over the limit, with a `text/plain` body or none) are
/// rewritten, keeping their status and headers (`Allow`, ...) and their
/// text as the message.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_ERROR_TEXT)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let message = match (status, text) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => {
            let allowed = parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("method not allowed on this path (allowed: {allowed})")
        }
        (_, Some(text)) => text,
        (_, None) => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut json = ApiError::new(status, message).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such endpoint (see /openapi.json)",
    )
}

/// Answers 413 at once when a request announces a body over the limit, so
/// not a byte of it is read; bodies without a length are cut off at the
/// limit by [`DefaultBodyLimit`].
async fn refuse_announced_oversize(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(n) if n > state.max_body as u64 => {
            let mut response = ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "request body of {n} bytes is over this server's limit of {} bytes",
                    state.max_body
                ),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        _ => next.run(request).await,
    }
}

async fn secure_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // For browsers that predate `frame-ancestors`.
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Other sites may not embed these responses (as a script, an image).
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, for the client.
    pub message: String,
}

impl ApiError {
    /// An error with `status`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 408.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(StatusCode::REQUEST_TIMEOUT, message)
    }

    /// 503.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 500.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

/// Most story ids a `409` for an ambiguous prefix lists.
pub const AMBIGUOUS_SHOWN: usize = 10;

/// `409` for a story id prefix that matches several stories: the first
/// [`AMBIGUOUS_SHOWN`] of them and how many there are (a one-letter prefix
/// matches every story of the store).
pub fn ambiguous(prefix: &str, matches: &[&str]) -> ApiError {
    let n = matches.len();
    let shown = matches[..n.min(AMBIGUOUS_SHOWN)].join(", ");
    let more = if n > AMBIGUOUS_SHOWN {
        format!(" and {} more", n - AMBIGUOUS_SHOWN)
    } else {
        String::new()
    };
    ApiError::new(
        StatusCode::CONFLICT,
        format!(
            "story id {prefix:?} is ambiguous: it matches {n} stories ({shown}{more}); give more of the id"
        ),
    )
}

/// What a client is told when the server fails: the cause (a store
/// message naming tables, a path, a query) goes to the log only.
pub const INTERNAL: &str =
    "internal error: the server could not answer this request; the cause is in the server's log";

impl From<parallax_store::StoreError> for ApiError {
    fn from(e: parallax_store::StoreError) -> Self {
        if let parallax_store::StoreError::BadCursor(why) = &e {
            return Self::bad_request(format!("parameter cursor: {why}"));
        }
        tracing::error!(error = %e, "store error");
        Self::internal(INTERNAL)
    }
}

impl From<parallax_engine::EngineError> for ApiError {
    fn from(e: parallax_engine::EngineError) -> Self {
        use parallax_engine::EngineError;
        match e {
            EngineError::NoSuchStory(_) => Self::not_found(e.to_string()),
            EngineError::AmbiguousStory { prefix, matches } => {
                let matches: Vec<&str> = matches.iter().map(String::as_str).collect();
                ambiguous(&prefix, &matches)
            }
            EngineError::Store(e) => e.into(),
            #[allow(unreachable_patterns)]
            other => {
                tracing::error!(error = %other, "engine error");
                Self::internal(INTERNAL)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, axum::Json(json!({ "error": self.message }))).into_response();
        // An error is about this request at this moment: no cache may keep
        // it (a 503 while loading, a 401, a 429).
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if self.status == StatusCode::REQUEST_TIMEOUT {
            // The rest of the body may still be on its way: do not read it
            // as the next request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}
