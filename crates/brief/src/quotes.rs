//! Quotes with their speakers, merged across the sources that carry them
//! (English rules).
//!
//! **Finding quotes.** Text between double quote marks (curly or straight)
//! of at least [`MIN_QUOTE_WORDS`] words. A quote left open at the end of a
//! paragraph goes on when the next paragraph opens with a quote mark (the
//! press convention for long quotes); otherwise it ends there. An embedded
//! post (a paragraph followed by a `— Name (@handle) date` line) is a quote
//! by that name. In a caseless, unpunctuated copy there are no marks: the
//! words next to `NAME said` (or `said NAME`) are taken as what NAME said,
//! up to the previous verb of saying, when NAME is a known person.
//!
//! **Speakers.** From the sentence structure, in order: the attribution
//! after the quote in its sentence (`"...," said Eswar Prasad`, `"...,"
//! Mr Ross said`, `"...," prosecutor Seth Goldman said`; `said Acme lab
//! director Jane Roe` is Jane Roe; `told AFP` names the listener, not the
//! speaker; a name after a preposition or in the possessive is never the
//! subject; `... whether progress could be made, Trump said.` at the
//! sentence end); `"...," the judge said` is the person the article names
//! with that role (`Judge Mary Smith`); `he`/`she` is the person a recent
//! sentence opens with, else the person named last; a quote that ends its
//! sentence (`"... one."`) is never attributed by the next sentence. Else a
//! verb of saying before the quote in its sentence (`Douglas Jacobson, a
//! lawyer, said:`), whose subject is the person named nearest before the
//! verb, or the sentence's first person for a participle (`Lindsay Walters
//! confirmed ..., saying that ... "to exercise ..."`); a quote with no
//! attribution in its sentence continues the paragraph's or the previous
//! paragraph's speaker. A quotation longer than [`MAX_QUOTE_CHARS`] is a
//! stray mark paired with a far one and is dropped. Names are the story's
//! canonical ones (`Mr Trump` and `Donald J. Trump` are `Donald Trump`).
//!
//! **Merging.** Two quotes are one when most of the shorter one's word
//! 4-grams (case and punctuation ignored) are in the longer one, or they
//! share a run of [`RUN_WORDS`] words; the merged quote shows its longest
//! written form. Every article that holds a run of [`RUN_WORDS`] words of a
//! quote (or all of a shorter one) carries it, so a copy that lost its
//! quote marks and capitals still counts as a source.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use parallax_model::{EntityKind, Quote};
use parallax_text::{Analyzer, normalize};

use crate::entities::{Names, is_cased};
use crate::profile::ArticleProfile;

/// Fewest words in a quote (shorter ones are scare quotes: "denial order").
pub const MIN_QUOTE_WORDS: usize = 4;

/// Words two texts must share in one run to hold the same quote.
pub const RUN_WORDS: usize = 8;

/// Share of the shorter quote's 4-grams the longer must hold to merge.
pub const CONTAIN_THRESHOLD: f32 = 0.6;

/// Most quotes listed in a brief.
pub const MAX_QUOTES: usize = 40;

/// Longest quotation, in bytes: a longer "quote" is a stray mark paired
/// with a far one (tokenised copy loses marks), never shown.
pub const MAX_QUOTE_CHARS: usize = 1000;

/// Longest quote taken from caseless copy, in words.
const MAX_CASELESS_WORDS: usize = 40;

/// One quote as found in one article.
#[derive(Debug, Clone)]
pub struct Found {
    /// Article index.
    pub article: usize,
    /// The quoted words as written.
    pub text: String,
    /// Speaker entity.
    pub speaker: Option<usize>,
    /// Whether it was in quote marks.
    pub direct: bool,
    /// Lowercase words without punctuation.
    pub words: Vec<String>,
}

/// Verbs of saying.
fn is_saying(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "wrote"
            | "writes"
            | "tweeted"
            | "added"
            | "adds"
            | "stated"
            | "explained"
            | "noted"
            | "argued"
            | "warned"
            | "insisted"
            | "claimed"
            | "declared"
            | "announced"
            | "asked"
            | "cautioned"
            | "continued"
            | "responded"
            | "replied"
            | "posted"
            | "saying"
            | "adding"
            | "writing"
            | "telling"
            | "according"
            | "acknowledged"
            | "admitted"
            | "commented"
            | "described"
            | "describing"
            | "called"
            | "calling"
            | "vowed"
            | "urged"
            | "demanded"
            | "conceded"
            | "recalled"
            | "testified"
    )
}

/// Verbs of saying whose object is the listener, not the speaker ("told
/// AFP").
fn is_telling(w: &str) -> bool {
    matches!(w, "told" | "tells" | "telling" | "asked" | "urged")
}

/// The last word of `text` (letters only, spaces before the end ignored),
/// lowercased; empty when `text` does not end in one.
fn word_before(text: &str) -> String {
    let text = text.trim_end();
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(text.len(), |(i, _)| i);
    text[start..].to_lowercase()
}

/// Whether a name at byte `start` of `text` follows a preposition or ends
/// in a possessive: then it is not the subject of a verb ("a woman in
/// Qeshm told", "Donald Trump's vice president").
fn not_subject(text: &str, start: usize, end: usize) -> bool {
    let prev = word_before(&text[..start]);
    let possessive = text[end..].starts_with("'s")
        || text[end..].starts_with("\u{2019}s")
        || text[start..end].ends_with("'s")
        || text[start..end].ends_with("\u{2019}s");
    possessive
        || matches!(
            prev.as_str(),
            "in" | "at" | "of" | "from" | "for" | "with" | "to" | "by" | "on" | "near" | "about"
        )
}

fn is_participle(w: &str) -> bool {
    w.ends_with("ing") && w != "according"
}

fn is_open(c: char) -> bool {
    matches!(c, '\u{201c}' | '\u{201e}')
}

fn is_close(c: char) -> bool {
    c == '\u{201d}'
}

/// A quote's byte span in the body, and whether it continued across
/// paragraphs.
#[derive(Debug, Clone)]
struct Span {
    /// Inner start (after the mark).
    start: usize,
    /// Inner end (before the mark, or the paragraph end).
    end: usize,
    /// Start of the paragraph it opened in.
    para: usize,
}

/// Quote spans of a body (see the module docs for the paragraph rule).
fn spans(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (inner start, paragraph start)
    let mut para = 0;
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == '\n' {
            if let Some((s, p)) = open {
                // Does the next non-blank line open with a quote mark?
                let mut m = k + 1;
                while m < chars.len() && chars[m].1.is_whitespace() {
                    m += 1;
                }
                let continues = chars.get(m).is_some_and(|&(_, d)| is_open(d) || d == '"');
                if continues {
                    // Keep the quote open; skip the repeated mark.
                    k = m + 1;
                    para = chars[m].0;
                    continue;
                }
                out.push(Span {
                    start: s,
                    end: i,
                    para: p,
                });
                open = None;
            }
            para = i + 1;
            k += 1;
            continue;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|&(_, d)| d);
        match open {
            None => {
                let straight_open =
                    c == '"' && prev.is_none_or(|p| p.is_whitespace() || "([—–-:".contains(p));
                if is_open(c) || straight_open {
                    open = Some((i + c.len_utf8(), para));
                }
            }
            Some((s, p)) => {
                let straight_close =
                    c == '"' && next.is_none_or(|n| n.is_whitespace() || ",.;:!?)—–-".contains(n));
                if is_close(c) || straight_close {
                    out.push(Span {
                        start: s,
                        end: i,
                        para: p,
                    });
                    open = None;
                }
            }
        }
        k += 1;
    }
    if let Some((s, p)) = open {
        out.push(Span {
            start: s,
            end: body.len(),
            para: p,
        });
    }
    out.retain(|s| s.end - s.start <= MAX_QUOTE_CHARS);
    out
}

/// The quoted words as one line: continuation marks dropped, whitespace
/// collapsed, trailing comma dropped.
fn clean(inner: &str) -> String {
    let text: String = inner
        .split_whitespace()
        .map(|w| w.trim_start_matches(['"', '\u{201c}']))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    text.trim_end_matches([',', ' ']).to_owned()
}

fn key_words(s: &str) -> Vec<String> {
    normalize::match_key(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Start of the sentence holding byte `at` (after the last stop followed
/// by a space, or the paragraph start).
fn sentence_start(body: &str, para: usize, at: usize) -> usize {
    let region = &body[para..at];
    let mut cut = 0;
    let b = region.as_bytes();
    for i in 0..b.len().saturating_sub(1) {
        if matches!(b[i], b'.' | b'!' | b'?') && b[i + 1] == b' ' {
            // Not after a title ("Mr. Trump") or an initial.
            let word: String = region[..i]
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect();
            if word.chars().count() > 1
                && !crate::gazetteer::TITLES.contains(
                    &word
                        .chars()
                        .rev()
                        .collect::<String>()
                        .to_lowercase()
                        .as_str(),
                )
            {
                cut = i + 2;
            }
        }
    }
    para + cut
}

/// End of the sentence that starts at or after byte `from`: the next stop
/// followed by whitespace, or the line end.
fn sentence_end(body: &str, from: usize) -> usize {
    let rest = &body[from..];
    let line = rest.find('\n').unwrap_or(rest.len());
    let rest = &rest[..line];
    let b = rest.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1).is_none_or(|c| *c == b' ') {
            return from + i + 1;
        }
    }
    from + line
}

/// What the text after a quote says of its speaker.
#[derive(Debug, Clone, Copy, PartialEq)]
enum After {
    /// No verb of saying: the attribution is elsewhere.
    Nothing,
    /// `," said NAME`, `," NAME said`, `," prosecutor NAME said`.
    Named(usize),
    /// `," he said`: the person last named before the quote.
    Pronoun,
    /// `," the judge said`: a speaker the article may name elsewhere by
    /// that role.
    Role(&'static str),
    /// A verb of saying with no one we can name.
    Unnamed,
}

/// Speaker of a quote from the text after it in its sentence (up to 12
/// words, stopping at another quote).
fn speaker_after(after: &str, names: &Names, en: &Analyzer) -> After {
    let cut = after
        .char_indices()
        .skip(1)
        .find(|&(_, c)| is_open(c) || c == '"')
        .map_or(after.len(), |(i, _)| i);
    let after = &after[..cut];
    let toks = crate::words::tokens(after);
    let words: Vec<(usize, String)> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_word())
        .map(|(n, t)| (n, t.lower()))
        .take(12)
        .collect();
    let Some(v) = words
        .iter()
        .take(8)
        .position(|(_, w)| is_saying(w) && w != "according")
    else {
        // "... to determine whether progress could be made, Trump said.":
        // the sentence ends with its attribution.
        let all: Vec<&crate::words::Tok> = toks.iter().filter(|t| t.is_word()).collect();
        if let [.., name_end, verb] = all[..]
            && matches!(verb.lower().as_str(), "said" | "says")
        {
            return names
                .find(after, en)
                .into_iter()
                .filter(|f| {
                    is_person(names, f.entity)
                        || names.get(f.entity).kind == EntityKind::Organisation
                })
                .find(|f| f.end == name_end.end && !not_subject(after, f.start, f.end))
                .map_or(After::Nothing, |f| After::Named(f.entity));
        }
        return After::Nothing;
    };
    let verb_at = toks[words[v].0].start;
    let verb_end = toks[words[v].0].end;
    let found: Vec<_> = names
        .find(after, en)
        .into_iter()
        .filter(|f| {
            matches!(
                names.get(f.entity).kind,
                EntityKind::Person | EntityKind::Organisation
            )
        })
        .collect();
    // "NAME said" (the subject before the verb), else "said NAME".
    if let Some(f) = found
        .iter()
        .rev()
        .find(|f| f.end <= verb_at && !not_subject(after, f.start, f.end))
    {
        return After::Named(f.entity);
    }
    if is_telling(&words[v].1) {
        return After::Unnamed;
    }
    if v < 2 && matches!(words.first().map(|(_, w)| w.as_str()), Some("he" | "she")) {
        return After::Pronoun;
    }
    // "said NAME": the name must follow the verb closely.
    let close: Vec<_> = found
        .iter()
        .filter(|f| f.start >= verb_end && f.start <= verb_end + 80)
        .collect();
    // "said Acme lab director Jane Roe": the person, not the employer.
    if let Some(f) = close
        .iter()
        .find(|f| is_person(names, f.entity))
        .or(close.first())
    {
        return After::Named(f.entity);
    }
    let next = words.get(v + 1).map(|(_, w)| w.as_str());
    if matches!(next, Some("he" | "she")) {
        return After::Pronoun;
    }
    // "the judge said" / "said the judge".
    let role = words[..v]
        .iter()
        .rev()
        .chain(words[v + 1..].iter().take(3))
        .find_map(|(_, w)| crate::gazetteer::role_word(w));
    match role {
        Some(r) => After::Role(r),
        None => After::Unnamed,
    }
}

/// Who "he" or "she" is at the end of `text`: the person a recent
/// sentence opens with (its subject: "Pompeo appeared on Fox News and
/// watched as host Bill Hemmer played clips, where he stated"), else the
/// person named last.
fn referent(text: &str, names: &Names, en: &Analyzer) -> Option<usize> {
    let mut starts: Vec<usize> = vec![0];
    starts.extend(
        text.match_indices(". ")
            .map(|(i, _)| i + 2)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1)),
    );
    starts.sort_unstable();
    for &start in starts.iter().rev() {
        let sentence = &text[start..];
        let opener = names
            .find(sentence, en)
            .into_iter()
            .filter(|f| f.start <= 12 && is_person(names, f.entity))
            .find(|f| !not_subject(sentence, f.start, f.end));
        if let Some(f) = opener {
            return Some(f.entity);
        }
        if sentence.len() > 400 {
            break;
        }
    }
    last_person(text, names, en)
}

/// The person named last in `text` (outside quote marks).
fn last_person(text: &str, names: &Names, en: &Analyzer) -> Option<usize> {
    let mut inside = false;
    let mut outside = String::with_capacity(text.len());
    for c in text.chars() {
        if is_open(c) || is_close(c) || c == '"' {
            inside = if is_open(c) {
                true
            } else if is_close(c) {
                false
            } else {
                !inside
            };
            outside.push(' ');
            continue;
        }
        // Keep byte offsets roughly aligned: blank quoted text.
        if inside {
            for _ in 0..c.len_utf8() {
                outside.push(' ');
            }
        } else {
            outside.push(c);
        }
    }
    names
        .find(&outside, en)
        .into_iter()
        .filter(|f| is_person(names, f.entity) && !not_subject(&outside, f.start, f.end))
        .max_by_key(|f| f.end)
        .map(|f| f.entity)
}

/// The person an article names with `role` right before the name
/// (`Judge Mary Smith`, `prosecutor Seth Goldman`).
fn person_by_role(body: &str, role: &str, names: &Names, en: &Analyzer) -> Option<usize> {
    let found = names.find(body, en);
    found
        .iter()
        .filter(|f| is_person(names, f.entity))
        .find(|f| {
            let word = word_before(&body[..f.start]);
            word == role
                || names
                    .get(f.entity)
                    .name
                    .to_lowercase()
                    .starts_with(&format!("{role} "))
        })
        .map(|f| f.entity)
}

fn is_person(names: &Names, e: usize) -> bool {
    names.get(e).kind == EntityKind::Person
}

/// Speaker of a quote from its sentence before it.
fn speaker_before(
    before: &str,
    names: &Names,
    en: &Analyzer,
    last: Option<usize>,
) -> Option<Option<usize>> {
    let toks = crate::words::tokens(before);
    let verb = toks
        .iter()
        .rposition(|t| is_saying(&t.lower()))
        .or_else(|| toks.iter().rposition(|t| t.text == ":"))?;
    let verb_word = toks[verb].lower();
    let found: Vec<_> = names
        .find(before, en)
        .into_iter()
        .filter(|f| {
            matches!(
                names.get(f.entity).kind,
                EntityKind::Person | EntityKind::Organisation
            ) && !not_subject(before, f.start, f.end)
        })
        .collect();
    let people: Vec<_> = found
        .iter()
        .filter(|f| is_person(names, f.entity))
        .collect();
    let verb_at = toks[verb].start;
    let pronoun = || {
        toks[..verb]
            .iter()
            .rev()
            .take(3)
            .any(|t| matches!(t.lower().as_str(), "he" | "she"))
    };
    if is_participle(&verb_word) {
        if let Some(f) = people.first() {
            return Some(Some(f.entity));
        }
    } else if let Some(f) = people.iter().rev().find(|f| f.end <= verb_at) {
        // A pronoun between the name and the verb refers back: keep it
        // simple and prefer the pronoun only when it is right before.
        if pronoun() && last.is_some() && toks[..verb].len() > 3 {
            let near_pronoun = toks[..verb]
                .iter()
                .rev()
                .take(2)
                .any(|t| matches!(t.lower().as_str(), "he" | "she"));
            if near_pronoun && f.end + 40 < verb_at {
                return Some(last);
            }
        }
        return Some(Some(f.entity));
    }
    // "He acknowledged ..., calling it": the subject is a pronoun.
    if pronoun()
        || toks[..verb]
            .iter()
            .any(|t| matches!(t.lower().as_str(), "he" | "she"))
    {
        return Some(last);
    }
    // "the company said": an organisation speaks.
    if let Some(f) = found.iter().rev().find(|f| f.end <= verb_at) {
        return Some(Some(f.entity));
    }
    Some(None)
}

/// The quotes of one written (cased) article.
fn written(a: usize, body: &str, names: &Names, en: &Analyzer) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut last: Option<usize> = None;
    let mut last_para: Option<(usize, Option<usize>)> = None;
    for sp in spans(body) {
        let text = clean(&body[sp.start..sp.end]);
        let words = key_words(&text);
        if words.len() < MIN_QUOTE_WORDS {
            continue;
        }
        let mark = body[..sp.start]
            .char_indices()
            .next_back()
            .map_or(sp.start, |(i, _)| i);
        let s0 = sentence_start(body, sp.para, mark);
        let before = &body[s0..mark];
        let close_at = (sp.end + 3).min(body.len());
        let close_at = (close_at..=body.len())
            .find(|&i| body.is_char_boundary(i))
            .unwrap_or(body.len());
        let s1 = sentence_end(body, close_at.min(body.len()));
        let after = &body[sp.end.min(s1)..s1];
        let recent = || {
            let from = mark.saturating_sub(600);
            let from = (from..mark)
                .find(|&i| body.is_char_boundary(i))
                .unwrap_or(mark);
            referent(&body[from..mark], names, en).or(last)
        };
        // A quote that ends its sentence ("... one.") is attributed before
        // it, never by the next sentence.
        let ends_sentence = body[sp.start..sp.end].trim_end().ends_with('.');
        let attributed = if ends_sentence {
            After::Nothing
        } else {
            speaker_after(after, names, en)
        };
        let mut speaker = match attributed {
            After::Named(e) => Some(e),
            After::Pronoun => recent(),
            After::Role(r) => person_by_role(body, r, names, en),
            After::Nothing | After::Unnamed => None,
        };
        if attributed == After::Nothing {
            // Only the text before this quote and after any earlier one.
            let before = before
                .char_indices()
                .rfind(|&(_, c)| c == '\u{201d}' || c == '"')
                .map_or(before, |(i, c)| &before[i + c.len_utf8()..]);
            let full_before = &body[s0..mark];
            let prior = recent();
            speaker = match speaker_before(before, names, en, prior) {
                Some(s) => s,
                None => match speaker_before(full_before, names, en, prior) {
                    Some(s) => s,
                    None => {
                        // No attribution: the paragraph's or the previous
                        // paragraph's speaker.
                        last_para
                            .and_then(|(p, s)| (p + 1 >= sp.para || s.is_some()).then_some(s))
                            .flatten()
                    }
                },
            };
        }
        if speaker.is_some() {
            last = speaker;
        }
        last_para = Some((sp.para, speaker));
        out.push(Found {
            article: a,
            text,
            speaker,
            direct: true,
            words,
        });
    }
    // Embedded posts: a line, then "— Name (@handle) date".
    let lines: Vec<&str> = body.lines().collect();
    for w in lines.windows(2) {
        let sig = w[1].trim_start();
        if !(sig.starts_with('\u{2014}') || sig.starts_with('\u{2013}') || sig.starts_with("- "))
            || !sig.contains("(@")
        {
            continue;
        }
        let text = clean(w[0].trim());
        let words = key_words(&text);
        if words.len() < MIN_QUOTE_WORDS {
            continue;
        }
        let speaker = names
            .find(sig, en)
            .into_iter()
            .find(|f| {
                is_person(names, f.entity) || names.get(f.entity).kind == EntityKind::Organisation
            })
            .map(|f| f.entity);
        out.push(Found {
            article: a,
            text,
            speaker,
            direct: true,
            words,
        });
    }
    out
}

/// Quotes of a caseless copy: the words by `NAME said` / `said NAME`.
fn caseless(a: usize, body: &str, names: &Names, en: &Analyzer) -> Vec<Found> {
    let key = normalize::match_key(body);
    let words: Vec<&str> = key.split(' ').collect();
    // Word index of each byte offset start in the key.
    let mut offsets = Vec::with_capacity(words.len());
    let mut at = 0;
    for w in &words {
        offsets.push(at);
        at += w.len() + 1;
    }
    let word_at = |byte: usize| offsets.partition_point(|&o| o < byte);
    let credit = (0..words.len().saturating_sub(1))
        .find(|&i| matches!(words[i], "reporting" | "editing" | "writing") && words[i + 1] == "by")
        .unwrap_or(words.len());
    let mut out = Vec::new();
    for f in names.find(&key, en) {
        if !is_person(names, f.entity) {
            continue;
        }
        let (s, e) = (word_at(f.start), word_at(f.end));
        if e >= credit {
            break;
        }
        let verb_after = words
            .get(e)
            .is_some_and(|w| matches!(*w, "said" | "says" | "added" | "wrote"));
        // "... NAME said. The next sentence": the quote is before. (Not
        // "NAME said that ...", nor "said NAME's ...": reported speech.)
        let next_opens = words
            .get(e + 1)
            .is_none_or(|w| SENTENCE_OPENERS.contains(w) || e + 1 >= credit);
        if !verb_after || !next_opens {
            continue;
        }
        let stop = s;
        let from = (0..stop)
            .rev()
            .find(|&i| matches!(words[i], "said" | "says" | "told" | "wrote" | "added"))
            .map_or(0, |i| i + 1);
        let from = from.max(stop.saturating_sub(MAX_CASELESS_WORDS));
        let span: Vec<&str> = words[from..stop].to_vec();
        if span.len() < RUN_WORDS {
            continue;
        }
        out.push(Found {
            article: a,
            text: span.join(" "),
            speaker: Some(f.entity),
            direct: false,
            words: span.iter().map(|w| (*w).to_owned()).collect(),
        });
    }
    out
}

/// Words that open a sentence, to tell `X said. The ...` from `X said
/// the ...` in caseless copy (approximately).
const SENTENCE_OPENERS: &[&str] = &[
    "reporting",
    "editing",
    "i",
    "you",
    "we",
    "they",
    "he",
    "she",
    "it",
    "but",
    "and",
    "so",
    "meanwhile",
    "however",
    "in",
    "on",
    "at",
    "after",
    "before",
    "when",
    "while",
    "a",
    "an",
];

fn grams(words: &[String]) -> Vec<u64> {
    words
        .windows(4)
        .map(|w| {
            let mut h = FxHasher::default();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Longest run of consecutive 4-grams of `q` present in `set`, in words.
fn run(q: &[u64], set: &HashSet<u64>) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for g in q {
        if set.contains(g) {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    if best == 0 { 0 } else { best + 3 }
}

fn find(parent: &mut [usize], x: usize) -> usize {
    let mut r = x;
    while parent[r] != r {
        r = parent[r];
    }
    let mut y = x;
    while parent[y] != r {
        let next = parent[y];
        parent[y] = r;
        y = next;
    }
    r
}

/// The story's quotes, merged across sources.
pub fn quotes(profiles: &[ArticleProfile], names: &Names, en: &Analyzer) -> Vec<Quote> {
    let mut all: Vec<Found> = Vec::new();
    for (a, p) in profiles.iter().enumerate().filter(|(_, p)| p.english) {
        let body = &p.article.body;
        if is_cased(body) {
            all.extend(written(a, body, names, en));
        } else {
            all.extend(caseless(a, body, names, en));
        }
    }
    let g: Vec<Vec<u64>> = all.iter().map(|f| grams(&f.words)).collect();
    let sets: Vec<HashSet<u64>> = g.iter().map(|v| v.iter().copied().collect()).collect();
    // Candidate pairs through shared 4-grams.
    let mut index: HashMap<u64, Vec<usize>> = HashMap::default();
    for (i, v) in g.iter().enumerate() {
        for &h in v {
            let e = index.entry(h).or_default();
            if e.last() != Some(&i) {
                e.push(i);
            }
        }
    }
    let mut parent: Vec<usize> = (0..all.len()).collect();
    for i in 0..all.len() {
        let mut shared: HashMap<usize, usize> = HashMap::default();
        for h in &sets[i] {
            for &j in index.get(h).into_iter().flatten() {
                if j > i {
                    *shared.entry(j).or_insert(0) += 1;
                }
            }
        }
        for (j, n) in shared {
            let small = sets[i].len().min(sets[j].len()).max(1);
            let contained = n as f32 / small as f32 >= CONTAIN_THRESHOLD;
            let long_run = run(&g[i], &sets[j]) >= RUN_WORDS;
            if contained || long_run {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[rj] = ri;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
    for i in 0..all.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    // Each article's 4-grams, to find copies without quote marks.
    let article_grams: Vec<HashSet<u64>> = profiles
        .iter()
        .map(|p| {
            if p.english {
                grams(&key_words(&p.article.body)).into_iter().collect()
            } else {
                HashSet::default()
            }
        })
        .collect();
    let mut out: Vec<(usize, usize, Quote)> = Vec::new();
    for members in groups.into_values() {
        let direct: Vec<usize> = members.iter().copied().filter(|&m| all[m].direct).collect();
        let shown_from = if direct.is_empty() { &members } else { &direct };
        let best = *shown_from
            .iter()
            .max_by_key(|&&m| (all[m].words.len(), usize::MAX - m))
            .unwrap_or(&members[0]);
        let mut votes: Vec<(usize, usize)> = Vec::new();
        for &m in shown_from {
            if let Some(s) = all[m].speaker {
                match votes.iter_mut().find(|(e, _)| *e == s) {
                    Some((_, c)) => *c += 1,
                    None => votes.push((s, 1)),
                }
            }
        }
        let speaker = votes
            .iter()
            .max_by_key(|(_, c)| *c)
            .map(|&(e, _)| e)
            .or_else(|| members.iter().find_map(|&m| all[m].speaker));
        let mut carriers: Vec<usize> = members.iter().map(|&m| all[m].article).collect();
        let q = &g[best];
        let need = RUN_WORDS.min(all[best].words.len());
        for (a, set) in article_grams.iter().enumerate() {
            if !carriers.contains(&a) && all[best].words.len() >= 6 && run(q, set) >= need {
                carriers.push(a);
            }
        }
        carriers.sort_unstable();
        carriers.dedup();
        let first = members.iter().copied().min().unwrap_or(0);
        out.push((
            carriers.len(),
            first,
            Quote {
                speaker: speaker.map(|e| names.get(e).name.clone()),
                text: all[best].text.clone(),
                sources: carriers
                    .iter()
                    .map(|&a| profiles[a].article.id.clone())
                    .collect(),
                direct: !direct.is_empty(),
            },
        ));
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    out.truncate(MAX_QUOTES);
    out.into_iter().map(|(_, _, q)| q).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_continue_across_paragraphs() {
        let body = "He said: \"One two three four.\n\"Five six seven eight!\"\nThen \u{201c}nine ten eleven twelve\u{201d} and more.";
        let s: Vec<String> = spans(body)
            .iter()
            .map(|s| clean(&body[s.start..s.end]))
            .collect();
        assert_eq!(
            s,
            [
                "One two three four. Five six seven eight!",
                "nine ten eleven twelve"
            ]
        );
    }

    fn speakers(texts: &[&str]) -> Vec<(String, Option<String>)> {
        let articles = crate::english_articles(texts);
        let profiles: Vec<ArticleProfile> = articles.iter().map(ArticleProfile::new).collect();
        let names = Names::build(&profiles);
        let en = Analyzer::english();
        quotes(&profiles, &names, &en)
            .into_iter()
            .map(|q| (q.text, q.speaker))
            .collect()
    }

    fn speaker_of(got: &[(String, Option<String>)], start: &str) -> Option<String> {
        got.iter()
            .find(|(t, _)| t.starts_with(start))
            .unwrap_or_else(|| panic!("no quote {start}: {got:?}"))
            .1
            .clone()
    }

    #[test]
    fn speakers_come_from_the_sentence_structure() {
        let got = speakers(&[
            "Prosecutors said the man is now in custody. \"The man is petrified of what comes next,\" \
             prosecutor Seth Goldman said. Defence lawyer Mary Smith disagreed.\n\
             Jane Doe has promoted the plan in her defence of the agency. Tom Roe's deputy posted a \
             thread in which she described the plan as \u{201c}the best plan we have had in years\u{201d}.\n\
             \u{201c}Demand for workers is surging as the economy opens,\u{201d} said Acme Labs director \
             of research Nick Bunker.\n\
             Alan Ray, the city's housing secretary, said the plan would help, adding that it was \
             \u{201c}not finalized yet, but that is our aim.\u{201d}\n\
             \u{201c}I saw an injured person being carried out,\u{201d} one woman in Springfield told AFP.\n\
             Mayor Bob Hale acknowledged the problem. He called it \u{201c}one of the toughest challenges we face.\u{201d}",
        ]);
        let last = |s: Option<String>| s.and_then(|s| s.split(' ').next_back().map(str::to_owned));
        assert_eq!(
            last(speaker_of(&got, "The man is petrified")).as_deref(),
            Some("Goldman")
        );
        assert_eq!(
            last(speaker_of(&got, "the best plan")).as_deref(),
            Some("Doe")
        );
        assert_eq!(
            last(speaker_of(&got, "Demand for workers")).as_deref(),
            Some("Bunker")
        );
        assert_eq!(
            last(speaker_of(&got, "not finalized")).as_deref(),
            Some("Ray")
        );
        assert_eq!(speaker_of(&got, "I saw an injured"), None);
        assert_eq!(
            last(speaker_of(&got, "one of the toughest")).as_deref(),
            Some("Hale")
        );
    }

    #[test]
    fn a_quote_never_runs_across_a_stray_mark() {
        let body = format!(
            "He said \"this is where it starts. {} And the article goes on without a closing mark.",
            "More words follow here. ".repeat(60)
        );
        assert!(
            spans(&body)
                .iter()
                .all(|s| s.end - s.start <= MAX_QUOTE_CHARS)
        );
    }
}
