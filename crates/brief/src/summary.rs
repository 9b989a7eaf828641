//! Extractive multi-document summary.
//!
//! Every article is a vote on what the story is. A sentence scores by how
//! close it is to the *other* articles (mean tf-idf cosine: what most
//! sources report, not what one source dwells on), by how early it stands
//! in its article (news puts what matters first), and by how central its
//! article is (the most representative report tells the story best, and
//! its lead reads as one). Sentences are then picked greedily, each
//! weighed against its likeness to those already chosen (maximal marginal
//! relevance), until the word budget is spent.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use parallax_model::{CitedSentence, Span};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::profile::{ArticleProfile, SentenceProfile};
use crate::{Briefer, cite, dateline};

/// Sentences shorter than this are fragments (datelines, "He said."):
/// never picked.
const MIN_WORDS: usize = 6;

/// Weight of a sentence's place in its article: `POSITION_WEIGHT / (1 +
/// position)`. Leads carry the news; later sentences elaborate.
const POSITION_WEIGHT: f32 = 0.3;

/// Weight of the centrality of a sentence's article (its mean similarity
/// to the other articles): sentences of the most representative report
/// come first and read as one account.
const ARTICLE_WEIGHT: f32 = 1.0;

/// Share of a candidate's gain that is its score; the rest is the
/// penalty for its likeness to the sentences already chosen.
const RELEVANCE: f32 = 0.7;

/// Least support (mean similarity to the other articles) a sentence
/// needs, as a share of the best-supported sentence's: what no other
/// source touches is one outlet's aside, not the story, however much
/// budget is left.
const MIN_SUPPORT_SHARE: f32 = 0.3;

/// Cosine to a chosen sentence above which a candidate says the same
/// thing again and is never picked: a 60-word summary has room for two
/// or three sentences, and a near-retelling of one already chosen wastes
/// one (0.5 to 0.35: NeuS train ROUGE-L +0.2, val +0.4; 0.3 to 0.4 are
/// alike on train, see bench/README.md).
const REDUNDANT: f32 = 0.35;

/// Weight of each term for this story: the share of the story's articles
/// that use it times its rarity in the background. What most sources say,
/// and what is specific to the story, counts most.
pub(crate) fn term_weights(briefer: &Briefer, profiles: &[ArticleProfile]) -> HashMap<String, f32> {
    let mut coverage: HashMap<&String, u32> = HashMap::new();
    for p in profiles {
        for t in p.term_set() {
            *coverage.entry(t).or_insert(0) += 1;
        }
    }
    let n = profiles.len().max(1) as f32;
    coverage
        .into_iter()
        .map(|(t, c)| (t.clone(), (c as f32 / n) * briefer.idf(t)))
        .collect()
}

/// How much a sentence says per word: the mean weight of its distinct
/// terms.
pub(crate) fn salience(s: &SentenceProfile, weights: &HashMap<String, f32>) -> f32 {
    let sum: f32 = s.terms.iter().filter_map(|t| weights.get(t)).sum();
    sum / s.terms.len().max(1) as f32
}

/// A tf-idf vector of unit length, sparse.
pub(crate) type Vector<'p> = FxHashMap<&'p str, f32>;

/// The unit tf-idf vector of `terms` (repeats count).
pub(crate) fn vector<'p>(briefer: &Briefer, terms: impl Iterator<Item = &'p String>) -> Vector<'p> {
    let mut v: Vector<'p> = FxHashMap::default();
    for t in terms {
        *v.entry(t.as_str()).or_insert(0.0) += 1.0;
    }
    for (t, w) in v.iter_mut() {
        *w *= briefer.idf(t);
    }
    let norm = v.values().map(|w| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for w in v.values_mut() {
            *w /= norm;
        }
    }
    v
}

/// Dot product of two sparse vectors.
pub(crate) fn dot(a: &Vector, b: &Vector) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|(t, w)| large.get(t).map(|x| w * x))
        .sum()
}

/// The story's articles as vectors, and their sum, so that an item's mean
/// similarity to every *other* article costs one dot product.
pub(crate) struct Votes<'p> {
    /// Each article's unit vector (title and body).
    pub articles: Vec<Vector<'p>>,
    /// The sum of `articles`.
    pub sum: Vector<'p>,
}

impl<'p> Votes<'p> {
    pub fn new(briefer: &Briefer, profiles: &'p [ArticleProfile]) -> Self {
        let articles: Vec<Vector<'p>> = profiles
            .iter()
            .map(|p| {
                vector(
                    briefer,
                    p.sentences
                        .iter()
                        .flat_map(|s| s.ordered.iter())
                        .chain(p.title_terms.iter()),
                )
            })
            .collect();
        let mut sum: Vector<'p> = FxHashMap::default();
        for a in &articles {
            for (t, w) in a {
                *sum.entry(t).or_insert(0.0) += w;
            }
        }
        Self { articles, sum }
    }

    /// Mean cosine of `v` (a unit vector from article `own`) with every
    /// other article; with no other article, with its own.
    pub fn support(&self, v: &Vector, own: usize) -> f32 {
        let n = self.articles.len();
        let to_own = dot(v, &self.articles[own]);
        if n < 2 {
            return to_own;
        }
        (dot(v, &self.sum) - to_own) / (n - 1) as f32
    }
}

/// Picks sentences for a summary of at most `budget` words and cites each.
pub fn summarise(
    briefer: &Briefer,
    profiles: &[ArticleProfile],
    budget: usize,
) -> Vec<CitedSentence> {
    let votes = Votes::new(briefer, profiles);
    let centrality: Vec<f32> = (0..profiles.len())
        .map(|a| {
            if profiles.len() < 2 {
                0.0
            } else {
                votes.support(&votes.articles[a], a)
            }
        })
        .collect();
    // Every eligible sentence, shown without its dateline.
    let mut pool: Vec<Candidate> = Vec::new();
    let mut seen_text: FxHashSet<String> = FxHashSet::default();
    for (a, p) in profiles.iter().enumerate() {
        let body = &p.article.body;
        let mut next = 0;
        while next < p.sentences.len() {
            let parts = whole_sentence(p, next);
            next = parts.end;
            let s = &p.sentences[parts.start];
            let (raw, well_formed) = if parts.len() == 1 {
                (s.text.as_str(), s.well_formed)
            } else {
                let raw = &body[s.span.start..p.sentences[parts.end - 1].span.end];
                (raw, parallax_text::shape::is_well_formed_sentence(raw))
            };
            let text = without_connective(dateline::strip(raw));
            let words = text.split_whitespace().count();
            if !well_formed
                || words < MIN_WORDS
                || words > budget
                || ends_with_title(&text)
                || !stands_alone(body, s.span.start, &text)
            {
                continue;
            }
            let ordered: Vec<&String> = p.sentences[parts.clone()]
                .iter()
                .flat_map(|s| s.ordered.iter())
                .collect();
            // The same sentence carried by two outlets is one candidate.
            let key = ordered
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if !seen_text.insert(key) {
                continue;
            }
            let v = vector(briefer, ordered.into_iter());
            let support = votes.support(&v, a);
            let score = support
                + POSITION_WEIGHT / (1.0 + s.position as f32)
                + ARTICLE_WEIGHT * centrality[a];
            pool.push(Candidate {
                article: a,
                sentences: parts,
                text,
                words,
                support,
                score,
                vector: v,
                overlap: 0.0,
            });
        }
    }
    let floor = MIN_SUPPORT_SHARE * pool.iter().map(|c| c.support).fold(0.0f32, f32::max);
    pool.retain(|c| c.support >= floor);

    let mut chosen: Vec<Candidate> = Vec::new();
    let mut used = 0usize;
    loop {
        let mut best: Option<(usize, f32)> = None;
        for (k, c) in pool.iter().enumerate() {
            if used + c.words > budget || c.overlap > REDUNDANT {
                continue;
            }
            let gain = RELEVANCE * c.score - (1.0 - RELEVANCE) * c.overlap;
            if best.is_none_or(|(_, b)| gain > b) {
                best = Some((k, gain));
            }
        }
        let Some((k, _)) = best else { break };
        let c = pool.swap_remove(k);
        used += c.words;
        for other in &mut pool {
            other.overlap = other.overlap.max(dot(&other.vector, &c.vector));
        }
        chosen.push(c);
    }
    // Most important first: the order of choice (the first pick is what
    // most sources lead with).
    chosen
        .into_iter()
        .map(|c| {
            let parts = &profiles[c.article].sentences[c.sentences.clone()];
            let sources = match parts {
                [one] => cite::carriers(briefer, one, c.article, profiles),
                _ => cite::carriers(briefer, &joined(parts), c.article, profiles),
            };
            CitedSentence {
                text: c.text.into_owned(),
                sources,
            }
        })
        .collect()
}

/// The sentences, from `first`, that make one whole sentence: the
/// splitter never ends a sentence after a title ("Mr.", "Sen."), but a
/// plural one ("two Democrats — Reps. Jared Golden and ...") or one it
/// does not know can still cut a name from its title. Such a cut is
/// joined back when the name follows on the same line.
fn whole_sentence(p: &ArticleProfile, first: usize) -> Range<usize> {
    let body = &p.article.body;
    let mut last = first;
    while ends_with_title(&p.sentences[last].text)
        && let Some(next) = p.sentences.get(last + 1)
        && !body[p.sentences[last].span.end..next.span.start].contains('\n')
    {
        last += 1;
    }
    first..last + 1
}

/// Consecutive sentences of one article as one, for citing. Built from
/// the first so that every field the profile holds carries over.
fn joined(parts: &[SentenceProfile]) -> SentenceProfile {
    let mut whole = parts[0].clone();
    for s in &parts[1..] {
        whole.text.push(' ');
        whole.text.push_str(&s.text);
        whole.span = Span::new(whole.span.start, s.span.end);
        whole.well_formed &= s.well_formed;
        whole.words += s.words;
        whole.ordered.extend(s.ordered.iter().cloned());
    }
    whole.terms = whole.ordered.clone();
    whole.terms.sort();
    whole.terms.dedup();
    whole
}

/// Titles that stand before a name, plurals included ("Reps. A and B").
/// A sentence that ends with one was cut before the name it introduces.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Drs", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov", "Govs",
    "Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr", "Adm", "Rev", "Hon", "Pres", "Supt",
];

/// Whether `text` ends with a title before a name ("... and Montana
/// Gov."): the sentence was cut, or the text stops before the name.
fn ends_with_title(text: &str) -> bool {
    text.split_whitespace()
        .last()
        .and_then(|w| w.strip_suffix('.'))
        .is_some_and(|w| {
            TITLE_ABBREVIATIONS.contains(&w.trim_start_matches(|c: char| !c.is_alphabetic()))
        })
}

/// Words that tie a sentence to the one before it ("But", "However,")
/// and can go without changing what the sentence says. Those after the
/// first two open a sentence only with a comma after them, so that
/// "Still unclear is ..." or "Also on the ballot ..." keep theirs.
const CONNECTIVES: &[&str] = &[
    "But",
    "And",
    "However,",
    "Still,",
    "Meanwhile,",
    "Also,",
    "Yet,",
    "Moreover,",
    "Furthermore,",
    "Additionally,",
    "Nonetheless,",
    "Nevertheless,",
    "Indeed,",
];

/// `text` without an opening connective ("But federal prosecutors still
/// recommended ..." reads "Federal prosecutors still recommended ..."): in
/// a summary the sentence it answered is not there. Unchanged when what
/// follows cannot open a sentence by itself (a word whose case a capital
/// would change, like "iPhone").
fn without_connective(text: &str) -> Cow<'_, str> {
    let Some((first, rest)) = text.split_once(' ') else {
        return text.into();
    };
    let rest = rest.trim_start();
    let Some(next) = rest.split_whitespace().next() else {
        return text.into();
    };
    let mut chars = rest.chars();
    let Some(initial) = chars.next() else {
        return text.into();
    };
    // "iPhone" would read "IPhone"; a word in capitals or a figure is fine.
    let recased = initial.is_lowercase() && next.chars().skip(1).any(char::is_uppercase);
    if !CONNECTIVES.contains(&first) || recased || !initial.is_alphanumeric() {
        return text.into();
    }
    let mut out: String = initial.to_uppercase().collect();
    out.push_str(chars.as_str());
    out.into()
}

/// `text` with every quotation left out: what the writer says in their
/// own voice.
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            '"' => inside = !inside,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A word without the punctuation around it, and without a contraction
/// ("It’s" is "It", "we're" is "we").
fn stem_word(w: &str) -> &str {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.split(['\'', '\u{2019}']).next().unwrap_or(w)
}

/// Pronouns that point back to someone or something named before.
fn is_pronoun(w: &str) -> bool {
    matches!(
        w,
        "He" | "She" | "They" | "It" | "His" | "Her" | "Their" | "Its" | "Him" | "Them"
    )
}

/// Words after an opening "This" or "That" that leave it pointing at the
/// present, not at a sentence before ("This week ...", "This year ...").
const NOW_WORDS: &[&str] = &[
    "week",
    "weekend",
    "year",
    "month",
    "morning",
    "afternoon",
    "evening",
    "night",
    "time",
    "summer",
    "spring",
    "fall",
    "autumn",
    "winter",
    "season",
    "day",
    "decade",
    "century",
    "quarter",
    "past",
    "coming",
    "holiday",
];

/// Words after an opening "That" that make it open a clause ("That the
/// congresswoman conceded was not surprising."), not point back.
const CLAUSE_OPENERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "this", "these", "those", "some", "no",
    "every", "such",
];

/// Whether a sentence opens with a demonstrative that stands for
/// something said before: as a pronoun ("This is the first ...", "That
/// seems to be ...", "That’s because ...") or before a noun that names it
/// again ("That number tops ...", "This decision ..."). Not before a word
/// of time ("This week ...") or as the opener of a clause ("That the
/// court ruled ...").
fn opens_with_demonstrative(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if !matches!(stem_word(first), "This" | "That" | "These" | "Those") {
        return false;
    }
    if first.contains(['\'', '\u{2019}']) {
        return true;
    }
    let next = words.next().unwrap_or("");
    let bare = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    bare.chars().next().is_some_and(char::is_lowercase)
        && !NOW_WORDS.contains(&stem_word(bare))
        && !CLAUSE_OPENERS.contains(&bare)
}

/// Verbs of saying, for attributions ("..., he said").
const SAYING: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "told",
    "tells",
    "wrote",
    "writes",
    "noted",
    "notes",
    "explained",
    "argued",
    "insisted",
    "continued",
    "tweeted",
    "stated",
    "declared",
];

/// Words that open a subordinate clause: a sentence that opens with one
/// names its subject before the main clause ("When President Trump
/// suspended the visas, he explained it as ...").
const SUBORDINATORS: &[&str] = &[
    "When", "As", "After", "While", "Before", "If", "Since", "Because", "Although", "Though",
    "Once", "Until", "Whenever",
];

/// Whether the sentence's last clause attributes it to a pronoun
/// ("“We will keep the border closed,” he said.", "..., she told host X
/// on Monday night."): the reader never learns who spoke. Not when the
/// sentence opens with a subordinate clause, which holds the pronoun's
/// antecedent.
fn attributed_to_pronoun(text: &str) -> bool {
    let Some(comma) = text.rfind(',') else {
        return false;
    };
    let opener = text.split_whitespace().next().unwrap_or("");
    if SUBORDINATORS.contains(&opener) {
        return false;
    }
    let mut tail = text[comma + 1..]
        .trim_start_matches(['"', '\u{201d}', '\u{2019}'])
        .split_whitespace();
    let (Some(who), Some(verb)) = (tail.next(), tail.next()) else {
        return false;
    };
    matches!(who, "he" | "she" | "they")
        && SAYING.contains(&verb.trim_matches(|c: char| !c.is_alphabetic()))
}

/// Whether a pronoun is the subject right after an opening phrase with no
/// name in it ("Instead, he wants ...", "As a result, they added, ...").
fn pronoun_after_opener(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().take(10).collect();
    let Some(comma) = words.iter().position(|w| w.ends_with(',')) else {
        return false;
    };
    let names_someone = words[1..=comma]
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase) && !is_calendar(stem_word(w)));
    words
        .get(comma + 1)
        .is_some_and(|w| matches!(*w, "he" | "she" | "they"))
        && !names_someone
}

/// Days and months: capitalised, but no one a pronoun could stand for.
fn is_calendar(w: &str) -> bool {
    matches!(
        w,
        "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "January"
            | "February"
            | "March"
            | "April"
            | "May"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
    )
}

/// Whether the writer speaks in the first person outside quote marks
/// ("I haven’t seen ...", "our response"): the reader of a brief does
/// not know who "I" or "we" is. A capital "I" after a capitalised word is
/// a numeral ("World War I").
fn first_person(text: &str) -> bool {
    let own = unquoted(text);
    let mut after_capital = false;
    for w in own.split_whitespace() {
        let word = stem_word(w);
        let first_person = match word {
            "I" => !after_capital,
            "US" => false,
            _ => matches!(
                word.to_lowercase().as_str(),
                "me" | "my" | "mine" | "myself" | "we" | "us" | "our" | "ours" | "ourselves"
            ),
        };
        if first_person {
            return true;
        }
        after_capital = word.chars().next().is_some_and(char::is_uppercase);
    }
    false
}

/// A sentence that may go into the summary.
struct Candidate<'p> {
    article: usize,
    /// The article's sentences it is made of: one, or a sentence the
    /// splitter cut after a title and its continuation.
    sentences: Range<usize>,
    /// What the summary shows.
    text: Cow<'p, str>,
    words: usize,
    /// Mean cosine to the other articles.
    support: f32,
    score: f32,
    vector: Vector<'p>,
    /// Greatest cosine to a sentence already chosen.
    overlap: f32,
}

/// Whether a sentence reads on its own: not part of a quotation or post
/// that opened before it ("Too many jobs in China lost." from a tweet),
/// its quote marks balanced, and nothing in it pointing back to a
/// sentence the reader will not see: no opening pronoun ("He said ...",
/// "It’s the latest ...", "This is the first ..."), no pronoun as the
/// subject after an opening phrase ("Instead, he wants ..."), no pronoun
/// as the speaker (", she said."), and no unnamed writer ("I", "we")
/// outside quotes.
pub fn stands_alone(body: &str, start: usize, text: &str) -> bool {
    // A pronoun inside a quotation ("\"It just hurts,\" said ...") is the
    // speaker's, not a dangling one.
    let quoted = text.starts_with(['"', '\u{201c}']);
    let first = text.split_whitespace().next().map(stem_word).unwrap_or("");
    let demonstrative = opens_with_demonstrative(text);
    if (!quoted && (is_pronoun(first) || demonstrative || pronoun_after_opener(text)))
        || first_person(text)
        || attributed_to_pronoun(text)
    {
        return false;
    }
    let curly_open = text.matches('\u{201c}').count();
    let curly_close = text.matches('\u{201d}').count();
    if curly_open != curly_close || text.matches('"').count() % 2 == 1 {
        return false;
    }
    // Inside a quotation opened earlier in its paragraph?
    let start = (0..=start.min(body.len()))
        .rev()
        .find(|&i| body.is_char_boundary(i))
        .unwrap_or(0);
    let para = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &body[para..start];
    // Quote marks are read in order: a curly quote may be closed by a
    // straight mark (mixed marks in one text).
    let mut inside = false;
    for c in before.chars() {
        match c {
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            '"' => inside = !inside,
            _ => {}
        }
    }
    if inside {
        return false;
    }
    // A line of an embedded post: the next line signs it, "— Name
    // (@handle) date".
    let next_line = body[start..]
        .find('\n')
        .and_then(|i| body[start + i + 1..].lines().next())
        .unwrap_or("")
        .trim_start();
    let signed = (next_line.starts_with('\u{2014}')
        || next_line.starts_with('\u{2013}')
        || next_line.starts_with("- "))
        && next_line.contains("(@");
    !signed
}

#[cfg(test)]
mod tests {
    use parallax_model::Article;

    use super::*;

    #[test]
    fn summary_sentences_stand_alone() {
        let body = "The mayor posted: \u{201c}We will rebuild. Too many homes lost. Help is coming!\u{201d}\nHe said more later.\nThe storm hit on Monday.\nWe are with you. Roads reopen soon.\n\u{2014} Jane Roe (@janeroe) May 1, 2018";
        let at = |s: &str| body.find(s).unwrap();
        assert!(!stands_alone(body, at("Too many"), "Too many homes lost."));
        assert!(!stands_alone(body, at("He said"), "He said more later."));
        assert!(stands_alone(
            body,
            at("The storm"),
            "The storm hit on Monday."
        ));
        assert!(!stands_alone(body, at("Roads"), "Roads reopen soon."));
    }

    #[test]
    fn sentences_that_point_back_do_not_stand_alone() {
        let alone = |text: &str| stands_alone(text, 0, text);
        // Contracted pronouns and demonstratives used as pronouns.
        assert!(!alone(
            "It’s the latest attempt by allies to unseat the deputy."
        ));
        assert!(!alone("He's stating official White House policy today."));
        assert!(!alone(
            "This is the first debate to include the former mayor."
        ));
        assert!(!alone("That’s because she has written a pile of tweets."));
        assert!(alone("This week the Senate takes up the highway bill."));
        assert!(!alone(
            "That seems to be the question on the tongues of many liberals."
        ));
        assert!(!alone(
            "That number tops the previous record of 90,456 cases."
        ));
        assert!(alone(
            "That the congresswoman finally conceded was not surprising."
        ));
        assert!(alone(
            "This year, the rise of mail voting will slow the count."
        ));
        // A pronoun as the subject after an opening phrase with no name.
        assert!(!alone(
            "Instead, he wants states to be able to declare bankruptcy."
        ));
        assert!(!alone(
            "As a result, they added, Israel would suspend its plans."
        ));
        assert!(alone("On Monday, Pelosi said she would hold the vote."));
        assert!(alone(
            "After the vote on Tuesday, the senators said they would meet."
        ));
        // A pronoun as the speaker.
        assert!(!alone(
            "\u{201c}We will keep the border closed,\u{201d} he said."
        ));
        assert!(!alone(
            "Prosecutors are investigating the tax filings, she said in a statement."
        ));
        assert!(alone(
            "\u{201c}We will keep the border closed,\u{201d} the governor said."
        ));
        assert!(!alone(
            "\u{201c}I am not here to make people feel bad,\u{201d} she told host Tammy Bruce on Fox News on Monday night."
        ));
        assert!(alone(
            "When President Trump suspended the visas, he explained it as a way to bolster job prospects."
        ));
        // The unnamed writer speaks; a quoted speaker may.
        assert!(!alone(
            "I haven’t seen the president’s tax returns this year."
        ));
        assert!(!alone(
            "The pandemic has been unprecedented, as has our response to it."
        ));
        assert!(alone(
            "\u{201c}We are on track to build the wall,\u{201d} Trump told reporters."
        ));
        assert!(alone(
            "Sen. Bernie Sanders (I-Vt.) is set to announce a jobs plan."
        ));
        assert!(alone(
            "The memorial honours the soldiers of World War I in the city."
        ));
    }

    #[test]
    fn opening_connectives_are_dropped_when_the_rest_reads_alone() {
        assert_eq!(
            without_connective("But federal prosecutors still recommended a stiff sentence."),
            "Federal prosecutors still recommended a stiff sentence."
        );
        assert_eq!(
            without_connective("However, the bill failed in the House."),
            "The bill failed in the House."
        );
        // Without its comma "Still" is no connective; a recased word stays.
        let kept = [
            "Still unclear is whether the bill passes.",
            "But iPhone sales fell for the third quarter.",
            "Butter prices rose for the third month.",
        ];
        for text in kept {
            assert_eq!(without_connective(text), text);
        }
    }

    #[test]
    fn a_title_keeps_its_names_and_a_text_cut_after_one_is_dropped() {
        let articles = [article(
            "a",
            "Lawmakers passed the relief bill 219-212, with two Democrats — Reps. Jared Golden and Kurt Schrader — voting against it. \
             The package now goes to the Senate, where its wage increase faces a fight.\n\
             The first night largely pitted moderates like the former congressman and Montana Gov.",
        )];
        let profiles: Vec<ArticleProfile> = articles.iter().map(ArticleProfile::new).collect();
        let p = &profiles[0];
        // The splitter knows plural titles, so the sentence comes whole,
        // and a whole sentence is its own candidate.
        assert!(p.sentences.iter().all(|s| !s.text.ends_with("Reps.")));
        let at = p
            .sentences
            .iter()
            .position(|s| s.text.contains("Reps. Jared Golden"))
            .expect("one sentence holds the title and its names");
        assert_eq!(whole_sentence(p, at), at..at + 1);
        assert!(ends_with_title(
            "moderates like the former congressman and Montana Gov."
        ));
        assert!(!ends_with_title("They met in Washington, D.C."));
        let mut briefer = Briefer::default();
        briefer.observe(&articles[0]);
        let summary = summarise(&briefer, &profiles, 60);
        assert!(
            summary.iter().all(|s| !ends_with_title(&s.text)),
            "{summary:?}"
        );
        assert!(
            summary
                .iter()
                .any(|s| s.text.contains("Reps. Jared Golden and Kurt Schrader")),
            "{summary:?}"
        );
    }

    fn article(id: &str, body: &str) -> Article {
        Article {
            lang: Some("en".into()),
            ..Article::new(id, body)
        }
    }

    #[test]
    fn leads_with_what_most_sources_report_and_says_it_once() {
        let articles = [
            article(
                "a",
                "WASHINGTON (AP) — The Senate passed the highway funding bill on Tuesday by a vote of 68 to 30. \
                 The Senate passed the highway funding bill on Tuesday with a vote of 68 to 30 votes. \
                 Lobbyists for truck makers had pressed senators for months over toll roads.",
            ),
            article(
                "b",
                "Senators approved a highway funding bill on Tuesday, 68 votes to 30, sending it to the House. \
                 The bill pays for bridges and roads for five years.",
            ),
            article(
                "c",
                "The highway bill the Senate passed on Tuesday funds roads and bridges for five years. \
                 A columnist wrote that the weather in Ohio was unusually mild for the season.",
            ),
        ];
        let mut briefer = Briefer::default();
        for a in &articles {
            briefer.observe(a);
        }
        let profiles: Vec<ArticleProfile> = articles.iter().map(ArticleProfile::new).collect();
        let summary = summarise(&briefer, &profiles, 60);
        assert!(!summary.is_empty());
        let words: usize = summary
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum();
        assert!(words <= 60);
        // The dateline is cut; the text is still the source's own.
        assert!(
            summary.iter().all(|s| !s.text.starts_with("WASHINGTON")),
            "{summary:?}"
        );
        // The off-topic aside is no part of what the sources share.
        assert!(
            summary.iter().all(|s| !s.text.contains("columnist")),
            "{summary:?}"
        );
        // The vote is said once, not in both of a's phrasings.
        let votes = summary.iter().filter(|s| s.text.contains("68")).count();
        assert_eq!(votes, 1, "{summary:?}");
        // And cited by the articles that report it.
        let first = summary.iter().find(|s| s.text.contains("68")).unwrap();
        assert!(first.sources.len() >= 2, "{first:?}");
    }
}
