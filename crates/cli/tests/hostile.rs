//! Hostile input through the binary (issue 18): a failed `run` on a full
//! store, ids that would forge TSV lines, escape sequences in titles and
//! outlets, non-Latin text named directly, and a reader that closes stdout
//! early (`parallax show ID | head`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{parallax, parallax_io, text};

/// Three articles on three unrelated events.
const THREE: &str = concat!(
    r#"{"id": "flood", "source": "Valley News", "title": "River floods the valley", "text": "The river flooded the valley on Monday after three days of rain, and hundreds of families left their homes, officials said."}"#,
    "\n",
    r#"{"id": "bridge", "source": "City Post", "title": "Bridge reopens", "text": "The old stone bridge reopened to traffic on Saturday after two years of repairs costing 12 million euros, the mayor said."}"#,
    "\n",
    r#"{"id": "chess", "source": "Board Weekly", "title": "Chess final drawn", "text": "The chess championship final ended in a draw after 94 moves on Friday, and the title will be decided in rapid games."}"#,
    "\n",
);

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn run_prints_only_the_stories_it_touched_and_says_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let three = dir.path().join("three.jsonl");
    std::fs::write(&three, THREE).unwrap();
    let out = parallax(&["run", "--db", path(&db), path(&three)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.matches("Story s").count(), 3, "{stdout}");
    assert!(stderr.contains("3 stories touched by this run"), "{stderr}");

    // A run that reads nothing fails, and prints none of the stored stories.
    let bad = dir.path().join("bad-utf8.txt");
    std::fs::write(&bad, b"caf\xe9 \xff\xfe").unwrap();
    let out = parallax(&["run", "--db", path(&db), path(&bad)]);
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success());
    assert_eq!(stdout, "", "a failed run printed the store");
    assert!(stderr.contains("bad-utf8.txt"), "{stderr}");
    assert!(stderr.contains("0 stories touched by this run"), "{stderr}");

    // Running the same input again adds nothing and prints nothing.
    let out = parallax(&["run", "--db", path(&db), path(&three)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("0 new articles stored, 3 already stored"),
        "{stderr}"
    );

    // One new article: its story alone.
    let one = dir.path().join("one.jsonl");
    std::fs::write(
        &one,
        r#"{"id": "comet", "title": "Comet seen", "text": "Astronomers saw a bright comet over the southern sky on Wednesday night."}"#,
    )
    .unwrap();
    let out = parallax(&["run", "--db", path(&db), path(&one)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.matches("Story s").count(), 1, "{stdout}");
    assert!(stdout.contains("Comet seen"), "{stdout}");
    assert!(stderr.contains("1 story touched by this run"), "{stderr}");
}

#[test]
fn ids_with_control_characters_never_forge_a_tsv_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let forged = format!(
        "{}\n{}",
        r#"{"id": "evil\tid\nINJECTED\tsFAKE", "text": "The river flooded the valley on Monday, officials said."}"#,
        THREE
    );
    std::fs::write(&input, forged).unwrap();
    for command in ["cluster", "similarity", "dedup"] {
        let output = dir.path().join(format!("{command}.tsv"));
        let out = parallax_io(command, &input, &output);
        let (_, stderr) = text(&out);
        assert!(out.status.success(), "{command}: {stderr}");
        assert!(stderr.contains("in.jsonl:1: bad id"), "{command}: {stderr}");
        assert!(stderr.contains("control character"), "{command}: {stderr}");
        let written = std::fs::read_to_string(&output).unwrap();
        assert!(!written.contains("INJECTED"), "{command}: {written}");
        if command == "cluster" {
            let lines: Vec<&str> = written.lines().collect();
            assert_eq!(lines.len(), 3, "{written}");
            assert!(
                lines.iter().all(|l| l.split('\t').count() == 2),
                "{written}"
            );
        }
    }
}

#[test]
fn escape_sequences_in_titles_and_outlets_are_escaped_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        r#"{"id": "e1", "source": "Evil\u001b]0;owned\u0007 Times", "title": "Flood\u001b[2J\u001b[31m warning", "text": "The river flooded the valley on Monday after three days of rain, officials said."}"#,
    )
    .unwrap();
    let out = parallax(&["run", "--db", path(&db), path(&input)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(
        stdout.contains(r"Flood\u{1b}[2J\u{1b}[31m warning"),
        "{stdout}"
    );
    assert!(
        stdout.contains(r"Evil\u{1b}]0;owned\u{7} Times"),
        "{stdout}"
    );

    let out = parallax(&["stories", "--db", path(&db)]);
    let (stdout, _) = text(&out);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(stdout.contains(r"Flood\u{1b}[2J"), "{stdout}");
    let id = stdout.split_whitespace().next().unwrap().to_owned();
    let out = parallax(&["show", "--db", path(&db), &id]);
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
}

#[test]
fn non_latin_text_named_directly_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let notes = dir.path().join("ru_notes");
    std::fs::write(&notes, "Привет мир. Наводнение в долине.\n").unwrap();
    let out = parallax(&["run", "--db", path(&db), path(&notes)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("1 new articles stored"), "{stderr}");
    assert!(stdout.contains("Story s"), "{stdout}");
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let three = dir.path().join("three.jsonl");
    std::fs::write(&three, THREE).unwrap();
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .args(args)
            .env_remove("PARALLAX_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before a byte is written, as `head` does
        // once it has its lines.
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    };
    let out = run(&["run", "--db", path(&db), path(&three)]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");

    let out = parallax(&["stories", "--db", path(&db), "--json"]);
    let first: serde_json::Value =
        serde_json::from_str(text(&out).0.lines().next().unwrap()).unwrap();
    let id = first["story"].as_str().unwrap().to_owned();
    for args in [
        vec!["show", "--db", path(&db), &id],
        vec!["show", "--db", path(&db), "--json", &id],
        vec!["stories", "--db", path(&db)],
        vec!["stories", "--db", path(&db), "--json"],
    ] {
        let out = run(&args);
        let (_, stderr) = text(&out);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn an_ambiguous_prefix_names_a_few_stories_and_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let input = dir.path().join("many.jsonl");
    let subjects = [
        "volcano",
        "tariff",
        "orchestra",
        "glacier",
        "satellite",
        "vaccine",
        "election",
        "harvest",
        "railway",
        "museum",
        "earthquake",
        "telescope",
        "marathon",
        "pipeline",
    ];
    let lines: String = subjects
        .iter()
        .enumerate()
        .map(|(i, w)| {
            format!(
                "{{\"id\": \"m{i}\", \"text\": \"The {w} report{i} zq{i}x says the {w} board{i} met on day{i}.\"}}\n"
            )
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(
        parallax(&["run", "-q", "--db", path(&db), path(&input)])
            .status
            .success()
    );
    let n = text(&parallax(&["stories", "--db", path(&db), "--json"]))
        .0
        .lines()
        .count();
    assert!(n > 10, "{n} stories");
    let out = parallax(&["show", "--db", path(&db), "s"]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains(&format!("matches {n} stories")), "{stderr}");
    assert!(stderr.contains(&format!("and {} more", n - 10)), "{stderr}");
}
