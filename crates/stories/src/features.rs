//! An article as a bag of weighted terms.

use parallax_model::ArticleId;
use parallax_text::Analyzer;
use parallax_text::tokens::iter_words;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::time::Timestamp;

/// How much a headline term counts against a body term. Headlines name the
/// event in few words, so each of their words says more.
pub const TITLE_WEIGHT: f32 = 2.0;

/// A term as clustering knows it: the 64-bit hash of its text
/// ([`term_key`]).
///
/// Keys are made while articles are analysed (in parallel), so the
/// sequential placement step interns integers instead of hashing and
/// comparing strings, and no string is allocated per word. Two distinct
/// terms share a key with probability about 2^-64 per pair: across ten
/// million distinct terms, about one chance in 400,000 that any pair does
/// (and then two words count as one).
pub type TermKey = u64;

/// The key of one index term (see [`TermKey`]).
///
/// ```
/// use parallax_stories::features::term_key;
/// assert_eq!(term_key("earthquak"), term_key("earthquak"));
/// assert_ne!(term_key("earthquak"), term_key("aceh"));
/// ```
pub fn term_key(term: &str) -> TermKey {
    xxh3_64(term.as_bytes())
}

/// Words of the body that make up its lead (the paragraph that names who,
/// where and when).
pub const LEAD_WORDS: usize = 60;

/// Words of the body that stand in for a missing headline.
pub const HEADLINE_WORDS: usize = 20;

/// The narrower views of an article that the learned decision compares
/// besides its whole text ([`crate::decision`]). Each is a list of distinct
/// keys with their raw counts, sorted by key.
#[derive(Debug, Clone, Default)]
pub struct Channels {
    /// Terms of the headline; of the body's first [`HEADLINE_WORDS`] words
    /// when there is none (feeds often fold the headline into the text).
    pub title: Vec<(TermKey, f32)>,
    /// Terms of the body's first [`LEAD_WORDS`] words.
    pub lead: Vec<(TermKey, f32)>,
    /// Capitalised words that do not open a sentence (names of people,
    /// places, organisations), case-folded, not stemmed; keyed apart from
    /// terms ([`name_key`]).
    pub names: Vec<(TermKey, f32)>,
    /// Words holding a digit (counts, scores, magnitudes, years), keyed
    /// apart from terms ([`number_key`]).
    pub numbers: Vec<(TermKey, f32)>,
}

/// The key of a name in [`Channels::names`]: not the key of the same word
/// as a term, so names and terms never share document frequencies.
///
/// ```
/// use parallax_stories::features::{name_key, term_key};
/// assert_ne!(name_key("aceh"), term_key("aceh"));
/// ```
pub fn name_key(folded: &str) -> TermKey {
    xxh3_64_with_seed(folded.as_bytes(), 0x6e61_6d65)
}

/// The key of a number in [`Channels::numbers`] (see [`name_key`]).
pub fn number_key(word: &str) -> TermKey {
    xxh3_64_with_seed(word.as_bytes(), 0x6e75_6d62)
}

/// An article reduced to what clustering compares: its id, term counts
/// (raw frequency; headline terms count [`TITLE_WEIGHT`] times), the
/// narrower [`Channels`] and publication time.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The article.
    pub id: ArticleId,
    /// Distinct terms with their weighted frequency, sorted by key.
    pub terms: Vec<(TermKey, f32)>,
    /// Headline, lead, names and numbers, each on its own.
    pub channels: Channels,
    /// When the article was published, if known ([`crate::time`]).
    pub published: Option<Timestamp>,
}

/// Sorts `keys` and folds repeats into counts.
fn counted(mut keys: Vec<(TermKey, f32)>) -> Vec<(TermKey, f32)> {
    keys.sort_unstable_by_key(|&(k, _)| k);
    keys.dedup_by(|later, first| {
        if later.0 == first.0 {
            first.1 += later.1;
            true
        } else {
            false
        }
    });
    keys
}

/// The byte offset where the `n`-th word of `text` starts (the text's
/// length when it holds fewer words).
fn after_words(text: &str, n: usize) -> usize {
    iter_words(text).nth(n).map_or(text.len(), |w| w.span.start)
}

/// Calls `f(word, opens)` for each word of `text`: a run of letters and
/// digits, with inner apostrophes, dots and commas kept when a letter or
/// digit follows (`Reggie's`, `U.S`, `6.1`, `80,000`); `opens` is true when
/// the word starts the text or a sentence (the last character before it,
/// past spaces, quotes and brackets, ends one). A plain scan of the
/// characters: this runs on every article, beside the analyser's own pass.
fn scan_words(text: &str, mut f: impl FnMut(&str, bool)) {
    let mut opens = true;
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start {
            let joins = matches!(c, '\'' | '\u{2019}' | '.' | ',')
                && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
            if joins {
                continue;
            }
            f(&text[s..i], opens);
            start = None;
            opens = false;
        }
        if matches!(c, '.' | '!' | '?' | ':' | ';' | '\n') {
            opens = true;
        } else if !(c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '(' | ')' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
            ))
        {
            opens = false;
        }
    }
    if let Some(s) = start {
        f(&text[s..], opens);
    }
}

/// Names and numbers of `text` (see [`Channels`]), appended to `names` and
/// `numbers`; `names` is `None` for text whose capitals say nothing (a
/// headline in title case).
fn names_and_numbers(
    text: &str,
    analyzer: &Analyzer,
    mut names: Option<&mut Vec<(TermKey, f32)>>,
    numbers: &mut Vec<(TermKey, f32)>,
) {
    let mut folded = String::new();
    scan_words(text, |w, opens| {
        if w.chars().any(char::is_numeric) {
            numbers.push((number_key(w), 1.0));
            return;
        }
        let Some(names) = names.as_deref_mut() else {
            return;
        };
        let mut chars = w.chars();
        let (Some(head), Some(_)) = (chars.next(), chars.next()) else {
            return;
        };
        if opens || !head.is_uppercase() {
            return;
        }
        folded.clear();
        folded.extend(w.chars().flat_map(char::to_lowercase));
        let name = folded
            .strip_suffix("'s")
            .or_else(|| folded.strip_suffix("\u{2019}s"))
            .unwrap_or(&folded);
        if !analyzer.is_stop_word(name) {
            names.push((name_key(name), 1.0));
        }
    });
}

impl Doc {
    /// Analyses `title` and `body` with `analyzer`.
    ///
    /// ```
    /// use parallax_stories::Doc;
    /// use parallax_stories::features::term_key;
    /// use parallax_text::Analyzer;
    ///
    /// let doc = Doc::new("a", Some("Quake hits Aceh"), "An earthquake hit Aceh.", &Analyzer::english());
    /// let aceh = doc.terms.iter().find(|(k, _)| *k == term_key("aceh")).unwrap();
    /// assert_eq!(aceh.1, 3.0); // twice for the headline, once for the body
    /// ```
    pub fn new(
        id: impl Into<ArticleId>,
        title: Option<&str>,
        body: &str,
        analyzer: &Analyzer,
    ) -> Self {
        let mut terms: Vec<(TermKey, f32)> = Vec::with_capacity(body.len() / 8 + 16);
        let mut channels = Channels::default();
        let title = title.filter(|t| !t.trim().is_empty());
        match title {
            Some(title) => analyzer.for_each_term(title, |t| {
                terms.push((term_key(t), TITLE_WEIGHT));
                channels.title.push((term_key(t), 1.0));
            }),
            None => {
                let end = after_words(body, HEADLINE_WORDS);
                analyzer.for_each_term(&body[..end], |t| channels.title.push((term_key(t), 1.0)));
            }
        }
        // The lead's terms are the body's first terms: one pass over the
        // lead feeds both, then the rest of the body.
        let lead_end = after_words(body, LEAD_WORDS);
        analyzer.for_each_term(&body[..lead_end], |t| {
            terms.push((term_key(t), 1.0));
            channels.lead.push((term_key(t), 1.0));
        });
        analyzer.for_each_term(&body[lead_end..], |t| terms.push((term_key(t), 1.0)));
        let (mut names, mut numbers) = (Vec::new(), Vec::new());
        if let Some(title) = title {
            names_and_numbers(title, analyzer, None, &mut numbers);
        }
        names_and_numbers(body, analyzer, Some(&mut names), &mut numbers);
        channels.title = counted(channels.title);
        channels.lead = counted(channels.lead);
        channels.names = counted(names);
        channels.numbers = counted(numbers);
        Self {
            id: id.into(),
            terms: counted(terms),
            channels,
            published: None,
        }
    }

    /// The article's terms alone, without [`Channels`] (left empty): what
    /// the plain threshold decision reads, at the cost of the analysis
    /// before channels were added (the channels cost about a fifth more
    /// CPU per article). A clusterer with a learned decision needs
    /// [`Doc::new`].
    ///
    /// ```
    /// use parallax_stories::Doc;
    /// use parallax_text::Analyzer;
    /// let en = Analyzer::english();
    /// let (t, b) = (Some("Quake hits Aceh"), "An earthquake of magnitude 6.1 hit Aceh.");
    /// let plain = Doc::plain("a", t, b, &en);
    /// assert_eq!(plain.terms, Doc::new("a", t, b, &en).terms);
    /// assert!(plain.channels.names.is_empty() && plain.channels.numbers.is_empty());
    /// ```
    pub fn plain(
        id: impl Into<ArticleId>,
        title: Option<&str>,
        body: &str,
        analyzer: &Analyzer,
    ) -> Self {
        let mut terms: Vec<(TermKey, f32)> = Vec::with_capacity(body.len() / 8 + 16);
        if let Some(title) = title {
            analyzer.for_each_term(title, |t| terms.push((term_key(t), TITLE_WEIGHT)));
        }
        analyzer.for_each_term(body, |t| terms.push((term_key(t), 1.0)));
        Self {
            id: id.into(),
            terms: counted(terms),
            channels: Channels::default(),
            published: None,
        }
    }

    /// The same article, published at `published` (seconds since the Unix
    /// epoch; `None` when unknown).
    ///
    /// ```
    /// use parallax_stories::Doc;
    /// use parallax_text::Analyzer;
    /// let doc = Doc::new("a", None, "Quake hits Aceh.", &Analyzer::english()).published_at(Some(1_500_000_000));
    /// assert_eq!(doc.published, Some(1_500_000_000));
    /// ```
    pub fn published_at(mut self, published: Option<Timestamp>) -> Self {
        self.published = published;
        self
    }

    /// True when the article had no usable terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[(TermKey, f32)]) -> Vec<(TermKey, f32)> {
        list.to_vec()
    }

    #[test]
    fn channels_hold_names_numbers_headline_and_lead() {
        let en = Analyzer::english();
        let body = "The Saints placed Reggie Bush on injured reserve. Bush was hurt in a 27-24 loss \
                    to Chicago. \"Reggie's knee\" will heal, the Saints' coach said of Reggie's.";
        let doc = Doc::new("a", Some("Saints Place Bush On IR"), body, &en);
        let c = &doc.channels;
        // Names: capitalised words inside sentences, folded, possessive
        // dropped; "The", "Bush" and the quoted "Reggie's" open sentences
        // and do not count there; the title-case headline gives none.
        let names = |w: &str| c.names.iter().find(|(k, _)| *k == name_key(w)).map(|n| n.1);
        assert_eq!(names("saints"), Some(2.0));
        assert_eq!(names("reggie"), Some(2.0));
        assert_eq!(names("bush"), Some(1.0));
        assert_eq!(names("chicago"), Some(1.0));
        assert_eq!(names("the"), None);
        assert_eq!(names("place"), None);
        assert_eq!(c.names.len(), 4);
        // Numbers, from headline and body.
        let nums: Vec<_> = ["27", "24"].iter().map(|n| (number_key(n), 1.0)).collect();
        let mut expected = nums.clone();
        expected.sort_by_key(|&(k, _)| k);
        assert_eq!(keys(&c.numbers), expected);
        // The headline channel is the headline's terms, each once.
        let mut title = Vec::new();
        en.for_each_term("Saints Place Bush On IR", |t| {
            title.push((term_key(t), 1.0))
        });
        assert_eq!(keys(&c.title), counted(title));
        // Leads: the whole body here (under LEAD_WORDS words).
        let mut lead = Vec::new();
        en.for_each_term(body, |t| lead.push((term_key(t), 1.0)));
        assert_eq!(keys(&c.lead), counted(lead));
    }

    #[test]
    fn words_and_sentence_openings() {
        let mut seen = Vec::new();
        scan_words(
            "Aceh's 6.1 quake, 80,000 hurt. \"Rescue (teams) came\"; U.S. aid: none... Then",
            |w, opens| seen.push((w.to_owned(), opens)),
        );
        let expected = [
            ("Aceh's", true),
            ("6.1", false),
            ("quake", false),
            ("80,000", false),
            ("hurt", false),
            ("Rescue", true),
            ("teams", false),
            ("came", false),
            ("U.S", true),
            ("aid", true),
            ("none", true),
            ("Then", true),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|&(w, o)| (w.to_owned(), o)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_missing_headline_is_the_opening_and_the_lead_stops() {
        let en = Analyzer::english();
        let words: Vec<String> = (0..100).map(|i| format!("w{i}x")).collect();
        let body = words.join(" ");
        let doc = Doc::new("a", None, &body, &en);
        let has = |list: &[(TermKey, f32)], w: &str| list.iter().any(|(k, _)| *k == term_key(w));
        assert!(has(&doc.channels.title, "w19x") && !has(&doc.channels.title, "w20x"));
        assert!(has(&doc.channels.lead, "w59x") && !has(&doc.channels.lead, "w60x"));
        // Splitting the body at the lead changes no term of the text.
        let mut all = Vec::new();
        en.for_each_term(&body, |t| all.push((term_key(t), 1.0)));
        assert_eq!(doc.terms, counted(all));
        // A blank headline counts as none.
        let blank = Doc::new("b", Some("  "), &body, &en);
        assert_eq!(blank.channels.title, doc.channels.title);
        assert_eq!(blank.terms, doc.terms);
    }
}
