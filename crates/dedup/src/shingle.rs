//! Words, word shingles and their hashes: the fingerprints every other part
//! of the detector compares.
//!
//! Text is compared in its *match key* form
//! ([`parallax_text::normalize::match_key`]): NFKC, lowercase, punctuation
//! and symbols turned into word breaks. A punctuated article and a caseless,
//! unpunctuated copy of it (the shape of seed 001) therefore give the same
//! words, the same shingles and the same exact hash.
//!
//! Text is scanned once, eight bytes at a time (SWAR: letter, digit,
//! newline and non-ASCII tests on a whole `u64`), and produces exactly the
//! words `match_key` would, without building the key string: NFKC is the
//! identity on ASCII, the ASCII letters and digits are exactly the ASCII
//! alphanumerics, and a short list of common non-ASCII punctuation (curly
//! quotes, dashes, ellipsis, no-break space) only ever breaks words. A
//! whitespace-delimited chunk holding any other non-ASCII character goes
//! through `match_key` itself (NFKC never composes across ASCII
//! whitespace). A word's hash is computed from the same loads, eight bytes
//! per multiply.
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

/// Hash state of a word being read: bytes are packed eight to a `u64`
/// (first byte highest) and each full block is folded in with one
/// multiply.
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
            self.block(self.acc);
            self.acc = 0;
        }
    }

    /// Folds in eight bytes at once (`block` packed first byte highest);
    /// only at a multiple of eight bytes.
    #[inline(always)]
    fn block(&mut self, block: u64) {
        self.h = (self.h ^ block).wrapping_mul(BLOCK_MUL).rotate_left(29);
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
    let mut blocks = bytes.chunks_exact(8);
    for b in &mut blocks {
        w.block(u64::from_be_bytes(b.try_into().unwrap_or([0; 8])));
    }
    w.len = (bytes.len() - blocks.remainder().len()) as u32;
    for &b in blocks.remainder() {
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

/// Eight copies of a byte value, one per byte of a `u64`.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of every byte.
const HIGHS: u64 = splat(0x80);

/// Eight bytes of `bytes` from `i`, first byte lowest; past the end they
/// read as zero (a separator).
#[inline(always)]
fn load(bytes: &[u8], i: usize) -> u64 {
    match bytes.get(i..i + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
        None => {
            let rest = &bytes[i.min(bytes.len())..];
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(buf)
        }
    }
}

/// For each byte of `x`: its high bit set where the byte is an ASCII
/// letter or digit, all else clear. Range tests on the low seven bits
/// (adding to a 7-bit value never carries into the next byte).
#[inline(always)]
fn alnum_mask(x: u64) -> u64 {
    let y = x & !HIGHS;
    let z = y | splat(0x20); // ASCII letters folded to lowercase
    let digit = (y + splat(0x80 - b'0')) & !(y + splat(0x7f - b'9'));
    let letter = (z + splat(0x80 - b'a')) & !(z + splat(0x7f - b'z'));
    (digit | letter) & !x & HIGHS
}

/// For each byte of `x`: its high bit set where the byte is `\n`.
#[inline(always)]
fn newline_mask(x: u64) -> u64 {
    let t = x ^ splat(b'\n');
    let nonzero = ((t & !HIGHS) + !HIGHS) | t;
    !nonzero & HIGHS
}

/// The hash of the ASCII word starting at `bytes[i]` (`x = load(bytes, i)`,
/// `alnum = alnum_mask(x)`, its first byte alphanumeric) and its length:
/// the same hash [`hash_bytes`] gives the lowercased word, eight bytes at
/// a time.
#[inline(always)]
fn ascii_word(bytes: &[u8], i: usize, mut x: u64, mut alnum: u64) -> (u64, usize) {
    let mut w = WordHasher::NEW;
    let mut len = 0usize;
    loop {
        // Bytes of the word in this block (8: it goes on).
        let k = ((!alnum & HIGHS).trailing_zeros() / 8) as usize;
        // `| 0x20` lowercases ASCII letters and leaves digits alone; the
        // byte swap packs the first byte highest, as `WordHasher` does.
        let packed = (x | splat(0x20)).swap_bytes();
        if k < 8 {
            w.acc = if k == 0 { 0 } else { packed >> (64 - 8 * k) };
            len += k;
            w.len = len as u32;
            return (w.finish(), len);
        }
        w.block(packed);
        len += 8;
        x = load(bytes, i + len);
        alnum = alnum_mask(x);
    }
}

/// The hash of the ASCII word of `len` bytes at `bytes[at]` (the same as
/// [`ascii_word`]'s); a word under eight bytes takes one load.
#[inline(always)]
fn ascii_word_hash(bytes: &[u8], at: usize, len: usize) -> u64 {
    let x = load(bytes, at);
    if len < 8 {
        let mut w = WordHasher::NEW;
        w.acc = (x | splat(0x20)).swap_bytes() >> (64 - 8 * len);
        w.len = len as u32;
        w.finish()
    } else {
        ascii_word(bytes, at, x, alnum_mask(x)).0
    }
}

/// The high bit of each byte of `m` gathered into the low byte (first byte
/// lowest): the eight shifted copies the multiply adds land on distinct
/// bits, so nothing carries.
#[inline(always)]
fn gather(m: u64) -> u64 {
    (m & HIGHS).wrapping_mul(0x0002_0408_1020_4081) >> 56
}

/// Characters outside ASCII that `match_key` turns into a word break
/// whatever surrounds them (quotes, dashes, ellipsis, bullet, prime,
/// guillemets, no-break space), by their UTF-8 length: they neither
/// compose with neighbours under NFKC nor are letters, digits or marks, so
/// the fast path may skip them. Anything else goes through `match_key`.
#[inline]
fn break_char_len(rest: &[u8]) -> Option<usize> {
    match rest {
        [0xC2, 0xA0 | 0xAB | 0xBB, ..] => Some(2),
        [
            0xE2,
            0x80,
            0x90..=0x95 | 0x98..=0x9F | 0xA2 | 0xA6 | 0xB2 | 0xB9 | 0xBA,
            ..,
        ] => Some(3),
        [0xE2, 0x88, 0x92, ..] => Some(3),
        _ => None,
    }
}

/// Words (maximal runs of ASCII letters and digits) in `bytes`.
fn count_ascii_words(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for &b in bytes {
        let a = b.is_ascii_alphanumeric();
        n += usize::from(a && !in_word);
        in_word = a;
    }
    n
}

/// Redoes, through `match_key`, the whitespace-delimited chunk holding the
/// non-ASCII character at byte `j`: takes back the words the fast path
/// already read from it and hashes the chunk's match-key words instead.
/// Returns the end of the chunk.
#[cold]
fn slow_chunk(text: &str, j: usize, out: &mut Words) -> usize {
    let bytes = text.as_bytes();
    // The chunk starts after the last ASCII whitespace (NFKC never
    // composes across it); every non-ASCII character before `j` in it was
    // a break character, so the words read from it are its ASCII runs.
    let start = bytes[..j]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(0, |p| p + 1);
    let taken = count_ascii_words(&bytes[start..j]);
    out.hashes.truncate(out.hashes.len() - taken);
    let end = bytes[j..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(bytes.len(), |p| j + p);
    for w in match_key(&text[start..end])
        .split(' ')
        .filter(|w| !w.is_empty())
    {
        out.hashes.push(hash_bytes(w.as_bytes()));
    }
    end
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
    let mut i = 0usize;
    // 64 bytes at a time: the window's letters and digits, newlines and
    // non-ASCII bytes become three bit masks (eight bytes per test), words
    // are read off the masks with bit operations, and only a newline or a
    // non-ASCII character stops the window. `i` is never inside a word.
    while i < bytes.len() {
        let mut alnum = 0u64;
        let mut special = 0u64;
        for k in 0..8 {
            let x = load(bytes, i + 8 * k);
            alnum |= gather(alnum_mask(x)) << (8 * k);
            special |= gather((x & HIGHS) | newline_mask(x)) << (8 * k);
        }
        // The window ends at its first special byte (64: none).
        let plain = special.trailing_zeros();
        let valid = if plain == 64 {
            u64::MAX
        } else {
            (1u64 << plain) - 1
        };
        let mut starts = alnum & !(alnum << 1) & valid;
        let mut ends = alnum & !(alnum >> 1) & valid;
        // A word that reaches the end of a full window may go on past it:
        // it is read from the next window, which starts where it does.
        let open = plain == 64 && alnum >> 63 != 0;
        let mut resume = 64;
        if open {
            resume = 63 - starts.leading_zeros();
            starts &= !(1u64 << resume);
            ends &= !(1u64 << 63);
        }
        while starts != 0 {
            let s = starts.trailing_zeros() as usize;
            let e = ends.trailing_zeros() as usize;
            starts &= starts - 1;
            ends &= ends - 1;
            out.hashes.push(ascii_word_hash(bytes, i + s, e + 1 - s));
        }
        if open {
            if resume == 0 {
                // One word fills the window: read it whole.
                let x = load(bytes, i);
                let (h, len) = ascii_word(bytes, i, x, alnum_mask(x));
                out.hashes.push(h);
                i += len;
            } else {
                i += resume as usize;
            }
            continue;
        }
        if plain == 64 {
            i += 64;
            continue;
        }
        let j = i + plain as usize;
        if bytes[j] == b'\n' {
            out.paragraphs.push((out.hashes.len() - para_start) as u32);
            para_start = out.hashes.len();
            i = j + 1;
        } else if let Some(n) = break_char_len(&bytes[j..]) {
            i = j + n;
        } else {
            i = slow_chunk(text, j, out);
        }
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

    /// The words of `text` by the definition: `match_key` per paragraph,
    /// each word hashed one byte at a time.
    fn reference(text: &str) -> (Vec<u64>, Vec<u32>) {
        let mut hashes = Vec::new();
        let mut paragraphs = Vec::new();
        for p in text.split('\n') {
            let before = hashes.len();
            for w in match_key(p).split(' ').filter(|w| !w.is_empty()) {
                let mut h = WordHasher::NEW;
                w.bytes().for_each(|b| h.push(b));
                hashes.push(h.finish());
            }
            paragraphs.push((hashes.len() - before) as u32);
        }
        (hashes, paragraphs)
    }

    #[test]
    fn gather_collects_the_high_bits() {
        for bits in 0u64..256 {
            let m = (0..8).fold(0u64, |m, b| m | ((bits >> b) & 1) << (8 * b + 7));
            // Low bits set too: they must not disturb the result.
            assert_eq!(gather(m | 0x7f7f_7f7f_7f7f_7f7f), bits);
        }
    }

    #[test]
    fn block_hash_is_the_byte_hash() {
        for len in 0..150 {
            let w: Vec<u8> = (0..len).map(|i| b'a' + (i * 7 % 26) as u8).collect();
            let mut h = WordHasher::NEW;
            w.iter().for_each(|&b| h.push(b));
            assert_eq!(hash_bytes(&w), h.finish(), "length {len}");
            let text = String::from_utf8(w.to_ascii_uppercase()).unwrap();
            let expect = if len == 0 { vec![] } else { vec![h.finish()] };
            assert_eq!(hashes(&text).hashes, expect, "length {len}");
        }
    }

    #[test]
    fn words_across_window_edges() {
        for pad in 0..140 {
            for len in [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 66, 130] {
                let word: String = (0..len).map(|i| (b'A' + (i % 26) as u8) as char).collect();
                for text in [
                    format!("{}{word} tail,x", " ".repeat(pad)),
                    format!("{}{word}\u{2019}s {word}", "ab ".repeat(pad / 3)),
                    format!("{}{word}\ncaf\u{e9} {word}", "z".repeat(pad)),
                ] {
                    let got = hashes(&text);
                    let (want, paragraphs) = reference(&text);
                    assert_eq!(got.hashes, want, "{text:?}");
                    assert_eq!(got.paragraphs, paragraphs, "{text:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any mix of ASCII, the break characters and characters that need
        /// NFKC (accents, combining marks, ligatures, soft hyphens, other
        /// scripts) gives exactly the words `match_key` gives.
        #[test]
        fn fast_words_are_match_key_words(pieces in proptest::collection::vec(0usize..PIECES.len(), 0..200)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let got = hashes(&text);
            let (want, paragraphs) = reference(&text);
            proptest::prop_assert_eq!(&got.hashes, &want, "{:?}", text);
            proptest::prop_assert_eq!(&got.paragraphs, &paragraphs, "{:?}", text);
        }
    }

    const PIECES: &[&str] = &[
        "a",
        "Z",
        "q",
        "7",
        "word",
        "Reuters",
        "internationalisation",
        "ABCDEFGH",
        "abcdefg",
        "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogochuchaf1234567890",
        "a b c d",
        "0123456789",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        ".",
        ",",
        "'",
        "\"",
        "-",
        "(",
        ")",
        "$",
        "\u{0}",
        "\u{2019}",
        "\u{2018}",
        "\u{201C}",
        "\u{201D}",
        "\u{2014}",
        "\u{2013}",
        "\u{2011}",
        "\u{2026}",
        "\u{2022}",
        "\u{2032}",
        "\u{2039}",
        "\u{203A}",
        "\u{2212}",
        "\u{a0}",
        "\u{ab}",
        "\u{bb}",
        "\u{e9}",
        "e\u{301}",
        "\u{301}",
        "\u{308}",
        "\u{ad}",
        "\u{200b}",
        "\u{feff}",
        "\u{fb01}",
        "\u{bd}",
        "\u{b2}",
        "\u{2122}",
        "\u{212a}",
        "\u{130}",
        "\u{3b1}\u{3b2}",
        "\u{4e2d}\u{6587}",
        "\u{ff21}",
        "\u{2460}",
        "\u{2000}",
        "\u{3000}",
        "\u{1f600}",
    ];

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
