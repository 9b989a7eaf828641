//! Sentence spans of an article body.
//!
//! [`split`] cuts a body into [`Sentence`]s: byte spans into the body, in
//! order, never overlapping, never empty, trimmed of surrounding
//! whitespace, and together covering every non-whitespace character (no
//! text is ever lost). Line breaks are hard boundaries: each line
//! (paragraph) is split on its own, so a tweet and the attribution line
//! under it (`— Donald J. Trump (@realDonaldTrump) May 13, 2018`) never merge.
//!
//! Each line is split in one of two modes, chosen by
//! [`shape::is_degraded`]:
//!
//! * **Punctuated prose.** A sentence ends at `.`, `!`, `?` or an ellipsis
//!   (plus any closing quotes or brackets right after it) that is followed
//!   by whitespace, unless the next word starts lowercase (`"Go!" he said`,
//!   `etc. and`). After a full stop, the word before it decides further:
//!   titles (`Mr.`, `Dr.`, `Sen.`) never end a sentence; other abbreviations
//!   (`U.S.`, `Corp.`, `Inc.`, `Jan.`, `e.g.`, `a.m.`), dotted initialisms and
//!   single-letter initials (`J. Trump`) end one only when the next word is a
//!   common sentence opener (`The`, `He`, `But`, ...) or an opening quote.
//!   Full stops not followed by whitespace (`1.1bn`, `$2.3bn`, `Corp.,`,
//!   `reuters.com`) never end a sentence; CJK full-width stops always do. A
//!   line that has lost its capitals but kept its punctuation drops the
//!   lowercase rule. Any sentence still longer than [`MAX_SENTENCE_WORDS`]
//!   is cut as degraded text.
//! * **Degraded text** (caseless, unpunctuated copy like seed 001) is cut
//!   into pieces of [`MIN_PIECE_WORDS`] to [`MAX_PIECE_WORDS`] words. Within
//!   that window each possible cut is scored: cutting before a word that
//!   usually opens a clause (`the`, `he`, `but`, `in`, ...) or after a verb
//!   of saying (`said`, `added`) scores up; cutting after a word that cannot
//!   end a sentence (`the`, `of`, `to`, ...) or before a contraction
//!   remnant (`s`, `t`) scores down; distance from [`TARGET_PIECE_WORDS`]
//!   costs a little. The best cut wins. These pieces are for matching only.
//!
//! `well_formed` is [`shape::is_well_formed_sentence`] for punctuated prose
//! and always false for pieces of degraded text, so nobody quotes them as
//! written sentences.

use parallax_model::{Sentence, Span};

use crate::shape::{self, is_closing, is_opening, is_terminal};

/// Fewest words in a piece of degraded text (unless the whole line is
/// shorter).
pub const MIN_PIECE_WORDS: usize = 15;

/// The piece length degraded-text cutting aims for.
pub const TARGET_PIECE_WORDS: usize = 25;

/// Most words in a piece of degraded text.
pub const MAX_PIECE_WORDS: usize = 40;

/// Punctuated sentences longer than this (in words) are cut as degraded
/// text: real sentences this long are rare, run-ons without stops are not.
pub const MAX_SENTENCE_WORDS: usize = 120;

/// The sentences of `body` (see the [module docs](self) for the rules).
///
/// ```
/// use parallax_text::sentences::split;
///
/// let body = "The U.S. Commerce Department blocked ZTE Corp., a supplier. He said: \"Go.\" Then he left.\n\
///             \u{2014} Donald J. Trump (@realDonaldTrump) May 13, 2018";
/// let s = split(body);
/// let texts: Vec<&str> = s.iter().map(|s| s.span.slice(body)).collect();
/// assert_eq!(texts, [
///     "The U.S. Commerce Department blocked ZTE Corp., a supplier.",
///     "He said: \"Go.\"",
///     "Then he left.",
///     "\u{2014} Donald J. Trump (@realDonaldTrump) May 13, 2018",
/// ]);
/// assert!(s[0].well_formed && !s[3].well_formed);
/// ```
pub fn split(body: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for (i, c) in body.char_indices() {
        if matches!(c, '\n' | '\u{2028}' | '\u{2029}') {
            split_line(body, line_start, i, &mut out);
            line_start = i + c.len_utf8();
        }
    }
    split_line(body, line_start, body.len(), &mut out);
    out
}

/// Splits `body[start..end]`, one line, appending to `out`.
fn split_line(body: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let line = &body[start..end];
    if line.trim().is_empty() {
        return;
    }
    if shape::is_degraded(line) {
        cut_pieces(line, start, out);
        return;
    }
    let caseless = shape::is_caseless(line);
    let mut from = 0;
    let mut ends = sentence_ends(line, caseless);
    ends.push(line.len());
    for to in ends {
        let Some((s, e)) = trimmed(line, from, to) else {
            continue;
        };
        from = to;
        let text = &line[s..e];
        if text.split_whitespace().nth(MAX_SENTENCE_WORDS).is_some() {
            cut_pieces(text, start + s, out);
        } else {
            out.push(Sentence {
                span: Span::new(start + s, start + e),
                well_formed: shape::is_well_formed_sentence(text),
            });
        }
    }
}

/// `line[from..to]` without surrounding whitespace, or `None` if blank.
fn trimmed(line: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let part = &line[from..to];
    let lead = part.len() - part.trim_start().len();
    let body = part.trim();
    (!body.is_empty()).then(|| (from + lead, from + lead + body.len()))
}

/// Byte offsets in `line` just past each sentence end (excluding the end of
/// the line itself).
fn sentence_ends(line: &str, caseless: bool) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let at = i;
        i += c.len_utf8();
        if !is_terminal(c) {
            continue;
        }
        // Take the whole run of terminals and closing quotes/brackets.
        let mut run_is_single_stop = c == '.';
        while let Some(n) = line[i..]
            .chars()
            .next()
            .filter(|&n| is_terminal(n) || is_closing(n))
        {
            if is_terminal(n) {
                run_is_single_stop = false;
            }
            i += n.len_utf8();
        }
        let rest = &line[i..];
        if rest.trim().is_empty() {
            break;
        }
        let cjk_stop = matches!(c, '\u{3002}' | '\u{FF01}' | '\u{FF1F}');
        let spaced = rest.starts_with(char::is_whitespace);
        if cjk_stop || (spaced && ends_here(&line[..at], run_is_single_stop, rest, caseless)) {
            ends.push(i);
        }
    }
    ends
}

/// Whether a terminal run ends a sentence. `before` is the line up to the
/// first terminal, `single_stop` says the run is one full stop (not `?`,
/// `!` or an ellipsis), `rest` is what follows the run.
fn ends_here(before: &str, single_stop: bool, rest: &str, caseless: bool) -> bool {
    let rest = rest.trim_start();
    let opened = rest.starts_with(is_opening);
    let next = rest.trim_start_matches(is_opening);
    let Some(first) = next.chars().next() else {
        return true;
    };
    if first.is_lowercase() && !caseless {
        return false;
    }
    if !single_stop {
        return true;
    }
    match abbreviation(before) {
        Abbrev::None => true,
        Abbrev::Title => false,
        Abbrev::Weak => {
            let word: String = next
                .chars()
                .take_while(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect();
            opened || OPENERS.contains(&word.as_str())
        }
    }
}

/// What the word before a full stop says about it.
#[derive(Debug, PartialEq, Eq)]
enum Abbrev {
    /// An ordinary word or number: the stop ends the sentence.
    None,
    /// A title that always precedes a name (`Mr.`).
    Title,
    /// An abbreviation that may or may not end the sentence.
    Weak,
}

/// Classifies the word at the end of `before` (the text up to a full stop).
fn abbreviation(before: &str) -> Abbrev {
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = before[start..].trim_start_matches('.');
    if word.is_empty() {
        return Abbrev::None;
    }
    let lower = word.to_lowercase();
    if TITLES.contains(&lower.as_str()) {
        return Abbrev::Title;
    }
    if WEAK_ABBREVIATIONS.contains(&lower.as_str()) {
        return Abbrev::Weak;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return if c.is_uppercase() {
            Abbrev::Weak
        } else {
            Abbrev::None
        };
    }
    let dotted = word.contains('.')
        && word.split('.').all(|part| {
            (1..=2).contains(&part.chars().count()) && part.chars().all(char::is_alphabetic)
        });
    if dotted { Abbrev::Weak } else { Abbrev::None }
}

/// Titles before names, singular and plural ("Sens. Smith and Jones"): a
/// full stop after them never ends a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "mmes", "dr", "drs", "prof", "profs", "sen", "sens", "rep",
    "reps", "gov", "govs", "gen", "gens", "col", "cols", "lt", "lts", "sgt", "sgts", "capt",
    "capts", "cmdr", "adm", "rev", "revs", "hon", "pres", "supt", "insp", "mme", "mlle", "maj",
    "cpl", "pvt", "atty", "amb",
];

/// Abbreviations that may end a sentence as well as sit inside one.
const WEAK_ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "plc", "llc", "bros", "jr", "sr", "st", "ave", "blvd", "rd", "mt",
    "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "vs", "etc", "no", "nos", "vol", "fig", "approx", "est", "dept", "univ", "assn", "al", "cf",
    "pp", "ca",
];

/// Words that commonly open a sentence: after an abbreviation, one of these
/// means the abbreviation also ended the sentence.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "so",
    "yet",
    "or",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "although",
    "though",
    "however",
    "meanwhile",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "what",
    "why",
    "how",
    "who",
    "where",
    "which",
    "some",
    "many",
    "most",
    "both",
    "each",
    "all",
    "no",
    "not",
    "mr",
    "mrs",
    "ms",
    "still",
    "also",
    "now",
    "then",
    "later",
    "earlier",
    "last",
    "next",
    "despite",
    "during",
    "because",
    "other",
    "another",
];

/// Words that usually open a clause: good places to cut degraded text.
const CLAUSE_OPENERS: &[&str] = &[
    "the",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "but",
    "in",
    "this",
    "these",
    "those",
    "there",
    "his",
    "her",
    "its",
    "their",
    "when",
    "while",
    "although",
    "though",
    "however",
    "meanwhile",
    "if",
    "both",
    "our",
    "you",
];

/// Verbs of saying: a sentence often ends right after them.
const SAYING: &[&str] = &[
    "said",
    "says",
    "added",
    "wrote",
    "reported",
    "stated",
    "announced",
];

/// Words that practically never end a sentence.
const NO_END: &[&str] = &[
    "the", "a", "an", "of", "to", "and", "or", "in", "on", "at", "for", "with", "by", "from", "as",
    "is", "was", "are", "were", "be", "been", "has", "have", "had", "that", "which", "who", "than",
    "its", "their", "his", "her", "our", "this", "these", "those", "into", "about", "over",
    "after", "before", "will", "would", "could", "should", "can", "not", "u", "mr", "mrs",
];

/// Words that practically never start a sentence, including the remnants
/// of contractions and possessives once the apostrophe is gone.
const NO_START: &[&str] = &[
    "s", "t", "d", "ll", "re", "ve", "m", "of", "to", "than", "and", "or",
];

/// Cuts `text` (which starts at byte `base` of the body) into pieces of
/// degraded text, none well-formed.
fn cut_pieces(text: &str, base: usize, out: &mut Vec<Sentence>) {
    let words = word_spans(text);
    let n = words.len();
    let mut i = 0;
    while i < n {
        let remaining = n - i;
        let len = if remaining <= MAX_PIECE_WORDS {
            remaining
        } else {
            let hi = MAX_PIECE_WORDS.min(remaining - MIN_PIECE_WORDS);
            best_cut(text, &words, i, MIN_PIECE_WORDS, hi)
        };
        let (s, _) = words[i];
        let (_, e) = words[i + len - 1];
        out.push(Sentence {
            span: Span::new(base + s, base + e),
            well_formed: false,
        });
        i += len;
    }
}

/// The piece length in `lo..=hi` whose cut scores best, for a piece that
/// starts at word `i`.
fn best_cut(text: &str, words: &[(usize, usize)], i: usize, lo: usize, hi: usize) -> usize {
    let word = |k: usize| {
        let (s, e) = words[k];
        text[s..e].trim_matches(|c: char| !c.is_alphanumeric())
    };
    let is = |list: &[&str], w: &str| list.iter().any(|l| l.eq_ignore_ascii_case(w));
    let mut best = (f32::MIN, hi);
    for len in lo..=hi {
        let (before, after) = (word(i + len - 1), word(i + len));
        let mut score = 0.0;
        if is(CLAUSE_OPENERS, after) {
            score += 2.0;
        }
        if is(SAYING, before) && !after.eq_ignore_ascii_case("that") {
            score += 2.0;
        }
        if is(NO_END, before) {
            score -= 3.0;
        }
        if is(NO_START, after) {
            score -= 2.0;
        }
        score -= len.abs_diff(TARGET_PIECE_WORDS) as f32 * 0.08;
        if score > best.0 {
            best = (score, len);
        }
    }
    best.1
}

/// Byte spans of the whitespace-separated words of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_seeds::seed;

    const SEEDS: [&str; 5] = [
        "000_3289558473fbce1e.txt",
        "001_cced9b695fb88dcf.txt",
        "002_df84a0d7098cfa3b.txt",
        "003_2a5e5c70efc2358a.txt",
        "004_f64fde2f822e4293.txt",
    ];

    fn texts(body: &str) -> Vec<&str> {
        split(body).iter().map(|s| s.span.slice(body)).collect()
    }

    /// The invariants every split must keep.
    fn check_invariants(body: &str) {
        let sentences = split(body);
        let mut covered = vec![false; body.len()];
        let mut last_end = 0;
        for s in &sentences {
            let Span { start, end } = s.span;
            assert!(start < end, "empty span {start}..{end}");
            assert!(start >= last_end, "overlap or disorder at {start}");
            let text = &body[start..end];
            assert_eq!(text.trim(), text, "untrimmed: {text:?}");
            covered[start..end].iter_mut().for_each(|b| *b = true);
            last_end = end;
        }
        for (i, c) in body.char_indices() {
            assert!(
                c.is_whitespace() || covered[i],
                "lost {c:?} at {i} in {body:?}"
            );
        }
    }

    #[test]
    fn seeds_keep_the_invariants() {
        for name in SEEDS {
            let Some(text) = seed(name) else { return };
            check_invariants(&text);
        }
    }

    #[test]
    fn odd_inputs_keep_the_invariants() {
        for body in [
            "",
            "   \n\n ",
            ".",
            "...!?",
            " a. b. c. ",
            "Mr. \"\u{201C}",
            "\u{3002}\u{3002}x\u{3002} y",
            "He said. \u{201C}Go.\u{201D}\n\r\nU.S. Inc. J. A. B.",
            "中兴通讯。美国商务部！好吗？",
            "Hello\u{2028}World. é. Ü.",
        ] {
            check_invariants(body);
        }
        // Generated mixtures of the awkward pieces.
        let parts = [
            "U.S.", "Mr.", "the", "Go.", "\"Yes!\"", " ", "\n", "1.1bn", "...", "é", "Corp.,",
            "J.", "ok?", "\u{2014}", "\t",
        ];
        let mut state = 0x2545_F491_u32;
        for _ in 0..300 {
            let mut body = String::new();
            for _ in 0..40 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                body.push_str(parts[state as usize % parts.len()]);
                if state.is_multiple_of(3) {
                    body.push(' ');
                }
            }
            check_invariants(&body);
        }
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let body = "Mr. Trump met Dr. Smith and Mrs. Jones at 9 a.m. on Jan. 5 in St. Louis. \
                    Qualcomm Inc. said the U.K. and the U.S. agreed, e.g. on tariffs, i.e. taxes. \
                    Donald J. Trump paid $2.3bn, up 1.1% from 1.1bn.";
        assert_eq!(
            texts(body),
            [
                "Mr. Trump met Dr. Smith and Mrs. Jones at 9 a.m. on Jan. 5 in St. Louis.",
                "Qualcomm Inc. said the U.K. and the U.S. agreed, e.g. on tariffs, i.e. taxes.",
                "Donald J. Trump paid $2.3bn, up 1.1% from 1.1bn.",
            ]
        );
    }

    #[test]
    fn plural_titles_do_not_end_sentences() {
        let body = "Reps. Nancy Pelosi and Kevin McCarthy spoke, as did Sens. Collins and Reed. \
                    Maj. Gen. Smith and Drs. Lee and Park agreed.";
        assert_eq!(
            texts(body),
            [
                "Reps. Nancy Pelosi and Kevin McCarthy spoke, as did Sens. Collins and Reed.",
                "Maj. Gen. Smith and Drs. Lee and Park agreed.",
            ]
        );
    }

    #[test]
    fn abbreviations_end_sentences_before_an_opener() {
        let body = "He moved to the U.S. The next day he bought Acme Corp. It cost $5m.";
        assert_eq!(
            texts(body),
            [
                "He moved to the U.S.",
                "The next day he bought Acme Corp.",
                "It cost $5m."
            ]
        );
    }

    #[test]
    fn quotes_questions_and_ellipses() {
        let body = "He said: \"Go.\" Then he left. Why? \u{201C}Because!\u{201D} she said. Wait... It worked. \"Is it?\" he asked.";
        assert_eq!(
            texts(body),
            [
                "He said: \"Go.\"",
                "Then he left.",
                "Why?",
                "\u{201C}Because!\u{201D} she said.",
                "Wait...",
                "It worked.",
                "\"Is it?\" he asked."
            ]
        );
    }

    #[test]
    fn lines_are_hard_boundaries_and_headings_are_not_well_formed() {
        let body = "8 min read\nZTE shares were suspended on Monday.\n\nMore from China";
        let s = split(body);
        assert_eq!(
            texts(body),
            [
                "8 min read",
                "ZTE shares were suspended on Monday.",
                "More from China"
            ]
        );
        assert_eq!(
            s.iter().map(|s| s.well_formed).collect::<Vec<_>>(),
            [false, true, false]
        );
    }

    #[test]
    fn lowercase_punctuated_text_still_splits() {
        let body = "trump spoke on sunday about the u.s. ban on zte. he said jobs in china were at risk. the firm had halted its main operations.";
        assert_eq!(
            texts(body),
            [
                "trump spoke on sunday about the u.s. ban on zte.",
                "he said jobs in china were at risk.",
                "the firm had halted its main operations."
            ]
        );
        assert!(split(body).iter().all(|s| !s.well_formed));
    }

    #[test]
    fn seed_001_is_cut_into_bounded_pieces() {
        let Some(body) = seed("001_cced9b695fb88dcf.txt") else {
            return;
        };
        let s = split(&body);
        let words = body.split_whitespace().count();
        assert!(
            s.len() >= words / MAX_PIECE_WORDS,
            "{} pieces for {words} words",
            s.len()
        );
        assert!(s.len() > 25);
        for piece in &s {
            let text = piece.span.slice(&body);
            let n = text.split_whitespace().count();
            assert!(
                (MIN_PIECE_WORDS..=MAX_PIECE_WORDS).contains(&n),
                "{n} words: {text}"
            );
            assert!(n <= 60);
            assert!(!piece.well_formed, "{text}");
        }
        // Pieces prefer clause openings and never start on a contraction remnant.
        let starts: Vec<&str> = s
            .iter()
            .filter_map(|p| p.span.slice(&body).split_whitespace().next())
            .collect();
        assert!(starts.iter().all(|w| !NO_START.contains(w)), "{starts:?}");
        let good = starts.iter().filter(|w| CLAUSE_OPENERS.contains(w)).count();
        assert!(good * 2 >= starts.len(), "{starts:?}");
    }

    #[test]
    fn seed_003_tweets_and_attribution() {
        let Some(body) = seed("003_2a5e5c70efc2358a.txt") else {
            return;
        };
        let t = texts(&body);
        let tweet = [
            "President Xi of China, and I, are working together to give massive Chinese phone company, ZTE, a way to get back into business, fast.",
            "Too many jobs in China lost.",
            "Commerce Department has been instructed to get it done!",
            "\u{2014} Donald J. Trump (@realDonaldTrump) May 13, 2018",
        ];
        let at = t
            .iter()
            .position(|s| *s == tweet[0])
            .expect("tweet sentence found");
        assert_eq!(&t[at..at + 4], tweet);
        let s = split(&body);
        assert!(s[at].well_formed && s[at + 1].well_formed && s[at + 2].well_formed);
        assert!(!s[at + 3].well_formed);
        // Quoted lines split after their closing quote, per line.
        assert!(t.contains(&"\"Too many jobs in China lost."));
        assert!(t.contains(&"\"But be cool, it will all work out!\""));
        assert!(t.contains(&"More from China"));
        assert!(t.contains(
            &"ZTE employs 75,000 people and says it has business in more than 160 countries."
        ));
    }

    #[test]
    fn seed_004_abbreviations_and_quotes() {
        let Some(body) = seed("004_f64fde2f822e4293.txt") else {
            return;
        };
        let t = texts(&body);
        assert!(t.contains(
            &"The U.S. Commerce Department last month blocked the ZTE Corp., a major supplier of telecom networks and \
              smartphones based in southern China, from importing American components for seven years."
        ));
        assert!(t.contains(&"The U.S. accused ZTE of misleading American regulators after it settled charges of violating sanctions against North Korea and Iran."));
        assert!(t.contains(
            &"\"I've never seen a president step in and reverse an agency decision like this."
        ));
        assert!(t.contains(&"It's not clear, of course, if he's planning to really reverse it or think of a solution in a larger context, but it is something that is just out of the norm,\" said Amanda DeBusk, the chair of the international trade and government regulations practice at the firm Dechert LLP."));
        let s = split(&body);
        assert!(s.iter().filter(|s| s.well_formed).count() >= 20);
    }

    #[test]
    fn seeds_000_and_002_are_ordinary_prose() {
        let Some(body) = seed("000_3289558473fbce1e.txt") else {
            return;
        };
        let t = texts(&body);
        assert!(t.contains(&"In March 2017 ZTE admitted to violating US sanctions by illegally shipping American technology to Iran and Korea and was fined $1.1bn (\u{00A3}800m)."));
        assert!(t.contains(
            &"ZTE spent more than $2.3bn on imports from about 200 US companies last year."
        ));
        assert!(
            t.contains(&"READ: Atiku Abubakar to privatise parts of NNPC if elected president")
        );
        let Some(body) = seed("002_df84a0d7098cfa3b.txt") else {
            return;
        };
        let t = texts(&body);
        assert!(
            t.contains(&"\u{201C}ZTE misled the Department of Commerce,\u{201D} Mr Ross said.")
        );
        assert!(t.contains(
            &"\u{201C}Instead of reprimanding ZTE staff and senior management, ZTE rewarded them."
        ));
        for s in split(&body) {
            assert!(s.span.slice(&body).split_whitespace().count() <= 80);
        }
    }

    #[test]
    fn long_unpunctuated_runs_are_bounded() {
        let body = "The committee met and ".repeat(60);
        let s = split(&body);
        assert!(s.len() > 1);
        assert!(
            s.iter().all(|p| !p.well_formed
                && p.span.slice(&body).split_whitespace().count() <= MAX_PIECE_WORDS)
        );
    }

    #[test]
    fn abbreviation_classes() {
        assert_eq!(abbreviation("met Mr"), Abbrev::Title);
        assert_eq!(abbreviation("the U.S"), Abbrev::Weak);
        assert_eq!(abbreviation("Donald J"), Abbrev::Weak);
        assert_eq!(abbreviation("ZTE Corp"), Abbrev::Weak);
        assert_eq!(abbreviation("in 2012"), Abbrev::None);
        assert_eq!(abbreviation("fast"), Abbrev::None);
        assert_eq!(abbreviation("\u{201C}"), Abbrev::None);
    }
}
