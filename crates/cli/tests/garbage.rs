//! Garbage in gives a clear error or a skip report, never a panic, and
//! never loses the good records beside it.

mod common;

use common::{parallax, parallax_io, text};

#[test]
fn a_binary_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("blob.txt");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1, 2, 255, 0]).unwrap();
    let db = dir.path().join("p.db");
    let out = parallax(&["run", "--db", db.to_str().unwrap(), bin.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("blob.txt"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_empty_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let db = dir.path().join("p.db");
    let out = parallax(&["run", "--db", db.to_str().unwrap(), empty.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("no articles found"), "{stderr}");
}

#[test]
fn a_truncated_jsonl_keeps_the_good_records_and_names_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a", "text": "A magnitude 6.1 earthquake struck Aceh province on Tuesday, officials said."}"#,
            "\n",
            r#"{"id": "b", "text": "The quake hit Aceh on Tuesday and damaged hundreds of homes, officials said."}"#,
            "\n",
            r#"{"id": "c", "text": "The earthquake in Ac"#,
        ),
    )
    .unwrap();
    let output = dir.path().join("out.tsv");
    let out = parallax_io("cluster", &input, &output);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("in.jsonl:3"), "{stderr}");
    assert!(stderr.contains("truncated"), "{stderr}");
    let assigned = common::read_tsv(&output);
    assert_eq!(assigned.len(), 2);

    // The same file through `run`: the good records are stored.
    let db = dir.path().join("p.db");
    let out = parallax(&["run", "--db", db.to_str().unwrap(), input.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("2 new articles stored"), "{stderr}");
    assert!(stderr.contains("1 rejected"), "{stderr}");
}

#[test]
fn missing_inputs_and_outputs_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = parallax(&[
        "cluster",
        "--input",
        "/definitely/not/here.jsonl",
        "--output",
        dir.path().join("o.tsv").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("/definitely/not/here.jsonl"));

    let out = parallax(&[
        "stories",
        "--db",
        dir.path().join("none.db").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("no store at"));
}
