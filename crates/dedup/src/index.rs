//! The incremental index: every article added is first compared with those
//! already indexed, then indexed itself, in one call and without rebuilds.
//!
//! Per article it keeps 28 bytes of facts (exact hash, time, word count,
//! sampling threshold, flags, its root original, where its samples end),
//! 8 bytes marking which of its samples come from its opening (for
//! [`direction`]), plus its id, the high 32 bits of every sample (4 bytes
//! each, in one arena), and a posting for each of its [`INDEXED_SAMPLES`]
//! smallest samples in the [`PostingTable`]; nothing of its text.
//!
//! Two tiers, because the two jobs need different sample sizes. Finding
//! candidates needs a few samples per article: a pair that shares a passage
//! shares some of the smallest hashes of both. Telling a partial repost
//! (40-60% of the shorter text shared) from a pair sharing one quote needs
//! many: a containment estimate from 16 samples cannot. So only the
//! smallest samples are posted (each posting is a cache miss on lookup and
//! on insert), and a candidate is checked against all of both articles'
//! samples under both thresholds, read from the arena in one place. A query
//! looks up the new article's posted samples, and for every article found
//! at least twice counts the samples the two share, and hands the counts
//! to [`relation::classify`], and the counts of each one's opening samples
//! the other shares to [`direction::original`].

use std::fmt;

use crate::direction::{self, Agencies, Carried, DATED, EVICTED, Facts, Openings, Original, Rule};
use crate::postings::PostingTable;
use crate::relation::{self, Overlap, Relation};
use crate::shingle::hash_bytes;
use crate::sketch::{Sketch, Sketcher, count_under, high, key};
use crate::{Config, DocInput};

/// An article's number in an [`Index`]: its arrival order, from 0.
pub type DocNo = u32;

/// Samples per article that go into the posting table (its smallest ones,
/// a consistent sample too, so two articles sharing a passage share some).
pub const INDEXED_SAMPLES: usize = 20;

/// Posting hits an article needs to be checked as a candidate: one hit in
/// 20 posted samples is what a shared stock phrase gives; a shared passage
/// worth checking (at least `min_shared` of 40 or more samples) gives
/// several.
const MIN_HITS: usize = 2;

/// What the index keeps of an article besides its postings (28 bytes).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct DocMeta {
    /// Low 32 bits of the exact hash: compared only between articles that
    /// already share samples, so 32 bits leave no practical doubt.
    exact: u32,
    time: i32,
    threshold: u32,
    /// End of the id in the id arena (the start is the previous doc's end).
    id_end: u32,
    /// End of its samples in the sample arena (the start is the previous
    /// doc's end).
    sample_end: u32,
    /// The original this article copies (itself when it is a root).
    parent: DocNo,
    /// Content words, saturating at `u16::MAX`.
    words: u16,
    samples: u8,
    flags: u8,
}

/// The comparable form of an article: its sketch and the facts direction
/// needs. Computing it is the expensive, parallelisable part of indexing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// The sampled shingles.
    pub sketch: Sketch,
    /// Publication time in minutes since 1970, when known.
    pub published: Option<i32>,
    /// Words outside boilerplate lines ([`crate::boilerplate`]).
    pub content_words: u32,
    /// [`direction::WIRE_OUTLET`], [`direction::WIRE_CREDIT`] and
    /// [`direction::DEGRADED`] bits.
    pub flags: u8,
}

/// Computes [`Fingerprint`]s, reusing its buffers. One per thread.
#[derive(Debug, Default)]
pub struct Fingerprinter {
    config: Config,
    sketcher: Sketcher,
    agencies: Agencies,
}

impl Fingerprinter {
    /// A fingerprinter for `config` (it must match the index's).
    pub fn new(config: Config) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// The fingerprint of one article.
    pub fn fingerprint(&mut self, doc: &DocInput<'_>) -> Fingerprint {
        let (sketch, words, content_words) = self.sketcher.sketch(doc.text, &self.config.sketch);
        let content_words = content_words.min(u32::MAX as usize) as u32;
        let mut flags = 0;
        if self.agencies.credited(&words.hashes) {
            flags |= direction::WIRE_CREDIT;
        }
        if self.agencies.outlet(doc.source, doc.url) {
            flags |= direction::WIRE_OUTLET;
        }
        if could_be_degraded(prefix(doc.text, DEGRADED_SAMPLE))
            && parallax_text::shape::is_degraded(prefix(doc.text, DEGRADED_SAMPLE))
        {
            flags |= direction::DEGRADED;
        }
        let published = doc.published.map(|secs| {
            (secs.div_euclid(60)).clamp(i64::from(i32::MIN + 1), i64::from(i32::MAX)) as i32
        });
        Fingerprint {
            sketch,
            published,
            content_words,
            flags,
        }
    }
}

/// Bytes of a text looked at to tell whether it lost case and punctuation.
const DEGRADED_SAMPLE: usize = 600;

/// False when `s` has too many capitals to be degraded: `is_degraded`
/// needs fewer than 1% of its cased letters uppercase, and there are no
/// more cased letters than bytes. A cheap scan that spares the full test
/// for ordinary text.
fn could_be_degraded(s: &str) -> bool {
    let upper = s.bytes().filter(u8::is_ascii_uppercase).count();
    upper * 100 < s.len()
}

/// The first `n` bytes of `s`, cut back to a character boundary.
fn prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// One detected pair: `copy` reuses `original`'s text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The copy.
    pub copy: DocNo,
    /// The original (earlier or fuller), or the root of its copy chain.
    pub original: DocNo,
    /// How much of the text is shared.
    pub relation: Relation,
    /// Strength in `[0, 1]` (see [`relation::classify`]).
    pub score: f64,
    /// The rule that decided the direction; `None` for a pair added to
    /// resolve a copy chain to its root.
    pub rule: Option<Rule>,
}

/// The result of adding an article.
#[derive(Debug, Clone, PartialEq)]
pub enum Added {
    /// A new article, and the pairs it forms with indexed ones.
    New {
        /// Its number.
        doc: DocNo,
        /// Its pairs with articles already indexed.
        pairs: Vec<Pair>,
    },
    /// An article with this id is already indexed: nothing changed.
    Known(DocNo),
}

/// Why an article could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The id is empty or longer than 65,535 bytes.
    BadId(String),
    /// The index holds `u32::MAX - 1` articles already.
    Full,
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadId(id) => {
                let shown: String = id.chars().take(80).collect();
                write!(
                    f,
                    "article id {shown:?} is empty or longer than 65535 bytes"
                )
            }
            Self::Full => f.write_str("the dedup index is full (4 billion articles)"),
        }
    }
}

impl std::error::Error for IndexError {}

/// Size figures of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Articles ever added.
    pub docs: usize,
    /// Articles not evicted.
    pub live: usize,
    /// Postings (samples indexed).
    pub postings: usize,
    /// Heap bytes held by the index.
    pub heap_bytes: usize,
}

/// The incremental duplicate index. See the [crate docs](crate).
///
/// Its state serializes (serde), so a caller can checkpoint it and resume
/// without adding every article again.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Index {
    config: Config,
    postings: PostingTable,
    ids: PostingTable,
    docs: Vec<DocMeta>,
    id_bytes: String,
    /// High 32 bits of every article's samples, ascending per article.
    sample_highs: Vec<u32>,
    /// Per article, its [`Sketch::opening`] bits.
    openings: Vec<u64>,
    clock: i32,
    live: usize,
    /// Scratch for [`Index::compare`]: posting hits per article (indexed
    /// by [`DocNo`], zero between calls) and the articles hit.
    #[serde(skip)]
    hit_counts: Vec<u8>,
    #[serde(skip)]
    hits: Vec<DocNo>,
    /// Scratch for [`Index::compare`]: candidates already measured, to
    /// reuse for their identical twins.
    #[serde(skip)]
    measured: Vec<Measured>,
}

/// A candidate's overlap with the article being compared, kept so that a
/// later candidate with identical samples (an exact repost indexed again)
/// reuses it instead of merging the same lists once more.
#[derive(Debug, Clone, Copy)]
struct Measured {
    doc: DocNo,
    shared: u32,
    openings: Openings,
}

/// Twins measured per comparison at most: a repost flood has a handful
/// of distinct texts among its candidates, and the list is scanned for
/// every candidate.
const MEASURED_KEPT: usize = 16;

impl Default for Index {
    fn default() -> Self {
        Self::new(Config::default())
    }
}

impl Index {
    /// An empty index.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            postings: PostingTable::default(),
            ids: PostingTable::default(),
            docs: Vec::new(),
            id_bytes: String::new(),
            sample_highs: Vec::new(),
            openings: Vec::new(),
            clock: 0,
            live: 0,
            hit_counts: Vec::new(),
            hits: Vec::new(),
            measured: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets the time (minutes since 1970) stamped on undated articles, which
    /// [`Index::evict_before`] uses as their age.
    pub fn set_clock(&mut self, minutes: i32) {
        self.clock = minutes;
    }

    /// Number of articles ever added (evicted ones included).
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when nothing was ever added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The id of article `doc`.
    pub fn id(&self, doc: DocNo) -> &str {
        let d = doc as usize;
        let start = if d == 0 {
            0
        } else {
            self.docs[d - 1].id_end as usize
        };
        &self.id_bytes[start..self.docs[d].id_end as usize]
    }

    /// The number of the live article with this id.
    pub fn lookup(&self, id: &str) -> Option<DocNo> {
        let mut found = None;
        self.ids.for_each(id_key(id), usize::MAX, |d| {
            if found.is_none() && self.docs[d as usize].flags & EVICTED == 0 && self.id(d) == id {
                found = Some(d);
            }
        });
        found
    }

    /// The root original of `doc`'s copy chain (itself when it copies
    /// nothing indexed).
    pub fn root(&self, doc: DocNo) -> DocNo {
        let mut x = doc;
        for _ in 0..64 {
            let p = self.docs[x as usize].parent;
            if p == x || self.docs[p as usize].flags & EVICTED != 0 {
                return x;
            }
            x = p;
        }
        x
    }

    /// Size figures.
    pub fn stats(&self) -> Stats {
        Stats {
            docs: self.docs.len(),
            live: self.live,
            postings: self.postings.len(),
            heap_bytes: self.postings.heap_bytes()
                + self.ids.heap_bytes()
                + self.docs.capacity() * std::mem::size_of::<DocMeta>()
                + self.id_bytes.capacity()
                + self.sample_highs.capacity() * 4
                + self.openings.capacity() * 8
                + self.hit_counts.capacity()
                + self.hits.capacity() * 4
                + self.measured.capacity() * std::mem::size_of::<Measured>(),
        }
    }

    /// Fingerprints and adds one article (see [`Index::add`]).
    pub fn add_doc(&mut self, id: &str, doc: &DocInput<'_>) -> Result<Added, IndexError> {
        let fp = Fingerprinter::new(self.config).fingerprint(doc);
        self.add(id, &fp)
    }

    /// Compares an article with every indexed one, then indexes it.
    /// Returns its pairs with indexed articles, each directed (see
    /// [`direction`]), plus, where it copies a copy, a pair with the root
    /// of that chain. An id already indexed changes nothing.
    pub fn add(&mut self, id: &str, fp: &Fingerprint) -> Result<Added, IndexError> {
        if id.is_empty() || id.len() > usize::from(u16::MAX) {
            return Err(IndexError::BadId(id.to_owned()));
        }
        if let Some(d) = self.lookup(id) {
            return Ok(Added::Known(d));
        }
        if self.docs.len() >= (u32::MAX - 1) as usize
            || self.id_bytes.len() + id.len() > u32::MAX as usize
            || self.sample_highs.len() + usize::from(u8::MAX) > u32::MAX as usize
        {
            return Err(IndexError::Full);
        }
        let doc = self.docs.len() as DocNo;
        let (time, dated) = match fp.published {
            Some(t) => (t, DATED),
            None => (self.clock, 0),
        };
        let meta = DocMeta {
            exact: fp.sketch.exact as u32,
            time,
            words: fp.content_words.min(u32::from(u16::MAX)) as u16,
            threshold: fp.sketch.threshold,
            id_end: 0,
            sample_end: 0,
            parent: doc,
            samples: fp.sketch.samples.len().min(usize::from(u8::MAX)) as u8,
            flags: (fp.flags & !(DATED | EVICTED)) | dated,
        };
        let mut pairs = self.compare(doc, &meta, &fp.sketch);
        self.id_bytes.push_str(id);
        let kept = &fp.sketch.samples[..usize::from(meta.samples)];
        self.sample_highs.extend(kept.iter().map(|&h| high(h)));
        self.openings.push(fp.sketch.opening);
        self.docs.push(DocMeta {
            id_end: self.id_bytes.len() as u32,
            sample_end: self.sample_highs.len() as u32,
            ..meta
        });
        self.link(doc, &mut pairs);
        for &h in posted(kept) {
            self.postings.insert(key(h), doc);
        }
        self.ids.insert(id_key(id), doc);
        self.live += 1;
        Ok(Added::New { doc, pairs })
    }

    /// The pairs the new article (`doc`, not yet stored) forms.
    fn compare(&mut self, doc: DocNo, meta: &DocMeta, sketch: &Sketch) -> Vec<Pair> {
        let mut hits = std::mem::take(&mut self.hits);
        let mut counts = std::mem::take(&mut self.hit_counts);
        let mut measured = std::mem::take(&mut self.measured);
        hits.clear();
        measured.clear();
        if counts.len() < self.docs.len() {
            counts.resize(self.docs.len(), 0);
        }
        let samples = &sketch.samples[..usize::from(meta.samples)];
        let fp_opening = sketch.opening;
        let query = posted(samples);
        // Start every sample's cache miss before walking any of them.
        let touched = query
            .iter()
            .fold(0u64, |acc, &h| acc ^ self.postings.touch(key(h)));
        std::hint::black_box(touched);
        // Hits are counted per article in place rather than collected and
        // sorted: a text reposted n times has n postings under each of its
        // samples, so the hits outnumber the articles hit twentyfold.
        for &h in query {
            self.postings
                .for_each(key(h), self.config.max_postings, |d| {
                    if self.docs[d as usize].flags & EVICTED == 0 {
                        let count = &mut counts[d as usize];
                        if *count == 0 {
                            hits.push(d);
                        }
                        *count = count.saturating_add(1);
                    }
                });
        }
        hits.sort_unstable();
        let mut pairs = Vec::new();
        let new_facts = facts(meta, doc);
        for &d in &hits {
            let found = usize::from(std::mem::take(&mut counts[d as usize]));
            let m = self.docs[d as usize];
            let exact = meta.exact == m.exact && !samples.is_empty();
            if found < MIN_HITS && !exact {
                continue;
            }
            let t = meta.threshold.min(m.threshold);
            let ours = &samples[..count_under(samples, t)];
            let all_theirs = self.samples_of(d);
            let theirs = &all_theirs[..all_theirs.partition_point(|&x| x <= t)];
            let their_opening = self.openings[d as usize];
            // A twin of a candidate already measured (same threshold, same
            // samples, same opening) shares exactly what it shared.
            let twin = measured.iter().find(|e| {
                let other = self.docs[e.doc as usize];
                other.exact == m.exact
                    && other.threshold == m.threshold
                    && self.openings[e.doc as usize] == their_opening
                    && self.samples_of(e.doc) == all_theirs
            });
            let (shared, openings) = match twin {
                Some(e) => (e.shared, e.openings),
                None => {
                    let (shared, openings) = shared_highs(ours, fp_opening, theirs, their_opening);
                    if measured.len() < MEASURED_KEPT {
                        measured.push(Measured {
                            doc: d,
                            shared,
                            openings,
                        });
                    }
                    (shared, openings)
                }
            };
            let overlap = Overlap {
                shared,
                a_samples: ours.len() as f64,
                b_samples: theirs.len() as f64,
                exact,
            };
            let Some((relation, score)) = relation::classify(&overlap, &self.config.relation)
            else {
                continue;
            };
            let (orig, rule) = direction::original(&new_facts, &facts(&m, d), relation, &openings);
            let (copy, original) = match orig {
                Original::A => (d, doc),
                Original::B => (doc, d),
            };
            pairs.push(Pair {
                copy,
                original,
                relation,
                score,
                rule: Some(rule),
            });
        }
        self.hits = hits;
        self.hit_counts = counts;
        self.measured = measured;
        pairs
    }

    /// Updates copy chains for the new article's pairs and adds the pairs
    /// that resolve its chain to the root.
    fn link(&mut self, doc: DocNo, pairs: &mut Vec<Pair>) {
        // Indexed roots the new article turns out to be the original of.
        for p in pairs.iter().filter(|p| p.original == doc) {
            let c = p.copy as usize;
            if self.docs[c].parent == p.copy {
                self.docs[c].parent = doc;
            }
        }
        let Some(best) = best_original(doc, pairs) else {
            return;
        };
        let root = self.root(best);
        if root == doc {
            return; // the chain already leads back here: keep it a root
        }
        self.docs[doc as usize].parent = root;
        if root != best && !pairs.iter().any(|p| p.original == root || p.copy == root) {
            let via = pairs
                .iter()
                .find(|p| p.copy == doc && p.original == best)
                .copied();
            if let Some(via) = via {
                pairs.push(Pair {
                    original: root,
                    rule: None,
                    ..via
                });
            }
        }
    }

    /// The pairs among `pairs` (what [`Index::add`] returned for `doc`,
    /// just added) that shape the copy forest: `doc`'s pair with the
    /// original it copies most closely and with the root of that chain,
    /// and its pairs with indexed articles that now descend from it. Every
    /// other pair joins two articles already joined through these.
    ///
    /// A text reposted `n` times forms `n(n-1)/2` pairs; a consumer that
    /// keeps every arrival's pairs (a store, a brief) keeps fewer than `2n`
    /// of them this way, and still knows each copy's closest original and
    /// root.
    pub fn forest_pairs(&self, doc: DocNo, pairs: &[Pair]) -> Vec<Pair> {
        let best = best_original(doc, pairs);
        let parent = self.docs.get(doc as usize).map_or(doc, |m| m.parent);
        pairs
            .iter()
            .filter(|p| {
                if p.copy == doc {
                    Some(p.original) == best || p.original == parent
                } else {
                    p.original == doc && self.docs[p.copy as usize].parent == doc
                }
            })
            .copied()
            .collect()
    }

    /// Evicts every article whose time (publication, or indexing time for
    /// undated ones) is before `minutes`; they are no longer matched and
    /// their postings are freed. Returns how many were evicted.
    pub fn evict_before(&mut self, minutes: i32) -> usize {
        let mut n = 0;
        for m in &mut self.docs {
            if m.flags & EVICTED == 0 && m.time < minutes {
                m.flags |= EVICTED;
                n += 1;
            }
        }
        if n > 0 {
            let docs = &self.docs;
            self.postings
                .retain(|d| docs[d as usize].flags & EVICTED == 0);
            self.ids.retain(|d| docs[d as usize].flags & EVICTED == 0);
            // Evicted articles' samples leave the arena: their ranges become
            // empty, the others move down.
            let mut kept = Vec::with_capacity(self.sample_highs.len());
            let mut start = 0usize;
            for m in &mut self.docs {
                let end = m.sample_end as usize;
                if m.flags & EVICTED == 0 {
                    kept.extend_from_slice(&self.sample_highs[start..end]);
                }
                start = end;
                m.sample_end = kept.len() as u32;
            }
            self.sample_highs = kept;
            self.live -= n;
        }
        n
    }

    /// The high 32 bits of `doc`'s samples, ascending.
    fn samples_of(&self, doc: DocNo) -> &[u32] {
        let d = doc as usize;
        let start = if d == 0 {
            0
        } else {
            self.docs[d - 1].sample_end as usize
        };
        &self.sample_highs[start..self.docs[d].sample_end as usize]
    }

    /// The time (minutes since 1970) recorded for `doc`.
    pub fn time(&self, doc: DocNo) -> i32 {
        self.docs[doc as usize].time
    }
}

/// The original the new article copies most closely: the strongest
/// relation, then the highest score.
fn best_original(doc: DocNo, pairs: &[Pair]) -> Option<DocNo> {
    pairs
        .iter()
        .filter(|p| p.copy == doc)
        .min_by(|a, b| {
            a.relation
                .cmp(&b.relation)
                .then(b.score.total_cmp(&a.score))
        })
        .map(|p| p.original)
}

/// The samples of a sketch that are posted: its [`INDEXED_SAMPLES`]
/// smallest, with any that tie the last one on the high bits (so the set is
/// "every sample under a threshold", like the sketch itself).
fn posted(samples: &[u64]) -> &[u64] {
    if samples.len() <= INDEXED_SAMPLES {
        return samples;
    }
    let t = high(samples[INDEXED_SAMPLES - 1]);
    &samples[..count_under(samples, t)]
}

/// How many values two ascending lists share, and how much of each one's
/// opening (`a_open`, `b_open`: bit `i` marks the `i`-th value) the other
/// carries.
fn shared_highs(a: &[u64], a_open: u64, b: &[u32], b_open: u64) -> (u32, Openings) {
    let (mut i, mut j, mut n) = (0, 0, 0u32);
    let marked = |mask: u64, at: usize| at < 64 && (mask >> at) & 1 != 0;
    let mut openings = Openings {
        a_in_b: Carried {
            opening: (a_open & low_bits(a.len())).count_ones(),
            shared: 0,
        },
        b_in_a: Carried {
            opening: (b_open & low_bits(b.len())).count_ones(),
            shared: 0,
        },
    };
    while i < a.len() && j < b.len() {
        let x = high(a[i]);
        match x.cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                openings.a_in_b.shared += u32::from(marked(a_open, i));
                openings.b_in_a.shared += u32::from(marked(b_open, j));
                i += 1;
                j += 1;
            }
        }
    }
    (n, openings)
}

/// A mask of the lowest `n` bits (all 64 from `n = 64` on).
fn low_bits(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

fn facts(m: &DocMeta, doc: DocNo) -> Facts {
    Facts {
        time: m.time,
        flags: m.flags,
        words: u32::from(m.words),
        arrival: doc,
    }
}

fn id_key(id: &str) -> u32 {
    hash_bytes(id.as_bytes()) as u32
}
