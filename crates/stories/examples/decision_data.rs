//! Training data and trial runs for the learned decision
//! (`bench/stories/train_decision.py` drives it).
//!
//! `decision_data features ARTICLES.jsonl GOLD.tsv` places every article of
//! a labelled stream in its true story ([`Clusterer::replay_scored`]) and
//! prints one line per candidate story it was scored against:
//! `article_number<TAB>label<TAB>feature...` (label 1 when the candidate
//! is the article's story).
//!
//! `decision_data cluster ARTICLES.jsonl DECISION` clusters the stream
//! with the decision as [`Decision::parse`] reads it (or `threshold:X` for the
//! plain cosine threshold) and prints `article<TAB>story`, each article
//! with its story at the end of the stream.
//!
//! Articles are JSON lines with `id`, `text` and an optional `title`,
//! analysed as English (the dev sets are English).

use std::collections::HashMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use parallax_model::StoryId;
use parallax_stories::{ClusterConfig, Clusterer, Decision, Doc};
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
            let body = field("text").unwrap_or("");
            Ok(Doc::new(id, field("title"), body, &en))
        })
        .collect()
}

fn read_gold(path: &str) -> Result<HashMap<String, String>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, s) = l
                .split_once('\t')
                .ok_or_else(|| format!("{path}: not article<TAB>story: {l:?}"))?;
            Ok((a.to_owned(), s.trim().to_owned()))
        })
        .collect()
}

fn run(args: &[String]) -> Result<(), String> {
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    match args {
        [mode, articles, gold] if mode == "features" => {
            let docs = read_docs(articles)?;
            let gold = read_gold(gold)?;
            let mut c = Clusterer::new(ClusterConfig {
                decision: Some(Decision::SHIPPED),
                ..ClusterConfig::default()
            });
            for (n, d) in docs.iter().enumerate() {
                let story = gold
                    .get(d.id.as_str())
                    .ok_or_else(|| format!("no gold story for {}", d.id.as_str()))?;
                let story = StoryId(story.clone());
                for cand in c.replay_scored(d, &story, &[]) {
                    let x: Vec<String> = cand.features.iter().map(|v| format!("{v:.5}")).collect();
                    writeln!(
                        out,
                        "{n}\t{}\t{}",
                        u8::from(cand.story == story),
                        x.join("\t")
                    )
                    .map_err(|e| e.to_string())?;
                }
            }
        }
        [mode, articles, decision] if mode == "cluster" => {
            let docs = read_docs(articles)?;
            let mut config = ClusterConfig::default();
            match decision.strip_prefix("threshold:") {
                Some(t) => {
                    config.threshold = t.parse().map_err(|_| format!("bad threshold {t:?}"))?;
                    config.decision = None;
                }
                None => config.decision = Some(Decision::parse(decision)?),
            }
            let mut c = Clusterer::new(config);
            let placed: Vec<StoryId> = docs.iter().map(|d| c.assign(d).story).collect();
            for (d, s) in docs.iter().zip(placed) {
                let now = c.current(&s).unwrap_or(&s);
                writeln!(out, "{}\t{}", d.id.as_str(), now.as_str()).map_err(|e| e.to_string())?;
            }
        }
        _ => {
            return Err(
                "usage: decision_data features ARTICLES GOLD | cluster ARTICLES DECISION".into(),
            );
        }
    }
    out.flush().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("decision_data: {e}");
            ExitCode::FAILURE
        }
    }
}
