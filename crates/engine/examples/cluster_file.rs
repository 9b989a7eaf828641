//! Clusters an Article JSONL file as one stream and prints the assignments
//! TSV, using the engine's stateless pipeline directly (what `parallax
//! cluster` does, without the CLI).
//!
//! ```sh
//! cargo run --release -p parallax-engine --example cluster_file -- ARTICLES.jsonl > OUT.tsv
//! ```

use std::io::Write;

use parallax_ingest::{Event, IngestOptions, Reader};
use parallax_stories::ClusterConfig;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cluster_file ARTICLES.jsonl > OUT.tsv");
        std::process::exit(2);
    };
    let mut articles = Vec::new();
    Reader::new(IngestOptions::default()).read_path(path.as_ref(), &mut |e| match e {
        Event::Article(a) => articles.push(a),
        Event::Error(e) => eprintln!("skipped: {e}"),
        _ => {}
    });
    parallax_engine::pipeline::prepare_all(&mut articles);
    let assignments = parallax_engine::pipeline::cluster(&articles, ClusterConfig::default());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (a, s) in articles.iter().zip(&assignments) {
        writeln!(out, "{}\t{}", a.id, s.story).expect("stdout is writable");
    }
}
