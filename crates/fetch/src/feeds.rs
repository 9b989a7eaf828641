//! Feeds polled for new items: conditional GETs, what was learnt of each
//! feed kept between runs, and the page of an item that carries only a
//! summary fetched in its place.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use parallax_ingest::sources::feed::{FeedItem, parse_feed};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::http::{Failure, FetchConfig, Fetcher, charset_of};

/// What a watcher remembers between runs: the validators of each feed.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FeedState {
    /// Validators per feed address.
    feeds: HashMap<String, Validators>,
}

/// The validators of a feed's last full answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Validators {
    /// `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl FeedState {
    /// The state saved at `path`; an empty one when there is none or it
    /// cannot be read (the next answers fill it again).
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Saves the state to `path` (written aside, then renamed into place).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(tmp, path)
    }
}

/// Why a feed could not be polled.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    /// The request was not answered (robots.txt, backoff, network).
    #[error(transparent)]
    Fetch(#[from] Failure),
    /// The feed answered neither 200 nor 304.
    #[error("HTTP {0}")]
    Status(u16),
    /// The answer is not a feed.
    #[error("not a readable feed: {0}")]
    Feed(String),
    /// Asking whether an item is stored failed.
    #[error("{0}")]
    Lookup(String),
}

/// What one poll of a feed found.
#[derive(Debug, Default)]
pub struct Polled {
    /// The feed answered `304 Not Modified`.
    pub not_modified: bool,
    /// Items in the feed.
    pub items: usize,
    /// The new items as Article JSONL records, oldest first.
    pub records: Vec<serde_json::Value>,
    /// Their ids: pass them to [`FeedPoller::mark_seen`] once stored.
    pub ids: Vec<String>,
    /// New items left for the next poll (their page is not reachable now).
    pub postponed: usize,
}

/// Polls feeds politely and turns their new items into Article JSONL
/// records, each item once.
pub struct FeedPoller {
    fetcher: Fetcher,
    state: FeedState,
    seen: HashSet<String>,
    fetch_pages: bool,
}

impl FeedPoller {
    /// A poller fetching with `config`, starting from `state`; `fetch_pages`:
    /// fetch the page of an item that carries only a summary.
    pub fn new(config: &FetchConfig, state: FeedState, fetch_pages: bool) -> Self {
        Self {
            fetcher: Fetcher::new(config),
            state,
            seen: HashSet::new(),
            fetch_pages,
        }
    }

    /// What was learnt of the feeds so far (to save between runs).
    pub fn state(&self) -> &FeedState {
        &self.state
    }

    /// Polls `url` with a conditional GET. Items seen before, or for which
    /// `is_stored` answers true, are not new (a stored one is remembered as
    /// seen); the rest come back as records.
    pub fn poll(
        &mut self,
        url: &str,
        is_stored: &mut dyn FnMut(&str) -> Result<bool, String>,
    ) -> Result<Polled, PollError> {
        let validators = self.state.feeds.get(url).cloned().unwrap_or_default();
        let answer = self.fetcher.get(url, Some(&validators))?;
        if answer.status == 304 {
            return Ok(Polled {
                not_modified: true,
                ..Polled::default()
            });
        }
        if answer.status != 200 {
            return Err(PollError::Status(answer.status));
        }
        self.state.feeds.insert(
            url.to_owned(),
            Validators {
                etag: answer.etag.clone(),
                last_modified: answer.last_modified.clone(),
            },
        );
        let feed =
            parse_feed(&answer.body, Some(url)).map_err(|e| PollError::Feed(e.to_string()))?;
        let outlet = feed.outlet();
        let mut polled = Polled {
            items: feed.items.len(),
            ..Polled::default()
        };
        for item in feed.items.iter().rev() {
            if self.seen.contains(&item.id) {
                continue;
            }
            if is_stored(&item.id).map_err(PollError::Lookup)? {
                self.seen.insert(item.id.clone());
                continue;
            }
            match self.record(item, outlet.as_deref()) {
                Some(r) => {
                    polled.records.push(r);
                    polled.ids.push(item.id.clone());
                }
                None => polled.postponed += 1,
            }
        }
        Ok(polled)
    }

    /// Remembers items as seen (once they are stored), so later polls skip
    /// them without asking the store.
    pub fn mark_seen(&mut self, ids: impl IntoIterator<Item = String>) {
        self.seen.extend(ids);
    }

    /// The Article JSONL record for an item: its page when it carries only
    /// a summary and the page can be had, else its own text. `None`: the
    /// page is not reachable now (try again at the next poll).
    fn record(&mut self, item: &FeedItem, outlet: Option<&str>) -> Option<serde_json::Value> {
        let mut r = json!({
            "id": item.id,
            "title": item.title,
            "url": item.url,
            "source": outlet,
            "published": item.published.map(|d| d.to_rfc3339()),
            "text": item.text,
        });
        let page_url = item
            .url
            .as_deref()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        if let (false, true, Some(page_url)) = (item.full, self.fetch_pages, page_url) {
            match self.fetcher.get(page_url, None) {
                Ok(a) if a.status == 200 => {
                    let charset = a.content_type.as_deref().and_then(charset_of);
                    let html = parallax_extract::decode_html(&a.body, charset).text;
                    r["html"] = json!(html);
                    if let Some(text) = r.as_object_mut() {
                        text.remove("text");
                    }
                }
                Ok(_) => {}
                Err(Failure::Forbidden(_)) => {}
                Err(e) => {
                    tracing::warn!(page = page_url, "page not fetched: {e}");
                    return None;
                }
            }
        }
        Some(r)
    }
}
