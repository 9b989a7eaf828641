//! Calibrates the clusterer's merge rule: clusters labelled story sets with
//! every combination of the given join threshold and merge bars, and prints
//! B-cubed precision, recall and F1 (computed as `evaluate.py clustering`
//! does) with the number of stories and merges. Each input is read and
//! analysed once; only placement is repeated.
//!
//! ```sh
//! cargo run --release -p parallax-engine --example merge_sweep -- \
//!     ../shared/data/stories/ecbplus-dev ../shared/data/stories/neus-val
//! THRESHOLD=0.25 ARTICLE=0.25,0.3 CENTROID=0.4,0.5,off FRAGMENT=1,2 cargo run ... -- SET...
//! ```
//!
//! Each `SET` names `SET.jsonl` (articles) and `SET.gold.tsv` (gold
//! stories). `off` as a centroid bar turns merging off. Unset lists take
//! the default configuration's value (the centroid bar: off and four
//! values).

use std::collections::HashMap;

use parallax_ingest::{Event, IngestOptions, Reader};
use parallax_stories::{ClusterConfig, Clusterer, Doc};

fn list(var: &str, default: &str) -> Vec<f32> {
    std::env::var(var)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .map(|v| match v.trim() {
            "off" => f32::INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("{var}: not a number: {v}")),
        })
        .collect()
}

/// B-cubed precision and recall of `pred` against `gold` (parallel story
/// labels, one per article).
fn bcubed(gold: &[usize], pred: &[usize]) -> (f64, f64) {
    let mut both: HashMap<(usize, usize), usize> = HashMap::new();
    let mut g: HashMap<usize, usize> = HashMap::new();
    let mut p: HashMap<usize, usize> = HashMap::new();
    for (&a, &b) in gold.iter().zip(pred) {
        *both.entry((a, b)).or_default() += 1;
        *g.entry(a).or_default() += 1;
        *p.entry(b).or_default() += 1;
    }
    let n = gold.len() as f64;
    let (mut bp, mut br) = (0.0, 0.0);
    for (&a, &b) in gold.iter().zip(pred) {
        let common = both[&(a, b)] as f64;
        bp += common / p[&b] as f64;
        br += common / g[&a] as f64;
    }
    (bp / n, br / n)
}

struct Set {
    name: String,
    docs: Vec<Doc>,
    gold: Vec<usize>,
}

fn load(stem: &str) -> Set {
    let mut articles = Vec::new();
    Reader::new(IngestOptions::default()).read_path(format!("{stem}.jsonl").as_ref(), &mut |e| {
        if let Event::Article(a) = e {
            articles.push(a);
        }
    });
    parallax_engine::pipeline::prepare_all(&mut articles);
    let gold_text = std::fs::read_to_string(format!("{stem}.gold.tsv")).expect("gold file");
    let labels: HashMap<&str, &str> = gold_text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let gold = articles
        .iter()
        .map(|a| {
            let label = labels.get(a.id.as_str()).copied().unwrap_or(a.id.as_str());
            let next = ids.len();
            *ids.entry(label).or_insert(next)
        })
        .collect();
    Set {
        name: stem.rsplit('/').next().unwrap_or(stem).to_owned(),
        docs: articles
            .iter()
            .map(|a| parallax_engine::pipeline::doc_for(a, &ClusterConfig::default()))
            .collect(),
        gold,
    }
}

fn main() {
    let sets: Vec<Set> = std::env::args().skip(1).map(|s| load(&s)).collect();
    if sets.is_empty() {
        eprintln!("usage: merge_sweep SET... (SET.jsonl and SET.gold.tsv)");
        std::process::exit(2);
    }
    println!("set\tthreshold\tarticle\tcentroid\tfragment\tP\tR\tF1\tstories\tmerges");
    let defaults = ClusterConfig::default();
    let one = |v: f32| v.to_string();
    for &threshold in &list("THRESHOLD", &one(defaults.threshold)) {
        for &article in &list("ARTICLE", &one(defaults.merge_article)) {
            for &centroid in &list("CENTROID", "off,0.3,0.4,0.5,0.6") {
                for &fragment in &list("FRAGMENT", &defaults.merge_fragment.to_string()) {
                    for set in &sets {
                        let config = ClusterConfig {
                            threshold,
                            merge_article: article,
                            merge_centroid: centroid,
                            merge_fragment: fragment as u32,
                            ..ClusterConfig::default()
                        };
                        let mut clusterer = Clusterer::new(config);
                        let placed: Vec<_> =
                            set.docs.iter().map(|d| clusterer.assign(d).story).collect();
                        let mut ids: HashMap<_, usize> = HashMap::new();
                        let pred: Vec<usize> = placed
                            .iter()
                            .map(|s| {
                                let now = clusterer.current(s).expect("placed story").clone();
                                let next = ids.len();
                                *ids.entry(now).or_insert(next)
                            })
                            .collect();
                        let (p, r) = bcubed(&set.gold, &pred);
                        println!(
                            "{}\t{threshold}\t{article}\t{centroid}\t{fragment}\t{p:.4}\t{r:.4}\t{:.4}\t{}\t{}",
                            set.name,
                            2.0 * p * r / (p + r),
                            ids.len(),
                            clusterer.merge_count()
                        );
                    }
                }
            }
        }
    }
}
