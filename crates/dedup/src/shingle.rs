//! Words, word shingles and their hashes: the fingerprints every other part
//! of the detector compares.
//!
//! Text is compared in its *match key* form
//! ([`parallax_text::normalize::match_key`]): NFKC, lowercase, punctuation
//! and symbols turned into word breaks. A punctuated article and a caseless,
//! unpunctuated copy of it (the shape of seed 001) therefore give the same
//! words, the same shingles and the same exact hash.
//!
//! Text is scanned once, byte by byte: ASCII stretches take a fast path that
//! produces exactly the words `match_key` would (NFKC is the identity on
//! ASCII, and the ASCII letters and digits are exactly the ASCII
//! alphanumerics), hashing as it goes, without building the key string; a
//! whitespace-delimited chunk that holds any non-ASCII character goes
//! through `match_key` itself (NFKC never composes across ASCII
//! whitespace).
//!
//! Each word is hashed to 64 bits; a shingle (`k` consecutive words) hashes
//! to a mix of its words' hashes with position-dependent multipliers, so
//! word order matters inside a shingle but paragraph order does not matter
//! beyond the `k - 1` shingles that cross each paragraph break.

use parallax_text::normalize::match_key;

/// FNV-1a 64-bit offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Position multipliers for the words of a shingle (odd, random-looking).
const POSITION: [u64; 8] = [
    0x9e37_79b9_7f4a_7c15,
    0xc2b2_ae3d_27d4_eb4f,
    0x1656_67b1_9e37_79f9,
    0xd6e8_feb8_6659_fd93,
    0xa076_1d64_78bd_642f,
    0xe703_7ed1_a0b4_28db,
    0x8ebc_6af0_9c88_c6e3,
    0x5899_65cc_7537_4cc3,
];

/// The longest shingle supported, in words.
pub const MAX_SHINGLE: usize = POSITION.len();

/// Murmur3's 64-bit finaliser: every input bit affects every output bit.
#[inline]
pub fn mix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Multiplier folding each 8-byte block of a word into its hash.
const BLOCK_MUL: u64 = 0x9fb2_1c65_1e98_df25;

/// Hash state of a word being read: bytes are packed eight to a `u64` and
/// each full block is folded in with one multiply, so a byte costs a shift
/// and an or, not a multiply.
#[derive(Clone, Copy)]
struct WordHasher {
    h: u64,
    acc: u64,
    len: u32,
}

impl WordHasher {
    const NEW: Self = Self {
        h: FNV_OFFSET,
        acc: 0,
        len: 0,
    };

    #[inline(always)]
    fn push(&mut self, b: u8) {
        self.acc = (self.acc << 8) | u64::from(b);
        self.len += 1;
        if self.len.is_multiple_of(8) {
            self.h = (self.h ^ self.acc).wrapping_mul(BLOCK_MUL).rotate_left(29);
            self.acc = 0;
        }
    }

    #[inline(always)]
    fn finish(self) -> u64 {
        mix64((self.h ^ self.acc).wrapping_mul(BLOCK_MUL) ^ u64::from(self.len))
    }
}

/// A well-mixed 64-bit hash of a byte string; a word's hash whichever way
/// its text was read.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut w = WordHasher::NEW;
    for &b in bytes {
        w.push(b);
    }
    w.finish()
}

/// The words of a text as hashes, in order, plus an order-sensitive hash of
/// the whole word sequence (the *exact* key: equal for texts that are the
/// same after normalisation).
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// One hash per word, in text order.
    pub hashes: Vec<u64>,
    /// Hash of the whole sequence.
    pub exact: u64,
    /// Words in each `\n`-separated paragraph, in order.
    pub paragraphs: Vec<u32>,
}

/// Hashes the match-key words of `text` into `out` (cleared first).
///
/// ```
/// use parallax_dedup::shingle::{words, Words};
///
/// let mut a = Words::default();
/// let mut b = Words::default();
/// words("U.S. President Donald Trump's \u{201C}deal\u{201D}.", &mut a);
/// words("u s president donald trump s deal", &mut b);
/// assert_eq!(a.hashes, b.hashes);
/// assert_eq!(a.exact, b.exact);
/// assert_eq!(a.hashes.len(), 7);
/// ```
pub fn words(text: &str, out: &mut Words) {
    out.hashes.clear();
    out.paragraphs.clear();
    let bytes = text.as_bytes();
    let mut para_start = 0usize;
    // Start of the current whitespace-delimited chunk, and where its words
    // begin in `out.hashes` (to take them back if it turns out non-ASCII).
    let mut chunk_start = 0usize;
    let mut chunk_words = 0usize;
    let mut word = WordHasher::NEW;
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            // `| 0x20` lowercases ASCII letters and leaves digits alone.
            word.push(b | 0x20);
            i += 1;
            continue;
        }
        if word.len > 0 {
            out.hashes.push(word.finish());
            word = WordHasher::NEW;
        }
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                chunk_start = i + 1;
                chunk_words = out.hashes.len();
                if b == b'\n' {
                    out.paragraphs.push((out.hashes.len() - para_start) as u32);
                    para_start = out.hashes.len();
                }
            }
            i += 1;
            continue;
        }
        // Non-ASCII: redo the whole chunk through `match_key`.
        out.hashes.truncate(chunk_words);
        let mut end = i;
        while end < bytes.len() && !bytes[end].is_ascii_whitespace() {
            end += 1;
        }
        for w in match_key(&text[chunk_start..end])
            .split(' ')
            .filter(|w| !w.is_empty())
        {
            out.hashes.push(hash_bytes(w.as_bytes()));
        }
        i = end;
    }
    if word.len > 0 {
        out.hashes.push(word.finish());
    }
    out.paragraphs.push((out.hashes.len() - para_start) as u32);
    let mut e = FNV_OFFSET ^ out.hashes.len() as u64;
    for &w in &out.hashes {
        e = (e ^ w).wrapping_mul(FNV_PRIME).rotate_left(29);
    }
    out.exact = mix64(e);
}

/// Calls `f` with the hash of every `k`-word shingle of `words`, in order.
/// A text shorter than `k` words yields one shingle of all its words; an
/// empty text yields none. `k` is clamped to `1..=MAX_SHINGLE`.
#[inline]
pub fn for_each_shingle(words: &[u64], k: usize, mut f: impl FnMut(u64)) {
    let k = k.clamp(1, MAX_SHINGLE);
    if words.is_empty() {
        return;
    }
    if words.len() < k {
        f(shingle_hash(words));
        return;
    }
    for w in words.windows(k) {
        f(shingle_hash(w));
    }
}

/// The hash of one shingle (its words' hashes, in order).
#[inline]
pub fn shingle_hash(words: &[u64]) -> u64 {
    let mut s = words.len() as u64;
    for (w, p) in words.iter().zip(POSITION) {
        s = s.wrapping_add(w.wrapping_mul(p));
    }
    mix64(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(text: &str) -> Words {
        let mut w = Words::default();
        words(text, &mut w);
        w
    }

    #[test]
    fn ascii_fast_path_matches_match_key() {
        for text in [
            "Hello, World! 25-30% of $1.1bn (U.S.)",
            "  leading and trailing  ",
            "ZTE's \"denial order.\"\nSecond paragraph -- here",
            "",
            "...",
            "caf\u{e9}s and na\u{ef}ve r\u{e9}sum\u{e9}s \u{2014} \u{201c}quoted\u{201d}, ZTE\u{2019}s",
            "mixed\u{a0}nbsp x\u{301}y \u{fb01}nal ok",
            "line one\nl\u{ed}ne two\n\nthree",
        ] {
            let fast = hashes(text);
            let slow: Vec<u64> = text
                .split('\n')
                .flat_map(|p| {
                    match_key(p)
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(|w| hash_bytes(w.as_bytes()))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(fast.hashes, slow, "{text:?}");
        }
    }

    #[test]
    fn unicode_and_ascii_forms_agree() {
        let a = hashes("Trump\u{2019}s \u{201C}ZTE\u{201D} \u{2014} caf\u{00E9}");
        let b = hashes("trump s zte cafe\u{0301}");
        assert_eq!(a.hashes, b.hashes);
        assert_eq!(a.exact, b.exact);
    }

    #[test]
    fn exact_hash_depends_on_order() {
        assert_ne!(hashes("a b c").exact, hashes("a c b").exact);
        assert_ne!(hashes("a b").exact, hashes("a b b").exact);
        assert_eq!(hashes("A, b. C").exact, hashes("a b c").exact);
    }

    #[test]
    fn shingles_cover_short_texts() {
        let w = hashes("one two three").hashes;
        let mut n = 0;
        for_each_shingle(&w, 5, |_| n += 1);
        assert_eq!(n, 1);
        let w = hashes("one two three four five six").hashes;
        let mut s = Vec::new();
        for_each_shingle(&w, 5, |h| s.push(h));
        assert_eq!(s.len(), 2);
        assert_ne!(s[0], s[1]);
        for_each_shingle(&[], 5, |_| panic!("no shingles in an empty text"));
    }
}
