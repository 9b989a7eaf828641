//! Publication time: how far an article stands from a story in time, and
//! how much that weakens their likeness.
//!
//! Words alone cannot tell one event from its look-alike a month later (the
//! same politician, another vote; the same club, another injury): the
//! second story uses the first one's vocabulary. Time can. Reports of one
//! event follow each other closely, so an article is measured against the
//! story's *span* (its earliest to its latest dated member): a long-running
//! story stays joinable as long as it keeps being reported, while one that
//! went quiet fades. Articles or stories without a date are never
//! penalised, so undated streams cluster exactly as before.

/// Seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

const DAY: f64 = 86_400.0;

/// The earliest and the latest publication time of a story's dated
/// members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    /// Earliest dated member.
    pub first: Timestamp,
    /// Latest dated member.
    pub last: Timestamp,
}

impl Span {
    /// The span of one article.
    pub fn at(t: Timestamp) -> Self {
        Self { first: t, last: t }
    }

    /// Widens the span to cover `t`.
    pub fn cover(&mut self, t: Timestamp) {
        self.first = self.first.min(t);
        self.last = self.last.max(t);
    }

    /// Seconds from `t` to the nearest end of the span (0 inside it):
    /// articles may arrive late, so an early date counts as much as a late
    /// one.
    pub fn gap(&self, t: Timestamp) -> u64 {
        if t < self.first {
            self.first.abs_diff(t)
        } else {
            t.saturating_sub(self.last).max(0) as u64
        }
    }

    /// The span covering both.
    pub fn union(a: Option<Self>, b: Option<Self>) -> Option<Self> {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                a.cover(b.first);
                a.cover(b.last);
                Some(a)
            }
            (a, b) => a.or(b),
        }
    }
}

/// How similarity decays with the gap between an article and a story.
///
/// Within `grace_days` nothing changes (a day's reports, late copies, time
/// zones, a weekend); beyond it the similarity halves every
/// `half_life_days`.
///
/// ```
/// use parallax_stories::time::{Span, TimeDecay};
/// let decay = TimeDecay::default();
/// let story = Some(Span::at(0));
/// assert_eq!(decay.factor(story, Some(2 * 86_400)), 1.0); // two days on
/// assert!(decay.factor(story, Some(30 * 86_400)) < 0.1); // a month on
/// assert_eq!(decay.factor(None, Some(30 * 86_400)), 1.0); // undated story
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimeDecay {
    /// Gap in days that costs nothing.
    pub grace_days: f32,
    /// Days over which the similarity halves beyond the grace. Zero or
    /// less turns decay off.
    pub half_life_days: f32,
}

impl Default for TimeDecay {
    fn default() -> Self {
        // No dev set carries publication dates, so these are not tuned but
        // chosen to be conservative: a story's reports follow each other
        // within days, and its span moves with every new one, so only a
        // story silent for over a week loses much (two weeks of silence
        // cost two thirds of the similarity: most joins then fail, and a
        // follow-up starts a story of its own, as news aggregators show it).
        Self {
            grace_days: 3.0,
            half_life_days: 7.0,
        }
    }
}

impl TimeDecay {
    /// No decay: time is ignored.
    pub const OFF: Self = Self {
        grace_days: 0.0,
        half_life_days: 0.0,
    };

    /// The factor (0 to 1) by which the similarity between an article
    /// published at `t` and a story spanning `span` is multiplied; 1 when
    /// either is undated.
    pub fn factor(&self, span: Option<Span>, t: Option<Timestamp>) -> f32 {
        let (Some(span), Some(t)) = (span, t) else {
            return 1.0;
        };
        if self.half_life_days <= 0.0 {
            return 1.0;
        }
        let days = span.gap(t) as f64 / DAY - f64::from(self.grace_days);
        if days <= 0.0 {
            1.0
        } else {
            0.5f64.powf(days / f64::from(self.half_life_days)) as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_is_to_the_nearest_end_of_the_span() {
        let mut s = Span::at(100);
        s.cover(300);
        assert_eq!(
            s,
            Span {
                first: 100,
                last: 300
            }
        );
        assert_eq!(s.gap(200), 0);
        assert_eq!(s.gap(50), 50);
        assert_eq!(s.gap(400), 100);
    }

    #[test]
    fn decay_halves_per_half_life_beyond_the_grace() {
        let d = TimeDecay {
            grace_days: 3.0,
            half_life_days: 7.0,
        };
        let story = Some(Span::at(0));
        let day = 86_400;
        assert_eq!(d.factor(story, Some(3 * day)), 1.0);
        assert!((d.factor(story, Some(10 * day)) - 0.5).abs() < 1e-6);
        assert!((d.factor(story, Some(-17 * day)) - 0.25).abs() < 1e-6);
        assert_eq!(TimeDecay::OFF.factor(story, Some(100 * day)), 1.0);
        assert_eq!(d.factor(story, None), 1.0);
    }

    #[test]
    fn union_covers_both_spans_and_keeps_a_lone_one() {
        let a = Some(Span {
            first: 10,
            last: 20,
        });
        let b = Some(Span { first: 5, last: 15 });
        assert_eq!(Span::union(a, b), Some(Span { first: 5, last: 20 }));
        assert_eq!(Span::union(None, b), b);
        assert_eq!(Span::union(a, None), a);
        assert_eq!(Span::union(None, None), None);
    }
}
