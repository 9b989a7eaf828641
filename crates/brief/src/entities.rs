//! People, organisations and places, by rules and word lists (English).
//!
//! Names are found in the written (cased) sentences of a story:
//!
//! * a **name** is a run of capitalised words, possibly joined by `of`,
//!   `for`, `and`, `&`, `de` (`Center for Strategic & International
//!   Studies`). A capitalised sentence opener is dropped when the story also
//!   uses that word in lowercase (`But`, `When`, `Instead`); month and
//!   weekday names and adjectives of nationality or party never start one.
//! * **kind**: an organisation ends in an organisation word (`Corp`,
//!   `Department`, `University`, `House`) or opens with one before `of`
//!   (`Department of Commerce`), is a known one-word body (`Pentagon`,
//!   `Reuters`) or an acronym (`ZTE`); a place is in the place list
//!   (`US`, `U.S.` and `America` are all the United States); a person
//!   starts with a given name, follows a title (`President`, `Mr`,
//!   `Commerce Secretary`) or a role (`lawyer Douglas Jacobson`), or says
//!   something (`Schiff said`).
//! * **one entity per referent**: a surname alone (`Trump`, `Mr Ross`)
//!   joins the full name that ends with it (`Donald Trump`, `Wilbur
//!   Ross`); middle initials go (`Donald J. Trump`); `Commerce
//!   Department` and `Department of Commerce` are one; `ZTE Corp.` is
//!   `ZTE`.
//!
//! Mentions are then counted in every article, caseless copies included
//! (matched without case, skipping names that are also common words such
//! as `us`); in caseless copy a given name followed by another word is
//! taken as a person too (`claire reade`), up to a credit line
//! (`reporting by ...`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use parallax_model::{Entity, EntityKind};
use parallax_text::Analyzer;

use crate::gazetteer::{self, ADJECTIVES, GIVEN_NAMES, ORG_WORDS, ORGS, TITLES};
use crate::profile::ArticleProfile;
use crate::words::{Tok, tokens};

/// Most entities listed in a brief.
pub const MAX_ENTITIES: usize = 60;

/// One entity of a story.
#[derive(Debug, Clone)]
pub struct Ent {
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: EntityKind,
    /// Mentions per article (story order).
    pub counts: Vec<u32>,
}

/// A mention found in a text: entity index and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index into [`Names::entities`].
    pub entity: usize,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset past the end.
    pub end: usize,
}

/// The entities of a story and how to find them in text.
#[derive(Debug, Default)]
pub struct Names {
    /// All entities found, in no particular order.
    pub entities: Vec<Ent>,
    /// Lookup key (lowercase words joined by spaces) -> entity.
    index: HashMap<String, usize>,
    /// Keys that only match as written in capitals (acronyms).
    caps_only: HashSet<String>,
    /// Longest key, in words.
    longest: usize,
    /// First word of each key -> most words in a key starting with it.
    starts: HashMap<String, usize>,
}

/// Words joining a name's parts.
const CONNECTORS: &[&str] = &["of", "for", "&", "de", "la", "del", "von", "van", "al"];

/// Suffixes that do not change which company is meant.
const COMPANY_SUFFIXES: &[&str] = &[
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "plc",
    "llc",
    "co",
];

/// A token as the name index keys it: lowercase, without a possessive
/// "'s" or trailing stops (a name's key is its tokens' keys joined by
/// spaces).
fn key_word(t: &Tok) -> String {
    let mut l = t.lower();
    if l.ends_with("'s") {
        l.truncate(l.len() - 2);
    }
    let kept = l.trim_end_matches('.').len();
    l.truncate(kept);
    l
}

/// A word as shown: possessive and trailing stop removed, except in
/// dotted abbreviations.
fn surface(t: &Tok) -> String {
    let s = t.text;
    let s = s
        .strip_suffix("'s")
        .or_else(|| s.strip_suffix("\u{2019}s"))
        .unwrap_or(s);
    s.to_owned()
}

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What the story says about its words' case.
#[derive(Debug, Default)]
struct Seen {
    /// Words the story writes in lowercase.
    lowercase: HashSet<String>,
    /// Words (lowercased, possessive cut) the story capitalises inside a
    /// sentence; empty when unknown (then the rule is off).
    mid: HashSet<String>,
}

fn bare_lower(t: &Tok) -> String {
    let l = t.lower();
    let l = l.trim_end_matches('.');
    l.strip_suffix("'s").unwrap_or(l).to_owned()
}

/// Whether a word is a name by a word list (a place, a given name, a
/// known body, a title) whatever its position.
fn listed(l: &str) -> bool {
    gazetteer::place(l).is_some()
        || GIVEN_NAMES.contains(&l)
        || ORGS.contains(&l)
        || TITLES.contains(&l)
        || ADJECTIVES.contains(&l)
}

/// Clock and time-zone words of datelines ("8:20 AM ET").
fn clock_word(l: &str) -> bool {
    matches!(
        l,
        "am" | "pm" | "gmt" | "et" | "est" | "edt" | "utc" | "pst" | "pdt" | "bst" | "cet"
    )
}

/// Whether a token is all capitals (an acronym), at least two letters.
fn is_acronym(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Candidate name: its tokens and a hint from the context.
struct Candidate {
    name: Vec<String>,
    lower: Vec<String>,
    kind: EntityKind,
}

/// Whether a sentence reads as cased text (not a caseless copy).
pub(crate) fn is_cased(text: &str) -> bool {
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii() {
            letters += usize::from(c.is_ascii_alphabetic());
            upper += usize::from(c.is_ascii_uppercase());
        } else if c.is_alphabetic() {
            letters += 1;
            upper += usize::from(c.is_uppercase());
        }
    }
    letters < 20 || upper * 100 >= letters
}

impl Names {
    /// Finds the entities of a story's articles.
    pub fn build(profiles: &[ArticleProfile]) -> Self {
        let en = Analyzer::english();
        // Words the story uses in lowercase: a capitalised sentence opener
        // that is one of them is not a name.
        let mut lowercase: HashSet<String> = HashSet::default();
        // Words the story capitalises inside a sentence: a word capitalised
        // only at sentence starts ("Millions") is not a name. (Both sets
        // from one pass; each sentence is tokenised once, for this pass and
        // the candidates below.)
        let mut mid: HashSet<String> = HashSet::default();
        let cased: Vec<Vec<Tok>> = profiles
            .iter()
            .filter(|p| p.english)
            .flat_map(|p| p.sentences.iter().filter(|s| s.cased))
            .map(|s| tokens(&s.text))
            .collect();
        for toks in &cased {
            for (k, t) in toks.iter().enumerate() {
                if t.text.chars().next().is_some_and(char::is_lowercase)
                    && !lowercase.contains(t.text)
                {
                    lowercase.insert(t.text.to_owned());
                }
                if k > 0
                    && t.is_capitalised()
                    && toks[k - 1].is_word()
                    && !toks[k - 1].text.ends_with(['.', ':'])
                {
                    mid.insert(bare_lower(t));
                }
            }
        }
        let seen = Seen { lowercase, mid };
        let mut votes: HashMap<String, (Vec<String>, [u32; 4])> = HashMap::default();
        for toks in &cased {
            for c in candidates(toks, &seen, &en) {
                let key = c.lower.join(" ");
                let e = votes.entry(key).or_insert_with(|| (c.name.clone(), [0; 4]));
                e.1[kind_index(c.kind)] += 1;
            }
        }
        drop(cased);
        let mut names = Names::default();
        // Multi-word names first, so surnames can join them.
        let mut keys: Vec<(String, Vec<String>, EntityKind)> = votes
            .into_iter()
            .map(|(k, (name, v))| {
                let kind = decide(&v);
                (k, name, kind)
            })
            .collect();
        keys.sort_by(|a, b| {
            b.0.split(' ')
                .count()
                .cmp(&a.0.split(' ').count())
                .then(a.0.cmp(&b.0))
        });
        for (key, name, kind) in keys {
            names.add(&key, &name, kind, profiles.len());
        }
        names.find_people_in_caseless(profiles, &en);
        names.alias_surnames(&en);
        names.count(profiles, &en);
        names
    }

    fn push(&mut self, name: String, kind: EntityKind, n: usize) -> usize {
        self.entities.push(Ent {
            name,
            kind,
            counts: vec![0; n],
        });
        self.entities.len() - 1
    }

    fn alias(&mut self, key: String, e: usize) {
        let n = key.split(' ').count();
        self.longest = self.longest.max(n);
        let first = key.split(' ').next().unwrap_or("").to_owned();
        let m = self.starts.entry(first).or_insert(0);
        *m = (*m).max(n);
        self.index.entry(key).or_insert(e);
    }

    /// Adds one name found in text, joining it to a known entity when it
    /// is the same referent.
    fn add(&mut self, key: &str, name: &[String], kind: EntityKind, n: usize) {
        if self.index.contains_key(key) {
            return;
        }
        let words: Vec<&str> = key.split(' ').collect();
        // Places go to their canonical name.
        if kind == EntityKind::Place
            && let Some(canon) = gazetteer::place(key)
        {
            let display = canon
                .split(' ')
                .map(title_case)
                .collect::<Vec<_>>()
                .join(" ");
            let ckey = display.to_lowercase();
            let e = match self.index.get(&ckey) {
                Some(&e) => e,
                None => {
                    let e = self.push(display, kind, n);
                    self.alias(ckey, e);
                    e
                }
            };
            self.alias(key.to_owned(), e);
            return;
        }
        if words.len() == 1 && matches!(kind, EntityKind::Person | EntityKind::Other) {
            // A surname alone: the person whose name ends with it.
            let w = words[0];
            let people: Vec<usize> = self
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EntityKind::Person)
                .filter(|(_, e)| {
                    e.name
                        .to_lowercase()
                        .split(' ')
                        .next_back()
                        .is_some_and(|l| l == w)
                })
                .map(|(i, _)| i)
                .collect();
            let people = if people.is_empty() {
                // "President Xi" and "Xi Jinping": family name first.
                self.entities
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.kind == EntityKind::Person)
                    .filter(|(_, e)| {
                        let l = e.name.to_lowercase();
                        let parts: Vec<&str> = l.split(' ').collect();
                        parts.len() == 2 && parts[0] == w && !GIVEN_NAMES.contains(&w)
                    })
                    .map(|(i, _)| i)
                    .collect()
            } else {
                people
            };
            if people.len() == 1 {
                self.alias(key.to_owned(), people[0]);
                return;
            }
        }
        if kind == EntityKind::Organisation {
            // "ZTE Corp" is "ZTE"; "Department of Commerce" is the
            // "Commerce Department".
            let mut w = words.clone();
            while w.len() > 1 && COMPANY_SUFFIXES.contains(w.last().unwrap_or(&"")) {
                w.pop();
            }
            // "U.S. Commerce Department" is the "Commerce Department".
            // (Not an adjective: "Israeli Defence Forces" stays whole.)
            let lead = w
                .iter()
                .take_while(|x| gazetteer::place(x).is_some())
                .count();
            let lead = if w.len() - lead >= 2 { lead } else { 0 };
            let w: Vec<&str> = w[lead..].to_vec();
            let mut canon = w.join(" ");
            if w.len() == 3 && w[1] == "of" && ORG_WORDS.contains(&w[0]) {
                canon = format!("{} {}", w[2], w[0]);
            }
            if let Some(&e) = self.index.get(&canon) {
                self.alias(key.to_owned(), e);
                return;
            }
            let shown_len = name.len() - (words.len() - w.len() - lead);
            let display = name[lead..shown_len].join(" ");
            let e = self.push(display, kind, n);
            self.alias(canon, e);
            self.alias(key.to_owned(), e);
            return;
        }
        let display = name.join(" ");
        let e = self.push(display, kind, n);
        self.alias(key.to_owned(), e);
    }

    /// A person's surname alone names them, when no other entity claims
    /// it and it is not a common word.
    fn alias_surnames(&mut self, en: &Analyzer) {
        let mut claims: HashMap<String, Vec<usize>> = HashMap::default();
        for (e, ent) in self.entities.iter().enumerate() {
            if ent.kind != EntityKind::Person {
                continue;
            }
            let lower = ent.name.to_lowercase();
            let parts: Vec<&str> = lower.split(' ').collect();
            if let [.., last] = parts[..]
                && parts.len() >= 2
                && last.chars().count() >= 3
                && !en.is_stop_word(last)
                && !GIVEN_NAMES.contains(&last)
            {
                claims.entry(last.to_owned()).or_default().push(e);
            }
        }
        for (surname, people) in claims {
            if people.len() == 1 && !self.index.contains_key(&surname) {
                self.alias(surname, people[0]);
            }
        }
    }

    /// People named in caseless copy by a given name and a surname.
    fn find_people_in_caseless(&mut self, profiles: &[ArticleProfile], en: &Analyzer) {
        let n = profiles.len();
        for p in profiles.iter().filter(|p| p.english) {
            for s in p.sentences.iter().filter(|s| !s.cased) {
                let toks = tokens(&s.text);
                let words: Vec<String> = toks.iter().map(Tok::lower).collect();
                for i in 0..words.len().saturating_sub(1) {
                    if credit_line(&words, i) {
                        break;
                    }
                    let (a, b) = (&words[i], &words[i + 1]);
                    if GIVEN_NAMES.contains(&a.as_str())
                        && b.len() >= 2
                        && b.chars().all(char::is_alphabetic)
                        && !en.is_stop_word(b)
                        && !TITLES.contains(&b.as_str())
                        && !ADJECTIVES.contains(&b.as_str())
                        && gazetteer::month(b).is_none()
                        && gazetteer::weekday(b).is_none()
                    {
                        let key = format!("{a} {b}");
                        if !self.index.contains_key(&key) {
                            let name = vec![title_case(a), title_case(b)];
                            self.add(&key, &name, EntityKind::Person, n);
                        }
                    }
                }
            }
        }
    }

    /// Counts every entity's mentions in every article.
    fn count(&mut self, profiles: &[ArticleProfile], en: &Analyzer) {
        for (a, p) in profiles.iter().enumerate().filter(|(_, p)| p.english) {
            for s in &p.sentences {
                for f in self.find(&s.text, en) {
                    self.entities[f.entity].counts[a] += 1;
                }
            }
        }
    }

    /// The mentions of known entities in `text` (longest match first).
    pub fn find(&self, text: &str, en: &Analyzer) -> Vec<Found> {
        let cased = is_cased(text);
        let toks = tokens(text);
        let norm: Vec<String> = toks.iter().map(key_word).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let Some(&most) = self.starts.get(&norm[i]).filter(|_| toks[i].is_word()) else {
                i += 1;
                continue;
            };
            let mut hit = None;
            for len in (1..=most.min(toks.len() - i)).rev() {
                let span = &toks[i..i + len];
                if span.iter().any(|t| !t.is_word()) {
                    continue;
                }
                let key = norm[i..i + len].join(" ");
                let Some(&e) = self.index.get(&key) else {
                    continue;
                };
                if cased {
                    if !span[0].is_capitalised() {
                        continue;
                    }
                    if self.caps_only.contains(&key) && !is_acronym(span[0].text) {
                        continue;
                    }
                } else if len == 1 && (en.is_stop_word(&key) || key.len() < 3) {
                    continue;
                }
                hit = Some((e, len));
                break;
            }
            match hit {
                Some((e, len)) => {
                    out.push(Found {
                        entity: e,
                        start: toks[i].start,
                        end: toks[i + len - 1].end,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The brief's entity list: most widely reported first; a name of
    /// unknown kind needs two mentions.
    pub fn to_brief(&self, profiles: &[ArticleProfile]) -> Vec<Entity> {
        let mut list: Vec<(usize, u32, &Ent)> = self
            .entities
            .iter()
            .map(|e| {
                let sources = e.counts.iter().filter(|&&c| c > 0).count();
                (sources, e.counts.iter().sum::<u32>(), e)
            })
            .filter(|(s, total, e)| *s > 0 && (e.kind != EntityKind::Other || *total >= 2))
            .collect();
        list.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.name.cmp(&b.2.name))
        });
        list.truncate(MAX_ENTITIES);
        list.into_iter()
            .map(|(_, _, e)| {
                let (sources, mentions) = e
                    .counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(a, &c)| (profiles[a].article.id.clone(), c))
                    .unzip();
                Entity {
                    name: e.name.clone(),
                    kind: e.kind,
                    sources,
                    mentions,
                }
            })
            .collect()
    }

    /// The entity `e`.
    pub fn get(&self, e: usize) -> &Ent {
        &self.entities[e]
    }
}

/// Whether a credit line ("reporting by", "editing by") starts at word `i`.
fn credit_line(words: &[String], i: usize) -> bool {
    matches!(
        words[i].as_str(),
        "reporting" | "editing" | "writing" | "compiled"
    ) && words.get(i + 1).is_some_and(|w| w == "by")
}

fn kind_index(k: EntityKind) -> usize {
    match k {
        EntityKind::Person => 0,
        EntityKind::Organisation => 1,
        EntityKind::Place => 2,
        EntityKind::Other => 3,
    }
}

/// The kind most votes give; a definite kind beats "other".
fn decide(v: &[u32; 4]) -> EntityKind {
    let kinds = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Place,
    ];
    let best = (0..3).max_by_key(|&i| (v[i], 3 - i)).unwrap_or(0);
    if v[best] > 0 {
        kinds[best]
    } else {
        EntityKind::Other
    }
}

/// Whether token `t` (lowercased `l`) can be part of a name here.
fn capital(t: &Tok, l: &str) -> bool {
    let hyphen_ok = !t.text.contains('-')
        || t.text
            .split('-')
            .all(|p| p.chars().next().is_some_and(char::is_uppercase));
    t.is_capitalised() && t.is_word() && hyphen_ok && !t.text.contains('/') && {
        let bare = l.trim_end_matches('.');
        let bare = bare.strip_suffix("'s").unwrap_or(bare);
        // Shouted words ("PUBLISHED", "UPDATED") are chrome, not acronyms.
        let shouted = is_acronym(t.text) && t.text.chars().count() > 6;
        gazetteer::weekday(bare).is_none() && !shouted
    }
}

/// Name candidates in one cased sentence.
fn candidates(toks: &[Tok], seen: &Seen, en: &Analyzer) -> Vec<Candidate> {
    let lowercase = &seen.lowercase;
    let lower: Vec<String> = toks.iter().map(Tok::lower).collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Whether a token starts a sentence or a quoted sentence.
    let opener = |i: usize| -> bool {
        let mut j = i;
        while j > 0 && !toks[j - 1].is_word() {
            if matches!(
                toks[j - 1].text,
                ":" | "." | "!" | "?" | "\u{2014}" | "\u{2013}" | "-" | "\u{201c}" | "\""
            ) {
                return true;
            }
            j -= 1;
            if j == 0 {
                return true;
            }
        }
        j == 0
    };
    while i < toks.len() {
        if !capital(&toks[i], &lower[i]) {
            i += 1;
            continue;
        }
        let bare = lower[i].trim_end_matches('.');
        let unpossessed = bare.strip_suffix("'s").unwrap_or(bare);
        // Months ("March's"), number words ("Ten people"), demonyms in
        // the plural ("Americans") are not names.
        let is_month = gazetteer::month(unpossessed).is_some()
            || crate::words::number_word(unpossessed).is_some()
            || unpossessed
                .strip_suffix('s')
                .is_some_and(|d| ADJECTIVES.contains(&d));
        if is_month {
            i += 1;
            continue;
        }
        let l = bare.strip_suffix("'s").unwrap_or(bare);
        // A capitalised stop word ("In", "The") never starts a name, an
        // acronym ("US") may; a single letter ("I") never does.
        let stop = en.is_stop_word(l) && !is_acronym(toks[i].text);
        let single = toks[i].text.chars().filter(|c| c.is_alphabetic()).count() < 2;
        let common = opener(i) && lowercase.contains(&toks[i].text.to_lowercase());
        // Capitalised only where a sentence starts, across the story.
        let only_opener = opener(i)
            && !toks.get(i + 1).is_some_and(|n| capital(n, &lower[i + 1]))
            && !seen.mid.is_empty()
            && !seen.mid.contains(l)
            && !listed(l)
            && !is_acronym(toks[i].text);
        // Title-case headline words: two common words in a row.
        let is_common = |k: usize| {
            toks.get(k)
                .is_some_and(|t| lowercase.contains(&t.text.to_lowercase()))
        };
        let headline = is_common(i)
            && is_common(i + 1)
            && toks.get(i + 1).is_some_and(|t| t.is_capitalised())
            && !listed(l);
        if stop
            || single
            || clock_word(l)
            || (common && !TITLES.contains(&l))
            || only_opener
            || headline
        {
            i += 1;
            continue;
        }
        // Extend the run.
        let start = i;
        let mut end = i + 1;
        loop {
            if end >= toks.len() {
                break;
            }
            let t = &toks[end];
            // "Mr." and initials ("Donald J. Trump") keep the run going.
            let initial = toks[end - 1].text.chars().count() == 1 && toks[end - 1].is_capitalised();
            if t.text == "."
                && end > start
                && (TITLES.contains(&lower[end - 1].as_str()) || initial)
                && toks
                    .get(end + 1)
                    .is_some_and(|n| capital(n, &lower[end + 1]))
            {
                end += 1;
                continue;
            }
            if toks[end - 1].text.ends_with("'s") || toks[end - 1].text.ends_with("\u{2019}s") {
                break;
            }
            if capital(t, &lower[end]) {
                end += 1;
                continue;
            }
            // Tokenised copy writes "Al - Masry": a short particle joined by
            // a hyphen to a capitalised word.
            if t.text == "-"
                && toks[end - 1].text.chars().count() <= 3
                && toks[end - 1].is_capitalised()
                && toks
                    .get(end + 1)
                    .is_some_and(|n| capital(n, &lower[end + 1]))
            {
                end += 2;
                continue;
            }
            if CONNECTORS.contains(&lower[end].as_str())
                && toks
                    .get(end + 1)
                    .is_some_and(|n| capital(n, &lower[end + 1]))
            {
                end += 2;
                continue;
            }
            break;
        }
        // A run ends before a trailing stop word or clock word ("ET An").
        while end > start + 1 && {
            let l = lower[end - 1].trim_end_matches('.');
            (en.is_stop_word(l) && !is_acronym(toks[end - 1].text)) || clock_word(l)
        } {
            end -= 1;
        }
        // A lone common word that the story also writes in lowercase.
        if end == start + 1 && is_common_word(&toks[start], lowercase) && !listed(l) {
            i = end;
            continue;
        }
        let before = start.checked_sub(1).map(|b| lower[b].as_str());
        let after = toks.get(end).map(|_| lower[end].as_str());
        // "Jen Psaki, the White House press secretary,": an appositive role.
        let appositive = after == Some(",")
            && lower[end + 1..]
                .iter()
                .take(7)
                .take_while(|w| *w != ",")
                .any(|w| gazetteer::is_role(w));
        let after = if appositive { Some("said") } else { after };
        if let Some(c) = classify(&toks[start..end], &lower[start..end], before, after) {
            out.push(c);
        }
        i = end;
    }
    out
}

fn is_common_word(t: &Tok, lowercase: &HashSet<String>) -> bool {
    lowercase.contains(&t.text.to_lowercase())
}

/// Decides what a run of capitalised tokens names.
fn classify(
    toks: &[Tok],
    lower: &[String],
    before: Option<&str>,
    after: Option<&str>,
) -> Option<Candidate> {
    let mut words: Vec<(String, String)> = Vec::new();
    let mut join = false;
    for (t, l) in toks.iter().zip(lower) {
        if t.text == "-" {
            join = !words.is_empty();
            continue;
        }
        if !(t.is_word() || t.text == "&") {
            join = false;
            continue;
        }
        let l = l.strip_suffix("'s").unwrap_or(l);
        let (w, l) = (surface(t), l.trim_end_matches('.').to_owned());
        match words.last_mut() {
            // "Al - Masry" is "Al-Masry".
            Some(last) if join => {
                last.0 = format!("{}-{w}", last.0);
                last.1 = format!("{}-{l}", last.1);
            }
            _ => words.push((w, l)),
        }
        join = false;
    }
    if words.is_empty() {
        return None;
    }
    let last = words.last().map(|w| w.1.as_str()).unwrap_or("");
    let first = words[0].1.as_str();
    let make = |ws: &[(String, String)], kind| Candidate {
        name: ws.iter().map(|w| w.0.clone()).collect(),
        lower: ws.iter().map(|w| w.1.clone()).collect(),
        kind,
    };
    let joined: String = words
        .iter()
        .map(|w| w.1.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Organisations: by their last word, or "Department of ...".
    if words.len() >= 2
        && (ORG_WORDS.contains(&last)
            || (ORG_WORDS.contains(&first) && matches!(words[1].1.as_str(), "of" | "for")))
    {
        let skip = words
            .iter()
            .take_while(|w| TITLES.contains(&w.1.as_str()))
            .count();
        if skip < words.len() {
            return Some(make(&words[skip..], EntityKind::Organisation));
        }
    }
    if gazetteer::place(&joined).is_some() {
        return Some(make(&words, EntityKind::Place));
    }
    // A title inside: the person is what follows the last title.
    if let Some(t) = words.iter().rposition(|w| TITLES.contains(&w.1.as_str())) {
        let rest = &words[t + 1..];
        // "President Xi of China": the name stops at a joining word.
        let rest: Vec<(String, String)> = rest
            .iter()
            .skip_while(|w| CONNECTORS.contains(&w.1.as_str()))
            .take_while(|w| !CONNECTORS.contains(&w.1.as_str()))
            .cloned()
            .collect();
        if rest.is_empty() {
            return None;
        }
        let from = rest
            .iter()
            .position(|w| GIVEN_NAMES.contains(&w.1.as_str()))
            .unwrap_or(rest.len().saturating_sub(2));
        let person: Vec<(String, String)> = rest[from..]
            .iter()
            .filter(|w| w.1.chars().count() > 1)
            .cloned()
            .collect();
        if person.is_empty() || person.len() > 3 {
            return None;
        }
        return Some(make(&person, EntityKind::Person));
    }
    let words: Vec<(String, String)> = words
        .into_iter()
        .skip_while(|w| ADJECTIVES.contains(&w.1.as_str()))
        .collect();
    if words.is_empty() {
        return None;
    }
    let joined = words
        .iter()
        .map(|w| w.1.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if gazetteer::place(&joined).is_some() {
        return Some(make(&words, EntityKind::Place));
    }
    if words.len() == 1 {
        let (w, l) = &words[0];
        if ORGS.contains(&l.as_str()) || (is_acronym(w) && w.chars().count() <= 6) {
            return Some(make(&words, EntityKind::Organisation));
        }
    }
    let first = words[0].1.as_str();
    // "the newspaper Al-Masry Al-Youm", "the agency IRNA".
    if before.is_some_and(|b| {
        matches!(
            b,
            "newspaper"
                | "agency"
                | "daily"
                | "channel"
                | "broadcaster"
                | "network"
                | "website"
                | "magazine"
                | "station"
                | "company"
                | "firm"
                | "group"
                | "party"
                | "ministry"
                | "paper"
                | "tabloid"
                | "outlet"
        )
    }) && words.len() <= 4
    {
        return Some(make(&words, EntityKind::Organisation));
    }
    let says = after.is_some_and(|a| {
        matches!(
            a,
            "said" | "says" | "told" | "added" | "wrote" | "tweeted" | "argued" | "noted"
        )
    });
    let person = (GIVEN_NAMES.contains(&first) && words.len() >= 2)
        || (before.is_some_and(gazetteer::is_role) && words.len() <= 3)
        || (says && words.len() <= 3)
        // "..., said Jane Roe": the inverted subject of a verb of saying.
        || (before.is_some_and(|b| matches!(b, "said" | "says" | "added" | "wrote" | "according"))
            && (2..=3).contains(&words.len())
            && after.is_none_or(|a| !a.chars().any(char::is_alphanumeric)));
    // People's names lose middle initials.
    if person {
        let kept: Vec<(String, String)> = words
            .iter()
            .filter(|w| w.1.chars().filter(|c| c.is_alphabetic()).count() > 1)
            .cloned()
            .collect();
        if !kept.is_empty() && kept.len() <= 4 {
            return Some(make(&kept, EntityKind::Person));
        }
        return None;
    }
    if words.len() > 5 {
        return None;
    }
    // "in Qeshm", "at Dargahan": a place.
    if before.is_some_and(|b| matches!(b, "in" | "at" | "near" | "outside")) && words.len() <= 3 {
        return Some(make(&words, EntityKind::Place));
    }
    Some(make(&words, EntityKind::Other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_runs() {
        let en = Analyzer::english();
        let none = Seen::default();
        let c = candidates(
            &tokens(
                "Washington lawyer Douglas Jacobson, who represents ZTE Corp., said the Commerce Department and President Donald J. Trump met in the U.S. with Scott Kennedy of the Center for Strategic & International Studies.",
            ),
            &none,
            &en,
        );
        let got: Vec<(String, EntityKind)> = c.iter().map(|c| (c.name.join(" "), c.kind)).collect();
        assert!(
            got.contains(&("Douglas Jacobson".into(), EntityKind::Person)),
            "{got:?}"
        );
        assert!(
            got.contains(&("ZTE Corp".into(), EntityKind::Organisation)),
            "{got:?}"
        );
        assert!(
            got.contains(&("Commerce Department".into(), EntityKind::Organisation)),
            "{got:?}"
        );
        assert!(
            got.contains(&("Donald Trump".into(), EntityKind::Person)),
            "{got:?}"
        );
        assert!(got.contains(&("U.S.".into(), EntityKind::Place)), "{got:?}");
        assert!(
            got.contains(&("Scott Kennedy".into(), EntityKind::Person)),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "Center for Strategic & International Studies".into(),
                EntityKind::Organisation
            )),
            "{got:?}"
        );
    }

    fn story_names(texts: &[&str]) -> Vec<(String, EntityKind)> {
        let articles = crate::english_articles(texts);
        let profiles: Vec<ArticleProfile> = articles.iter().map(ArticleProfile::new).collect();
        let names = Names::build(&profiles);
        names
            .entities
            .iter()
            .map(|e| (e.name.clone(), e.kind))
            .collect()
    }

    #[test]
    fn names_are_whole_and_sentence_openers_are_not_names() {
        let got = story_names(&[
            "Millions took to the streets on Friday. The newspaper Al-Masry Al-Youm said the \
             protest was peaceful. A spokesman for the Israeli Defence Forces said troops were \
             ready. Jen Psaki, the White House press secretary, said talks went on.",
            "Protesters gathered in Tahrir Square in Cairo. Millions watched on television.",
        ]);
        let has = |n: &str| got.iter().any(|(x, _)| x == n);
        assert!(!has("Millions"), "{got:?}");
        assert!(has("Al-Masry Al-Youm"), "{got:?}");
        assert!(!has("Al"), "{got:?}");
        assert!(has("Israeli Defence Forces"), "{got:?}");
        assert!(!has("Defence Forces"), "{got:?}");
        assert!(
            got.contains(&("Jen Psaki".to_owned(), EntityKind::Person)),
            "{got:?}"
        );
        assert!(
            got.contains(&("Tahrir Square".to_owned(), EntityKind::Place)),
            "{got:?}"
        );
    }
}
