//! Figures the sources give, grouped by what they measure, with
//! agreement and disagreement (English rules).
//!
//! **Reading a figure.** A number (`80,000`, `$1.1bn`, `25-30%`, `2.3
//! billion`, `seven`), a fraction before `of` (`a quarter of` = 25%,
//! `half of` = 50%), or, in caseless copy that lost its decimal point, `2 3
//! billion` (= 2.3 billion). Scale words and suffixes multiply (`bn`,
//! `million`); `%`, `percent` and `per cent` make a share, `25 percent to 30
//! percent` a range; a currency sign or word makes money (a figure in
//! brackets right after money is a conversion, `(£800m)`, and is skipped);
//! `years`, `months`, `days` make a duration (`seven-year` too). Years
//! (`2017`), dates (`May 13`), ordinals and codes (`5G`) are not figures.
//! A hedge before the figure is kept as its qualifier: `about`, `more
//! than` (`over`), `at least`, `nearly`, `less than`, `up to`.
//!
//! **What it measures.** A count is of the noun after it (modifiers such
//! as `US` skipped): `200 US companies`, `211 u s exporters`. Nouns that
//! mean the same thing share a label (companies, firms, suppliers and
//! exporters are `companies`); people who are employed are `employees`,
//! people killed `deaths`. Money is labelled by the nearest cue word
//! (`fined` -> `fine`, `spent` -> `spending`), a duration likewise (`banned`
//! -> `ban length`), a share by what it is a share of (`share of
//! components`). The subject is the nearest organisation or person named
//! before the figure in its sentence (`ZTE`).
//!
//! **Grouping.** Figures with the same label from different sources are
//! one fact when their sentences share enough rare words (figures
//! included), or when the label says exactly what is measured. One source
//! gives at most one distinct figure per fact.
//!
//! **A disagreement is a claim, not a label.** Two figures disagree only
//! when they are the same (subject, quantity, scope, time) claim and their
//! values cannot both be true:
//! * *same claim*: the same label, not a vague one (`people`, `amount`,
//!   `percentage`, `change`, `distance`); the same part or rate (`$281
//!   million in cash` is not the `$334 million` deal; `24 monthly
//!   payments`; `5 more people`; `$60bn of American goods` is not `$34bn in
//!   Chinese goods`); no two different named subjects; the same years when
//!   both name years (a 1997 sentence is not a 1959 one); both at the
//!   story's own time (a sentence naming only months or years that most
//!   sources do not is background: an earlier quake); no two disjoint
//!   places beyond those most sources name; neither a forecast or
//!   hypothetical (`economists expected`, `can cause`); neither ambiguous in
//!   its sentence (two figures of that label, or another plain number of
//!   like size: `2.5 million doses for Mexico and 1.5 million for Canada`);
//!   neither from a source that gives two incompatible figures for the
//!   label; neither in a sentence whose other exact figure the story's
//!   sources mostly contradict (a `magnitude-5.2 quake injured three`
//!   where most report a 5.6 quake); and, for a label that does not say
//!   exactly what is measured, sentences that share enough rare words.
//! * *incompatible values*: hedges and rounding are ranges (`about` is 5%
//!   either way, `nearly` up to 10% under, `more than` / `at least` open
//!   above, `less than` / `up to` open below, `2.6 million` is 2.55 to
//!   2.65 million, `$2 billion` 1.5 to 2.5 billion; `25-30%` a range);
//!   money in two different currencies is a conversion, never a conflict.
//!
//! When unsure, nothing is flagged. A flagged fact shows each source's
//! figure with its whole sentence, at most [`MAX_FLAGGED_VALUES`] figures
//! (more means the grouping mixed claims: then nothing is flagged); the
//! rest of a group is listed figure by figure, never as a disagreement.

use std::collections::HashMap;

use parallax_model::{ArticleId, EntityKind, Fact, FactValue};
use parallax_text::{Analyzer, normalize};

use crate::Briefer;
use crate::entities::{Names, is_cased};
use crate::profile::ArticleProfile;
use crate::words::{Tok, number_word, scale_word, tokens};

/// Most facts listed in a brief.
pub const MAX_FACTS: usize = 40;

/// Whether two figures are of two different places (`Italy`, `United
/// States`).
fn places_differ(names: &Names, a: Option<usize>, b: Option<usize>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a != b
                && names.get(a).kind == EntityKind::Place
                && names.get(b).kind == EntityKind::Place
        }
        _ => false,
    }
}

/// Least weighted share of rare words two sentences must share for their
/// figures to be one fact (when the label alone does not settle it).
pub const CONTEXT_THRESHOLD: f32 = 0.4;

/// What a figure counts in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// Things or people.
    Count,
    /// A share, in percent.
    Percent,
    /// Money, with its currency sign when known.
    Money(Option<char>),
    /// A length of time, in the unit named (index into [`DURATIONS`]).
    Duration(usize),
}

/// Duration units, singular.
pub const DURATIONS: &[&str] = &["year", "month", "week", "day", "hour", "minute", "decade"];

/// A figure: a value or a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The value, or the low end of a range.
    pub lo: f64,
    /// The high end of a range.
    pub hi: Option<f64>,
    /// What it counts in.
    pub unit: Unit,
}

impl Quantity {
    /// Whether two figures are the same (an unknown currency matches any).
    pub fn same(&self, o: &Quantity) -> bool {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let unit = match (self.unit, o.unit) {
            (Unit::Money(a), Unit::Money(b)) => a.is_none() || b.is_none() || a == b,
            (a, b) => a == b,
        };
        unit && close(self.lo, o.lo)
            && match (self.hi, o.hi) {
                (None, None) => true,
                (Some(a), Some(b)) => close(a, b),
                _ => false,
            }
    }

    /// The figure normalised for display: `80000`, `25%`, `25-30%`, `$1.1
    /// billion`, `7 years`.
    pub fn show(&self) -> String {
        let range = |f: &dyn Fn(f64) -> String| match self.hi {
            Some(h) => format!("{}-{}", f(self.lo), f(h)),
            None => f(self.lo),
        };
        match self.unit {
            Unit::Count => range(&plain),
            Unit::Percent => format!("{}%", range(&plain)),
            Unit::Money(c) => {
                let sign = c.map(String::from).unwrap_or_default();
                format!("{sign}{}", range(&money))
            }
            Unit::Duration(u) => {
                let n = range(&plain);
                let plural = if self.hi.is_none() && self.lo == 1.0 {
                    ""
                } else {
                    "s"
                };
                format!("{n} {}{plural}", DURATIONS[u])
            }
        }
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn plain(x: f64) -> String {
    trim(x)
}

fn money(x: f64) -> String {
    for (f, w) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
        if x >= f {
            return format!("{} {w}", trim(x / f));
        }
    }
    trim(x)
}

/// One figure read from one sentence.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Article index in the story.
    pub article: usize,
    /// The figure.
    pub quantity: Quantity,
    /// Its hedge, if any.
    pub qualifier: Option<&'static str>,
    /// What it measures.
    pub label: String,
    /// Grouping key: kind and label.
    pub key: String,
    /// Whether the label alone says what is measured.
    pub specific: bool,
    /// The source's wording around it.
    pub wording: String,
    /// Whose figure it is (entity index).
    pub subject: Option<usize>,
    /// Rare-word context: stemmed terms of its sentence and the other
    /// figures in it.
    pub context: Vec<String>,
    /// What part or rate of the thing it is (`cash`, `increment`,
    /// `rate`, `per share`, `initial`, `total`), sorted.
    pub scope: Vec<String>,
    /// Places its sentence names that most of the story's sources do not
    /// (`Zarand` beside a quake on `Qeshm`): another event's figure.
    pub places: Vec<usize>,
    /// The name nearest before it in its sentence, places included (the
    /// deaths of `Italy` beside those of the `United States`).
    pub whose: Option<usize>,
    /// Whether its sentence is about another time than the story's:
    /// it names months or years, none of them the ones most sources name.
    pub background: bool,
    /// Whether it is a forecast or expectation (`economists expected`):
    /// forecasts differ by design and are never flagged.
    pub forecast: bool,
    /// Years named in its sentence (the time of the claim).
    pub years: Vec<u32>,
    /// Whether its sentence gives another figure of the same kind and
    /// label (a part and its whole, two readings): which one a source
    /// means is unsure.
    pub ambiguous: bool,
    /// Half a unit of its last written digit (`2.6 million`: 50,000):
    /// what rounding allows.
    pub rounding: f64,
    /// Its whole sentence, to show.
    pub sentence: String,
}

/// A figure read from a sentence: first and past-last token (hedge
/// included), the figure, its hedge, its label, whether the label is
/// specific.
pub type Read = (usize, usize, Quantity, Option<&'static str>, String, bool);

/// Reads the figures of one sentence (`cased`: written, not a caseless
/// copy).
pub fn read(text: &str) -> Vec<Read> {
    let cased = is_cased(text);
    let toks = tokens(text);
    let lower: Vec<String> = toks.iter().map(Tok::lower).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match figure(&toks, &lower, i, cased) {
            Some((q, end, label, specific)) => {
                // "at least magnitude 5.9", "a magnitude of at least 5.9".
                let mut at = i;
                if label == "magnitude" {
                    while at > 0 && matches!(lower[at - 1].as_str(), "magnitude" | "-" | "of") {
                        at -= 1;
                    }
                }
                let (qual, from) = match qualifier(&lower, i) {
                    (None, _) => qualifier(&lower, at),
                    found => found,
                };
                out.push((from, end, q, qual, label, specific));
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// The hedge just before token `i`, and where it starts.
fn qualifier(lower: &[String], i: usize) -> (Option<&'static str>, usize) {
    let w = |k: usize| -> &str { i.checked_sub(k).map_or("", |j| lower[j].as_str()) };
    let two = (w(2), w(1));
    let q = match two {
        ("more" | "greater", "than") | ("just", "over") => Some(("more than", 2)),
        ("at", "least") => Some(("at least", 2)),
        ("less" | "fewer", "than") | ("just", "under") => Some(("less than", 2)),
        ("up", "to") | ("as", "many") => Some(("up to", 2)),
        ("an", "estimated") | ("close", "to") => Some(("about", 2)),
        _ => None,
    };
    if let Some((q, n)) = q {
        return (Some(q), i - n);
    }
    let q = match w(1) {
        "about" | "around" | "approximately" | "roughly" | "some" | "estimated" => Some("about"),
        "nearly" | "almost" => Some("nearly"),
        "over" => Some("more than"),
        "under" => Some("less than"),
        _ => None,
    };
    match q {
        Some(q) => (Some(q), i - 1),
        None => (None, i),
    }
}

/// Parses a written number: value, high end of a range, currency, percent
/// sign, and whether a scale suffix was applied.
fn number(tok: &str) -> Option<(f64, Option<f64>, Option<char>, bool)> {
    // Tokenised copy: "230, 000", "$2. 6m" (the tokenizer joined them).
    let joined: String = tok.chars().filter(|c| *c != ' ').collect();
    let mut s = joined.as_str();
    let mut cur = None;
    if let Some(c) = s.chars().next()
        && matches!(c, '$' | '£' | '€' | '¥')
    {
        cur = Some(c);
        s = &s[c.len_utf8()..];
    }
    let pct = s.ends_with('%');
    let s = s.trim_end_matches('%');
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let one = |x: &str| -> Option<f64> {
        let digits_end = x
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(x.len());
        let (num, suffix) = x.split_at(digits_end);
        if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        // "2½".
        let (part, suffix) = match suffix.chars().next() {
            Some('½') => (0.5, &suffix['½'.len_utf8()..]),
            Some('¼') => (0.25, &suffix['¼'.len_utf8()..]),
            Some('¾') => (0.75, &suffix['¾'.len_utf8()..]),
            _ => (0.0, suffix),
        };
        // "80,000" but not "2,5".
        if num.contains(',')
            && !num
                .split(',')
                .skip(1)
                .all(|g| g.len() == 3 || (g.len() > 3 && g[3..].starts_with('.')))
        {
            return None;
        }
        if num.ends_with(['.', ',']) {
            return None;
        }
        let v: f64 = num.replace(',', "").parse::<f64>().ok()? + part;
        match suffix.to_lowercase().as_str() {
            "" => Some(v),
            sfx => scale_word(sfx).map(|f| v * f),
        }
    };
    let lo = one(a)?;
    let hi = match b {
        Some(b) => Some(one(b)?),
        None => None,
    };
    // "27-24" is a score or a record, not a range.
    if hi.is_some_and(|h| h <= lo) {
        return None;
    }
    Some((lo, hi, cur, pct))
}

/// Words between a number and its noun that do not name the thing
/// counted.
const MODIFIERS: &[&str] = &[
    "us",
    "u",
    "s",
    "u.s",
    "u.s.",
    "american",
    "chinese",
    "new",
    "more",
    "other",
    "additional",
    "full-time",
    "part-time",
    "senior",
    "local",
    "foreign",
    "federal",
    "state",
    "million",
    "billion",
    "thousand",
    "of",
    "its",
    "their",
    "the",
    "his",
    "her",
    "our",
    "own",
    "small",
    "large",
    "major",
    "top",
    "key",
    "different",
    "separate",
    "such",
    "monthly",
    "annual",
    "yearly",
    "weekly",
    "daily",
];

/// Nouns that count the same thing, and the label they share.
fn noun_label(noun: &str) -> String {
    let n = noun.trim_end_matches("'s");
    let l = match n {
        "employees" | "employee" | "staff" | "staffers" | "workers" | "worker" | "personnel" => {
            "employees"
        }
        "companies" | "company" | "firms" | "firm" | "suppliers" | "supplier" | "exporters"
        | "exporter" | "businesses" | "vendors" | "manufacturers" | "makers" => "companies",
        "people" | "persons" | "individuals" => "people",
        "dead" | "deaths" | "fatalities" => "deaths",
        "injured" | "injuries" | "wounded" => "injured",
        "countries" | "nations" | "states" => "countries",
        other => other,
    };
    l.to_owned()
}

fn near(lower: &[String], i: usize, span: usize, words: &[&str]) -> Option<usize> {
    let lo = i.saturating_sub(span);
    let hi = (i + span + 1).min(lower.len());
    (lo..hi)
        .filter(|&j| words.iter().any(|w| lower[j].starts_with(w)))
        .min_by_key(|&j| j.abs_diff(i))
        .map(|j| j.abs_diff(i))
}

/// Distance from token `i` to a cue: a verb from `before` within three
/// tokens before it, or a word starting with one of `after` within five
/// tokens after it.
fn directed(lower: &[String], i: usize, before: &[&str], after: &[&str]) -> Option<usize> {
    let b = (i.saturating_sub(3)..i)
        .rev()
        .find(|&j| before.contains(&lower[j].as_str()))
        .map(|j| i - j);
    // Not an -ing form after it: "shooting three people, killing one".
    let a = (i + 1..(i + 6).min(lower.len()))
        .find(|&j| !lower[j].ends_with("ing") && after.iter().any(|w| lower[j].starts_with(w)))
        .map(|j| j - i);
    match (b, a) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Cue words for a percentage that is not a share of something.
const PERCENT_CUES: &[(&[&str], &str)] = &[
    (&["tariff", "duty", "duties"], "tariff"),
    (&["tax"], "tax rate"),
    (&["interest"], "interest rate"),
    (&["unemploy", "jobless"], "unemployment"),
    (&["inflation"], "inflation"),
    (&["turnout"], "turnout"),
    (&["vote", "votes", "ballot"], "vote share"),
    (&["approv", "poll"], "approval"),
    (&["stake"], "stake"),
];

/// Cue words for money, nearest wins.
const MONEY_CUES: &[(&[&str], &str)] = &[
    (&["fine", "fined", "penalt", "settle"], "fine"),
    (
        &[
            "paid", "pay", "spent", "spend", "import", "purchas", "bought",
        ],
        "spending",
    ),
    (
        &["takeover", "acqui", "deal", "merger", "bid", "buyout"],
        "deal value",
    ),
    (&["tariff"], "tariffs"),
    (&["revenue", "sales"], "revenue"),
    (&["profit", "earning"], "profit"),
    (&["loss"], "loss"),
    (&["cost", "fee", "price"], "cost"),
    (&["budget"], "budget"),
    (&["aid", "relief", "stimulus"], "aid"),
    (&["bail", "bond"], "bail"),
    (&["salary", "salaries", "wage"], "pay"),
    (&["damages"], "damages"),
];

fn cue(lower: &[String], i: usize, cues: &[(&[&str], &str)], default: &str) -> String {
    cue_within(lower, i, 12, cues, default)
}

fn cue_within(
    lower: &[String],
    i: usize,
    span: usize,
    cues: &[(&[&str], &str)],
    default: &str,
) -> String {
    cues.iter()
        .filter_map(|(ws, l)| near(lower, i, span, ws).map(|d| (d, *l)))
        .min_by_key(|(d, _)| *d)
        .map_or(default, |(_, l)| l)
        .to_owned()
}

/// A figure starting at token `i`: the quantity, the token index past it,
/// its label and whether the label is specific.
fn figure(
    toks: &[Tok],
    lower: &[String],
    i: usize,
    cased: bool,
) -> Option<(Quantity, usize, String, bool)> {
    let l = |k: usize| lower.get(k).map_or("", String::as_str);
    // Fractions: "a quarter of", "half of", "two-thirds of".
    let fraction = match (l(i), l(i + 1), l(i + 2)) {
        ("a" | "one", "quarter", "of") => Some((25.0, i + 2)),
        ("a" | "one", "third", "of") => Some((100.0 / 3.0, i + 2)),
        ("half", "of", _) => Some((50.0, i + 1)),
        ("two-thirds", "of", _) => Some((200.0 / 3.0, i + 1)),
        ("three-quarters", "of", _) | ("three", "quarters", "of") => {
            Some((75.0, if l(i + 1) == "of" { i + 1 } else { i + 2 }))
        }
        _ => None,
    };
    if let Some((v, of)) = fraction {
        let q = Quantity {
            lo: v,
            hi: None,
            unit: Unit::Percent,
        };
        let label = share_label(lower, of, i);
        return Some((q, of + 2, label, false));
    }
    let t = toks[i].text;
    let first = t.chars().next()?;
    let prev = i.checked_sub(1).map_or("", |p| lower[p].as_str());
    // Dimensions ("2880 by 1800 pixels", "10 x 12 feet") measure one thing
    // each: never a figure to compare.
    let is_num = |k: usize| toks.get(k).is_some_and(|t| number(t.text).is_some());
    if (matches!(l(i + 1), "x" | "by" | "\u{d7}") && is_num(i + 2))
        || (matches!(prev, "x" | "by" | "\u{d7}") && i >= 2 && is_num(i - 2))
    {
        return None;
    }
    // "12-year", "2½-year", "6.1-magnitude".
    if let Some((a, b)) = l(i).split_once('-')
        && a.starts_with(|c: char| c.is_ascii_digit())
        && b.chars().all(char::is_alphabetic)
    {
        let (v, None, None, false) = number(a)? else {
            return None;
        };
        if b == "magnitude" {
            return Some((magnitude(v), i + 1, "magnitude".to_owned(), true));
        }
        let unit = DURATIONS
            .iter()
            .position(|d| b == *d || b.strip_suffix('s') == Some(d))?;
        if l(i + 1) == "old" {
            return None;
        }
        let q = Quantity {
            lo: v,
            hi: None,
            unit: Unit::Duration(unit),
        };
        return Some((q, i + 1, duration_label(lower, i), false));
    }
    // "magnitude 6.1", "6.1 magnitude", "magnitude-6.1", "magnitude of
    // at least 5.9", "5.9 - magnitude".
    let named_before = (1..=4).any(|k| {
        i >= k
            && l(i - k) == "magnitude"
            && (i - k + 1..i).all(|m| matches!(l(m), "of" | "-" | "at" | "least" | "about"))
    });
    let named_after = l(i + 1) == "magnitude"
        || (l(i + 1) == "-" && l(i + 2) == "magnitude")
        || (t.contains('.') && matches!(l(i + 1), "quake" | "earthquake" | "temblor" | "tremor"));
    if (first.is_ascii_digit() || t.starts_with("magnitude-"))
        && let Some((v, None, None, false)) = number(t.trim_start_matches("magnitude-"))
        && (named_before || named_after || t.starts_with("magnitude-"))
        && v < 10.0
    {
        let end = match (l(i + 1), l(i + 2)) {
            ("magnitude", _) => i + 2,
            ("-", "magnitude") => i + 3,
            _ => i + 1,
        };
        return Some((magnitude(v), end, "magnitude".to_owned(), true));
    }
    let mut j = i + 1;
    let mut scaled = false;
    let (mut lo, mut hi, mut cur, mut pct, word) =
        if first.is_ascii_digit() || matches!(first, '$' | '£' | '€' | '¥') {
            let (lo, hi, cur, pct) = number(t)?;
            (lo, hi, cur, pct, false)
        } else if let Some(v) = number_word(l(i))
            .filter(|&v| {
                v >= 3.0
                    || (v >= 2.0
                        && (is_duration(l(i + 1))
                            || PERSON_NOUNS.contains(&l(i + 1))
                            || COUNT_NOUNS.contains(&l(i + 1))))
            })
            .filter(|_| {
                // "the next two weeks" is a time, not a figure.
                let prev = i.checked_sub(1).map_or("", |p| lower[p].as_str());
                !matches!(prev, "next" | "past" | "last" | "first" | "coming")
            })
        {
            (v, None, None, false, true)
        } else if let Some((a, b)) = l(i).split_once('-')
            && let Some(v) = number_word(a).filter(|&v| v >= 1.0)
        {
            // "seven-year ban".
            let unit = DURATIONS
                .iter()
                .position(|d| b == *d || b.strip_suffix('s') == Some(d))?;
            let q = Quantity {
                lo: v,
                hi: None,
                unit: Unit::Duration(unit),
            };
            if l(i + 1) == "old" || b.ends_with("old") {
                return None;
            }
            return Some((q, i + 1, duration_label(lower, i), false));
        } else {
            return None;
        };
    // Not figures: years, dates, ordinals, times, list numbers.
    if !word {
        let is_year = hi.is_none()
            && cur.is_none()
            && !pct
            && !t.contains([',', '.'])
            && (1900.0..=2100.0).contains(&lo)
            && lo.fract() == 0.0;
        if is_year
            || crate::gazetteer::month(prev).is_some()
            || crate::gazetteer::month(l(i + 1)).is_some()
            || matches!(prev, "no" | "no." | "number" | "#" | ":")
            // An identifier: "Week 15", "Flight 370", "Game 7".
            || (i >= 2
                && toks[i - 1].is_capitalised()
                && toks[i - 1].text.chars().all(char::is_alphabetic)
                && hi.is_none()
                && cur.is_none()
                && !pct
                && lo < 1000.0
                && lo.fract() == 0.0
                && !t.contains(','))
            // A code written apart: "AK - 47", "F - 35".
            || (prev == "-" && i >= 2 && toks[i - 2].is_capitalised())
            || matches!(l(i + 1), "a.m" | "p.m" | "am" | "pm" | "a" | "p")
        {
            return None;
        }
    }
    // Caseless copy loses decimal points: "2 3 billion".
    if !cased
        && !word
        && hi.is_none()
        && let Some(d) = toks.get(j).map(|t| t.text)
        && d.len() <= 2
        && d.chars().all(|c| c.is_ascii_digit())
        && scale_word(l(j + 1)).is_some()
    {
        lo += d.parse::<f64>().unwrap_or(0.0) / 10f64.powi(d.len() as i32);
        j += 1;
    }
    if hi.is_none() && l(j) == "1/2" {
        lo += 0.5;
        j += 1;
    } else if hi.is_none() && (l(j), l(j + 1), l(j + 2)) == ("and", "a", "half") {
        lo += 0.5;
        j += 3;
    }
    if let Some(f) = scale_word(l(j)).filter(|_| l(j).len() > 1) {
        lo *= f;
        hi = hi.map(|h| h * f);
        j += 1;
        scaled = true;
    }
    let percent_word = |k: usize| -> Option<usize> {
        match (l(k), l(k + 1)) {
            ("percent" | "pct" | "per-cent", _) => Some(k + 1),
            ("per", "cent") => Some(k + 2),
            _ => None,
        }
    };
    if let Some(k) = percent_word(j) {
        pct = true;
        j = k;
    }
    // Ranges: "25 percent to 30 percent", "25 to 30 percent".
    if hi.is_none()
        && matches!(l(j), "to" | "and" | "-")
        && let Some(n) = toks.get(j + 1)
        && let Some((h, None, _, p2)) = number(n.text)
        && h > lo
    {
        let mut k = j + 2;
        let mut p = p2;
        if let Some(e) = percent_word(k) {
            p = true;
            k = e;
        }
        if p == pct || (!pct && p) {
            pct = p;
            hi = Some(h);
            j = k;
        }
    }
    // Currency words.
    if cur.is_none() {
        cur = match l(j) {
            "dollars" | "dollar" => Some('$'),
            "euros" | "euro" => Some('€'),
            "pounds" => Some('£'),
            _ => None,
        };
        if cur.is_some() {
            j += 1;
        }
    }
    if pct {
        let q = Quantity {
            lo,
            hi,
            unit: Unit::Percent,
        };
        let label = if l(j) == "of" {
            share_label(lower, j, i)
        } else if near(
            lower,
            i,
            3,
            &[
                "rose", "rise", "fell", "fall", "gain", "lost", "drop", "jump", "increas",
                "decreas", "grew", "climb", "declin", "up", "down", "cut",
            ],
        )
        .is_some()
        {
            "change".to_owned()
        } else {
            cue(lower, i, PERCENT_CUES, "percentage")
        };
        return Some((q, j, label, false));
    }
    let money_scale = scaled
        || toks.get(i).is_some_and(|t| {
            t.text
                .trim_start_matches(['$', '£', '€', '¥'])
                .chars()
                .any(|c| c.is_alphabetic())
        });
    if cur.is_some() || (!cased && money_scale && lo >= 1e6) {
        // A conversion in brackets after money: "$1.1bn (£800m)".
        if prev == "(" && i >= 2 && number(toks[i - 2].text).is_some_and(|n| n.2.is_some()) {
            return None;
        }
        let q = Quantity {
            lo,
            hi,
            unit: Unit::Money(cur),
        };
        let label = cue(lower, i, MONEY_CUES, "amount");
        let specific = label == "fine";
        return Some((q, j, label, specific));
    }
    // Durations.
    if let Some(u) = DURATIONS
        .iter()
        .position(|d| l(j) == *d || l(j).strip_suffix('s') == Some(d))
    {
        if matches!(
            l(j + 1),
            "ago" | "old" | "earlier" | "later" | "after" | "before" | "since"
        ) {
            return None;
        }
        let q = Quantity {
            lo,
            hi,
            unit: Unit::Duration(u),
        };
        let label = duration_label(lower, i);
        let specific = false;
        return Some((q, j + 1, label, specific));
    }
    // Counts: the noun after, modifiers skipped.
    let mut k = j;
    let mut skipped = 0;
    while k < toks.len() && skipped < 3 {
        let w = l(k);
        let cap = cased && toks[k].is_capitalised() && toks[k].is_word();
        // "212,000 undocumented migrants", "24 monthly payments".
        let adjective = ["ed", "al", "ic", "ous", "ive", "ful", "less", "ary"]
            .iter()
            .any(|x| w.len() > 4 && w.ends_with(x))
            && toks
                .get(k + 1)
                .is_some_and(|n| n.is_word() && n.text.len() > 2)
            && !STOP_NOUNS.contains(&l(k + 1));
        if MODIFIERS.contains(&w) || (cap && skipped < 2) || (adjective && skipped < 2) {
            k += 1;
            skipped += 1;
        } else {
            break;
        }
    }
    let noun = l(k);
    // "the death toll climbed to at least 19,882, according to ...".
    if !word
        && k == j
        && !toks.get(k).is_some_and(Tok::is_word)
        && near(lower, i, 6, &["toll"]).is_some()
    {
        let q = Quantity {
            lo,
            hi,
            unit: Unit::Count,
        };
        return Some((q, j, "deaths".to_owned(), true));
    }
    if noun.len() < 3
        || !noun.chars().all(|c| c.is_alphabetic() || c == '\'')
        || !toks[k].is_word()
        || STOP_NOUNS.contains(&noun)
        || (noun.ends_with("ed") && !matches!(noun, "injured" | "dead" | "wounded"))
        || (cased && toks[k].is_capitalised())
        || (word
            && !COUNT_NOUNS.contains(&noun_label(noun).as_str())
            && !PERSON_NOUNS.contains(&noun))
    {
        return None;
    }
    let mut label = noun_label(noun);
    if PERSON_NOUNS.contains(&noun) {
        label = "people".to_owned();
    }
    if LENGTHS.contains(&noun) {
        let deep = near(lower, k, 4, &["deep", "depth", "below", "underground"]).is_some()
            || near(lower, i, 6, &["depth"]).is_some();
        label = if deep { "depth" } else { "distance" }.to_owned();
        let q = Quantity {
            lo,
            hi,
            unit: Unit::Count,
        };
        return Some((q, k + 1, label.clone(), label == "depth"));
    }
    if label == "people" || label == "employees" {
        // "killing 10 people", "10 people were killed", "10 dead": a verb
        // before the figure acts on it; "a woman died and two men were
        // hurt" does not make the two men deaths.
        let killed = directed(
            lower,
            i,
            &["killing", "killed", "kills", "kill"],
            &["kill", "dead", "died", "die", "death", "fatal", "lives"],
        );
        let hurt = directed(
            lower,
            i,
            &[
                "injuring", "injured", "injures", "wounding", "wounded", "hurting",
            ],
            &["injur", "wound", "hurt"],
        );
        let employed = near(lower, i, 4, &["employ", "workforce", "hire", "staff"]);
        label = [
            (killed, "deaths"),
            (hurt, "injured"),
            (employed, "employees"),
        ]
        .into_iter()
        .filter_map(|(d, l)| d.map(|d| (d, l)))
        .min_by_key(|(d, _)| *d)
        .map_or(label, |(_, l)| l.to_owned());
    }
    let q = Quantity {
        lo,
        hi,
        unit: Unit::Count,
    };
    let specific = matches!(label.as_str(), "employees" | "deaths" | "injured");
    Some((q, k + 1, label, specific))
}

/// A magnitude reading ("6.1-magnitude").
fn magnitude(v: f64) -> Quantity {
    Quantity {
        lo: v,
        hi: None,
        unit: Unit::Count,
    }
}

/// Units of length: what they measure is told by a cue ("deep" -> depth).
const LENGTHS: &[&str] = &[
    "miles",
    "mile",
    "kilometres",
    "kilometers",
    "kilometre",
    "kilometer",
    "km",
    "feet",
    "foot",
    "metres",
    "meters",
    "metre",
    "meter",
    "yards",
];

/// Nouns for people, counted as people (then as deaths or injured by
/// the words around them).
const PERSON_NOUNS: &[&str] = &[
    "villagers",
    "residents",
    "civilians",
    "persons",
    "individuals",
    "pilgrims",
    "tourists",
    "passengers",
    "miners",
    "policemen",
    "protesters",
    "protestors",
    "women",
    "men",
    "bystanders",
    "inhabitants",
];

/// Nouns that follow numbers without being counted things.
const STOP_NOUNS: &[&str] = &[
    "times", "percent", "per", "and", "to", "or", "the", "for", "from", "with", "than", "in", "on",
    "at", "by", "a", "an", "is", "was", "were", "are", "have", "has", "had", "will", "would",
    "who", "which", "that", "points", "min", "read", "minutes",
];

/// Count nouns a number word may count ("two people", "seven companies").
const COUNT_NOUNS: &[&str] = &[
    "people",
    "employees",
    "companies",
    "deaths",
    "injured",
    "countries",
    "children",
    "soldiers",
    "officers",
    "students",
    "suspects",
    "victims",
    "members",
    "candidates",
];

fn share_label(lower: &[String], of: usize, _at: usize) -> String {
    let mut k = of + 1;
    while k < lower.len() && MODIFIERS.contains(&lower[k].as_str()) {
        k += 1;
    }
    match lower.get(k) {
        Some(n) if n.chars().all(char::is_alphabetic) && n.len() > 2 => format!("share of {n}"),
        _ => "share".to_owned(),
    }
}

fn is_duration(w: &str) -> bool {
    DURATIONS
        .iter()
        .any(|d| w == *d || w.strip_suffix('s') == Some(d))
}

fn duration_label(lower: &[String], i: usize) -> String {
    // "in two months", "over the past 21 years": a window of time, not a
    // length of something.
    let before = |k: usize| i.checked_sub(k).map_or("", |j| lower[j].as_str());
    if matches!(before(1), "in" | "within" | "over" | "past" | "last")
        || matches!(before(2), "in" | "within" | "over" | "past" | "last")
    {
        return "duration".to_owned();
    }
    cue_within(
        lower,
        i,
        12,
        &[
            (
                &[
                    "ban", "block", "barr", "prohibit", "suspen", "embargo", "denial",
                ],
                "ban length",
            ),
            (
                &["sentence", "prison", "jail", "imprison"],
                "prison sentence",
            ),
        ],
        "duration",
    )
}

/// Reads every figure of a story.
pub fn mentions(profiles: &[ArticleProfile], names: &Names, en: &Analyzer) -> Vec<Mention> {
    let mut out = Vec::new();
    // Places most sources name are the story's own.
    let english = profiles.iter().filter(|p| p.english).count();
    let own_place = |e: usize| {
        let n = names.get(e).counts.iter().filter(|&&c| c > 0).count();
        n * 2 >= english
    };
    // The story's own times: the months and years most sources name.
    let mut time_votes: HashMap<u32, usize> = HashMap::new();
    for p in profiles.iter().filter(|p| p.english) {
        let mut seen: Vec<u32> = Vec::new();
        for s in &p.sentences {
            let toks = tokens(&s.text);
            seen.extend(times_of(&toks, &years_of(&toks)));
        }
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *time_votes.entry(t).or_insert(0) += 1;
        }
    }
    let top_month = time_votes
        .iter()
        .filter(|(t, _)| **t < 100)
        .map(|(_, n)| *n)
        .max();
    let top_year = time_votes
        .iter()
        .filter(|(t, _)| **t >= 100)
        .map(|(_, n)| *n)
        .max();
    let own_times: Vec<u32> = time_votes
        .iter()
        .filter(|(t, n)| Some(**n) == if **t < 100 { top_month } else { top_year })
        .map(|(t, _)| *t)
        .collect();
    for (a, p) in profiles.iter().enumerate().filter(|(_, p)| p.english) {
        for text in reading_sentences(p) {
            let s = Reading { text };
            let found = read(&s.text);
            if found.is_empty() {
                continue;
            }
            let toks = tokens(&s.text);
            let lower: Vec<String> = toks.iter().map(Tok::lower).collect();
            let people = names.find(&s.text, en);
            let words = en.terms(&normalize::match_key(&s.text));
            let years = years_of(&toks);
            let times = times_of(&toks, &years);
            let mut places: Vec<usize> = people
                .iter()
                .filter(|f| names.get(f.entity).kind == EntityKind::Place && !own_place(f.entity))
                .map(|f| f.entity)
                .collect();
            places.sort_unstable();
            places.dedup();
            let forecast = lower.iter().any(|w| {
                // Hypotheticals too: "a magnitude 6 quake can cause damage".
                matches!(w.as_str(), "can" | "could" | "would" | "might")
                    || w.starts_with("expect")
                    || w.starts_with("forecast")
                    || w.starts_with("predict")
                    || w.starts_with("projected")
                    || w == "polled"
                    || w == "surveyed"
                    // One poll's figure is not another poll's.
                    || w.starts_with("poll")
            });
            let values: Vec<String> = found.iter().map(|f| format!("#{}", trim(f.2.lo))).collect();
            for (n, (from, end, q, qual, label, specific)) in found.iter().enumerate() {
                let start_byte = toks[*from].start;
                let end_byte = toks[end.saturating_sub(1).max(*from)].end;
                let subject = people
                    .iter()
                    .filter(|f| {
                        matches!(
                            names.get(f.entity).kind,
                            EntityKind::Organisation | EntityKind::Person
                        )
                    })
                    .filter(|f| f.end <= start_byte && !is_source(&s.text, f.start, f.end))
                    .max_by_key(|f| f.end)
                    .map(|f| f.entity);
                let mut context = words.clone();
                context.extend(
                    values
                        .iter()
                        .enumerate()
                        .filter(|(m, _)| *m != n)
                        .map(|(_, v)| v.clone()),
                );
                context.sort();
                context.dedup();
                let kind = kind_of(q.unit);
                let key = format!("{kind}:{label}");
                let ambiguous = found.iter().enumerate().any(|(o, f)| {
                    o != n && f.4 == *label && kind_of(f.2.unit) == kind && !f.2.same(q)
                }) || (label != "magnitude" && {
                    // Tokens of the sentence's other figures with other
                    // labels ("killing 10 people and injuring 80") do not
                    // count.
                    let elsewhere: Vec<usize> = found
                        .iter()
                        .enumerate()
                        .filter(|(o, f)| *o != n && f.4 != *label)
                        .flat_map(|(_, f)| f.0..f.1)
                        .collect();
                    others_alike(&toks, &lower, *from, *end, q, &elsewhere)
                });
                out.push(Mention {
                    article: a,
                    quantity: *q,
                    qualifier: *qual,
                    label: label.clone(),
                    key,
                    specific: *specific,
                    wording: wording(&s.text, &toks, start_byte, end_byte),
                    subject,
                    context,
                    scope: scope(&lower, *from, *end, q.unit == Unit::Percent),
                    places: places.clone(),
                    whose: people
                        .iter()
                        .filter(|f| f.end <= start_byte && !is_source(&s.text, f.start, f.end))
                        .max_by_key(|f| f.end)
                        .map(|f| f.entity),
                    background: !times.is_empty() && !times.iter().any(|t| own_times.contains(t)),
                    forecast,
                    years: years.clone(),
                    ambiguous,
                    rounding: rounding(&toks[*from..*end], q),
                    sentence: shown(&s.text),
                });
            }
        }
    }
    out
}

/// Whether the name at `start..end` of a sentence is where the figure
/// comes from rather than whose it is: it says or reports something
/// ("Mayorkas commented that", "a tally by Johns Hopkins", "according to
/// the agency").
fn is_source(text: &str, start: usize, end: usize) -> bool {
    let after: Vec<String> = text[end..]
        .split_whitespace()
        .take(3)
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .collect();
    let before: Vec<String> = text[..start]
        .split_whitespace()
        .rev()
        .take(2)
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .collect();
    let says = |w: &str| {
        matches!(
            w,
            "said"
                | "says"
                | "say"
                | "told"
                | "reported"
                | "reports"
                | "announced"
                | "commented"
                | "showed"
                | "shows"
                | "estimated"
                | "estimates"
                | "stated"
                | "noted"
                | "added"
                | "tweeted"
                | "wrote"
        )
    };
    // "with ZTE, which employs": the subject of its own clause.
    let relative = matches!(
        after.first().map(String::as_str),
        Some("which" | "who" | "whose")
    ) || text[end..].trim_start().starts_with(", which")
        || text[end..].trim_start().starts_with(", who");
    if relative {
        return false;
    }
    after.iter().take(2).any(|w| says(w))
        || matches!(
            before.first().map(String::as_str),
            Some(
                "by" | "per"
                    | "to"
                    | "from"
                    | "told"
                    | "at"
                    | "against"
                    | "with"
                    | "on"
                    | "for"
                    | "of"
                    | "in"
                    | "about"
                    | "over"
            )
        )
        || before.iter().any(|w| w == "according" || w == "told")
}

/// The sentences of an article to read figures from: a sentence the
/// splitter ended inside a number written apart (`magnitude of 5.` /
/// `9 hit`) is read with the next one.
fn reading_sentences(p: &ArticleProfile) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue = false;
    for s in &p.sentences {
        let t = s.text.trim();
        match out.last_mut() {
            Some(last) if glue => {
                last.push(' ');
                last.push_str(t);
            }
            _ => out.push(t.to_owned()),
        }
        let b = t.as_bytes();
        glue = b.len() >= 2
            && b[b.len() - 1] == b'.'
            && b[b.len() - 2].is_ascii_digit()
            && !t.ends_with("a.m.")
            && !t.ends_with("p.m.");
        if glue {
            // Only when the next sentence opens with digits.
            glue = p.sentences.get(s.position + 1).is_some_and(|n| {
                n.text
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit())
            });
        }
    }
    out
}

/// Whether the sentence gives another plain number of about the same size
/// as `q` outside its own tokens (`2.5 million doses ... and 1.5 million`):
/// then which figure answers which claim is unsure.
fn others_alike(
    toks: &[Tok],
    lower: &[String],
    from: usize,
    end: usize,
    q: &Quantity,
    elsewhere: &[usize],
) -> bool {
    if !matches!(q.unit, Unit::Count | Unit::Money(_)) || q.lo <= 0.0 {
        return false;
    }
    let l = |k: usize| lower.get(k).map_or("", String::as_str);
    (0..toks.len())
        .filter(|&k| (k < from || k >= end) && !elsewhere.contains(&k))
        .filter_map(|k| {
            // A clock time ("14: 00") or a date ("Nov 27, 2005", "11 / 27 /
            // 2005") is not a figure.
            let prev = if k > 0 { l(k - 1) } else { "" };
            let year_next = l(k + 2).len() == 4 && l(k + 2).chars().all(|c| c.is_ascii_digit());
            if matches!(l(k + 1), ":" | "/")
                || matches!(prev, ":" | "/")
                || crate::gazetteer::month(prev).is_some()
                || (l(k + 1) == "," && year_next)
            {
                return None;
            }
            let v = match number(toks[k].text) {
                Some((v, _, _, _)) => v,
                // "two women and one man" (words count for people only).
                None => number_word(l(k)).filter(|_| {
                    !matches!(l(k), "a" | "an")
                        && [l(k + 1), l(k + 2)].iter().any(|w| {
                            PERSON_NOUNS.contains(w)
                                || COUNT_NOUNS.contains(&noun_label(w).as_str())
                                || matches!(*w, "man" | "woman" | "person" | "child")
                        })
                })?,
            };
            let is_year = (1900.0..=2100.0).contains(&v)
                && v.fract() == 0.0
                && !toks[k].text.contains([',', '.']);
            if is_year || crate::gazetteer::month(l(k + 1)).is_some() {
                return None;
            }
            let f = scale_word(l(k + 1))
                .filter(|_| l(k + 1).len() > 1)
                .unwrap_or(1.0);
            Some(v * f)
        })
        .any(|v| v > 0.0 && v != q.lo && (v / q.lo).max(q.lo / v) <= 20.0)
}

/// A sentence as read for figures.
struct Reading {
    text: String,
}

fn kind_of(u: Unit) -> &'static str {
    match u {
        Unit::Count => "count",
        Unit::Percent => "percent",
        Unit::Money(_) => "money",
        Unit::Duration(_) => "duration",
    }
}

/// Months (1-12) and years named in a sentence.
fn times_of(toks: &[Tok], years: &[u32]) -> Vec<u32> {
    // Capitalised only: "may" is a verb.
    let mut out: Vec<u32> = toks
        .iter()
        .filter(|t| t.is_capitalised())
        .filter_map(|t| crate::gazetteer::month(&t.lower()))
        .collect();
    out.extend_from_slice(years);
    out.sort_unstable();
    out.dedup();
    out
}

/// Years written in a sentence (`1997`, `2017`).
fn years_of(toks: &[Tok]) -> Vec<u32> {
    let mut out: Vec<u32> = toks
        .iter()
        .filter(|t| t.text.len() == 4 && t.text.chars().all(|c| c.is_ascii_digit()))
        .filter_map(|t| t.text.parse().ok())
        .filter(|y| (1900..=2100).contains(y))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What part or rate of a thing a figure gives, from the words right
/// around it: `$281 million in cash` (cash), `5 more people`
/// (increment), `24 monthly payments` (rate), `$2 a share` (per share).
fn scope(lower: &[String], from: usize, end: usize, percent: bool) -> Vec<String> {
    let l = |k: usize| lower.get(k).map_or("", String::as_str);
    let mut out = Vec::new();
    let increment = |w: &str| {
        matches!(
            w,
            "another" | "additional" | "extra" | "further" | "more" | "new" | "other"
        )
    };
    for k in from.saturating_sub(2)..from {
        let w = l(k);
        if increment(w) && l(k + 1) != "than" {
            out.push("increment");
        }
        match w {
            "initial" | "first" | "original" | "preliminary" | "earlier" => out.push("initial"),
            "total" | "overall" | "combined" | "cumulative" => out.push("total"),
            _ => {}
        }
    }
    for k in from..end {
        let w = l(k);
        if k > from && increment(w) && l(k + 1) != "than" && l(k - 1) != "or" {
            out.push("increment");
        }
        if matches!(w, "monthly" | "annual" | "yearly" | "weekly" | "daily") {
            out.push("rate");
        }
    }
    match (l(end), l(end + 1)) {
        ("in", "cash") | ("cash", _) => out.push("cash"),
        ("in", "stock" | "shares") => out.push("stock"),
        ("a" | "per" | "each" | "every", "year" | "month" | "week" | "day" | "hour")
        | ("annually" | "monthly", _) => out.push("rate"),
        ("a" | "per", "share") => out.push("per share"),
        ("each" | "apiece", _) => out.push("each"),
        _ => {}
    }
    // "four people dead, including the attacker": what the count holds is
    // spelled out, and another source may count otherwise.
    if (end..end + 6).any(|k| matches!(l(k), "including" | "includes" | "include")) {
        out.push("including");
    }
    // "from 5.9%" is where a change started.
    if percent && l(from.wrapping_sub(1)) == "from" {
        out.push("from");
    }
    let mut out: Vec<String> = out.into_iter().map(str::to_owned).collect();
    // Whose goods or people: "$60bn of American goods" against "$34bn in
    // Chinese goods".
    if matches!(l(end), "of" | "in" | "on" | "from") {
        let w = l(end + 1).trim_end_matches('.');
        if crate::gazetteer::ADJECTIVES.contains(&w) {
            out.push(format!("of {w}"));
        } else if let Some(p) = crate::gazetteer::place(w) {
            out.push(format!("of {}", if p.is_empty() { w } else { p }));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Half a unit of the last digit a figure was written with: `2.6
/// million` may be 2.55 to 2.65 million, `$2 billion` 1.5 to 2.5 billion;
/// a plain whole number (`211`) is exact.
fn rounding(toks: &[Tok], q: &Quantity) -> f64 {
    let Some(t) = toks.iter().find(|t| {
        t.text
            .trim_start_matches(['$', '\u{a3}', '\u{20ac}', '\u{a5}'])
            .starts_with(|c: char| c.is_ascii_digit())
    }) else {
        return 0.0;
    };
    let written: String = t
        .text
        .trim_start_matches(['$', '\u{a3}', '\u{20ac}', '\u{a5}'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
        .filter(|c| *c != ' ' && *c != ',')
        .collect();
    let Ok(raw) = written.parse::<f64>() else {
        return 0.0;
    };
    if raw <= 0.0 || q.hi.is_some() {
        return 0.0;
    }
    let scale = q.lo / raw;
    let decimals = written.split_once('.').map_or(0, |(_, d)| d.len());
    if scale > 1.5 || decimals > 0 {
        0.5 * 10f64.powi(-(decimals as i32)) * scale.max(1.0)
    } else {
        0.0
    }
}

/// A sentence to show beside its figure (long ones cut at a word).
fn shown(text: &str) -> String {
    const MAX: usize = 400;
    let t = text.trim();
    if t.len() <= MAX {
        return t.to_owned();
    }
    let mut cut = MAX;
    while !t.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = t[..cut].rfind(' ').unwrap_or(cut);
    format!("{}\u{2026}", &t[..cut])
}

/// The clause around a figure: a few words either side, within the
/// sentence.
fn wording(text: &str, toks: &[Tok], start: usize, end: usize) -> String {
    let first = toks.iter().position(|t| t.start >= start).unwrap_or(0);
    let last = toks.iter().rposition(|t| t.end <= end).unwrap_or(first);
    let from = toks[..first]
        .iter()
        .rev()
        .take(6)
        .take_while(|t| !matches!(t.text, "." | ";" | "\u{201c}" | "\u{201d}"))
        .last()
        .map_or(start, |t| t.start);
    let to = toks[last + 1..]
        .iter()
        .take(6)
        .take_while(|t| !matches!(t.text, "." | ";" | "," | "\u{201c}" | "\u{201d}"))
        .last()
        .map_or(end, |t| t.end);
    text[from..to].trim().to_owned()
}

/// Weighted overlap of two sorted term lists, over the smaller.
pub fn overlap(briefer: &Briefer, a: &[String], b: &[String]) -> f32 {
    let w = |t: &String| {
        if t.starts_with('#') {
            3.0
        } else {
            briefer.idf(t)
        }
    };
    // One merge pass (grouping is quadratic in a key's mentions, so this
    // runs often); each sum still adds its terms in list order.
    let (mut wa, mut wb, mut common) = (0.0f32, 0.0f32, 0.0f32);
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                wa += w(&a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                wb += w(&b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let x = w(&a[i]);
                wa += x;
                common += x;
                i += 1;
            }
        }
    }
    for t in &a[i..] {
        wa += w(t);
    }
    for t in &b[j..] {
        wb += w(t);
    }
    let d = wa.min(wb);
    if d > 0.0 { common / d } else { 0.0 }
}

/// Labels that several nouns share: the same label from two sources
/// means more than the same noun would ("companies" for "suppliers" and
/// "exporters").
const CLASSES: &[&str] = &["companies", "employees", "countries", "deaths", "injured"];

/// Labels that do not say what is measured.
const GENERIC: &[&str] = &[
    "percentage",
    "change",
    "amount",
    "duration",
    "distance",
    "people",
];

/// Whether the same label from two sources is itself evidence of one fact:
/// a cue-word label of money, time or share (`fine`, `ban length`, `share
/// of components`) or a class of nouns; not a bare noun (`miles`).
fn relaxed(m: &Mention) -> bool {
    !GENERIC.contains(&m.label.as_str())
        && (CLASSES.contains(&m.label.as_str()) || !m.key.starts_with("count:"))
}

/// Groups the figures into facts.
pub fn facts(
    briefer: &Briefer,
    profiles: &[ArticleProfile],
    names: &Names,
    en: &Analyzer,
) -> Vec<Fact> {
    let mut ms = mentions(profiles, names, en);
    // A source that gives two incompatible figures for one thing, at the
    // story's own time and place ("5.2, says state TV; 5.4, says the
    // survey; earlier a 5.6"), reports several readings or events: which
    // one is its claim is unsure.
    let mut torn: Vec<usize> = Vec::new();
    for (i, x) in ms.iter().enumerate() {
        if x.background || !x.places.is_empty() || x.ambiguous || x.forecast {
            continue;
        }
        let clash = ms.iter().any(|y| {
            y.article == x.article
                && y.key == x.key
                && !y.background
                && y.places.is_empty()
                && !y.ambiguous
                && !y.forecast
                && y.scope == x.scope
                && !places_differ(names, x.whose, y.whose)
                && !compatible(x, y)
        });
        if clash {
            torn.push(i);
        }
    }
    for i in torn {
        ms[i].ambiguous = true;
    }
    // A figure whose sentence gives, for another exact label, a value the
    // story's sources mostly contradict ("a magnitude-5.2 quake injured
    // three" where most report a 5.6 quake) may be about another event.
    let mut consensus: HashMap<&str, (f64, usize, usize)> = HashMap::new();
    for m in ms
        .iter()
        .filter(|m| m.specific && !m.background && !m.ambiguous)
    {
        let mut arts: Vec<usize> = ms
            .iter()
            .filter(|o| o.key == m.key && !o.background && !o.ambiguous && compatible(o, m))
            .map(|o| o.article)
            .collect();
        arts.sort_unstable();
        arts.dedup();
        let e = consensus
            .entry(m.key.as_str())
            .or_insert((m.quantity.lo, 0, 0));
        if arts.len() > e.1 {
            *e = (m.quantity.lo, arts.len(), e.1);
        } else if arts.len() > e.2 && (e.0 - m.quantity.lo).abs() > f64::EPSILON {
            e.2 = arts.len();
        }
    }
    let off: Vec<(usize, String)> = ms
        .iter()
        .filter(|m| m.specific && !m.background)
        .filter(|m| {
            consensus
                .get(m.key.as_str())
                .is_some_and(|&(v, n, second)| n >= 2 && n > second && contradicts(m, v))
        })
        .map(|m| (m.article, m.sentence.clone()))
        .collect();
    let off_keys: Vec<(usize, String, String)> = ms
        .iter()
        .filter(|m| off.contains(&(m.article, m.sentence.clone())))
        .filter(|m| {
            consensus
                .get(m.key.as_str())
                .is_some_and(|&(v, _, _)| contradicts(m, v))
        })
        .map(|m| (m.article, m.sentence.clone(), m.key.clone()))
        .collect();
    for m in ms.iter_mut() {
        let elsewhere = off_keys
            .iter()
            .any(|(a, s, k)| *a == m.article && *s == m.sentence && *k != m.key);
        if elsewhere {
            m.ambiguous = true;
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (m, mention) in ms.iter().enumerate() {
        let slots = by_key.entry(mention.key.as_str()).or_default();
        let mut best: Option<(usize, f32)> = None;
        for &g in slots.iter() {
            let members = &groups[g];
            // One source, one figure per fact.
            if members.iter().any(|&o| {
                ms[o].article == mention.article && !ms[o].quantity.same(&mention.quantity)
            }) {
                continue;
            }
            let subjects_differ = members
                .iter()
                .any(|&o| matches!((ms[o].subject, mention.subject), (Some(a), Some(b)) if a != b));
            let same_label =
                members.iter().any(|&o| ms[o].label == mention.label) && relaxed(mention);
            if subjects_differ && !mention.specific && !same_label {
                continue;
            }
            let sim = members
                .iter()
                .map(|&o| overlap(briefer, &ms[o].context, &mention.context))
                .fold(0.0, f32::max);
            let fits = mention.specific
                || sim >= CONTEXT_THRESHOLD
                || (same_label && sim >= CONTEXT_THRESHOLD / 2.0);
            if fits && best.is_none_or(|(_, b)| sim > b) {
                best = Some((g, sim));
            }
        }
        match best {
            Some((g, _)) => groups[g].push(m),
            None => {
                groups.push(vec![m]);
                slots.push(groups.len() - 1);
            }
        }
    }
    let mut facts: Vec<(usize, Fact)> = Vec::new();
    for g in &groups {
        for (part, flagged) in judge(briefer, &ms, g) {
            facts.push(fact_of(profiles, names, &ms, &part, flagged));
        }
    }
    facts.sort_by(|a, b| {
        let rank = |(n, f): &(usize, Fact)| (f.agree || *n < 2, usize::MAX - n);
        rank(a).cmp(&rank(b))
    });
    facts.truncate(MAX_FACTS);
    facts.into_iter().map(|(_, f)| f).collect()
}

/// Least weighted share of rare words two sentences must share for their
/// figures to be flagged as one claim in disagreement, unless the label
/// says exactly what is measured and the subject is the same.
pub const FLAG_CONTEXT: f32 = 0.3;

/// Most distinct figures a disagreement may show; more means the
/// grouping mixed claims.
pub const MAX_FLAGGED_VALUES: usize = 4;

/// Whether two figures are the same claim: the same thing measured
/// (label, part or rate), of the same subject, at the same time, each
/// unambiguous in its sentence, and sentences that say the same thing
/// around them. When unsure, they are not.
fn same_claim(briefer: &Briefer, x: &Mention, y: &Mention) -> bool {
    if x.label != y.label
        || GENERIC.contains(&x.label.as_str())
        || x.ambiguous
        || y.ambiguous
        || x.forecast
        || y.forecast
        || x.scope != y.scope
        // "another 100", "seven other workers": a part of a larger count;
        // "four dead, including the attacker": a count of its own making.
        || x.scope.iter().any(|s| s == "increment" || s == "including")
        || y.scope.iter().any(|s| s == "increment" || s == "including")
        || x.background != y.background
        || (!x.places.is_empty()
            && !y.places.is_empty()
            && !x.places.iter().any(|p| y.places.contains(p)))
    {
        return false;
    }
    if !x.years.is_empty() && !y.years.is_empty() && !x.years.iter().any(|v| y.years.contains(v)) {
        return false;
    }
    if let (Unit::Money(Some(a)), Unit::Money(Some(b))) = (x.quantity.unit, y.quantity.unit)
        && a != b
    {
        // A conversion, not a disagreement.
        return false;
    }
    if matches!((x.subject, y.subject), (Some(a), Some(b)) if a != b) {
        return false;
    }
    // A label that says exactly what is measured (deaths, magnitude,
    // employees), at the story's own time and place, of no other subject:
    // one claim.
    if x.specific && y.specific {
        return true;
    }
    let sim = overlap(briefer, &x.context, &y.context);
    let bare_noun =
        x.key.starts_with("count:") && !CLASSES.contains(&x.label.as_str()) && !x.specific;
    sim >= if bare_noun {
        CONTEXT_THRESHOLD
    } else {
        FLAG_CONTEXT
    }
}

/// The range of values a figure allows, hedge and rounding included:
/// `about` 5% either way, `nearly` up to 10% under, `more than` / `at
/// least` anything above, `less than` / `up to` anything below.
fn interval(m: &Mention) -> (f64, f64) {
    let q = &m.quantity;
    let (lo, hi) = (q.lo, q.hi.unwrap_or(q.lo));
    let eps = 1e-9 * hi.abs().max(1.0) + m.rounding;
    match m.qualifier {
        Some("about") => (lo * 0.95 - eps, hi * 1.05 + eps),
        Some("nearly") => (lo * 0.9 - eps, hi + eps),
        Some("more than") | Some("at least") => (lo - eps, f64::INFINITY),
        Some("less than") | Some("up to") => (f64::NEG_INFINITY, hi + eps),
        _ => (lo - eps, hi + eps),
    }
}

/// Whether a figure cannot be true if the value is `v`.
fn contradicts(m: &Mention, v: f64) -> bool {
    let (lo, hi) = interval(m);
    v < lo || v > hi
}

/// Whether two figures can both be true of one claim.
pub(crate) fn compatible(x: &Mention, y: &Mention) -> bool {
    let (a, b) = (interval(x), interval(y));
    a.0 <= b.1 && b.0 <= a.1
}

/// Splits a group of figures into facts and says which disagree: a
/// disagreement needs two sources whose figures are incompatible for one
/// claim; it then shows the figures of that claim (at most
/// [`MAX_FLAGGED_VALUES`]). Anything else in the group is listed value by
/// value, never as a disagreement.
fn judge(briefer: &Briefer, ms: &[Mention], g: &[usize]) -> Vec<(Vec<usize>, bool)> {
    let evidence = g.iter().enumerate().find_map(|(n, &x)| {
        g[n + 1..]
            .iter()
            .find(|&&y| {
                ms[x].article != ms[y].article
                    && !compatible(&ms[x], &ms[y])
                    && same_claim(briefer, &ms[x], &ms[y])
            })
            .map(|&y| (x, y))
    });
    let by_value = |members: &[usize]| -> Vec<(Vec<usize>, bool)> {
        let mut parts: Vec<Vec<usize>> = Vec::new();
        for &m in members {
            match parts
                .iter_mut()
                .find(|p| p.iter().all(|&o| compatible(&ms[o], &ms[m])))
            {
                Some(p) => p.push(m),
                None => parts.push(vec![m]),
            }
        }
        parts.into_iter().map(|p| (p, false)).collect()
    };
    let Some((x, y)) = evidence else {
        return by_value(g);
    };
    let core: Vec<usize> = g
        .iter()
        .copied()
        .filter(|&m| {
            m == x
                || m == y
                || (same_claim(briefer, &ms[x], &ms[m]) && same_claim(briefer, &ms[y], &ms[m]))
        })
        .collect();
    let mut distinct: Vec<&Quantity> = Vec::new();
    for &m in &core {
        if !distinct.iter().any(|q| q.same(&ms[m].quantity)) {
            distinct.push(&ms[m].quantity);
        }
    }
    if distinct.len() > MAX_FLAGGED_VALUES {
        return by_value(g);
    }
    let rest: Vec<usize> = g.iter().copied().filter(|m| !core.contains(m)).collect();
    let mut out = vec![(core, true)];
    out.extend(by_value(&rest));
    out
}

/// One fact from its figures.
fn fact_of(
    profiles: &[ArticleProfile],
    names: &Names,
    ms: &[Mention],
    g: &[usize],
    flagged: bool,
) -> (usize, Fact) {
    let mut values: Vec<(Quantity, FactValue)> = Vec::new();
    let mut articles: Vec<usize> = Vec::new();
    for &m in g {
        let x = &ms[m];
        let id: ArticleId = profiles[x.article].article.id.clone();
        if !articles.contains(&x.article) {
            articles.push(x.article);
        }
        // One value per figure and hedge: "at least 10" is not "10".
        match values
            .iter_mut()
            .find(|(q, v)| q.same(&x.quantity) && v.qualifier.as_deref() == x.qualifier)
        {
            Some((q, v)) => {
                if !v.sources.contains(&id) {
                    v.sources.push(id);
                }
                // Prefer the form that knows its currency.
                if let (Unit::Money(None), Unit::Money(Some(_))) = (q.unit, x.quantity.unit) {
                    *q = x.quantity;
                    v.value = q.show();
                }
            }
            None => values.push((
                x.quantity,
                FactValue {
                    value: x.quantity.show(),
                    // A disagreement shows each side's sentence.
                    text: if flagged {
                        x.sentence.clone()
                    } else {
                        x.wording.clone()
                    },
                    sources: vec![id],
                    qualifier: x.qualifier.map(str::to_owned),
                },
            )),
        }
    }
    let about =
        majority(g.iter().map(|&m| ms[m].label.clone())).unwrap_or_else(|| "figure".to_owned());
    // Whose figure: shown when at least half the mentions name it.
    let subject = majority(
        g.iter()
            .filter_map(|&m| ms[m].subject)
            .map(|e| names.get(e).name.clone()),
    )
    .filter(|s| {
        let n = g
            .iter()
            .filter(|&&m| ms[m].subject.is_some_and(|e| names.get(e).name == *s))
            .count();
        n * 2 >= g.len()
    });
    (
        articles.len(),
        Fact {
            about,
            values: values.into_iter().map(|(_, v)| v).collect(),
            agree: !(flagged && articles.len() >= 2),
            subject,
        },
    )
}

fn majority(items: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for it in items {
        match counts.iter_mut().find(|(s, _)| *s == it) {
            Some((_, c)) => *c += 1,
            None => counts.push((it, 1)),
        }
    }
    counts
        .into_iter()
        .enumerate()
        .max_by_key(|(i, (_, c))| (*c, usize::MAX - i))
        .map(|(_, (s, _))| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(s: &str) -> Vec<(String, Option<&'static str>, String)> {
        read(s)
            .into_iter()
            .map(|(_, _, q, qual, label, _)| (q.show(), qual, label))
            .collect()
    }

    #[test]
    fn reads_figures_with_units_and_hedges() {
        assert_eq!(
            figures("ZTE, which employs about 80,000 people, was fined $1.1bn (£800m) in 2017."),
            [
                ("80000".into(), Some("about"), "employees".into()),
                ("$1.1 billion".into(), None, "fine".into())
            ]
        );
        assert_eq!(
            figures("US companies provide at least a quarter of the components used."),
            [("25%".into(), Some("at least"), "share of components".into())]
        );
        assert_eq!(
            figures(
                "american companies are estimated to provide 25 percent to 30 percent of components"
            ),
            [("25-30%".into(), None, "share of components".into())]
        );
        assert_eq!(
            figures("zte paid over 2 3 billion to 211 u s exporters in 2017"),
            [
                ("2.3 billion".into(), Some("more than"), "spending".into()),
                ("211".into(), None, "companies".into())
            ]
        );
        assert_eq!(
            figures(
                "The department banned American companies from selling to the firm for seven years."
            ),
            [("7 years".into(), None, "ban length".into())]
        );
        assert!(figures("On May 13, 2018 he said the 5G rollout was No. 1.").is_empty());
    }

    fn flagged(texts: &[&str]) -> Vec<Vec<String>> {
        let articles = crate::english_articles(texts);
        let mut b = Briefer::new(crate::BriefConfig::default());
        for a in &articles {
            b.observe(a);
        }
        let refs: Vec<&parallax_model::Article> = articles.iter().collect();
        b.brief(&"s".into(), &refs)
            .facts
            .into_iter()
            .filter(|f| !f.agree)
            .map(|f| f.values.into_iter().map(|v| v.value).collect())
            .collect()
    }

    #[test]
    fn tokenised_numbers_read_whole() {
        assert_eq!(figures("About 230, 000 people fled.")[0].0, "230000");
        assert_eq!(figures("It sells for $1, 199 in stores.")[0].0, "$1199");
        assert_eq!(
            figures("Jewels worth $2. 6 million were taken.")[0].0,
            "$2.6 million"
        );
        assert_eq!(figures("The 5. 9 - magnitude quake hit.")[0].0, "5.9");
        assert_eq!(
            figures("It measured magnitude - 6. 1, the survey said.")[0].0,
            "6.1"
        );
        let quake = figures("A 6. 1-magnitude quake struck the island.");
        assert_eq!(quake[0].0, "6.1");
        assert_eq!(quake[0].2, "magnitude");
        // Not a number written apart: a list, a time.
        assert!(
            figures("In 2010, 300 people came.")
                .iter()
                .all(|f| f.0 != "2010300")
        );
        assert!(figures("It began at 9. 25 am on Monday.").is_empty());
    }

    #[test]
    fn a_part_is_not_flagged_against_its_whole() {
        let f = flagged(&[
            "Acme agreed to buy Widget Corp in a $334 million deal, including $281 million in cash.",
            "Acme will pay $334 million for Widget Corp in the deal announced on Monday.",
            "Acme will pay $281 million in cash for Widget Corp in the deal, the company said.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn dimensions_are_not_flagged() {
        let f = flagged(&[
            "The new laptop has a screen of 2880 by 1800 pixels and a faster chip.",
            "The new laptop screen shows 2880 x 1800 pixels, with a faster chip inside.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn claims_of_different_years_are_not_flagged() {
        let f = flagged(&[
            "The court sentenced the robber to 12 years in prison in 1997 for the bank raid.",
            "The court sentenced the robber to 7 years in prison in 1959 for the bank raid.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_share_is_not_flagged_against_a_tariff() {
        let f = flagged(&[
            "Canada supplies 5% of steel imports into the country, officials said of the tariff plan.",
            "The tariff plan puts a 25% tariff on steel imports into the country, officials said.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn hedges_and_ranges_are_compatible() {
        let f = flagged(&[
            "The camp lies 10 miles from the border, aid workers said on Sunday.",
            "The camp lies less than 15 miles from the border, aid workers said on Sunday.",
        ]);
        assert!(f.is_empty(), "{f:?}");
        let f = flagged(&[
            "Local suppliers provide at least a quarter of the components used in its phones.",
            "Local suppliers are estimated to provide 25 percent to 30 percent of components used in its phones.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn real_conflicts_are_flagged() {
        let f = flagged(&[
            "Acme Corp, which employs about 80,000 people, said sales fell.",
            "Acme Corp employs 75,000 people and sells in 160 countries.",
            "Acme Corp, a company with more than 70,000 employees, sells phones.",
        ]);
        assert_eq!(f, [vec!["80000", "75000", "70000"]]);
        let f = flagged(&[
            "The judge sentenced Jones to a 2-year prison sentence for the fraud on Tuesday.",
            "The judge sentenced Jones to a 2\u{bd}-year prison sentence for the fraud on Tuesday.",
        ]);
        assert_eq!(f, [vec!["2 years", "2.5 years"]]);
        let f = flagged(&[
            "Under the settlement Jones agreed to repay the loan in 24 monthly payments to the bank.",
            "Under the settlement Jones agreed to repay the loan in 20 monthly payments to the bank.",
        ]);
        assert_eq!(f, [vec!["24", "20"]]);
        let f = flagged(&[
            "The earthquake struck 12 miles deep under the island, the survey said.",
            "The earthquake struck 1.2 miles deep under the island, the survey said.",
        ]);
        assert_eq!(f, [vec!["12", "1.2"]]);
    }

    #[test]
    fn unrelated_figures_are_not_one_flag() {
        let f = flagged(&[
            "Police said 3 people were arrested near the stadium after the match on Saturday.",
            "Police said 14 people were arrested at a protest in the city centre last month.",
            "Police said 40 people were arrested over the year in the district.",
            "Police said 7 people were arrested in a raid on a warehouse.",
            "Police said 22 people were arrested at the airport with forged passports.",
        ]);
        assert!(f.iter().all(|v| v.len() <= MAX_FLAGGED_VALUES), "{f:?}");
    }

    #[test]
    fn scores_identifiers_parts_and_polls_are_not_flagged() {
        assert!(figures("They lost 27-24 to Chicago in Week 15 of the season.").is_empty());
        let f = flagged(&[
            "Two women and one man died when the bank branch caught fire, police said.",
            "Three people died when the bank branch caught fire, police said on Wednesday.",
        ]);
        assert!(f.is_empty(), "{f:?}");
        let f = flagged(&[
            "An opinion poll said 83.3 percent of voters were unhappy with the government.",
            "An opinion poll found 68 percent of voters were unhappy with the government.",
        ]);
        assert!(f.is_empty(), "{f:?}");
        let f = flagged(&[
            "A gunman shot three people at the office, killing one, police said.",
            "A gunman killed 1 person at the office and wounded two, police said.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_count_that_spells_out_what_it_includes_is_not_flagged() {
        let f = flagged(&[
            "Four people were killed, including the attacker, in the shooting at the mall on Sunday.",
            "The attacker killed three people in the shooting at the mall on Sunday, police said.",
        ]);
        assert!(f.is_empty(), "{f:?}");
    }
}
