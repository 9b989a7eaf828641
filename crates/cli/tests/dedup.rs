//! `parallax dedup`: the contract format, bad input, and the persistent
//! index under a kill.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use parallax_dedup::{Config, PersistentIndex};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_parallax"))
}

/// A deterministic stream: `n` articles of random words from a small
/// vocabulary, every tenth a copy of an earlier one (exact, lowercased, or
/// its first half).
fn stream(path: &Path, n: usize) -> Vec<String> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let vocab: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
    let mut texts: Vec<String> = Vec::new();
    let mut ids = Vec::new();
    let mut out = std::fs::File::create(path).unwrap();
    for i in 0..n {
        let text = if i % 10 == 9 {
            let src = &texts[(next() as usize) % texts.len()];
            match i % 3 {
                0 => src.clone(),
                1 => src.to_uppercase(),
                _ => src.split(' ').take(60).collect::<Vec<_>>().join(" "),
            }
        } else {
            (0..100)
                .map(|_| vocab[(next() as usize) % vocab.len()].as_str())
                .collect::<Vec<_>>()
                .join(" ")
                + "."
        };
        let id = format!("a{i:06}");
        let rec = serde_json::json!({"id": id, "text": text});
        writeln!(out, "{rec}").unwrap();
        texts.push(text);
        ids.push(id);
    }
    ids
}

/// `parallax dedup --input INPUT --output OUTPUT [--index INDEX]`, run to
/// its end.
fn dedup(input: &Path, output: &Path, index: Option<&Path>) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.args(["dedup", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output);
    if let Some(index) = index {
        cmd.arg("--index").arg(index);
    }
    cmd.output().unwrap()
}

fn lines(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn writes_contract_lines_and_reports_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "orig", "text": "The quick brown fox jumps over the lazy dog near the river bank today.", "published": "2018-05-13"}"#,
            "\n",
            "not json\n",
            r#"{"id": "copy", "text": "the quick brown fox jumps over the lazy dog near the river bank today", "published": "2018-05-14"}"#,
            "\n",
        ),
    )
    .unwrap();
    let output = dir.path().join("out.tsv");
    let out = dedup(&input, &output, None);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.jsonl:2"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "copy\torig\tduplicate\t1.0000\n"
    );
    // A missing input is an error naming it.
    let out = Command::new(bin())
        .args(["dedup", "--input", "/nonexistent/x.jsonl", "--output"])
        .arg(&output)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.jsonl"));
}

#[test]
fn kill_during_indexing_loses_no_acknowledged_article_and_adds_no_phantom_pair() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    let ids = stream(&input, 8_000);

    // The reference: one uninterrupted run without an index file.
    let clean = dir.path().join("clean.tsv");
    let status = Command::new(bin())
        .args(["dedup", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&clean)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let reference = lines(&clean);
    assert!(reference.len() > 300, "{} pairs", reference.len());

    // Killed after a few acknowledged commits.
    let index = dir.path().join("dedup.idx");
    let partial = dir.path().join("partial.tsv");
    let mut child = Command::new(bin())
        .args(["dedup", "--commit-every", "500", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&partial)
        .arg("--index")
        .arg(&index)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut acked = 0usize;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("acknowledged ") {
            acked = n.split(' ').next().unwrap().parse().unwrap();
            if acked >= 2000 {
                break;
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        acked >= 2000,
        "the run ended before acknowledging 2000 articles"
    );

    // Every acknowledged article is in the index after the kill.
    {
        let (idx, replay) = PersistentIndex::open(&index, Config::default()).unwrap();
        for id in &ids[..acked] {
            assert!(
                idx.index().lookup(id).is_some(),
                "{id} was acknowledged, then lost"
            );
        }
        // Pairs replayed from the log only name indexed articles.
        for p in &replay.pairs {
            assert!((p.copy as usize) < idx.index().len());
            assert!((p.original as usize) < idx.index().len());
        }
    }

    // Restarting finishes the job: exactly the reference pairs, none lost,
    // none invented, none twice.
    let resumed = dir.path().join("resumed.tsv");
    let out = dedup(&input, &resumed, Some(&index));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&resumed).unwrap();
    assert_eq!(
        text.lines().count(),
        reference.len(),
        "a pair written twice"
    );
    assert_eq!(lines(&resumed), reference);

    // Running again adds nothing and reports the same pairs.
    let again = dir.path().join("again.tsv");
    let out = dedup(&input, &again, Some(&index));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(" 0 indexed"));
    assert_eq!(lines(&again), reference);
}

/// A page given as `html` is read with the extractor `run` uses: its
/// navigation and footer are not part of the text compared, so it is an
/// exact duplicate of the same article given as text.
#[test]
fn html_records_are_read_as_run_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let body: Vec<String> = (0..6)
        .map(|p| {
            (0..40)
                .map(|w| format!("para{p}word{w}"))
                .collect::<Vec<_>>()
                .join(" ")
                + "."
        })
        .collect();
    let nav: String = (0..40)
        .map(|i| format!("<li><a href=\"/section{i}\">Section link number {i} here</a></li>"))
        .collect();
    let html = format!(
        "<html><head><title>A report</title></head><body><nav><ul>{nav}</ul></nav>\
         <article><h1>A report</h1>{}</article>\
         <footer><p>Copyright footer text with many words about the site and its owners.</p></footer>\
         </body></html>",
        body.iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>()
    );
    let input = dir.path().join("in.jsonl");
    let page = parallax_ingest::record_page(&html, None).unwrap();
    std::fs::write(
        &input,
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": "as-text", "text": page.body}),
            serde_json::json!({"id": "as-page", "html": html}),
        ),
    )
    .unwrap();
    assert!(!page.body.contains("Section link"), "{}", page.body);
    let output = dir.path().join("pairs.tsv");
    let out = dedup(&input, &output, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pairs = std::fs::read_to_string(&output).unwrap();
    assert!(
        pairs
            .lines()
            .any(|l| l.contains("as-page") && l.contains("duplicate")),
        "{pairs}"
    );
}
