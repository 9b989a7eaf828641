//! Helpers shared by the CLI tests: run the binary, find the shared data.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shared data folder (`../shared` beside the repository), or `None`
/// with a note when this checkout has none.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} is missing; test skipped", dir.display());
        None
    }
}

/// Runs `parallax` with `args`.
pub fn parallax(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(args)
        .env_remove("PARALLAX_DB")
        .output()
        .expect("the parallax binary runs")
}

/// Runs `parallax COMMAND --input INPUT --output OUTPUT`, the shape of the
/// contract's batch commands (`cluster`, `similarity`, `dedup`, ...).
pub fn parallax_io(command: &str, input: &Path, output: &Path) -> Output {
    parallax(&[
        command,
        "--input",
        input.to_str().expect("a UTF-8 path"),
        "--output",
        output.to_str().expect("a UTF-8 path"),
    ])
}

/// Stdout and stderr as text.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Reads an assignments TSV into article -> story.
pub fn read_tsv(path: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (a, s) = l.split_once('\t').unwrap();
            (a.to_owned(), s.to_owned())
        })
        .collect()
}

/// B-cubed F1 of `pred` against `gold`, as `evaluate.py clustering`
/// computes it (a missing article counts as a singleton).
pub fn bcubed_f1(gold: &HashMap<String, String>, pred: &HashMap<String, String>) -> f64 {
    let members = |m: &HashMap<String, String>| {
        let mut out: HashMap<String, HashSet<String>> = HashMap::new();
        for (a, s) in m {
            out.entry(s.clone()).or_default().insert(a.clone());
        }
        out
    };
    let pred: HashMap<String, String> = gold
        .keys()
        .map(|a| {
            let s = pred
                .get(a)
                .cloned()
                .unwrap_or_else(|| format!("missing:{a}"));
            (a.clone(), s)
        })
        .collect();
    let (g, p) = (members(gold), members(&pred));
    let (mut precision, mut recall) = (0.0, 0.0);
    for a in gold.keys() {
        let gm = &g[&gold[a]];
        let pm = &p[&pred[a]];
        let both = gm.intersection(pm).count() as f64;
        precision += both / pm.len() as f64;
        recall += both / gm.len() as f64;
    }
    let n = gold.len() as f64;
    let (precision, recall) = (precision / n, recall / n);
    2.0 * precision * recall / (precision + recall)
}
