//! The dedup run behind `parallax dedup` (`parallax_engine::dedup_run`):
//! pairs in input order, bad records named and skipped, the persistent
//! index, and html read as ingestion reads it.

use std::path::Path;
use std::sync::Mutex;

use parallax_engine::dedup_run::{
    DedupNotice, DedupReport, DedupRunConfig, DedupRunError, TsvPairs, dedup_path,
};

/// A wire story, reposted verbatim and with an outlet line added.
const WIRE: &str = "The city council voted on Tuesday to expand the tram line to the northern \
    districts, a project expected to cost 40 million euros and take four years to finish. \
    Opponents said the money should go to buses, which carry more riders in those districts. \
    The mayor said construction would begin next spring after a final review of the plans.";
/// An unrelated article.
const OTHER: &str = "Heavy rain flooded several streets in the harbour area on Sunday night, \
    and firefighters pumped water out of dozens of basements. No one was hurt, the fire \
    service said, but two schools will stay closed on Monday while the damage is assessed.";

fn record(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string()
}

/// Runs dedup on `input`; returns the TSV, the notices as printed and the
/// report.
fn run(
    input: &Path,
    config: &DedupRunConfig,
) -> (String, Vec<String>, Result<DedupReport, DedupRunError>) {
    let notices = Mutex::new(Vec::new());
    let mut tsv = TsvPairs::new(Vec::new(), false);
    let report = dedup_path(input, config, &mut tsv, &|n: DedupNotice| {
        notices.lock().unwrap().push(n.to_string());
    });
    let tsv = String::from_utf8(tsv.into_inner()).unwrap();
    (tsv, notices.into_inner().unwrap(), report)
}

fn config(threads: usize) -> DedupRunConfig {
    DedupRunConfig {
        threads,
        clock_minutes: Some(29_000_000),
        ..DedupRunConfig::default()
    }
}

#[test]
fn pairs_come_in_input_order_and_bad_lines_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.jsonl");
    let lines = [
        record("w1", WIRE),
        "{broken".to_owned(),
        record("o1", OTHER),
        String::new(),
        record("w2", WIRE),
        record("w1", OTHER),
        record("w3", &format!("{WIRE}\nReporting by the Harbour Gazette.")),
    ];
    std::fs::write(&input, lines.join("\n")).unwrap();
    for threads in [1, 3] {
        let (tsv, notices, report) = run(&input, &config(threads));
        let report = report.unwrap();
        assert_eq!(report.added, 4, "threads {threads}");
        assert_eq!(report.known, 1);
        assert_eq!(report.rejected, 1);
        assert_eq!(report.read(), 5);
        let pairs: Vec<(&str, &str)> = tsv
            .lines()
            .map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                assert_eq!(c.len(), 4, "{l}");
                (c[0], c[1])
            })
            .collect();
        assert_eq!(report.pairs, pairs.len());
        assert_eq!(pairs[0], ("w2", "w1"), "{tsv}");
        // The reposted text with an outlet line pairs with the wire story
        // (which way round is the direction rules' call).
        assert!(pairs.len() > 1, "{tsv}");
        assert!(
            pairs[1..].iter().all(|&(a, b)| a == "w3" || b == "w3"),
            "{tsv}"
        );
        let path = input.display();
        assert!(
            notices
                .iter()
                .any(|n| n.starts_with(&format!("skipped: {path}:2: not a JSON article"))),
            "{notices:?}"
        );
        assert!(
            notices.contains(&format!(
                "skipped: {path}:6: article id \"w1\" repeats an earlier article"
            )),
            "{notices:?}"
        );
    }
}

#[test]
fn a_persistent_index_replays_its_pairs_and_skips_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.jsonl");
    std::fs::write(
        &input,
        [record("w1", WIRE), record("o1", OTHER), record("w2", WIRE)].join("\n"),
    )
    .unwrap();
    let config = DedupRunConfig {
        index: Some(dir.path().join("index").join("dedup.idx")),
        commit_every: 1,
        ..config(2)
    };
    let (first, notices, report) = run(&input, &config);
    let report = report.unwrap();
    assert_eq!((report.added, report.known, report.pairs), (3, 0, 1));
    assert_eq!(first, "w2\tw1\tduplicate\t1.0000\n");
    assert!(
        notices.contains(&"acknowledged 3 articles".to_owned()),
        "{notices:?}"
    );

    // Again, with one more article: the old pair first, the known articles
    // skipped quietly, the new one added.
    std::fs::write(
        &input,
        [
            record("w1", WIRE),
            record("o1", OTHER),
            record("w2", WIRE),
            record("w3", WIRE),
        ]
        .join("\n"),
    )
    .unwrap();
    let (second, notices, report) = run(&input, &config);
    let report = report.unwrap();
    assert_eq!((report.added, report.known), (1, 3));
    assert!(second.starts_with(&first), "{second}");
    assert!(second[first.len()..].starts_with("w3\t"), "{second}");
    assert!(
        !notices.iter().any(|n| n.contains("repeats")),
        "{notices:?}"
    );
    assert_eq!(report.index.live, 4);
}

#[test]
fn html_pages_in_a_folder_are_read_as_html_records_are() {
    let dir = tempfile::tempdir().unwrap();
    let page = |text: &str| {
        format!(
            "<html><head><title>Tram line</title></head><body><nav><a href=\"/\">Home</a></nav>\
             <article><p>{text}</p></article><footer>Copyright</footer></body></html>"
        )
    };
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(pages.join("p1.html"), page(WIRE)).unwrap();
    std::fs::write(pages.join("p2.html"), page(WIRE)).unwrap();
    std::fs::write(pages.join("p3.html"), page(OTHER)).unwrap();
    let (from_folder, _, report) = run(&pages, &config(2));
    assert_eq!(report.unwrap().added, 3);
    let pairs: Vec<&str> = from_folder.lines().collect();
    assert_eq!(pairs.len(), 1, "{from_folder}");

    let jsonl = dir.path().join("pages.jsonl");
    let line =
        |id: &str, text: &str| serde_json::json!({ "id": id, "html": page(text) }).to_string();
    std::fs::write(
        &jsonl,
        [line("p1", WIRE), line("p2", WIRE), line("p3", OTHER)].join("\n"),
    )
    .unwrap();
    let (from_jsonl, _, report) = run(&jsonl, &config(2));
    assert_eq!(report.unwrap().added, 3);
    // Same relation and score whichever way the pages came in.
    let tail = |l: &str| l.split('\t').skip(2).collect::<Vec<_>>().join("\t");
    let jsonl_pairs: Vec<&str> = from_jsonl.lines().collect();
    assert_eq!(jsonl_pairs.len(), 1, "{from_jsonl}");
    assert_eq!(tail(pairs[0]), tail(jsonl_pairs[0]));
}

#[test]
fn nothing_readable_is_an_error_naming_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.jsonl");
    std::fs::write(&input, "{\"id\": 1}\nnot json\n").unwrap();
    let (tsv, notices, report) = run(&input, &config(1));
    assert!(tsv.is_empty());
    assert_eq!(notices.len(), 2, "{notices:?}");
    let err = report.unwrap_err();
    assert!(matches!(
        err,
        DedupRunError::NothingRead { rejected: 2, .. }
    ));
    assert!(err.to_string().contains("bad.jsonl: no readable articles"));

    let missing = dir.path().join("missing.jsonl");
    let (_, _, report) = run(&missing, &config(1));
    let err = report.unwrap_err();
    assert!(err.to_string().contains("missing.jsonl"), "{err}");
}

#[test]
fn a_failing_sink_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.jsonl");
    let lines: Vec<String> = (0..2000).map(|i| record(&format!("w{i}"), WIRE)).collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let mut failing = |_: &parallax_dedup::Index, _: &[parallax_dedup::Pair]| {
        Err(std::io::Error::other("disk full"))
    };
    let err = dedup_path(&input, &config(2), &mut failing, &|_| {}).unwrap_err();
    assert!(matches!(err, DedupRunError::Output(_)), "{err}");
}
