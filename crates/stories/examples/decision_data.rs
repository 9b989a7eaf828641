//! Training data and trial runs for the learned decision
//! (`bench/stories/train_decision.py` drives it).
//!
//! `decision_data features ARTICLES.jsonl GOLD.tsv` places every article of
//! a labelled stream in its true story ([`Clusterer::replay_scored`]) and
//! prints one line per candidate story it was scored against,
//! `c<TAB>article_number<TAB>label<TAB>feature...` (label 1 when the
//! candidate is the article's story), and one per member of those stories
//! it was compared with, `p<TAB>article_number<TAB>label<TAB>feature...`
//! (the article-to-article model's features).
//!
//! `decision_data cluster ARTICLES.jsonl DECISION` clusters the stream
//! with the decision as [`Decision::parse`] reads it (or `threshold:X` for the
//! plain cosine threshold) and prints `article<TAB>story`, each article
//! with its story at the end of the stream.
//!
//! `decision_data online-features ARTICLES.jsonl GOLD.tsv DECISION`
//! clusters the stream with the decision and prints a `c` line for each
//! candidate it met, labelled 1 when the article's story holds most of
//! the candidate's articles so far: the states the decision itself leads
//! to, for a second round of fitting.
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

/// The configuration for a decision as [`Decision::parse`] reads it, or
/// for `threshold:X`.
fn config_for(decision: &str) -> Result<ClusterConfig, String> {
    let mut config = ClusterConfig::default();
    match decision.strip_prefix("threshold:") {
        Some(t) => {
            config.threshold = t.parse().map_err(|_| format!("bad threshold {t:?}"))?;
            config.decision = None;
        }
        None => config.decision = Some(Decision::parse(decision)?),
    }
    Ok(config)
}

fn run(args: &[String]) -> Result<(), String> {
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    match args {
        [mode, articles, gold] if mode == "features" => {
            let docs = read_docs(articles)?;
            let gold = read_gold(gold)?;
            let mut c = Clusterer::new(ClusterConfig::default());
            for (n, d) in docs.iter().enumerate() {
                let story = gold
                    .get(d.id.as_str())
                    .ok_or_else(|| format!("no gold story for {}", d.id.as_str()))?;
                let story = StoryId(story.clone());
                let line = |kind: &str, label: bool, x: &[f32]| {
                    let x: Vec<String> = x.iter().map(|v| format!("{v:.5}")).collect();
                    format!("{kind}\t{n}\t{}\t{}\n", u8::from(label), x.join("\t"))
                };
                for cand in c.replay_scored(d, &story, &[]) {
                    let label = cand.story == story;
                    let mut text = line("c", label, &cand.features);
                    for pair in &cand.pairs {
                        text.push_str(&line("p", label, pair));
                    }
                    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
                }
            }
        }
        [mode, articles, gold, decision] if mode == "online-features" => {
            let docs = read_docs(articles)?;
            let gold = read_gold(gold)?;
            let mut c = Clusterer::new(config_for(decision)?);
            // Gold stories of each predicted story's articles.
            let mut held: HashMap<StoryId, HashMap<&str, u32>> = HashMap::new();
            for (n, d) in docs.iter().enumerate() {
                let mine = gold
                    .get(d.id.as_str())
                    .ok_or_else(|| format!("no gold story for {}", d.id.as_str()))?;
                let placed = c.assign(d);
                for cand in c.last_candidates() {
                    let now = c.current(&cand.story).unwrap_or(&cand.story);
                    // The story as it stood: this article's own vote is
                    // not counted yet when it joined that story.
                    let votes = held.get(now).cloned().unwrap_or_default();
                    let majority = votes
                        .iter()
                        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                        .map(|(g, _)| *g);
                    let x: Vec<String> = cand.features.iter().map(|v| format!("{v:.5}")).collect();
                    let label = majority == Some(mine.as_str());
                    writeln!(out, "c\t{n}\t{}\t{}", u8::from(label), x.join("\t"))
                        .map_err(|e| e.to_string())?;
                }
                for from in &placed.absorbed {
                    if let Some(votes) = held.remove(from) {
                        let into = held.entry(placed.story.clone()).or_default();
                        for (g, k) in votes {
                            *into.entry(g).or_default() += k;
                        }
                    }
                }
                *held
                    .entry(placed.story.clone())
                    .or_default()
                    .entry(mine.as_str())
                    .or_default() += 1;
            }
        }
        [mode, articles, decision] if mode == "cluster" => {
            let docs = read_docs(articles)?;
            let mut c = Clusterer::new(config_for(decision)?);
            let placed: Vec<StoryId> = docs.iter().map(|d| c.assign(d).story).collect();
            for (d, s) in docs.iter().zip(placed) {
                let now = c.current(&s).unwrap_or(&s);
                writeln!(out, "{}\t{}", d.id.as_str(), now.as_str()).map_err(|e| e.to_string())?;
            }
        }
        _ => {
            return Err("usage: decision_data features ARTICLES GOLD | online-features ARTICLES GOLD DECISION | cluster ARTICLES DECISION".into());
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
