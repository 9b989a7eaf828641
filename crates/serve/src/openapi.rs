//! The route table and the OpenAPI 3.1 document generated from it.
//!
//! [`ROUTES`] is the only list of endpoints: `routes::router` builds the
//! router from it (an entry without a handler fails at start, and a test
//! requests every entry), and [`document`] writes `/openapi.json` from it.
//! The response schemas are written here by hand next to the table; the
//! API tests check real responses against them.

use serde_json::{Map, Value, json};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// In the path (`{id}`).
    Path,
    /// In the query string.
    Query,
}

/// One parameter of an endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name.
    pub name: &'static str,
    /// Where.
    pub location: In,
    /// JSON schema type (`string`, `integer`).
    pub kind: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// For an integer: the smallest and largest values accepted (anything
    /// else is `400`) and the value when it is left out.
    pub range: Option<(u64, u64, u64)>,
    /// For a string: the longest accepted, in bytes.
    pub max_length: Option<usize>,
    /// For a string: the pattern it must match (`from`, `to`).
    pub format: Option<&'static str>,
}

impl Param {
    /// A string parameter `name` in `location`.
    const fn string(name: &'static str, location: In, doc: &'static str) -> Self {
        Self {
            name,
            location,
            kind: "string",
            doc,
            range: None,
            max_length: None,
            format: None,
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// HTTP method, lowercase.
    pub method: &'static str,
    /// Path, with `{name}` for path parameters (axum's syntax too).
    pub path: &'static str,
    /// Operation id; also names the handler.
    pub id: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// Parameters.
    pub params: &'static [Param],
    /// Request body media type and description, when it takes one.
    pub body: Option<(&'static str, &'static str)>,
    /// Success status, media type (several separated by commas) and schema
    /// name (in `components`), or `None` for a body that is not JSON.
    pub ok: (u16, &'static str, Option<&'static str>),
    /// Error statuses it can answer with (besides [`COMMON_ERRORS`]).
    pub errors: &'static [(u16, &'static str)],
    /// Error statuses whose body is not `Error` but the named schema (a
    /// `422` ingest result), or one of several (`Health|Error`).
    pub error_bodies: &'static [(u16, &'static str)],
}

/// Answers any operation may give: `(status, why, only for reads)`.
pub const COMMON_ERRORS: &[(u16, &str, bool)] = &[
    (
        400,
        "The request is malformed: a path that is not UTF-8 once percent-decoded, a bad parameter",
        false,
    ),
    (
        401,
        "The server requires its token for reads too and the request did not carry it (Authorization: Bearer)",
        true,
    ),
    (
        414,
        "The request target is longer than 8 KiB (past 64 KiB the answer has no body)",
        false,
    ),
    (
        429,
        "Too many requests from this client address (see Retry-After)",
        false,
    ),
    (
        431,
        "More than 100 header fields or 32 KiB of them (past 1,024 fields or 1 MiB the answer has no body)",
        false,
    ),
    (
        500,
        "The server failed (the cause is logged; the message is generic)",
        false,
    ),
    (
        503,
        "No answer within the request timeout: the server is busy (see Retry-After)",
        true,
    ),
];

const ID: Param = Param::string("id", In::Path, "Story id, or a unique prefix of one");

/// `YYYY-MM-DD`, as a pattern (the day must also exist: `2018-02-30` is
/// `400`).
const DAY: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

const FILTERS: [Param; 8] = [
    Param {
        max_length: Some(crate::search::MAX_QUERY),
        ..Param::string(
            "q",
            In::Query,
            "Words to search for (all required, stemmed; the last may be a prefix)",
        )
    },
    Param::string(
        "source",
        In::Query,
        "Outlet: source name or URL host, case-insensitive",
    ),
    Param::string("lang", In::Query, "Language, ISO 639-1"),
    Param {
        format: Some(DAY),
        ..Param::string(
            "from",
            In::Query,
            "Published on or after this day, YYYY-MM-DD (a day of the calendar)",
        )
    },
    Param {
        format: Some(DAY),
        ..Param::string(
            "to",
            In::Query,
            "Published on or before this day, YYYY-MM-DD (a day of the calendar)",
        )
    },
    Param {
        kind: "integer",
        range: Some((
            1,
            crate::search::MAX_LIMIT as u64,
            crate::search::DEFAULT_LIMIT as u64,
        )),
        ..Param::string("limit", In::Query, "Page size, 1 to 200 (default 20)")
    },
    Param {
        kind: "integer",
        range: Some((0, u32::MAX as u64, 0)),
        ..Param::string(
            "offset",
            In::Query,
            "Results to skip (after the cursor, when one is given); the X-Has-More header and a Link rel=next say whether more follow",
        )
    },
    Param::string(
        "cursor",
        In::Query,
        "Start after the last result of an earlier page: the X-Next-Cursor header of that page (opaque; the Link rel=next carries it too). Any page costs what the first does, where a deep offset costs the results it skips",
    ),
];

const ARTICLE_FILTERS: [Param; 9] = [
    FILTERS[0],
    FILTERS[1],
    FILTERS[2],
    FILTERS[3],
    FILTERS[4],
    FILTERS[5],
    FILTERS[6],
    FILTERS[7],
    Param::string("story", In::Query, "Only this story's articles (full id)"),
];

const NOT_FOUND: &[(u16, &str)] = &[
    (404, "No such story"),
    (409, "The id prefix matches several stories"),
];
const JSON: &str = "application/json";

/// Every endpoint the server answers.
pub const ROUTES: &[Route] = &[
    Route {
        method: "get",
        path: "/api/health",
        id: "health",
        summary: "200 when ready (engine loaded); 503 while the store is being loaded",
        params: &[],
        body: None,
        ok: (200, JSON, Some("Health")),
        errors: &[
            (503, "Starting: the engine is still loading the store"),
            (500, "Failed: the engine could not load the store"),
        ],
        // The health report says `starting` or `failed`; a read that failed
        // or timed out answers an `Error`.
        error_bodies: &[(503, "Health|Error"), (500, "Health|Error")],
    },
    Route {
        method: "get",
        path: "/api/stories",
        id: "listStories",
        summary: "Stories, most recently updated first, or by relevance with q; filtered and paginated",
        params: &FILTERS,
        body: None,
        ok: (200, JSON, Some("StoryList")),
        errors: &[(400, "Bad parameter")],
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/api/stories/{id}",
        id: "getStory",
        summary: "One story's brief (the fields of `parallax brief`); for the id of a story merged into another, the survivor's brief with `merged_from` set to the id asked for",
        params: &[ID],
        body: None,
        ok: (200, JSON, Some("Brief")),
        errors: NOT_FOUND,
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/api/stories/{id}/articles",
        id: "getStoryArticles",
        summary: "The story's articles with their full cleaned text, in arrival order",
        params: &[ID],
        body: None,
        ok: (200, JSON, Some("ArticleList")),
        errors: NOT_FOUND,
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/api/stories/{id}/events",
        id: "getStoryEvents",
        summary: "How the story grew, as the store recorded it: `founded` and `joined` (one per article, with the story it was placed in then), and `merged` (story `from` absorbed into `story`, the older of the two, which keeps its id), in order; the events of stories merged into this one are included. An absorbed story's id resolves to its survivor here and in the other story routes",
        params: &[ID],
        body: None,
        ok: (200, JSON, Some("EventList")),
        errors: NOT_FOUND,
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/api/stories/{id}/syndication",
        id: "getStorySyndication",
        summary: "Who reused whose text inside the story: the copy pairs (duplicate, near-duplicate, syndicated) found at ingestion, with their outlets",
        params: &[ID],
        body: None,
        ok: (200, JSON, Some("Syndication")),
        errors: NOT_FOUND,
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/api/articles",
        id: "listArticles",
        summary: "Articles, newest first, or by relevance with q (with a highlighted snippet); filtered and paginated",
        params: &ARTICLE_FILTERS,
        body: None,
        ok: (200, JSON, Some("ArticleHitList")),
        errors: &[(400, "Bad parameter")],
        error_bodies: &[],
    },
    Route {
        method: "post",
        path: "/api/articles",
        id: "postArticles",
        summary: "Ingest Article JSONL (the CLI's validation: bad lines are rejected and reported, the rest stored)",
        params: &[],
        body: Some((
            "application/x-ndjson",
            "Article JSONL: one {id, text or html, title?, url?, source?, published?, lang?} per line",
        )),
        ok: (200, JSON, Some("IngestResult")),
        errors: &[
            (
                401,
                "The server has a token and the request did not carry it (Authorization: Bearer)",
            ),
            (
                403,
                "Writes refused: read-only server, another web origin, or no token configured and a client not on the server's machine",
            ),
            (408, "The body did not arrive within the request timeout"),
            (413, "Body larger than the server's limit"),
            (
                422,
                "No line could be read as an article: the body is the ingest result, as for 200, with every line in `rejected`",
            ),
            (
                503,
                "The engine is still loading, other ingests held the writer for the whole request timeout, or the request bodies in flight already fill the server's budget (4 times the limit on one); nothing stored, retry after Retry-After",
            ),
        ],
        error_bodies: &[(422, "IngestResult")],
    },
    Route {
        method: "get",
        path: "/api/articles/{id}",
        id: "getArticle",
        summary: "One article with its full cleaned text, what cleaning removed, and the copy pairs it is part of",
        params: &[Param::string("id", In::Path, "Article id")],
        body: None,
        ok: (200, JSON, Some("Article")),
        errors: &[(404, "No such article")],
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/api/sources",
        id: "listSources",
        summary: "Outlets with their article and story counts, biggest first",
        params: &[],
        body: None,
        ok: (200, JSON, Some("SourceList")),
        errors: &[],
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/openapi.json",
        id: "openapi",
        summary: "This document",
        params: &[],
        body: None,
        ok: (200, JSON, None),
        errors: &[],
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/",
        id: "index",
        summary: "The web page",
        params: &[],
        body: None,
        ok: (200, "text/html", None),
        errors: &[],
        error_bodies: &[],
    },
    Route {
        method: "get",
        path: "/assets/{file}",
        id: "asset",
        summary: "The web page's script and style sheet",
        params: &[Param::string("file", In::Path, "app.js or style.css")],
        body: None,
        ok: (200, "text/javascript,text/css", None),
        errors: &[(404, "No such asset")],
        error_bodies: &[],
    },
];

/// Property lists for the component schemas: `(name, JSON type, required)`.
type Props = &'static [(&'static str, &'static str, bool)];

const IDS: &str = "array:string";

/// The response schemas by name: each is an object with these properties.
pub const SCHEMAS: &[(&str, Props)] = &[
    (
        "Health",
        &[
            ("status", "string", true),
            ("articles", "integer", true),
            ("stories", "integer", true),
            ("version", "string", true),
        ],
    ),
    (
        "StoryListItem",
        &[
            ("story", "string", true),
            ("title", "string", true),
            ("summary", "string", true),
            ("articles", IDS, true),
            ("outlets", "array:string", true),
            ("first_published", "string|null", true),
            ("last_published", "string|null", true),
            ("updated_at", "string", true),
        ],
    ),
    (
        "Brief",
        &[
            ("story", "string", true),
            ("title", "string", true),
            ("summary", "string", true),
            ("sentences", "array:object", true),
            ("facts", "array:object", true),
            ("quotes", "array:object", true),
            ("entities", "array:object", true),
            ("sources", "array:object", true),
            ("timeline", "array:object", true),
            ("unique", "array:object", true),
            ("copies", "array:object", true),
            ("seq", "integer", false),
            ("merged_from", "string", false),
        ],
    ),
    (
        "Article",
        &[
            ("id", "string", true),
            ("story", "string", true),
            ("seq", "integer", true),
            ("title", "string|null", true),
            ("url", "string|null", true),
            ("source", "string|null", true),
            ("outlet", "string", true),
            ("published", "string|null", true),
            ("lang", "string|null", true),
            ("body", "string", true),
            ("removed", "array:object", true),
            ("origin", "string", true),
            ("copies", "array:object", true),
        ],
    ),
    (
        "ArticleHit",
        &[
            ("id", "string", true),
            ("story", "string", true),
            ("seq", "integer", true),
            ("title", "string|null", true),
            ("url", "string|null", true),
            ("source", "string|null", true),
            ("published", "string|null", true),
            ("lang", "string|null", true),
            ("snippet", "array:object", true),
        ],
    ),
    (
        "Event",
        &[
            ("seq", "integer", true),
            ("kind", "string", true),
            ("story", "string", true),
            ("article", "string", true),
            ("outlet", "string", true),
            ("published", "string|null", true),
            ("at", "string", true),
            ("from", "string", false),
        ],
    ),
    (
        "Syndication",
        &[("story", "string", true), ("pairs", "array:object", true)],
    ),
    (
        "CopyPair",
        &[
            ("copy", "string", true),
            ("original", "string", true),
            ("relation", "string", true),
            ("score", "number", true),
            ("evidence", "string|null", true),
            ("copy_outlet", "string", false),
            ("original_outlet", "string", false),
        ],
    ),
    (
        "Source",
        &[
            ("source", "string|null", true),
            ("articles", "integer", true),
            ("stories", "integer", true),
        ],
    ),
    (
        "IngestResult",
        &[
            ("stored", IDS, true),
            ("unchanged", "integer", true),
            ("conflicts", "array:string", true),
            ("rejected", "array:string", true),
            ("warnings", "array:string", true),
            ("stories", IDS, true),
        ],
    ),
    ("Error", &[("error", "string", true)]),
];

/// What some schemas mean, where the names do not say it.
const SCHEMA_DOCS: &[(&str, &str)] = &[
    (
        "Event",
        "Something that happened to a story. `seq` is the arrival number of the article whose placement made it; `kind` is `founded` (the article started `story`), `joined` (it joined `story`) or `merged` (story `from` was absorbed into `story` as the article was placed: `from`'s articles moved to `story`); `at` is when the store recorded it; `outlet` and `published` are the article's",
    ),
    (
        "Brief",
        "A story's brief; `seq` is the arrival number of the story's latest article when the brief was built (briefs are built a moment after their articles are stored: a story's articles with a higher `seq` are not in it yet); `merged_from` appears only when the id asked for named a story since merged into this one",
    ),
];

/// Array schemas: `(name, item schema)`.
const LISTS: &[(&str, &str)] = &[
    ("StoryList", "StoryListItem"),
    ("ArticleList", "Article"),
    ("ArticleHitList", "ArticleHit"),
    ("EventList", "Event"),
    ("SourceList", "Source"),
];

fn type_schema(kind: &str) -> Value {
    if let Some(item) = kind.strip_prefix("array:") {
        return json!({"type": "array", "items": {"type": item}});
    }
    match kind.split_once('|') {
        Some((a, b)) => json!({"type": [a, b]}),
        None => json!({"type": kind}),
    }
}

fn components() -> Value {
    let mut schemas = Map::new();
    for (name, props) in SCHEMAS {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (prop, kind, req) in *props {
            properties.insert((*prop).into(), type_schema(kind));
            if *req {
                required.push(Value::from(*prop));
            }
        }
        let mut schema = json!({"type": "object", "properties": properties, "required": required});
        if let Some((_, doc)) = SCHEMA_DOCS.iter().find(|(n, _)| n == name) {
            schema["description"] = json!(doc);
        }
        schemas.insert((*name).into(), schema);
    }
    for (name, item) in LISTS {
        schemas.insert(
            (*name).into(),
            json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}),
        );
    }
    json!({
        "schemas": schemas,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    })
}

fn param_schema(p: &Param) -> Value {
    let mut schema = json!({"type": p.kind});
    if let Some((min, max, default)) = p.range {
        schema["minimum"] = json!(min);
        schema["maximum"] = json!(max);
        schema["default"] = json!(default);
    }
    if let Some(n) = p.max_length {
        schema["maxLength"] = json!(n);
    }
    if let Some(pattern) = p.format {
        schema["pattern"] = json!(pattern);
        schema["format"] = json!("date");
    }
    schema
}

fn operation(route: &Route) -> Value {
    let params: Vec<Value> = route
        .params
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "in": match p.location { In::Path => "path", In::Query => "query" },
                "required": p.location == In::Path,
                "description": p.doc,
                "schema": param_schema(p),
            })
        })
        .collect();
    let mut responses = Map::new();
    let (status, media, schema) = route.ok;
    let mut content = Map::new();
    for media in media.split(',') {
        let body = match schema {
            Some(s) => json!({"schema": {"$ref": format!("#/components/schemas/{s}")}}),
            None => json!({}),
        };
        content.insert(media.to_owned(), body);
    }
    responses.insert(
        status.to_string(),
        json!({"description": "OK", "content": content}),
    );
    let read = route.method == "get";
    let common = COMMON_ERRORS
        .iter()
        .filter(|(_, _, reads_only)| read || !reads_only)
        .filter(|(status, _, _)| *status != 401 || route.id != "health")
        .map(|(status, why, _)| (*status, *why));
    for (status, why) in route.errors.iter().copied().chain(common) {
        if responses.contains_key(&status.to_string()) {
            continue;
        }
        let schema = route
            .error_bodies
            .iter()
            .find(|(s, _)| *s == status)
            .map_or("Error", |(_, schema)| schema);
        let refs: Vec<Value> = schema
            .split('|')
            .map(|s| json!({"$ref": format!("#/components/schemas/{s}")}))
            .collect();
        let schema = match <[Value; 1]>::try_from(refs) {
            Ok([one]) => one,
            Err(refs) => json!({ "oneOf": refs }),
        };
        responses.insert(
            status.to_string(),
            json!({"description": why, "content": {JSON: {"schema": schema}}}),
        );
    }
    let mut op = json!({
        "operationId": route.id,
        "summary": route.summary,
        "parameters": params,
        "responses": responses,
    });
    if route.method != "get" {
        // The token is needed when the server has one; without one, writes
        // are accepted from its own machine (docs/SERVE.md, "Security").
        op["security"] = json!([{"bearer": []}, {}]);
    }
    if let Some((media, doc)) = route.body {
        op["requestBody"] = json!({
            "required": true,
            "description": doc,
            "content": { media: {"schema": {"type": "string"}} },
        });
    }
    op
}

/// The OpenAPI 3.1 document for [`ROUTES`].
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[route.method] = operation(route);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Parallax",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "News articles turned into stories: briefs, search, ingestion.",
        },
        "paths": paths,
        "components": components(),
    })
}

/// The properties and required properties of component schema `name`.
pub fn schema_props(name: &str) -> Option<Props> {
    SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_once() {
        let doc = document();
        for r in ROUTES {
            assert!(
                doc["paths"][r.path][r.method].is_object(),
                "{} {}",
                r.method,
                r.path
            );
            if let (_, _, Some(s)) = r.ok {
                assert!(doc["components"]["schemas"][s].is_object(), "{s}");
            }
        }
        let mut ids: Vec<&str> = ROUTES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ROUTES.len());
    }
}
