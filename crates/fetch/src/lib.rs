//! Fetching for Parallax: feeds polled politely over HTTP, their new items
//! turned into Article JSONL records for the engine.
//!
//! A source, like the readers of `parallax-ingest`: it produces records
//! and never places or stores them. [`http::Fetcher`] is the polite client
//! (per-host delay, exponential backoff or `Retry-After`, robots.txt read
//! once a day per host and obeyed, conditional requests);
//! [`feeds::FeedPoller`] polls feeds with it, remembers their validators
//! ([`feeds::FeedState`], saved between runs) and which items it has seen,
//! and fetches the page of an item that carries only a summary. `parallax
//! watch` is a loop over it that hands the records to the engine.

pub mod feeds;
pub mod http;

pub use feeds::{FeedPoller, FeedState, PollError, Polled, Validators};
pub use http::{AGENT_TOKEN, Answer, Failure, FetchConfig, Fetcher};
