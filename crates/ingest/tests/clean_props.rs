//! Property test: in-article cleaning only moves text. Every word of the
//! input ends up in the kept body or in a removal, and neither holds a
//! word the input lacks.

use std::collections::BTreeSet;

use parallax_ingest::clean_body;
use proptest::prelude::*;

/// Lines shaped like article paragraphs and the boilerplate cleaning cuts
/// (promos, reading time, footers, repeated paragraphs).
fn article() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => "[A-Z][a-z]{2,8}( [a-z]{1,9}){3,25}[.!?]",
        1 => "READ: [A-Z][a-z]{2,8}( [a-z]{1,9}){2,6}",
        1 => "[0-9]{1,2} min read",
        1 => "(Reporting|Editing) by [A-Z][a-z]{2,8} [A-Z][a-z]{2,8}",
        1 => "(©|Copyright) 20[0-9]{2} [A-Z][a-z]{2,8}\\. All rights reserved\\.",
        1 => "[a-z]{1,9}( [a-z]{1,9}){10,40}",
        1 => Just(String::new()),
    ];
    prop::collection::vec(line, 1..30).prop_flat_map(|lines| {
        // Sometimes the whole text again, as pasted twice.
        (Just(lines), any::<bool>()).prop_map(|(lines, twice)| {
            let text = lines.join("\n");
            if twice {
                format!("{text}\n{text}")
            } else {
                text
            }
        })
    })
}

fn words(s: &str) -> BTreeSet<&str> {
    s.split_whitespace().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cleaning_loses_and_invents_nothing(text in article()) {
        let cleaned = clean_body(&text);
        let mut out: BTreeSet<&str> = words(&cleaned.body);
        for r in &cleaned.removed {
            out.extend(words(&r.text));
        }
        let input = words(&text);
        let lost: Vec<_> = input.difference(&out).collect();
        let invented: Vec<_> = out.difference(&input).collect();
        prop_assert!(lost.is_empty(), "lost {lost:?}");
        prop_assert!(invented.is_empty(), "invented {invented:?}");
    }
}

#[test]
fn the_generated_shapes_are_cut() {
    // The property above is only worth something if cleaning cuts the
    // boilerplate shapes it generates.
    let text = "8 min read\nThe council voted to close the bridge today.\n\
                READ: Ten best beaches of the summer\n\
                The works will last until spring, officials said.\n\
                Reporting by Jane Smith";
    let cleaned = clean_body(text);
    assert_eq!(cleaned.removed.len(), 3, "{:?}", cleaned.removed);
    assert!(!cleaned.body.contains("READ") && !cleaned.body.contains("Reporting"));
}
