//! The web page: three static files compiled into the binary.
//!
//! `assets/index.html` is the shell, `assets/app.js` draws the story list
//! and the story page from the JSON API (hash routes `#/` and
//! `#/story/ID`), `assets/style.css` lays them out for a phone first. The
//! script builds every element with `createElement` and fills it with
//! `textContent`: text from articles is never parsed as HTML, and the
//! content security policy (see `routes`) forbids inline scripts besides.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The page shell.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");
/// The page's script.
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The page's style sheet.
pub const STYLE_CSS: &str = include_str!("../assets/style.css");

fn text(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// `GET /`.
pub async fn index() -> Response {
    text("text/html; charset=utf-8", INDEX_HTML)
}

/// `GET /assets/{file}`.
pub async fn asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.js" => text("text/javascript; charset=utf-8", APP_JS),
        "style.css" => text("text/css; charset=utf-8", STYLE_CSS),
        _ => super::routes::ApiError::new(StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
