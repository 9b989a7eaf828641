//! Partial reuse: an outlet running the first half of a wire story under
//! its own opening paragraphs and a footer is a copy; a trimmed, edited
//! copy inside the outlet's own text (40-60% of it shared) is a copy; an
//! article about the same event written separately (same names, same
//! quote) is not. Every case is checked under several hash seeds, so a
//! result does not rest on one lucky sample.

use parallax_dedup::direction::Rule;
use parallax_dedup::{Added, Config, DocInput, Index, Pair, Relation};

/// A wire story about a (made-up) flood, in six paragraphs.
const WIRE: [&str; 6] = [
    "RIVERTON (Wire) - Officials in the river town of Riverton closed the old \
     Harbor Street bridge on Tuesday after floodwater scoured the soil around \
     two of its stone piers, cutting the main road between the town centre \
     and the hospital on the east bank.",
    "Engineers who inspected the span at dawn found cracks running through \
     the northern pier and said the structure could shift without warning if \
     the water kept rising through the week, as forecasters expect.",
    "\"We are not going to gamble with anyone's life for the sake of a shorter \
     drive,\" said Mayor Helen Ortiz, who watched the inspection from the \
     riverbank with members of the town council and the county fire chief.",
    "Ambulances will be routed over the motorway crossing eleven miles to the \
     south, adding about twenty minutes to emergency trips, and the county has \
     asked a private ferry operator to carry nurses and doctors across the \
     river during the morning and evening shift changes.",
    "The bridge, built of granite blocks in 1887, carries some nine thousand \
     vehicles a day. A repair plan drawn up two years ago was shelved when \
     the state legislature cut the money for rural infrastructure in its \
     spring budget, records show.",
    "Shop owners along Harbor Street said the closure would cost them most of \
     their trade for the season. The river is expected to crest on Thursday \
     night, two feet above the level reached in the floods of 2011, according \
     to the national weather service.",
];

/// The copying outlet's own opening paragraphs.
const OWN_INTRO: [&str; 2] = [
    "Families on the east side of Riverton woke on Tuesday to find their \
     quickest way into town blocked by police tape and a line of orange \
     barriers, as the worst flooding in a decade kept climbing the walls of \
     the valley.",
    "Our reporter spoke to parents outside the primary school, several of \
     whom said they had not been told how their children would reach classes \
     on the far bank while the crossing stays shut.",
];

/// More of the outlet's own text, for the trimmed copy.
const OWN_MORE: [&str; 3] = [
    "Local volunteers filled sandbags in the car park of the leisure centre \
     through the afternoon, and a church hall on Mill Lane opened its doors to \
     anyone who needed a warm meal or a place to charge a phone.",
    "Readers have sent us photographs of the water lapping at the steps of \
     the old customs house, where a plaque marks the height of the great \
     flood of 1947 a full metre higher still.",
    "The council said it would publish a list of alternative bus routes on \
     its website by the end of the day and urged drivers to stay away from \
     the riverside roads after dark.",
];

/// The same event reported separately by another outlet: the same names,
/// the same quote, its own prose.
const SAME_EVENT: &str = "Riverton shuts historic bridge as river rises\n\
    A nineteenth century stone bridge at the heart of Riverton was shut to \
    traffic on Tuesday morning, when inspectors warned that rushing water had \
    undermined its foundations.\n\
    Mayor Helen Ortiz ordered the closure within an hour of the report. \
    \"We are not going to gamble with anyone's life for the sake of a shorter \
    drive,\" she told reporters, standing beside the fire chief.\n\
    The decision leaves patients and staff of the east bank hospital facing a \
    long detour by the motorway, and the county is arranging a boat service \
    for health workers until the crossing reopens.\n\
    Money to strengthen the Harbor Street bridge was promised in 2022 but \
    never arrived after lawmakers trimmed spending on country roads. \
    Businesses near the span fear a lost summer, while meteorologists say \
    the flood peak will arrive late on Thursday and may beat the record set \
    thirteen years ago.";

/// The seeds every case is checked under.
const SEEDS: std::ops::Range<u64> = 0..8;

fn index(seed: u64) -> Index {
    let mut config = Config::default();
    config.sketch.seed = seed;
    Index::new(config)
}

fn dated(text: &str, minutes: i64) -> DocInput<'_> {
    DocInput {
        published: Some(1_700_000_000 + minutes * 60),
        ..DocInput::text(text)
    }
}

fn pairs_of(index: &mut Index, id: &str, doc: &DocInput<'_>) -> Vec<Pair> {
    match index.add_doc(id, doc).expect("a valid id") {
        Added::New { pairs, .. } => pairs,
        Added::Known(_) => panic!("{id} is new"),
    }
}

/// The pairs between `wire` (added first, dated first) and `other` (added
/// and dated later), as (copy id, original id, relation).
fn pairs_with_wire(seed: u64, wire: &str, other: &str) -> Vec<(String, String, Relation)> {
    let mut index = index(seed);
    assert!(pairs_of(&mut index, "wire", &dated(wire, 0)).is_empty());
    pairs_of(&mut index, "other", &dated(other, 90))
        .into_iter()
        .map(|p| {
            (
                index.id(p.copy).to_string(),
                index.id(p.original).to_string(),
                p.relation,
            )
        })
        .collect()
}

#[test]
fn a_wire_lead_under_an_outlets_own_intro_is_a_copy() {
    let wire = WIRE.join("\n");
    // Both own paragraphs, then the first half of the story, then a footer.
    let repost = [
        OWN_INTRO.join("\n"),
        WIRE[..3].join("\n"),
        "Copyright 2024 Valley Courier. All rights reserved.".to_string(),
    ]
    .join("\n");
    for seed in SEEDS {
        let pairs = pairs_with_wire(seed, &wire, &repost);
        assert_eq!(
            pairs,
            [(
                "other".to_string(),
                "wire".to_string(),
                Relation::Syndicated
            )],
            "seed {seed}"
        );
    }
}

#[test]
fn a_trimmed_edited_copy_inside_own_text_is_a_copy() {
    let wire = WIRE.join("\n");
    // Paragraphs 1, 2 and 4 of the story (3 dropped, 5 and 6 cut), one word
    // changed, the outlet's own paragraphs around them: about half of the
    // copy is the story's text.
    let edited = WIRE[3].replace("eleven miles", "a dozen miles");
    let copy = [
        OWN_INTRO[0],
        WIRE[0],
        OWN_MORE[0],
        WIRE[1],
        OWN_MORE[1],
        &edited,
        OWN_MORE[2],
    ]
    .join("\n");
    for seed in SEEDS {
        let pairs = pairs_with_wire(seed, &wire, &copy);
        assert_eq!(pairs.len(), 1, "seed {seed}: {pairs:?}");
        assert_eq!(
            (pairs[0].0.as_str(), pairs[0].1.as_str()),
            ("other", "wire")
        );
    }
}

#[test]
fn the_same_event_written_separately_is_not_a_copy() {
    let wire = WIRE.join("\n");
    for seed in SEEDS {
        let pairs = pairs_with_wire(seed, &wire, SAME_EVENT);
        assert!(pairs.is_empty(), "seed {seed}: {pairs:?}");
    }
}

#[test]
fn the_outlets_own_text_alone_is_not_a_copy() {
    // The copying outlet's own paragraphs share no prose with the story.
    let wire = WIRE.join("\n");
    let own = [OWN_INTRO.join("\n"), OWN_MORE.join("\n")].join("\n");
    for seed in SEEDS {
        assert!(pairs_with_wire(seed, &wire, &own).is_empty(), "seed {seed}");
    }
}

#[test]
fn copies_are_still_found_after_older_articles_are_evicted() {
    // Eviction drops the old articles' samples and moves the others: the
    // wire story indexed after them must still be matched on all of its
    // samples.
    let wire = WIRE.join("\n");
    let repost = [OWN_INTRO.join("\n"), WIRE[..3].join("\n")].join("\n");
    for seed in SEEDS {
        let mut index = index(seed);
        for (i, text) in OWN_MORE.iter().enumerate() {
            pairs_of(&mut index, &format!("old{i}"), &dated(text, i as i64));
        }
        pairs_of(&mut index, "same-event", &dated(SAME_EVENT, 5));
        pairs_of(&mut index, "wire", &dated(&wire, 1_000));
        assert_eq!(index.evict_before(1_700_000_000 / 60 + 100), 4);
        let pairs = pairs_of(&mut index, "repost", &dated(&repost, 1_090));
        let named: Vec<(&str, &str)> = pairs
            .iter()
            .map(|p| (index.id(p.copy), index.id(p.original)))
            .collect();
        assert_eq!(named, [("repost", "wire")], "seed {seed}");
    }
}

/// The pair between two undated articles added in this order, as (copy id,
/// original id, rule).
fn undated_pair(seed: u64, first: (&str, &str), second: (&str, &str)) -> (String, String, Rule) {
    let mut index = index(seed);
    assert!(pairs_of(&mut index, first.0, &DocInput::text(first.1)).is_empty());
    let pairs = pairs_of(&mut index, second.0, &DocInput::text(second.1));
    assert_eq!(pairs.len(), 1, "seed {seed}: {pairs:?}");
    let p = pairs[0];
    (
        index.id(p.copy).to_string(),
        index.id(p.original).to_string(),
        p.rule.expect("a direct pair"),
    )
}

/// Checks the direction of an undated pair under every seed and in both
/// arrival orders.
fn assert_direction(original: &str, copy: &str, rule: Rule) {
    for seed in SEEDS {
        for (first, second) in [
            (("original", original), ("copy", copy)),
            (("copy", copy), ("original", original)),
        ] {
            let got = undated_pair(seed, first, second);
            assert_eq!(
                got,
                ("copy".to_string(), "original".to_string(), rule),
                "seed {seed}, {} first",
                first.0
            );
        }
    }
}

#[test]
fn an_undated_intro_copy_longer_than_its_original_is_the_copy() {
    // The original is the story's first four paragraphs; the copy runs its
    // first three under two paragraphs of its own, so it is the longer text
    // and length alone would call it the original.
    let original = WIRE[..4].join("\n");
    let copy = [
        OWN_INTRO.join("\n"),
        WIRE[..3].join("\n"),
        "Copyright 2024 Valley Courier. All rights reserved.".to_string(),
    ]
    .join("\n");
    assert!(copy.split_whitespace().count() > original.split_whitespace().count() + 20);
    assert_direction(&original, &copy, Rule::Opening);
}

#[test]
fn openings_are_compared_on_match_keys() {
    // Both texts lowercased and unpunctuated (a feed that delivers every
    // article that way): the openings still match word for word.
    let degrade = |t: &str| {
        t.to_lowercase()
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '\n' {
                    c
                } else {
                    ' '
                }
            })
            .collect::<String>()
    };
    let original = degrade(&WIRE[..4].join("\n"));
    let copy = degrade(&[OWN_INTRO.join("\n"), WIRE[..3].join("\n")].join("\n"));
    assert_direction(&original, &copy, Rule::Opening);
}

#[test]
fn copies_that_start_where_the_original_starts_are_left_to_length() {
    // A copy cut short, and the same copy under a promo line (boilerplate:
    // not part of its opening), carry the original's opening and their own
    // opening is the original's: the opening rule does not decide, the
    // fuller text does.
    let original = WIRE.join("\n");
    let cut = WIRE[..4].join("\n");
    assert_direction(&original, &cut, Rule::Fuller);
    let promo = format!("READ: Ten things to know about the valley floods\n{cut}");
    assert_direction(&original, &promo, Rule::Fuller);
}

#[test]
fn near_duplicates_are_not_decided_by_openings() {
    // One word changed in the last paragraph: both openings are carried,
    // the lengths are equal, arrival decides.
    let original = WIRE.join("\n");
    let copy = original.replace("national weather service", "national weather agency");
    for seed in SEEDS {
        let (copy_id, _, rule) = undated_pair(seed, ("original", &original), ("copy", &copy));
        assert_eq!(
            (copy_id.as_str(), rule),
            ("copy", Rule::Arrival),
            "seed {seed}"
        );
        let (copy_id, _, rule) = undated_pair(seed, ("copy", &copy), ("original", &original));
        assert_eq!(
            (copy_id.as_str(), rule),
            ("original", Rule::Arrival),
            "seed {seed}"
        );
    }
}
