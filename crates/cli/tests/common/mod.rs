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
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
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

/// `events` made-up events of `per_event` articles each; the words of an
/// event are its own, so its articles belong together.
pub fn articles(events: usize, per_event: usize) -> Vec<serde_json::Value> {
    const SYLLABLES: [&str; 16] = [
        "var", "nol", "quen", "bri", "tas", "mor", "lek", "dun", "sif", "pra", "gol", "hek", "zum",
        "rav", "tio", "bel",
    ];
    let word = |e: usize, i: usize| {
        let n = e * 7 + i * 3;
        format!(
            "{}{}{}",
            SYLLABLES[n % 16],
            SYLLABLES[(n / 16 + i) % 16],
            SYLLABLES[(e + 5 * i) % 16]
        )
    };
    let mut out = Vec::new();
    for j in 0..per_event {
        for e in 0..events {
            let w: Vec<String> = (0..6).map(|i| word(e, i)).collect();
            let body = format!(
                "Officials in {} said on day {j} that the {} project would go ahead. \
                 The {} council met {} representatives about the {} plan. \
                 Residents of {} asked for more time before the vote on {}.",
                w[0], w[1], w[2], w[3], w[4], w[0], w[5]
            );
            out.push(serde_json::json!({
                "id": format!("e{e:02}-{j:02}"),
                "title": format!("{} {} plan: update {j}", w[0], w[1]),
                "text": body,
                "source": format!("outlet{}.example", j % 5),
                "published": format!("2024-03-{:02}", 1 + j % 28),
            }));
        }
    }
    out
}

pub fn write_jsonl(path: &Path, records: &[serde_json::Value]) {
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(path, text).unwrap();
}

/// "N new articles stored, M already stored" from `parallax run`'s summary.
pub fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.contains("new articles stored"))
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    let number_before = |marker: &str| -> usize {
        let head = &line[..line.find(marker).unwrap()];
        head.rsplit([' ', ':'])
            .find(|w| !w.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    (
        number_before(" new articles"),
        number_before(" already stored"),
    )
}

/// Runs one `parallax run --quiet --json EXTRA --db DB INPUT` per input, all
/// at once, and waits for them; each must succeed. Returns the articles they
/// stored and found stored, summed.
pub fn run_at_once(db: &std::ffi::OsStr, inputs: &[PathBuf], extra: &[&str]) -> (usize, usize) {
    let children: Vec<_> = inputs
        .iter()
        .map(|input| {
            Command::new(env!("CARGO_BIN_EXE_parallax"))
                .args(["run", "--quiet", "--json"])
                .args(extra)
                .arg("--db")
                .arg(db)
                .arg(input)
                .env_remove("PARALLAX_DB")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the parallax binary runs")
        })
        .collect();
    let (mut stored, mut unchanged) = (0, 0);
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a writer failed: {stderr}");
        let (s, u) = counts(&stderr);
        stored += s;
        unchanged += u;
    }
    (stored, unchanged)
}
