//! Candidate pairs and their features for the learned pairwise similarity
//! (`bench/stories/pairwise.py` drives it).
//!
//! `pairwise_data ARTICLES.jsonl [K]` analyses a stream of articles as one
//! batch ([`parallax_stories::pairwise::candidate_pairs`]) and prints one
//! line per candidate pair (each article with its K nearest, 20 by
//! default): `a<TAB>b<TAB>feature...`, `a` and `b` being
//! the articles' line numbers (from 0, blank lines skipped).
//!
//! Articles are JSON lines with `id`, `text` and an optional `title`,
//! analysed as English (the dev sets are English).

use std::fs;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use parallax_stories::Doc;
use parallax_stories::pairwise::{NEIGHBOURS, candidate_pairs};
use parallax_text::Analyzer;

fn read_docs(path: &str) -> Result<Vec<Doc>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let en = Analyzer::english();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
            let field = |k: &str| v.get(k).and_then(|x| x.as_str());
            let id = field("id").ok_or_else(|| format!("{path}:{}: no \"id\"", n + 1))?;
            Ok(Doc::new(
                id,
                field("title"),
                field("text").unwrap_or(""),
                &en,
            ))
        })
        .collect()
}

fn run(args: &[String]) -> Result<(), String> {
    let (articles, k) = match args {
        [articles] => (articles, NEIGHBOURS),
        [articles, k] => (
            articles,
            k.parse()
                .map_err(|_| format!("not a number of neighbours: {k:?}"))?,
        ),
        _ => return Err("usage: pairwise_data ARTICLES.jsonl [NEIGHBOURS]".to_owned()),
    };
    let docs = read_docs(articles)?;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    for p in candidate_pairs(&docs, k) {
        let x: Vec<String> = p.features.iter().map(|v| format!("{v:.5}")).collect();
        writeln!(out, "{}\t{}\t{}", p.a, p.b, x.join("\t")).map_err(|e| format!("stdout: {e}"))?;
    }
    out.flush().map_err(|e| format!("stdout: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pairwise_data: {e}");
            ExitCode::FAILURE
        }
    }
}
