//! Dated events of a story, in date order (English rules).
//!
//! A sentence is an event when it holds a date: a full date (`May 13,
//! 2018`, `13 May 2018`, `2018-05-13`), a month and year (`March 2017`), a
//! month and day (`April 16th`), a month after `in`, `since`, `early`,
//! `late` (`in April`), a year after `in`, `since`, `a`, `the` (`in 2012`,
//! `a 2017 agreement`), or a relative date (`last month`, `last year`,
//! `this month`, `on Sunday`, `last Thursday`, `yesterday`). Dates without
//! a year, and relative ones, are read against the article's publication
//! date, or, when it has none, the story's latest date (the latest
//! publication date, else the latest full date its texts give); without
//! either they are skipped. An embedded post's signature line (`— Name
//! (@handle) May 13, 2018`) dates the post above it.
//!
//! Sentences from different sources with the same date and enough shared
//! rare words are one event citing all of them; the events most widely
//! reported are kept ([`MAX_EVENTS`]) and listed by date, the least precise
//! first within a period (`2018` before `2018-05` before `2018-05-13`).

use chrono::{Datelike, Duration, NaiveDate};
use parallax_model::TimelineEvent;
use parallax_text::{Analyzer, normalize};

use crate::Briefer;
use crate::entities::is_cased;
use crate::gazetteer::{month, weekday};
use crate::profile::ArticleProfile;
use crate::words::{Tok, tokens};

/// Most events kept.
pub const MAX_EVENTS: usize = 15;

/// Least weighted share of rare words for two dated sentences to be one
/// event.
pub const SAME_EVENT: f32 = 0.3;

/// A date as precise as the text was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When {
    /// Year.
    pub year: i32,
    /// Month, when known.
    pub month: Option<u32>,
    /// Day, when known.
    pub day: Option<u32>,
}

impl When {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn show(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    fn day(d: NaiveDate) -> Self {
        When {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }
}

fn year_of(w: &str) -> Option<i32> {
    let y: i32 = w.parse().ok()?;
    (w.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
}

fn day_of(w: &str) -> Option<u32> {
    let d = w.trim_end_matches(|c: char| c.is_alphabetic());
    let n: u32 = d.parse().ok()?;
    (d.len() <= 2 && (1..=31).contains(&n)).then_some(n)
}

/// The most recent `month` (and `day`) not after `reference`.
fn before(reference: NaiveDate, m: u32, day: Option<u32>) -> When {
    let mut y = reference.year();
    if m > reference.month() || (m == reference.month() && day.is_some_and(|d| d > reference.day()))
    {
        y -= 1;
    }
    When {
        year: y,
        month: Some(m),
        day,
    }
}

/// Whether `text` may hold a date at all (a cheap test before
/// tokenising: a digit, or a month, weekday or relative word).
fn may_date(text: &str) -> bool {
    if text.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "day",
        "month", "year",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Dates in one sentence; `reference` reads relative ones.
pub fn dates(text: &str, reference: Option<NaiveDate>) -> Vec<When> {
    if !may_date(text) {
        return Vec::new();
    }
    let toks: Vec<Tok> = tokens(text).into_iter().filter(|t| t.is_word()).collect();
    let lower: Vec<String> = toks.iter().map(Tok::lower).collect();
    let l = |k: usize| lower.get(k).map_or("", String::as_str);
    let cased = is_cased(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let w = l(i);
        let prev = i.checked_sub(1).map_or("", |p| l(p));
        if let Some(m) = month(w) {
            // "may" is a month only as a name in cased text, or after a
            // preposition.
            let as_name = !cased || w != "may" || toks[i].is_capitalised();
            let ok = as_name
                && (w != "may"
                    || matches!(
                        prev,
                        "in" | "early" | "late" | "mid" | "since" | "until" | "of"
                    )
                    || day_of(l(i + 1)).is_some()
                    || year_of(l(i + 1)).is_some());
            if ok {
                if let Some(d) = day_of(l(i + 1)) {
                    if let Some(y) = year_of(l(i + 2)) {
                        out.push(When {
                            year: y,
                            month: Some(m),
                            day: Some(d),
                        });
                        i += 3;
                        continue;
                    }
                    if let Some(r) = reference {
                        out.push(before(r, m, Some(d)));
                    }
                    i += 2;
                    continue;
                }
                if let Some(y) = year_of(l(i + 1)) {
                    let d = day_of(prev);
                    out.push(When {
                        year: y,
                        month: Some(m),
                        day: d,
                    });
                    i += 2;
                    continue;
                }
                if matches!(
                    prev,
                    "in" | "since" | "early" | "late" | "mid" | "until" | "by" | "of" | "from"
                ) && let Some(r) = reference
                {
                    out.push(before(r, m, None));
                }
            }
            i += 1;
            continue;
        }
        if let Some(y) = year_of(w)
            && matches!(
                prev,
                "in" | "since"
                    | "by"
                    | "until"
                    | "from"
                    | "during"
                    | "a"
                    | "an"
                    | "the"
                    | "early"
                    | "late"
                    | "mid"
                    | "of"
                    | "before"
                    | "after"
            )
        {
            out.push(When {
                year: y,
                month: None,
                day: None,
            });
            i += 1;
            continue;
        }
        // ISO dates.
        if w.len() == 10
            && let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d")
        {
            out.push(When::day(d));
            i += 1;
            continue;
        }
        if let Some(r) = reference {
            let rel = match (prev, w) {
                ("last" | "past", "month") => {
                    let m = if r.month() == 1 { 12 } else { r.month() - 1 };
                    Some(before(r, m, None))
                }
                ("this", "month") => Some(before(r, r.month(), None)),
                ("last", "year") => Some(When {
                    year: r.year() - 1,
                    month: None,
                    day: None,
                }),
                ("this", "year") => Some(When {
                    year: r.year(),
                    month: None,
                    day: None,
                }),
                (_, "yesterday") => Some(When::day(r - Duration::days(1))),
                (_, "today") if cased => Some(When::day(r)),
                (p, d) if weekday(d).is_some() && matches!(p, "on" | "last" | "since") => {
                    let target = weekday(d).unwrap_or(0);
                    let now = r.weekday().num_days_from_monday();
                    let mut back = (now + 7 - target) % 7;
                    if p == "last" && back == 0 {
                        back = 7;
                    }
                    Some(When::day(r - Duration::days(i64::from(back))))
                }
                _ => None,
            };
            if let Some(x) = rel {
                out.push(x);
            }
        }
        i += 1;
    }
    out
}

/// The story's dated events.
pub fn timeline(
    briefer: &Briefer,
    profiles: &[ArticleProfile],
    en: &Analyzer,
) -> Vec<TimelineEvent> {
    let published: Vec<Option<NaiveDate>> = profiles
        .iter()
        .map(|p| p.article.published.map(|d| d.date_naive()))
        .collect();
    // The story's reference date.
    let story_ref = published.iter().flatten().max().copied().or_else(|| {
        profiles
            .iter()
            .filter(|p| p.english)
            .flat_map(|p| p.sentences.iter())
            .flat_map(|s| dates(&s.text, None))
            .filter_map(|w| NaiveDate::from_ymd_opt(w.year, w.month?, w.day?))
            .max()
    });
    // (date, sentence text, terms, article, well-formed)
    let mut found: Vec<(When, String, Vec<String>, usize, bool)> = Vec::new();
    for (a, p) in profiles.iter().enumerate().filter(|(_, p)| p.english) {
        let reference = published[a].or(story_ref);
        for (k, s) in p.sentences.iter().enumerate() {
            let ds = dates(&s.text, reference);
            // The most precise date; the first of equally precise ones.
            let Some(&when) = ds
                .iter()
                .rev()
                .max_by_key(|w| (w.day.is_some(), w.month.is_some()))
            else {
                continue;
            };
            let signature = s.text.starts_with(['\u{2014}', '\u{2013}']) && s.text.contains("(@");
            let (text, well_formed) = if signature && k > 0 {
                let who = s
                    .text
                    .trim_start_matches(['\u{2014}', '\u{2013}', ' '])
                    .split(" (@")
                    .next()
                    .unwrap_or("")
                    .trim();
                // The whole post: the paragraph above the signature.
                let body = &p.article.body;
                let above = body[..s.span.start].trim_end();
                let post = above.rsplit('\n').next().unwrap_or("").trim();
                (
                    format!("{who} posted: {post}"),
                    p.sentences[k - 1].well_formed,
                )
            } else {
                (s.text.clone(), s.well_formed)
            };
            let mut terms = en.terms(&normalize::match_key(&text));
            terms.sort();
            terms.dedup();
            found.push((when, text, terms, a, well_formed));
        }
    }
    // Group into events.
    let mut events: Vec<(When, Vec<usize>)> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let slot = events.iter_mut().find(|(w, members)| {
            *w == f.0
                && members
                    .iter()
                    .any(|&m| crate::facts::overlap(briefer, &found[m].2, &f.2) >= SAME_EVENT)
        });
        match slot {
            Some((_, members)) => members.push(i),
            None => events.push((f.0, vec![i])),
        }
    }
    let mut scored: Vec<(usize, When, TimelineEvent)> = events
        .into_iter()
        .map(|(when, members)| {
            let mut articles: Vec<usize> = members.iter().map(|&m| found[m].3).collect();
            articles.sort_unstable();
            articles.dedup();
            let shown = members
                .iter()
                .copied()
                .find(|&m| found[m].4)
                .unwrap_or(members[0]);
            (
                articles.len(),
                when,
                TimelineEvent {
                    date: when.show(),
                    text: found[shown].1.clone(),
                    sources: articles
                        .iter()
                        .map(|&a| profiles[a].article.id.clone())
                        .collect(),
                },
            )
        })
        .collect();
    // Most widely reported first, then by date; keep the best; show by
    // date.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(MAX_EVENTS);
    scored.sort_by_key(|a| a.1);
    scored.into_iter().map(|(_, _, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, r: Option<NaiveDate>) -> Vec<String> {
        dates(text, r).iter().map(When::show).collect()
    }

    #[test]
    fn reads_absolute_and_relative_dates() {
        let r = NaiveDate::from_ymd_opt(2018, 5, 14);
        assert_eq!(
            shown(
                "\u{2014} Donald J. Trump (@realDonaldTrump) May 13, 2018",
                None
            ),
            ["2018-05-13"]
        );
        assert_eq!(
            shown(
                "In March 2017 ZTE admitted to violating US sanctions.",
                None
            ),
            ["2017-03"]
        );
        assert_eq!(
            shown("In 2012, ZTE was caught shipping goods.", None),
            ["2012"]
        );
        assert_eq!(shown("The ban was imposed last month.", r), ["2018-04"]);
        assert_eq!(
            shown("In an April 16th statement, Ross said.", r),
            ["2018-04-16"]
        );
        assert_eq!(shown("Trump pledged on Sunday to help.", r), ["2018-05-13"]);
        assert!(shown("He may help.", r).is_empty());
    }
}
