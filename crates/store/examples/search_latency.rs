//! Store-level search latency on an existing store: for each word, article
//! search page 1, then pages walked by cursor to page `PAGES` (the last one
//! timed), the same deep page by offset, and story search page 1. Each
//! word is asked once per round, so no answer is a repeat of the one
//! before (the store has no result cache; the OS page cache stays warm, as
//! on a serving machine). Prints p50/p99 in milliseconds as JSON.
//!
//! ```sh
//! cargo run --release -p parallax-store --example search_latency -- STORE.db [PAGES] [ROUNDS] word...
//! ```
//! (bench/serve/search_1m.sh runs it with the 64 words of search.lua.)

use std::time::Instant;

use parallax_store::{ArticleFilter, Cursor, Page, Store, StoreError, StoryFilter};

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// Follows the cursors from page 1 (whose `next` is given) to page `pages`
/// or the last page, whichever comes first, fetching each with `fetch`;
/// records in `deep` the milliseconds page `pages` took when it is reached.
/// Returns the page reached.
fn walk<T>(
    mut next: Option<Cursor>,
    pages: usize,
    deep: &mut Vec<f64>,
    mut fetch: impl FnMut(Option<Cursor>) -> Result<Page<T>, StoreError>,
) -> Result<usize, StoreError> {
    let mut n = 1;
    while n < pages && next.is_some() {
        let t = Instant::now();
        next = fetch(next)?.next;
        n += 1;
        if n == pages {
            deep.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(n)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: search_latency STORE.db PAGES ROUNDS word...";
    let db = args.first().ok_or(usage)?;
    let pages: usize = args.get(1).ok_or(usage)?.parse()?;
    let rounds: usize = args.get(2).ok_or(usage)?.parse()?;
    let words = &args[3.min(args.len())..];
    if words.is_empty() {
        return Err(usage.into());
    }
    let store = Store::open_reader(std::path::Path::new(db))?;
    let limit = 20u32;
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let (mut first, mut deep, mut by_offset, mut stories, mut story_deep) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut reached = Vec::new();
    let opened = Instant::now();
    // The first search opens the index (counted apart).
    store.find_articles(&ArticleFilter {
        q: Some(words[0].clone()),
        limit,
        ..ArticleFilter::default()
    })?;
    let open_ms = ms(opened);
    for _ in 0..rounds {
        for w in words {
            let filter = ArticleFilter {
                q: Some(w.clone()),
                limit,
                ..ArticleFilter::default()
            };
            let t = Instant::now();
            let page = store.find_articles(&filter)?;
            first.push(ms(t));
            let n = walk(page.next, pages, &mut deep, |cursor| {
                store.find_articles(&ArticleFilter {
                    cursor,
                    ..filter.clone()
                })
            })?;
            reached.push(n);
            if n == pages {
                let t = Instant::now();
                store.find_articles(&ArticleFilter {
                    offset: (pages as u32 - 1) * limit,
                    ..filter.clone()
                })?;
                by_offset.push(ms(t));
            }
            let sf = StoryFilter {
                q: Some(w.clone()),
                limit,
                ..StoryFilter::default()
            };
            let t = Instant::now();
            let page = store.find_stories(&sf)?;
            stories.push(ms(t));
            walk(page.next, pages, &mut story_deep, |cursor| {
                store.find_stories(&StoryFilter {
                    cursor,
                    ..sf.clone()
                })
            })?;
        }
    }
    let summary = |v: &mut Vec<f64>| {
        format!(
            "{{\"n\": {}, \"p50\": {:.2}, \"p99\": {:.2}, \"max\": {:.2}}}",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            percentile(v, 1.0)
        )
    };
    println!(
        "{{\"open_ms\": {open_ms:.1}, \"articles_page1\": {}, \"articles_page{pages}_cursor\": {}, \
         \"articles_page{pages}_offset\": {}, \"stories_page1\": {}, \"stories_page{pages}_cursor\": {}, \
         \"words_reaching_page{pages}\": {}}}",
        summary(&mut first),
        summary(&mut deep),
        summary(&mut by_offset),
        summary(&mut stories),
        summary(&mut story_deep),
        reached.iter().filter(|&&n| n == pages).count() / rounds.max(1)
    );
    Ok(())
}
