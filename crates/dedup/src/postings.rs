//! The posting table: sample key -> articles that hold it, in 8 bytes per
//! posting.
//!
//! A general hash map of lists costs tens of bytes per article even when
//! empty; at a million articles that is the whole memory budget. This table
//! is one flat `Vec<u64>`, each slot a packed `(key << 32) | doc`, laid out
//! by *ordered linear probing*: an entry's home slot is `key * capacity >>
//! 32` (monotone in the key, and keys are uniform hash bits), and entries
//! are kept in ascending order along the array, each at or after its home.
//! So
//!
//! * a lookup starts at the key's home and scans a short run: entries of
//!   smaller keys are skipped, the key's own postings are contiguous, and the
//!   scan stops at the first larger key or empty slot;
//! * an insert shifts the rest of its run one slot right;
//! * growing (by a quarter) and evicting are one sequential pass that re-places
//!   the entries, already in order, into a new array.
//!
//! The load factor stays between about 0.68 and 0.85, so the table costs
//! about 9.5 to 12 bytes per posting. A key is 32 bits; a chance equality
//! with another shingle's key is filtered by the caller (the other
//! article's threshold) and, failing that, costs one spurious shared sample,
//! which the relation tests tolerate.

/// An empty slot (doc `u32::MAX` is never a real document).
const EMPTY: u64 = u64::MAX;
/// Slots kept past the last home slot so runs near the end need not wrap.
const SLACK: usize = 256;
/// Grow when `len > capacity * MAX_LOAD_NUM / MAX_LOAD_DEN`.
const MAX_LOAD_NUM: usize = 85;
const MAX_LOAD_DEN: usize = 100;

/// A multimap from 32-bit keys to 32-bit document numbers.
#[derive(Debug, Clone)]
pub struct PostingTable {
    slots: Vec<u64>,
    /// Number of home slots (`slots.len() - SLACK`).
    capacity: usize,
    len: usize,
}

impl Default for PostingTable {
    fn default() -> Self {
        Self::with_capacity(1024)
    }
}

#[inline]
fn pack(key: u32, doc: u32) -> u64 {
    (u64::from(key) << 32) | u64::from(doc)
}

#[inline]
fn entry_key(e: u64) -> u32 {
    (e >> 32) as u32
}

#[inline]
fn entry_doc(e: u64) -> u32 {
    e as u32
}

impl PostingTable {
    /// A table sized for about `postings` entries without growing.
    pub fn with_capacity(postings: usize) -> Self {
        let capacity = (postings * MAX_LOAD_DEN / MAX_LOAD_NUM).max(64);
        Self {
            slots: vec![EMPTY; capacity + SLACK],
            capacity,
            len: 0,
        }
    }

    /// Number of postings.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no postings.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held by the table.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 8
    }

    #[inline]
    fn home(&self, key: u32) -> usize {
        ((u64::from(key) * self.capacity as u64) >> 32) as usize
    }

    /// Adds a posting. `doc` must be less than `u32::MAX`.
    pub fn insert(&mut self, key: u32, doc: u32) {
        debug_assert!(doc != u32::MAX);
        if (self.len + 1) * MAX_LOAD_DEN > self.capacity * MAX_LOAD_NUM {
            self.rebuild(self.capacity + self.capacity / 4, |_| true);
        }
        let e = pack(key, doc);
        let mut i = self.home(key);
        while i < self.slots.len() && self.slots[i] != EMPTY && self.slots[i] < e {
            i += 1;
        }
        if i < self.slots.len() && self.slots[i] == e {
            return; // already there
        }
        // The end of the run (first empty slot at or after i).
        let mut j = i;
        while j < self.slots.len() && self.slots[j] != EMPTY {
            j += 1;
        }
        if j == self.slots.len() {
            // The run reaches the end of the array: extend the tail.
            self.slots.resize(self.slots.len() + SLACK, EMPTY);
        }
        self.slots.copy_within(i..j, i + 1);
        self.slots[i] = e;
        self.len += 1;
    }

    /// Reads the slot where a lookup of `key` starts and returns it, for
    /// callers that look up many keys: reading all their slots first lets
    /// the memory system fetch them in parallel instead of one cache miss
    /// after another (a prefetch without `unsafe`).
    #[inline]
    pub fn touch(&self, key: u32) -> u64 {
        self.slots[self.home(key)]
    }

    /// Calls `f` with every document holding `key`, stopping after `limit`.
    #[inline]
    pub fn for_each(&self, key: u32, limit: usize, mut f: impl FnMut(u32)) {
        let mut i = self.home(key);
        let first = pack(key, 0);
        while i < self.slots.len() {
            let e = self.slots[i];
            if e == EMPTY || e >= first {
                break;
            }
            i += 1;
        }
        let mut n = 0;
        while i < self.slots.len() && n < limit {
            let e = self.slots[i];
            if e == EMPTY || entry_key(e) != key {
                break;
            }
            f(entry_doc(e));
            n += 1;
            i += 1;
        }
    }

    /// Drops every posting whose document fails `keep`, in one pass.
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        self.rebuild(self.capacity, keep);
    }

    /// Re-places every kept entry into a table of `capacity` home slots.
    fn rebuild(&mut self, capacity: usize, keep: impl Fn(u32) -> bool) {
        let capacity = capacity.max(64);
        let mut slots = vec![EMPTY; capacity + SLACK];
        let mut next = 0usize;
        let mut len = 0usize;
        for &e in self.slots.iter().filter(|&&e| e != EMPTY) {
            if !keep(entry_doc(e)) {
                continue;
            }
            let home = ((u64::from(entry_key(e)) * capacity as u64) >> 32) as usize;
            let at = home.max(next);
            if at >= slots.len() {
                slots.resize(at + SLACK, EMPTY);
            }
            slots[at] = e;
            next = at + 1;
            len += 1;
        }
        self.slots = slots;
        self.capacity = capacity;
        self.len = len;
    }
}

/// The table serializes as its slots' bytes (little-endian), not as a
/// list of numbers: most slots are empty (`u64::MAX`), which a varint
/// format would spell in ten bytes each, and a byte run loads with one
/// copy.
impl serde::Serialize for PostingTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let bytes: Vec<u8> = self.slots.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut t = serializer.serialize_tuple(3)?;
        t.serialize_element(&(self.capacity as u64))?;
        t.serialize_element(&(self.len as u64))?;
        t.serialize_element(&Bytes(&bytes))?;
        t.end()
    }
}

impl<'de> serde::Deserialize<'de> for PostingTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (capacity, len, bytes): (u64, u64, ByteBuf) =
            serde::Deserialize::deserialize(deserializer)?;
        let (capacity, len) = (capacity as usize, len as usize);
        // Checked so that a damaged state is refused, never indexed out of
        // bounds later.
        let expected = capacity.checked_add(SLACK).and_then(|n| n.checked_mul(8));
        if capacity == 0 || expected != Some(bytes.0.len()) || len > capacity {
            return Err(D::Error::custom("posting table: inconsistent sizes"));
        }
        let slots = bytes
            .0
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("eight bytes")))
            .collect();
        Ok(Self {
            slots,
            capacity,
            len,
        })
    }
}

/// A byte slice that serializes as bytes (one length and a raw run), not
/// as a sequence of numbers.
struct Bytes<'a>(&'a [u8]);

impl serde::Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// Owned bytes read back from [`Bytes`].
struct ByteBuf(Vec<u8>);

impl<'de> serde::Deserialize<'de> for ByteBuf {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
        }
        deserializer.deserialize_bytes(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(t: &PostingTable, key: u32) -> Vec<u32> {
        let mut v = Vec::new();
        t.for_each(key, usize::MAX, |d| v.push(d));
        v
    }

    #[test]
    fn inserts_grow_and_find_everything() {
        let mut t = PostingTable::with_capacity(10);
        let mut truth: std::collections::HashMap<u32, Vec<u32>> = Default::default();
        let mut x = 12345u64;
        for doc in 0..20_000u32 {
            x = crate::shingle::mix64(x + 1);
            // Few distinct keys, so lists are long; include extreme keys.
            let key = match doc % 7 {
                0 => u32::MAX,
                1 => 0,
                _ => (x as u32) % 5000,
            };
            t.insert(key, doc);
            truth.entry(key).or_default().push(doc);
        }
        assert_eq!(t.len(), 20_000);
        for (k, docs) in &truth {
            assert_eq!(&lookup(&t, *k), docs, "key {k}");
        }
        assert!(lookup(&t, 7_000_000).is_empty());
        t.retain(|d| d % 2 == 0);
        for (k, docs) in &truth {
            let even: Vec<u32> = docs.iter().copied().filter(|d| d % 2 == 0).collect();
            assert_eq!(lookup(&t, *k), even);
        }
    }

    #[test]
    fn duplicate_postings_are_kept_once_and_limits_apply() {
        let mut t = PostingTable::default();
        t.insert(5, 1);
        t.insert(5, 1);
        t.insert(5, 2);
        assert_eq!(t.len(), 2);
        let mut n = 0;
        t.for_each(5, 1, |_| n += 1);
        assert_eq!(n, 1);
    }
}
