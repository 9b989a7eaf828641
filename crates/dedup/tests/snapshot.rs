//! An index serialized and read back goes on exactly as the original.

use parallax_dedup::{Added, DocInput, Index};

fn text(i: usize) -> String {
    (0..120)
        .map(|w| format!("t{}w{}", (i * 7 + w) % 300, w % 11))
        .collect::<Vec<_>>()
        .join(" ")
}

fn pairs(index: &mut Index, id: &str, body: &str) -> Vec<(u32, u32)> {
    match index.add_doc(id, &DocInput::text(body)).expect("valid id") {
        Added::New { pairs, .. } => pairs.iter().map(|p| (p.copy, p.original)).collect(),
        Added::Known(_) => panic!("{id} is new"),
    }
}

#[test]
fn a_restored_index_finds_the_same_pairs() {
    let mut index = Index::default();
    for i in 0..400 {
        pairs(&mut index, &format!("a{i}"), &text(i % 150));
    }
    let bytes = postcard::to_stdvec(&index).expect("serializes");
    let mut restored: Index = postcard::from_bytes(&bytes).expect("reads back");
    let (a, b) = (restored.stats(), index.stats());
    assert_eq!((a.docs, a.live, a.postings), (b.docs, b.live, b.postings));
    for i in 400..500 {
        let body = text(i % 170);
        let id = format!("a{i}");
        assert_eq!(
            pairs(&mut restored, &id, &body),
            pairs(&mut index, &id, &body)
        );
    }
    assert_eq!(restored.lookup("a3"), index.lookup("a3"));
}

#[test]
fn a_damaged_state_is_refused_not_used() {
    let mut index = Index::default();
    for i in 0..50 {
        pairs(&mut index, &format!("a{i}"), &text(i));
    }
    let bytes = postcard::to_stdvec(&index).expect("serializes");
    for cut in [1, bytes.len() / 3, bytes.len() - 1] {
        assert!(
            postcard::from_bytes::<Index>(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
}
