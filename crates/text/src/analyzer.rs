//! Index terms: the words of a text as the matcher compares them.
//!
//! An [`Analyzer`] is bound to one language. Its [`terms`](Analyzer::terms)
//! are the [folded](crate::normalize::fold) word [tokens](crate::tokens) of
//! a text with that language's stop words dropped and the rest reduced by
//! its Snowball stemmer, so "shares", "Shares" and "share" meet.
//!
//! Three kinds of analyzer exist:
//!
//! * languages with a Snowball stemmer in `rust-stemmers` (ar da de el en
//!   es fi fr hu it nl no pt ro ru sv ta tr) get that stemmer; en, de, fr,
//!   es, it, pt and nl also get a stop word list;
//! * every other language, and an unknown one (`None`), gets the
//!   language-neutral path: fold and tokenise only. English rules are never
//!   applied to text that is not known to be English: callers who want
//!   them for unknown text say so with [`Analyzer::english`];
//! * in every language, tokens holding a digit are kept as written (no
//!   stemming, no stop words), and plain numbers lose their thousands
//!   separators: `80,000` gives `80000`, `2,5` gives `2.5`, `2.3` stays.
//!
//! French and Italian elided articles are cut off (`l'entreprise` gives
//! `entrepris`). Dotted abbreviations are kept whole (`U.S.` gives `u.s`).
//!
//! Analyzers are `Copy` handles to rules built once per process, so they
//! cost nothing to pass around and are `Send + Sync`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_segmentation::UnicodeSegmentation;

use crate::{lang, normalize};

/// Turns text into index terms for one language. Cheap to copy; shareable
/// across threads.
///
/// ```
/// use parallax_text::Analyzer;
///
/// let en = Analyzer::for_lang(Some("en"));
/// assert_eq!(en.terms("ZTE employs 80,000 people in the U.S."), ["zte", "employ", "80000", "peopl", "u.s"]);
/// assert_eq!(en.terms("Trump\u{2019}s talks"), en.terms("trump s talks"));
///
/// // Unknown language: fold and tokenise only.
/// let neutral = Analyzer::for_lang(None);
/// assert_eq!(neutral.terms("The Shares"), ["the", "shares"]);
/// ```
#[derive(Clone, Copy)]
pub struct Analyzer {
    /// ISO 639-1 code, when known.
    lang: Option<&'static str>,
    /// Stemming and stop word rules; `None` on the language-neutral path.
    rules: Option<&'static Rules>,
}

/// What one language does beyond folding and tokenising.
struct Rules {
    code: &'static str,
    /// Position in [`all_rules`] (names this language's stem cache).
    index: usize,
    stemmer: Stemmer,
    /// Folded stop words. A hash set: every word of every text is looked
    /// up, and a binary search over ~180 strings cost several string
    /// comparisons each time.
    stops: FxHashSet<&'static str>,
    /// Whether elided articles (`l'`, `dell'`) are cut from word starts.
    elision: bool,
}

impl Analyzer {
    /// The analyzer for an ISO 639-1 code (case-insensitive; a region or
    /// script suffix such as `en-GB` is ignored; `nb` and `nn` mean `no`).
    /// `None`, or a language without a stemmer, gives the language-neutral
    /// path.
    pub fn for_lang(lang: Option<&str>) -> Self {
        let Some(code) = lang else {
            return Self::neutral();
        };
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let primary = match primary.as_str() {
            "nb" | "nn" => "no",
            p => p,
        };
        match all_rules().iter().find(|r| r.code == primary) {
            Some(rules) => Self {
                lang: Some(rules.code),
                rules: Some(rules),
            },
            None => Self {
                lang: lang::known_code(primary),
                rules: None,
            },
        }
    }

    /// English: Porter2 stemmer and English stop words.
    pub fn english() -> Self {
        Self::for_lang(Some("en"))
    }

    /// The analyser for an article labelled `lang`, where an article with no
    /// label (too short to detect) is taken to be English, the language of
    /// most of a news stream. A label without rules still gets the neutral
    /// path.
    ///
    /// ```
    /// use parallax_text::Analyzer;
    /// assert_eq!(Analyzer::for_article(None).lang(), Some("en"));
    /// assert_eq!(Analyzer::for_article(Some("de")).lang(), Some("de"));
    /// ```
    pub fn for_article(lang: Option<&str>) -> Self {
        Self::for_lang(Some(lang.unwrap_or("en")))
    }

    /// The language-neutral analyzer: fold and tokenise, nothing else.
    pub fn neutral() -> Self {
        Self {
            lang: None,
            rules: None,
        }
    }

    /// The ISO 639-1 code this analyzer was made for, when it is one we
    /// know; `None` for the neutral analyzer of an unknown language.
    pub fn lang(&self) -> Option<&'static str> {
        self.lang
    }

    /// True when this analyzer stems and drops stop words; false on the
    /// language-neutral path.
    pub fn has_rules(&self) -> bool {
        self.rules.is_some()
    }

    /// True when `folded_word` (already [folded](normalize::fold)) is a
    /// stop word of this language. Always false on the neutral path.
    ///
    /// ```
    /// use parallax_text::Analyzer;
    /// assert!(Analyzer::english().is_stop_word("the"));
    /// assert!(!Analyzer::english().is_stop_word("zte"));
    /// assert!(!Analyzer::neutral().is_stop_word("the"));
    /// ```
    pub fn is_stop_word(&self, folded_word: &str) -> bool {
        self.rules.is_some_and(|r| r.stops.contains(folded_word))
    }

    /// The stem of `folded_word` (already [folded](normalize::fold)); the
    /// word itself on the neutral path.
    ///
    /// ```
    /// use parallax_text::Analyzer;
    /// assert_eq!(Analyzer::english().stem("shares"), "share");
    /// assert_eq!(Analyzer::for_lang(Some("de")).stem("unternehmen"), "unternehm");
    /// assert_eq!(Analyzer::neutral().stem("shares"), "shares");
    /// ```
    pub fn stem<'a>(&self, folded_word: &'a str) -> Cow<'a, str> {
        match self.rules {
            Some(r) => r.stemmer.stem(folded_word),
            None => Cow::Borrowed(folded_word),
        }
    }

    /// The index terms of `text`, in order (see the [module docs](self)).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.terms_into(text, &mut out);
        out
    }

    /// Appends the index terms of `text` to `out` (lets a caller reuse one
    /// vector across many texts).
    pub fn terms_into(&self, text: &str, out: &mut Vec<String>) {
        out.reserve(text.len() / 8);
        self.for_each_term(text, |t| out.push(t.to_owned()));
    }

    /// Calls `f` with each index term of `text`, in order, without
    /// allocating a string per term (for hashing or counting terms).
    pub fn for_each_term(&self, text: &str, mut f: impl FnMut(&str)) {
        let folded = normalize::fold(text);
        let mut scratch = String::new();
        for word in folded.unicode_words() {
            self.term(word, &mut scratch, &mut f);
        }
    }

    /// Turns one folded word token into at most one term.
    #[inline]
    fn term(&self, word: &str, scratch: &mut String, f: &mut impl FnMut(&str)) {
        if word.bytes().any(|b| b.is_ascii_digit()) || word.chars().any(char::is_numeric) {
            if is_plain_number(word) {
                normalize_number(word, scratch);
                f(scratch);
            } else {
                f(word);
            }
            return;
        }
        let Some(rules) = self.rules else {
            f(word);
            return;
        };
        let word = if rules.elision {
            strip_elision(word)
        } else {
            word
        };
        if rules.stops.contains(word) {
            return;
        }
        if word.contains('.') {
            // Dotted abbreviation (u.s, e.g): stemming would mangle it.
            f(word);
            return;
        }
        stem_cached(rules, word, scratch);
        f(scratch);
    }
}

/// Words whose stems one thread remembers per language before it starts
/// over: enough for the working vocabulary of a news stream (a few MB).
const STEM_CACHE_WORDS: usize = 1 << 16;

thread_local! {
    /// Stems computed on this thread, per language (by [`Rules::index`]).
    /// Snowball stemming was about a tenth of the work of analysing an
    /// article, and the same few thousand words recur in every article.
    static STEMS: RefCell<Vec<FxHashMap<Box<str>, Box<str>>>> = const { RefCell::new(Vec::new()) };
}

/// Writes the stem of `word` under `rules` to `out`, from this thread's
/// cache when it has been seen (same result as stemming it again).
fn stem_cached(rules: &Rules, word: &str, out: &mut String) {
    out.clear();
    STEMS.with_borrow_mut(|caches| {
        if caches.len() <= rules.index {
            caches.resize_with(rules.index + 1, FxHashMap::default);
        }
        let cache = &mut caches[rules.index];
        if let Some(stem) = cache.get(word) {
            out.push_str(stem);
            return;
        }
        let stem = rules.stemmer.stem(word);
        out.push_str(&stem);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.into(), stem.into());
    });
}

impl Default for Analyzer {
    /// The language-neutral analyzer.
    fn default() -> Self {
        Self::neutral()
    }
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer")
            .field("lang", &self.lang)
            .field("rules", &self.rules.is_some())
            .finish()
    }
}

impl PartialEq for Analyzer {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.rules.is_some() == other.rules.is_some()
    }
}

impl Eq for Analyzer {}

/// Digits with `,` or `.` separators only (`80,000`, `2.3`).
fn is_plain_number(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// Writes `word` (a plain number) to `out` with thousands separators
/// removed: a comma followed by exactly three digits is a separator and
/// goes; any other comma is a decimal comma and becomes a point.
fn normalize_number(word: &str, out: &mut String) {
    out.clear();
    let bytes = word.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b',' {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if digits != 3 {
                out.push('.');
            }
        } else {
            out.push(char::from(b));
        }
    }
}

/// Cuts an elided article or preposition (`l'`, `qu'`, `dell'`) off the
/// start of a French or Italian word.
fn strip_elision(word: &str) -> &str {
    match word.split_once('\'') {
        Some((head, rest))
            if !rest.is_empty() && head.len() <= 5 && head.chars().all(char::is_alphabetic) =>
        {
            rest
        }
        _ => word,
    }
}

/// The rules of every language with a stemmer, built on first use.
fn all_rules() -> &'static [Rules] {
    static RULES: OnceLock<Vec<Rules>> = OnceLock::new();
    RULES.get_or_init(|| {
        let table: [(&'static str, Algorithm, &'static str); 18] = [
            ("ar", Algorithm::Arabic, ""),
            ("da", Algorithm::Danish, ""),
            ("de", Algorithm::German, STOP_DE),
            ("el", Algorithm::Greek, ""),
            ("en", Algorithm::English, STOP_EN),
            ("es", Algorithm::Spanish, STOP_ES),
            ("fi", Algorithm::Finnish, ""),
            ("fr", Algorithm::French, STOP_FR),
            ("hu", Algorithm::Hungarian, ""),
            ("it", Algorithm::Italian, STOP_IT),
            ("nl", Algorithm::Dutch, STOP_NL),
            ("no", Algorithm::Norwegian, ""),
            ("pt", Algorithm::Portuguese, STOP_PT),
            ("ro", Algorithm::Romanian, ""),
            ("ru", Algorithm::Russian, ""),
            ("sv", Algorithm::Swedish, ""),
            ("ta", Algorithm::Tamil, ""),
            ("tr", Algorithm::Turkish, ""),
        ];
        table
            .into_iter()
            .enumerate()
            .map(|(index, (code, algorithm, stops))| {
                let stops: FxHashSet<&'static str> = stops.split_whitespace().collect();
                Rules {
                    code,
                    index,
                    stemmer: Stemmer::create(algorithm),
                    stops,
                    elision: matches!(code, "fr" | "it"),
                }
            })
            .collect()
    })
}

/// English stop words, folded (ASCII apostrophes), including the pieces
/// contractions leave when the apostrophe is lost (`s`, `t`, `ll`, ...).
const STOP_EN: &str = "
a about above after again against all am an and any are aren't as at
be because been before being below between both but by
can can't cannot could couldn't
did didn't do does doesn't doing don't down during
each few for from further
had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's
i i'd i'll i'm i've if in into is isn't it it's its itself
let's me more most mustn't my myself
no nor not of off on once only or other ought our ours ourselves out over own
same shan't she she'd she'll she's should shouldn't so some such
than that that's the their theirs them themselves then there there's these they they'd they'll they're they've this those through to too
under until up very
was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't
you you'd you'll you're you've your yours yourself yourselves
s t d ll m re ve
";

/// German stop words.
const STOP_DE: &str = "
aber alle allem allen aller alles als also am an andere anderen anderer anderes auch auf aus
bei bin bis bist da damit dann das dass dem den denn der des dich die dies diese diesem diesen dieser dieses dir doch dort du durch
ein eine einem einen einer eines er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte hatten hier hin hinter
ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in ist jede jedem jeden jeder jedes jetzt kann kein keine keinen können könnte
man mein meine mich mir mit muss nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines sich sie sind so soll sollte sondern
über um und uns unser unter viel vom von vor war waren was weil welche welchem welchen welcher wenn werde werden wie wieder will wir wird wo wurde wurden würde zu zum zur zwischen
";

/// French stop words (elided forms appear both whole and cut).
const STOP_FR: &str = "
a à ai as au aux avait avec avoir c ça ce cela ces cet cette comme d dans de des du elle elles en est et été être eux
il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n ne nos notre nous on ont ou où
par pas plus pour qu que qui s sa sans se sera ses si son sont sur t ta te tes toi ton tout tu un une vos votre vous y
";

/// Spanish stop words.
const STOP_ES: &str = "
a al algo algunos ante antes como con contra cual cuando de del desde donde durante e el él ella ellas ellos en entre era eran es esa esas ese eso esos
esta está estaba están este esto estos fue fueron ha han hasta hay la las le les lo los más me mi mis muy ni no nos nosotros o otra otro otros
para pero por porque que qué quien se sea ser si sí sin sobre son su sus también tan te tiene todo todos tu un una uno unos y ya yo
";

/// Italian stop words (elided forms appear cut).
const STOP_IT: &str = "
a ad agli ai al all alla alle allo anche c che chi ci come con contro cui d da dal dall dalla dalle degli dei del dell della delle dello di dove
e è ed era erano essere gli ha hanno ho i il in io l la le lei lo loro lui ma mi ne negli nei nel nell nella nelle noi non o
per perché più quale quando quella quelle quello questa queste questo se si sia siamo sono su sua sue sul sull sulla suo suoi tra tu tutti tutto un una uno voi
";

/// Portuguese stop words.
const STOP_PT: &str = "
a à ao aos as até com como da das de dela dele do dos e é ela elas ele eles em entre era eram essa esse esta está estão este eu foi foram há isso isto já
lhe mais mas me meu minha muito na nas não nem no nos nós num numa o os ou para pela pelas pelo pelos por quando que quem se sem ser seu seus sua suas são
também te tem têm um uma umas uns você
";

/// Dutch stop words.
const STOP_NL: &str = "
aan al alles als andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er geen geweest haar had heb hebben heeft hem het hier hij hoe hun
iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over
te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wie wij wil worden wordt zal ze zelf zich zij zijn zo zonder zou
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyzer_is_send_sync_and_copy() {
        fn check<T: Send + Sync + Copy + 'static>() {}
        check::<Analyzer>();
    }

    #[test]
    fn english_terms_drop_stop_words_and_stem() {
        let en = Analyzer::english();
        assert_eq!(
            en.terms("The company has suspended its main operations."),
            ["compani", "suspend", "main", "oper"]
        );
        assert_eq!(en.lang(), Some("en"));
    }

    #[test]
    fn cached_stems_equal_fresh_ones_across_a_cache_reset() {
        let en = Analyzer::english();
        let fresh = |text: &str| -> Vec<String> {
            normalize::fold(text)
                .unicode_words()
                .filter(|w| !en.is_stop_word(w))
                .map(|w| en.stem(w).into_owned())
                .collect()
        };
        let text =
            "Shares of companies running operations fell sharply as regulators announced bans";
        assert_eq!(en.terms(text), fresh(text));
        // More distinct words than the cache holds, so it starts over at
        // least once; the words above must still stem the same afterwards.
        let many: Vec<String> = (0..STEM_CACHE_WORDS + 10).map(to_letters).collect();
        assert_eq!(en.terms(&many.join(" ")).len(), many.len());
        assert_eq!(en.terms(text), fresh(text));
        assert_eq!(en.terms("running runner runs"), ["run", "runner", "run"]);
    }

    /// `i` written in letters (`a`..`z` digits), a word with no digit.
    fn to_letters(mut i: usize) -> String {
        let mut s = String::from("q");
        loop {
            s.push(char::from(b'a' + (i % 26) as u8));
            i /= 26;
            if i == 0 {
                return s + "ing";
            }
        }
    }

    #[test]
    fn english_stop_list_is_the_usual_size() {
        let n = all_rules()
            .iter()
            .find(|r| r.code == "en")
            .map(|r| r.stops.len());
        assert!(n.is_some_and(|n| (170..=190).contains(&n)), "{n:?}");
    }

    #[test]
    fn stop_lists_are_folded() {
        for rules in all_rules() {
            for w in &rules.stops {
                assert_eq!(normalize::fold(w), *w, "{}: {w}", rules.code);
            }
        }
    }

    #[test]
    fn punctuated_and_degraded_copies_share_terms() {
        let en = Analyzer::english();
        assert_eq!(
            en.terms("Trump\u{2019}s unexpected announcement was a stunning reversal."),
            en.terms("trump s unexpected announcement was a stunning reversal")
        );
    }

    #[test]
    fn numbers_lose_thousands_separators_only() {
        let en = Analyzer::english();
        assert_eq!(
            en.terms("80,000 1,234,567 2.3 2,5 $1.1bn 2017 25-30%"),
            [
                "80000", "1234567", "2.3", "2.5", "1.1bn", "2017", "25", "30"
            ]
        );
    }

    #[test]
    fn language_codes_are_normalised() {
        assert_eq!(Analyzer::for_lang(Some("EN-gb")).lang(), Some("en"));
        assert_eq!(Analyzer::for_lang(Some("nb")).lang(), Some("no"));
        assert!(Analyzer::for_lang(Some("nb")).has_rules());
        let pl = Analyzer::for_lang(Some("pl"));
        assert_eq!(pl.lang(), Some("pl"));
        assert!(!pl.has_rules());
        assert_eq!(Analyzer::for_lang(Some("zz")).lang(), None);
        assert_eq!(Analyzer::for_lang(None), Analyzer::neutral());
    }

    #[test]
    fn neutral_path_never_applies_english_rules() {
        let pl = Analyzer::for_lang(Some("pl"));
        assert_eq!(
            pl.terms("The shares of ZTE"),
            ["the", "shares", "of", "zte"]
        );
        assert_eq!(
            Analyzer::neutral().terms("中兴通讯"),
            ["中", "兴", "通", "讯"]
        );
    }

    #[test]
    fn german_and_french() {
        let de = Analyzer::for_lang(Some("de"));
        assert_eq!(
            de.terms("Der Präsident und die Unternehmen"),
            ["prasident", "unternehm"]
        );
        let fr = Analyzer::for_lang(Some("fr"));
        assert_eq!(
            fr.terms("L\u{2019}entreprise et l'État"),
            ["entrepris", "état"]
        );
    }

    #[test]
    fn stem_and_stop_words_are_exposed() {
        let en = Analyzer::english();
        assert!(en.is_stop_word("don't"));
        assert!(en.is_stop_word("s"));
        assert_eq!(en.stem("trump's"), "trump");
        let mut n = 0;
        en.for_each_term("ZTE shares rose", |_| n += 1);
        assert_eq!(n, 3);
    }
}
