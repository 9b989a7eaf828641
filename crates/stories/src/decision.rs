//! The learned join decision: how likely an arriving article reports the
//! same event as a candidate story.
//!
//! A single cosine threshold over the whole text means different things on
//! different streams (long articles score lower than headlines with a
//! lead; a story of fifty reports has a broader centroid than one of
//! three). The decision here reads several similarities that mean the same
//! on every stream: the cosine of the whole text, of the headline, of the
//! lead, of the names and of the numbers mentioned, and how far the
//! candidate stands ahead of the article's other candidates. None of them
//! counts articles or words, so a decision fitted on short NeuS leads and
//! long ECB+ articles together holds on both.
//!
//! The weights are fitted by `bench/stories/train_decision.py`
//! (logistic regression on the candidates the clusterer meets when every
//! article is placed in its true story) and shipped in [`Decision::SHIPPED`].

/// How many features the decision reads (see [`Features`]).
pub const FEATURES: usize = 13;

/// What the decision reads about one candidate story, in this order:
///
/// 0. cosine of the article's whole text and the story centroid;
/// 1. cosine of the headlines (the article's against the story's
///    headline centroid);
/// 2. cosine of the leads;
/// 3. cosine of the names;
/// 4. cosine of the numbers;
/// 5. feature 0 less the best feature 0 among the other candidates (0
///    when there is none): positive only for the leader, and the more so
///    the clearer its lead;
/// 6. the same margin for the headline cosine (feature 1);
/// 7. the mean cosine of the whole texts of the article and of each of the
///    story's latest members (average linkage);
/// 8. to 11. the same means for headlines, leads, names and numbers;
/// 12. the whole-text cosine of the nearest of those members.
///
/// Every cosine is multiplied by the time decay ([`crate::time`]).
pub type Features = [f32; FEATURES];

/// How many features the article-to-article model reads (see
/// [`PairFeatures`]).
pub const PAIR_FEATURES: usize = 5;

/// What the article-to-article model reads about two articles: the
/// cosines of their whole texts, headlines, leads, names and numbers.
pub type PairFeatures = [f32; PAIR_FEATURES];

/// A logistic decision over [`Features`]: the article joins the candidate
/// with the highest probability when that probability reaches `cutoff`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Intercept of the logistic model.
    pub bias: f32,
    /// One weight per feature.
    pub weights: Features,
    /// Least probability for the article to join.
    pub cutoff: f32,
    /// Intercept of the article-to-article model (merges).
    pub pair_bias: f32,
    /// Weights of the article-to-article model.
    pub pair_weights: PairFeatures,
    /// Least probability of a second candidate story for the two stories
    /// to be tested for a merge.
    pub merge_probe: f32,
    /// Least mean article-to-article probability between two stories'
    /// latest members for them to merge.
    pub merge_cutoff: f32,
}

/// The numbers a decision is written as, in order.
const NUMBERS: usize = FEATURES + PAIR_FEATURES + 5;

impl Decision {
    /// The decision fitted on the three dev sets together (ECB+ topics
    /// 1-25, NeuS train, NeuS val) by `bench/stories/train_decision.py`;
    /// its leave-one-set-out figures are in `bench/README.md`.
    pub const SHIPPED: Decision = Decision {
        bias: -4.0694,
        weights: [5.1854, 0.0456, 1.8695, 1.1150, 1.1116, 10.6572, 3.1267, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        cutoff: 0.5,
        pair_bias: -4.0,
        pair_weights: [8.0, 0.0, 0.0, 0.0, 0.0],
        merge_probe: 0.2,
        merge_cutoff: 0.5,
    };

    /// The probability that the article belongs to the candidate scored
    /// `x`.
    ///
    /// ```
    /// use parallax_stories::decision::Decision;
    /// let d = Decision { bias: -2.0, weights: [4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], ..Decision::SHIPPED };
    /// assert!(d.probability(&[0.9; 13]) > 0.5);
    /// assert!(d.probability(&[0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]) < 0.5);
    /// ```
    pub fn probability(&self, x: &Features) -> f32 {
        logistic(self.bias, &self.weights, x)
    }

    /// The probability that two articles with [`PairFeatures`] `x` report
    /// the same event.
    pub fn pair_probability(&self, x: &PairFeatures) -> f32 {
        logistic(self.pair_bias, &self.pair_weights, x)
    }

    /// Reads a decision written as the training script prints it: `bias`,
    /// the [`FEATURES`] weights, `cutoff`, `pair_bias`, the
    /// [`PAIR_FEATURES`] pair weights, `merge_probe`, `merge_cutoff`,
    /// separated by commas (for experiments without a rebuild).
    ///
    /// ```
    /// use parallax_stories::decision::Decision;
    /// let d = Decision::parse("-1,2,0,0,0,0,0,0,0,0,0,0,0,0.5,0.6,-3,4,0,0,0,1,0.2,0.5").unwrap();
    /// assert_eq!(d.bias, -1.0);
    /// assert_eq!(d.weights[12], 0.5);
    /// assert_eq!(d.cutoff, 0.6);
    /// assert_eq!(d.pair_weights, [4.0, 0.0, 0.0, 0.0, 1.0]);
    /// assert_eq!((d.merge_probe, d.merge_cutoff), (0.2, 0.5));
    /// assert!(Decision::parse("1,2").is_err());
    /// assert!(Decision::parse("a,0,0,0,0,0,0,0,0,0,0,0,0,0,0.5,0,0,0,0,0,0,0.2,0.5").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Decision, String> {
        let values: Vec<f32> = text
            .split(',')
            .map(|v| {
                v.trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| format!("not a finite number: {v:?}"))
            })
            .collect::<Result<_, _>>()?;
        if values.len() != NUMBERS {
            return Err(format!(
                "a decision is {NUMBERS} numbers (bias, {FEATURES} weights, cutoff, pair bias, \
                 {PAIR_FEATURES} pair weights, merge probe, merge cutoff), got {}",
                values.len()
            ));
        }
        let mut weights = [0.0; FEATURES];
        weights.copy_from_slice(&values[1..=FEATURES]);
        let rest = &values[FEATURES + 1..];
        let mut pair_weights = [0.0; PAIR_FEATURES];
        pair_weights.copy_from_slice(&rest[2..2 + PAIR_FEATURES]);
        Ok(Decision {
            bias: values[0],
            weights,
            cutoff: rest[0],
            pair_bias: rest[1],
            pair_weights,
            merge_probe: rest[2 + PAIR_FEATURES],
            merge_cutoff: rest[3 + PAIR_FEATURES],
        })
    }
}

/// `1 / (1 + e^-(bias + w.x))`.
fn logistic(bias: f32, weights: &[f32], x: &[f32]) -> f32 {
    let z = weights.iter().zip(x).fold(bias, |z, (w, v)| z + w * v);
    1.0 / (1.0 + (-z).exp())
}
