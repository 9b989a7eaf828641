//! `parallax run` under `kill -9`: a run killed at any moment and then
//! restarted ends with exactly the store an uninterrupted run writes (same
//! articles in the same order, same story ids and assignments, same story
//! events, merges included, same briefs), and every store a kill leaves
//! behind is a prefix of it made of whole batches.
//!
//! Kill points are drawn from a seeded generator (`PARALLAX_CRASH_SEED`
//! picks another sequence) and spread over the whole run: kill point `k` of
//! 20 waits until the store holds about `k/20` of the articles, then a
//! random part of one batch's time more, so most kills land in the middle
//! of a batch (and some in the restart's replay).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use parallax_model::{Brief, StoryEvent, StoryEventKind, StoryId};
use parallax_store::{Store, StoreError, StoredArticle, StoryRow};

/// Kill points the test must land (each on a live process).
const KILLS: usize = 20;
/// Articles per transaction: small, so a few hundred articles make many
/// batches and the kills fall at many different resume points.
const BATCH: usize = 40;

/// xorshift64*: enough randomness for kill points, and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Everything a store holds that a run decides (timestamps of writing
/// excluded: they are wall-clock, not content).
struct Snapshot {
    articles: Vec<StoredArticle>,
    stories: Vec<StoryRow>,
    briefs: Vec<(StoryId, Brief)>,
    /// Every story event but its clock.
    events: Vec<StoryEvent>,
    /// Absorbed story -> the story it was merged into.
    merged: HashMap<StoryId, StoryId>,
}

impl Snapshot {
    /// The story `story` is part of at the end of this store's stream.
    fn last(&self, story: &StoryId) -> StoryId {
        let mut story = story;
        while let Some(next) = self.merged.get(story) {
            story = next;
        }
        story.clone()
    }
}

fn snapshot(db: &Path) -> Snapshot {
    let store = Store::open_reader(db).expect("open the store");
    let articles = store.articles().expect("read articles");
    let stories = store.stories().expect("read stories");
    let briefs = stories
        .iter()
        .map(|s| {
            let brief = store.brief(&s.id).expect("read a brief").expect("stored");
            (s.id.clone(), brief)
        })
        .collect();
    let mut events = store.events_after(0).expect("read events");
    let mut merged = HashMap::new();
    for e in &mut events {
        e.at.clear();
        if let StoryEventKind::Merged { from } = &e.kind {
            merged.insert(from.clone(), e.story.clone());
        }
    }
    Snapshot {
        articles,
        stories,
        briefs,
        events,
        merged,
    }
}

/// Whether the store's schema is in place: a kill during the first run's
/// migrations leaves a file a reader refuses (an older schema version).
fn created(db: &Path) -> bool {
    match Store::open_reader(db) {
        Err(StoreError::Corrupt { what, .. }) if what.starts_with("schema version") => false,
        _ => db.exists(),
    }
}

fn stored_count(db: &Path) -> usize {
    if !db.exists() {
        return 0;
    }
    // The writer may be creating the file; a failed look is "nothing yet".
    Store::open_reader(db)
        .and_then(|s| s.article_count())
        .map_or(0, |n| n as usize)
}

fn run_cmd(db: &Path, inputs: &[PathBuf]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parallax"));
    cmd.arg("run")
        .arg("--db")
        .arg(db)
        .args(["--quiet", "--json", "--batch-size", &BATCH.to_string()])
        .args(inputs)
        .env_remove("PARALLAX_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Compares a store left by a kill with the reference: the same first `n`
/// articles, ending on a batch boundary, each in a story that the
/// reference's later merges (if any) lead to the reference's story; the
/// same events so far.
fn assert_prefix(crashed: &Snapshot, reference: &Snapshot, kill: usize) {
    let n = crashed.articles.len();
    assert!(
        n.is_multiple_of(BATCH) || n == reference.articles.len(),
        "kill {kill}: {n} articles stored, not a whole number of batches of {BATCH}"
    );
    for (i, (a, b)) in crashed.articles.iter().zip(&reference.articles).enumerate() {
        assert!(
            a.seq == b.seq
                && a.article == b.article
                && a.content_hash == b.content_hash
                && reference.last(&a.story) == b.story,
            "kill {kill}: stored article {i} ({}) differs from the reference ({})",
            a.article.id,
            b.article.id
        );
    }
    let m = crashed.events.len();
    assert!(
        m <= reference.events.len() && crashed.events == reference.events[..m],
        "kill {kill}: the story events are not a prefix of the reference's"
    );
}

fn assert_same(got: &Snapshot, want: &Snapshot, chain: usize) {
    assert_eq!(
        got.articles.len(),
        want.articles.len(),
        "chain {chain}: article count"
    );
    assert_prefix(got, want, chain);
    assert_eq!(
        got.events.len(),
        want.events.len(),
        "chain {chain}: event count"
    );
    assert_eq!(
        got.stories, want.stories,
        "chain {chain}: story ids, titles or assignments differ"
    );
    for ((id, a), (_, b)) in got.briefs.iter().zip(&want.briefs) {
        assert!(a == b, "chain {chain}: brief of {id} differs");
    }
}

#[test]
fn killed_runs_resume_to_the_uninterrupted_store() {
    let Some(shared) = common::shared() else {
        return;
    };
    let stories = shared.join("data/stories");
    let inputs = vec![
        stories.join("ecbplus-dev.jsonl"),
        stories.join("neus-val.jsonl"),
    ];
    if let Some(missing) = inputs.iter().find(|p| !p.is_file()) {
        assert!(
            std::env::var_os("PARALLAX_REQUIRE_SHARED").is_none(),
            "../shared is required here (PARALLAX_REQUIRE_SHARED is set) but data is missing"
        );
        eprintln!("note: {} is missing; test skipped", missing.display());
        return;
    }
    let seed: u64 = std::env::var("PARALLAX_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_c4a5_4b11_0001);
    eprintln!("kill points from seed {seed} (set PARALLAX_CRASH_SEED to change)");
    let mut rng = Rng(seed | 1);
    let dir = tempfile::tempdir().unwrap();

    // The reference: one uninterrupted run.
    let reference_db = dir.path().join("reference.db");
    let started = Instant::now();
    let status = run_cmd(&reference_db, &inputs).status().unwrap();
    let full = started.elapsed();
    assert!(status.success(), "the reference run failed");
    let reference = snapshot(&reference_db);
    let total = reference.articles.len();
    assert!(total > 10 * BATCH, "only {total} articles stored");
    // With the default configuration these texts hold merges, so resumed
    // runs must replay them (and a kill may fall on one).
    assert!(
        !reference.merged.is_empty(),
        "no merge in the reference run: the test would not check merge replay"
    );
    let batch_time = full.mul_f64(BATCH as f64 / total as f64);
    eprintln!(
        "reference: {total} articles, {} stories ({} merged into others) in {full:.1?}",
        reference.stories.len(),
        reference.merged.len()
    );

    // Kill point k waits for about k/KILLS of the articles; a chain of
    // restarts on one store takes kill points in order until a run
    // finishes on its own, then is compared and a fresh chain begins.
    let mut targets: Vec<usize> = (0..KILLS)
        // The last batch is left out: a run that far along usually ends
        // before its kill, and a chain that ends starts again from nothing.
        .map(|k| ((k as f64 + rng.unit()) / KILLS as f64 * (total - BATCH) as f64) as usize)
        .collect();
    targets.reverse();
    let mut kills = 0usize;
    let mut chain = 0usize;
    let mut runs = 0usize;
    while kills < KILLS {
        chain += 1;
        let db = dir.path().join(format!("chain{chain}.db"));
        // Targets come in increasing order, so each run of a chain is
        // killed further into the input than the one before.
        while let Some(target) = targets.pop() {
            let mut child = run_cmd(&db, &inputs).spawn().unwrap();
            runs += 1;
            // Wait for the batch holding the target to be committed...
            let reached = target / BATCH * BATCH;
            let deadline = Instant::now() + full * 4 + Duration::from_secs(30);
            while stored_count(&db) < reached && child.try_wait().unwrap().is_none() {
                assert!(Instant::now() < deadline, "kill {kills}: the run stalled");
                std::thread::sleep(Duration::from_millis(5));
            }
            // ...then into the next one.
            std::thread::sleep(batch_time.mul_f64(rng.unit()));
            let alive = child.try_wait().unwrap().is_none();
            if alive {
                // SIGKILL: no destructor, no flush, no chance to commit.
                child.kill().unwrap();
            }
            let status = child.wait().unwrap();
            if !alive {
                assert!(status.success(), "chain {chain}: a resumed run failed");
                // This run finished before the kill: the target goes to
                // the next chain and this one is done.
                targets.push(target);
                break;
            }
            kills += 1;
            if !created(&db) {
                // Killed while the first run was still creating the store:
                // nothing was acknowledged, and the next run creates it.
                eprintln!("kill {kills} (chain {chain}): target {target}, store not created yet");
                continue;
            }
            let left = snapshot(&db);
            eprintln!(
                "kill {kills} (chain {chain}): target {target}, {} articles stored",
                left.articles.len()
            );
            assert_prefix(&left, &reference, kills);
        }
        // Restart to completion and compare the whole store.
        let out = run_cmd(&db, &inputs)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        runs += 1;
        assert!(
            out.status.success(),
            "chain {chain}: the final run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same(&snapshot(&db), &reference, chain);
        eprintln!("chain {chain}: same store as the reference");
    }
    eprintln!(
        "{kills} kills over {chain} chains and {runs} runs in {:.1?}",
        started.elapsed()
    );
}
