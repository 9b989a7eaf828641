//! Who copied whom.
//!
//! For a detected pair, the original is decided by the first rule that
//! tells the two apart:
//!
//! 1. **Publication time**: the one published earlier, when both have a
//!    date and the dates differ.
//! 2. **Wire outlet**: the one published by a news agency (its source or
//!    URL host names Reuters, AP, AFP, Bloomberg...), when only one is.
//! 3. **Wire credit**: the one whose dateline or closing line credits an
//!    agency ("WASHINGTON (Reuters) -", "- Bloomberg"), when only one does:
//!    copies often strip the credit, originals keep it.
//! 4. **Degraded copy**: when only one of the two has lost its case and
//!    punctuation, the other is the original: a copy can drop them, nobody
//!    adds them back.
//! 5. **Opening carried**: the one whose opening the other carries, when
//!    the other's opening is not carried back. An outlet that runs a wire
//!    story under its own intro carries the story's first sentences inside
//!    its text, while its own first sentences are nowhere in the story; so
//!    the copy can be the longer text and still be told apart. Openings are
//!    compared on the sampled shingles of each text's first few content
//!    words ([`crate::sketch::Sketch::opening`]), which the index keeps as
//!    one bit per sample: near-duplicates and copies that start where the
//!    original starts carry each other's openings and fall through.
//! 6. **Fuller text**: the longer text (a syndicated copy carries a part of
//!    it; an edited copy is usually cut, not padded: outlet boilerplate is
//!    removed by ingestion's cleaning first). Near-duplicates must differ by
//!    more than a few words for length to count. Length is counted without
//!    boilerplate lines ([`crate::boilerplate`]).
//! 7. **Arrival**: the one seen first.
//!
//! A copy chain (C copies B, B copies A) resolves to its root: the index
//! keeps, for every article, the original it was found to copy, and pairs
//! are reported against the root as well (see [`crate::Index`]).

use parallax_text::normalize::match_key;

use crate::relation::Relation;
use crate::shingle::hash_bytes;

/// The article was published by a news agency.
pub const WIRE_OUTLET: u8 = 1;
/// The article's text credits a news agency in its dateline or last line.
pub const WIRE_CREDIT: u8 = 2;
/// The article's time is its publication date (not its indexing time).
pub const DATED: u8 = 4;
/// The article was evicted from the index.
pub const EVICTED: u8 = 8;
/// The article's text has lost its case and punctuation (seed 001's
/// copy format, [`parallax_text::shape::is_degraded`]).
pub const DEGRADED: u8 = 16;

/// Agency names, as match-key words.
const AGENCIES: &[&str] = &[
    "reuters",
    "ap",
    "apnews",
    "afp",
    "bloomberg",
    "xinhua",
    "upi",
    "dpa",
    "aap",
    "efe",
    "ansa",
    "kyodo",
    "tass",
    "pti",
    "ians",
    "yonhap",
    "bernama",
    "anadolu",
];
/// Two-word agency names.
const AGENCY_PAIRS: &[(&str, &str)] = &[("associated", "press"), ("france", "presse")];

/// Words at the start of a text searched for a credit (the dateline).
const DATELINE_WORDS: usize = 12;
/// Words at the end of a text searched for a credit.
const CLOSING_WORDS: usize = 20;

/// The facts about one article that direction looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Minutes since 1970 of its publication (or, without [`DATED`], of
    /// its indexing).
    pub time: i32,
    /// [`WIRE_OUTLET`], [`WIRE_CREDIT`], [`DATED`] bits.
    pub flags: u8,
    /// Words of text.
    pub words: u32,
    /// Arrival order in the index.
    pub arrival: u32,
}

/// How much of one article's opening the other article of a pair
/// carries, counted on samples under the pair's common threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carried {
    /// The article's opening samples.
    pub opening: u32,
    /// How many of them the other article shares.
    pub shared: u32,
}

impl Carried {
    /// More than half of the opening is carried.
    fn mostly(&self) -> bool {
        self.opening > 0 && 2 * self.shared > self.opening
    }

    /// Less than half of the opening is carried.
    fn hardly(&self) -> bool {
        self.opening > 0 && 2 * self.shared < self.opening
    }
}

/// Whose opening a pair carries, both ways.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Openings {
    /// The first article's opening, as found in the second.
    pub a_in_b: Carried,
    /// The second article's opening, as found in the first.
    pub b_in_a: Carried,
}

/// Which article of a pair is the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Original {
    /// The first one given.
    A,
    /// The second one given.
    B,
}

/// The rule that decided a direction (for reports and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Earlier publication.
    Date,
    /// Agency outlet.
    WireOutlet,
    /// Longer text.
    Fuller,
    /// Agency credit in the text.
    WireCredit,
    /// The other one lost its case and punctuation.
    Degraded,
    /// Its opening is carried by the other, not the other way round.
    Opening,
    /// Seen first.
    Arrival,
}

impl Rule {
    /// A short lowercase name, for reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::WireOutlet => "wire-outlet",
            Self::WireCredit => "wire-credit",
            Self::Degraded => "degraded",
            Self::Opening => "opening",
            Self::Fuller => "fuller",
            Self::Arrival => "arrival",
        }
    }
}

/// Decides which of `a` and `b` is the original, and by which rule.
pub fn original(a: &Facts, b: &Facts, relation: Relation, openings: &Openings) -> (Original, Rule) {
    let pick = |a_wins: bool| if a_wins { Original::A } else { Original::B };
    if a.flags & DATED != 0 && b.flags & DATED != 0 && a.time != b.time {
        return (pick(a.time < b.time), Rule::Date);
    }
    let (aw, bw) = (a.flags & WIRE_OUTLET != 0, b.flags & WIRE_OUTLET != 0);
    if aw != bw {
        return (pick(aw), Rule::WireOutlet);
    }
    let (ac, bc) = (a.flags & WIRE_CREDIT != 0, b.flags & WIRE_CREDIT != 0);
    if ac != bc {
        return (pick(ac), Rule::WireCredit);
    }
    let (ad, bd) = (a.flags & DEGRADED != 0, b.flags & DEGRADED != 0);
    if ad != bd {
        return (pick(bd), Rule::Degraded);
    }
    let (a_carried, b_carried) = (openings.a_in_b, openings.b_in_a);
    if a_carried.mostly() && b_carried.hardly() {
        return (Original::A, Rule::Opening);
    }
    if b_carried.mostly() && a_carried.hardly() {
        return (Original::B, Rule::Opening);
    }
    let (long, short) = (a.words.max(b.words), a.words.min(b.words));
    let fuller_margin = match relation {
        Relation::Syndicated => short / 20,
        _ => (short / 20).max(8),
    };
    if long > short + fuller_margin {
        return (pick(a.words > b.words), Rule::Fuller);
    }
    (pick(a.arrival <= b.arrival), Rule::Arrival)
}

/// Hashes of the agency names, as [`crate::shingle::words`] hashes them.
#[derive(Debug, Clone)]
pub struct Agencies {
    single: Vec<u64>,
    pairs: Vec<(u64, u64)>,
    /// One bit per value of a hash's top byte, set for the names and the
    /// first words of the two-word names: most words are ruled out by one
    /// bit test instead of a scan of the lists.
    filter: [u64; 4],
}

impl Default for Agencies {
    fn default() -> Self {
        let h = |w: &str| hash_bytes(w.as_bytes());
        let single: Vec<u64> = AGENCIES.iter().map(|w| h(w)).collect();
        let pairs: Vec<(u64, u64)> = AGENCY_PAIRS.iter().map(|(a, b)| (h(a), h(b))).collect();
        let mut filter = [0u64; 4];
        for &w in single.iter().chain(pairs.iter().map(|(a, _)| a)) {
            let b = (w >> 56) as usize;
            filter[b / 64] |= 1 << (b % 64);
        }
        Self {
            single,
            pairs,
            filter,
        }
    }
}

impl Agencies {
    fn names(&self, words: &[u64]) -> bool {
        words.iter().enumerate().any(|(i, &w)| {
            let b = (w >> 56) as usize;
            self.filter[b / 64] & (1 << (b % 64)) != 0
                && (self.single.contains(&w)
                    || words
                        .get(i + 1)
                        .is_some_and(|&next| self.pairs.contains(&(w, next))))
        })
    }

    /// True when the dateline or the closing words of a text (its word
    /// hashes) name an agency.
    pub fn credited(&self, words: &[u64]) -> bool {
        let head = &words[..words.len().min(DATELINE_WORDS)];
        let tail = &words[words.len().saturating_sub(CLOSING_WORDS)..];
        self.names(head) || self.names(tail)
    }

    /// True when an outlet name or URL host names an agency.
    pub fn outlet(&self, source: Option<&str>, url: Option<&str>) -> bool {
        let host = url
            .and_then(|u| u.split_once("://").map(|(_, r)| r))
            .map(|r| {
                let host = r.split(['/', '?', '#']).next().unwrap_or("");
                host.rsplit_once('@').map_or(host, |(_, h)| h)
            });
        [source, host].into_iter().flatten().any(|s| {
            let words: Vec<u64> = match_key(s)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(|w| hash_bytes(w.as_bytes()))
                .collect();
            self.names(&words)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shingle::{Words, words};

    fn facts(time: i32, flags: u8, n: u32, arrival: u32) -> Facts {
        Facts {
            time,
            flags,
            words: n,
            arrival,
        }
    }

    const NONE: Openings = Openings {
        a_in_b: Carried {
            opening: 0,
            shared: 0,
        },
        b_in_a: Carried {
            opening: 0,
            shared: 0,
        },
    };

    fn carried(a: (u32, u32), b: (u32, u32)) -> Openings {
        Openings {
            a_in_b: Carried {
                opening: a.0,
                shared: a.1,
            },
            b_in_a: Carried {
                opening: b.0,
                shared: b.1,
            },
        }
    }

    #[test]
    fn rules_apply_in_order() {
        let original = |a: &Facts, b: &Facts, r| original(a, b, r, &NONE);
        let r = Relation::NearDuplicate;
        let a = facts(100, DATED, 300, 5);
        let b = facts(50, DATED, 300, 9);
        assert_eq!(original(&a, &b, r), (Original::B, Rule::Date));
        let a = facts(100, DATED | WIRE_OUTLET, 300, 5);
        let b = facts(100, DATED, 300, 1);
        assert_eq!(original(&a, &b, r), (Original::A, Rule::WireOutlet));
        let a = facts(0, 0, 150, 1);
        let b = facts(0, 0, 300, 2);
        assert_eq!(
            original(&a, &b, Relation::Syndicated),
            (Original::B, Rule::Fuller)
        );
        let a = facts(0, 0, 600, 1);
        let b = facts(0, WIRE_CREDIT, 302, 2);
        assert_eq!(original(&a, &b, r), (Original::B, Rule::WireCredit));
        let a = facts(0, DEGRADED, 600, 1);
        let b = facts(0, 0, 300, 2);
        assert_eq!(original(&a, &b, r), (Original::B, Rule::Degraded));
        let a = facts(0, 0, 300, 3);
        let b = facts(0, 0, 300, 2);
        assert_eq!(original(&a, &b, r), (Original::B, Rule::Arrival));
    }

    #[test]
    fn the_opening_carried_one_way_decides_before_length() {
        let syn = Relation::Syndicated;
        // `b` runs `a`'s opening under its own intro and is longer.
        let a = facts(0, 0, 150, 2);
        let b = facts(0, 0, 300, 1);
        let intro = carried((4, 4), (3, 0));
        assert_eq!(original(&a, &b, syn, &intro), (Original::A, Rule::Opening));
        let swapped = carried((3, 0), (4, 4));
        assert_eq!(
            original(&b, &a, syn, &swapped),
            (Original::B, Rule::Opening)
        );
        // Both openings carried (near-duplicates, a copy cut at the end):
        // length decides, then arrival.
        let both = carried((4, 4), (3, 3));
        assert_eq!(original(&a, &b, syn, &both), (Original::B, Rule::Fuller));
        let same = facts(0, 0, 300, 2);
        assert_eq!(
            original(&same, &b, Relation::NearDuplicate, &both),
            (Original::B, Rule::Arrival)
        );
        // Neither carried (an excerpt from the middle), half carried, or
        // no opening sample under the common threshold: no decision.
        for o in [
            carried((4, 0), (3, 0)),
            carried((4, 2), (3, 0)),
            carried((4, 4), (0, 0)),
            carried((4, 4), (2, 1)),
        ] {
            assert_eq!(original(&a, &b, syn, &o), (Original::B, Rule::Fuller));
        }
        // Dates come first: a dated later article is the copy whatever it
        // carries.
        let a = facts(200, DATED, 150, 2);
        let b = facts(100, DATED, 300, 1);
        assert_eq!(original(&a, &b, syn, &intro), (Original::B, Rule::Date));
    }

    #[test]
    fn finds_agency_credits_and_outlets() {
        let ag = Agencies::default();
        let mut w = Words::default();
        words(
            "WASHINGTON/BEIJING (Reuters) - U.S. President Donald Trump",
            &mut w,
        );
        assert!(ag.credited(&w.hashes));
        words(
            "8 min read washington beijing reuters u s president",
            &mut w,
        );
        assert!(ag.credited(&w.hashes));
        words("Reporting by the Associated Press", &mut w);
        assert!(ag.credited(&w.hashes));
        words(
            "US President Donald Trump has said he will help save ZTE",
            &mut w,
        );
        assert!(!ag.credited(&w.hashes));
        assert!(ag.outlet(None, Some("http://bigstory.ap.org/article/x")));
        assert!(ag.outlet(Some("Reuters"), None));
        assert!(!ag.outlet(Some("BBC"), Some("https://www.bbc.co.uk/news/ap-story")));
    }
}
