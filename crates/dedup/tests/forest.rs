//! `Index::forest_pairs`: a text reposted many times keeps a linear number
//! of pairs, each copy still joined to its closest original and its root.

use parallax_dedup::{Added, DocInput, Index, Pair};

/// A wire text of about 200 distinct words.
fn wire() -> String {
    (0..200)
        .map(|i| format!("word{}x{}", i * 13 % 97, i))
        .collect::<Vec<_>>()
        .join(" ")
}

fn dated(text: &str, minutes: i64) -> DocInput<'_> {
    DocInput {
        published: Some(1_700_000_000 + minutes * 60),
        ..DocInput::text(text)
    }
}

fn added(index: &mut Index, id: &str, doc: &DocInput<'_>) -> (u32, Vec<Pair>) {
    match index.add_doc(id, doc).expect("a valid id") {
        Added::New { doc, pairs } => (doc, pairs),
        Added::Known(_) => panic!("{id} is new"),
    }
}

#[test]
fn reposts_keep_linear_pairs_all_rooted_at_the_first() {
    let text = wire();
    let mut index = Index::default();
    let n = 30;
    let (mut all, mut kept) = (0, Vec::new());
    for i in 0..n {
        let (doc, pairs) = added(&mut index, &format!("r{i}"), &dated(&text, i));
        all += pairs.len();
        let forest = index.forest_pairs(doc, &pairs);
        assert!(forest.len() <= 2, "arrival {i}: {forest:?}");
        if i > 0 {
            assert!(
                forest.iter().any(|p| p.copy == doc && p.original == 0),
                "arrival {i} keeps its pair with the first report: {forest:?}"
            );
        }
        kept.extend(forest);
    }
    assert_eq!(
        all,
        n as usize * (n as usize - 1) / 2,
        "every pair is found"
    );
    assert!(kept.len() < 2 * n as usize, "{} pairs kept", kept.len());
}

#[test]
fn an_earlier_copy_of_a_later_original_keeps_its_pair() {
    // The fuller text arrives second but is dated first: it is the
    // original of the article already indexed.
    let full = wire();
    let short: String = full.split(' ').take(150).collect::<Vec<_>>().join(" ");
    let mut index = Index::default();
    let (first, _) = added(&mut index, "copy", &dated(&short, 10));
    let (second, pairs) = added(&mut index, "original", &dated(&full, 0));
    let forest = index.forest_pairs(second, &pairs);
    assert_eq!(forest.len(), 1, "{pairs:?}");
    assert_eq!((forest[0].copy, forest[0].original), (first, second));
}
