//! Checkpoints: the engine's state as of a `seq`, kept in the store.
//!
//! Opening a store used to replay every stored article through the
//! clusterer, the copy detector and the brief projection: minutes for a
//! big store, before `run` could take its first new article. A checkpoint
//! is that state serialized after the article at `seq`; opening reads the
//! newest good one and replays only the articles after it. The state after
//! a checkpoint and a replay of the tail is the state a full replay builds
//! (`tests/checkpoint.rs` compares the two), so a checkpoint changes how
//! fast a store opens, never what is placed or briefed.
//!
//! **Layout**: `MAGIC`, format, settings key, `seq`, payload length,
//! checksum (xxh3-64 of the payload), then the payload: the placement
//! state (clusterer and copy detector) and the projection state (term
//! statistics and story members), each postcard-encoded. A checkpoint
//! whose magic, format, length or checksum is wrong is *torn* and skipped
//! for the previous one; one made with other settings (clustering, copy
//! detection, brief) is skipped the same way, since its state would place
//! articles as those settings did. With no usable checkpoint the engine
//! replays the whole store, as it always could.
//!
//! **When**: at the end of a run once the articles since the last
//! checkpoint are at least [`MIN_TAIL`] and a twentieth of the store, and
//! during a long run each time the store doubled ([`due`]): the cost of
//! writing checkpoints (proportional to the store) stays a small constant
//! per article, while opening replays at most a twentieth of the store
//! after a finished run. A checkpoint records the stories whose brief was
//! still due, and the projection's memory of recent term counts, so it
//! need not wait for briefs to be flushed: a projection restored from it
//! briefs them exactly as the one checkpointed would have.

use std::ops::Range;

use parallax_stories::Clusterer;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::copies::CopyDetector;

const MAGIC: &[u8; 8] = b"PXCHECK\x01";

/// Bumped whenever a serialized state type changes shape: a checkpoint of
/// another format is skipped (the store is replayed instead). Format 2
/// keeps the clusterer and the copy detector as two parts, so they are
/// encoded and decoded at the same time. Format 3: the copy detector's
/// index keeps which samples come from each article's opening. Format 4:
/// the projection keeps each story's sources and copy pairs packed as
/// bytes.
const FORMAT: u32 = 4;

const HEADER: usize = 8 + 4 + 8 + 8 + 8 + 8;

/// Checkpoints kept: the newest, and one more in case the newest cannot
/// be read.
pub(crate) const KEEP: usize = 2;

/// Fewest articles since the last checkpoint worth a new one.
pub(crate) const MIN_TAIL: i64 = 5_000;

/// Whether a checkpoint is due with the stream at `seen` and the last one
/// at `last`: at the end of a run (`finishing`) once the tail is a
/// twentieth of the store, during one once it is half of it (the store
/// doubles between two, so all the checkpoints a long first run writes
/// add up to about twice the last).
pub(crate) fn due(seen: i64, last: i64, finishing: bool) -> bool {
    let tail = seen - last;
    tail >= MIN_TAIL && tail >= seen / if finishing { 20 } else { 2 }
}

/// The placement state a checkpoint keeps, borrowed for writing.
#[derive(Serialize)]
pub(crate) struct PlacementRef<'a> {
    pub clusterer: &'a Clusterer,
    pub detector: &'a CopyDetector,
}

/// The placement state read back.
#[derive(Deserialize)]
pub(crate) struct Placement {
    pub clusterer: Clusterer,
    pub detector: CopyDetector,
}

/// A checkpoint read back and checked.
pub(crate) struct Restored {
    pub seq: i64,
    pub placement: Placement,
}

/// Where the two states of a checkpoint whose header and checksum were
/// checked lie in its bytes, still encoded (ranges, not slices, so the
/// projection's part can go to its thread without a copy).
pub(crate) struct Checked {
    /// The placement state, for [`decode_placement`].
    pub placed: Range<usize>,
    /// The projection's state, for [`crate::briefs::Projection::start_restore`].
    pub projection: Range<usize>,
}

/// Why a stored checkpoint was not used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// Cut short, overwritten or damaged.
    Torn(String),
    /// Made by another format or with other settings.
    Other(String),
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Torn(why) => write!(f, "damaged ({why})"),
            Self::Other(why) => f.write_str(why),
        }
    }
}

/// Encodes the placement state for [`encode`]: the clusterer's length,
/// the clusterer, the copy detector, the two encoded at the same time (at
/// a million articles each is hundreds of megabytes of small records).
pub(crate) fn encode_placement(placement: &PlacementRef<'_>) -> Result<Vec<u8>, String> {
    let (clusterer, detector) = rayon::join(
        || postcard::to_stdvec(placement.clusterer),
        || postcard::to_stdvec(placement.detector),
    );
    let (clusterer, detector) = (
        clusterer.map_err(|e| format!("clusterer: {e}"))?,
        detector.map_err(|e| format!("copy detector: {e}"))?,
    );
    tracing::debug!(
        clusterer = clusterer.len(),
        detector = detector.len(),
        "placement state encoded"
    );
    let mut out = Vec::with_capacity(8 + clusterer.len() + detector.len());
    out.extend_from_slice(&(clusterer.len() as u64).to_le_bytes());
    out.extend_from_slice(&clusterer);
    out.extend_from_slice(&detector);
    Ok(out)
}

/// Decodes what [`encode_placement`] wrote, both parts at the same time.
pub(crate) fn decode_placement(placed: &[u8]) -> Result<Placement, Unusable> {
    let (clusterer, detector) =
        split(placed).ok_or_else(|| Unusable::Torn("placement state cut short".into()))?;
    let (clusterer, detector) = rayon::join(
        || postcard::from_bytes(clusterer),
        || postcard::from_bytes(detector),
    );
    Ok(Placement {
        clusterer: clusterer.map_err(|e| Unusable::Torn(format!("clusterer state: {e}")))?,
        detector: detector.map_err(|e| Unusable::Torn(format!("copy detector state: {e}")))?,
    })
}

/// Splits `bytes` after its leading length: the part it measures, the rest.
fn split(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    let rest = &bytes[8..];
    (len <= rest.len() as u64).then(|| rest.split_at(len as usize))
}

/// Encodes a checkpoint at `seq` made with settings `key`, from the two
/// encoded states.
pub(crate) fn encode(seq: i64, key: u64, placed: &[u8], projection: &[u8]) -> Vec<u8> {
    // Written in place, length and checksum filled in last: the state is
    // hundreds of megabytes at a million articles, not to be copied twice.
    let payload_len = 8 + placed.len() + projection.len();
    let mut out = Vec::with_capacity(HEADER + payload_len);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&(payload_len as u64).to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&(placed.len() as u64).to_le_bytes());
    out.extend_from_slice(placed);
    out.extend_from_slice(projection);
    let sum = xxh3_64(&out[HEADER..]);
    out[HEADER - 8..HEADER].copy_from_slice(&sum.to_le_bytes());
    out
}

/// Checks a checkpoint stored at `seq`, made by this build with settings
/// `key`, and finds its two states (decoded by the caller, each on its
/// own thread).
pub(crate) fn check(seq: i64, key: u64, bytes: &[u8]) -> Result<Checked, Unusable> {
    let torn = |why: &str| Unusable::Torn(why.to_owned());
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(torn("no checkpoint header"));
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if format != FORMAT {
        return Err(Unusable::Other(format!(
            "written in checkpoint format {format}, this build reads {FORMAT}"
        )));
    }
    let (stored_key, stored_seq, len, sum) = (word(12), word(20) as i64, word(28), word(36));
    let payload = &bytes[HEADER..];
    if stored_seq != seq || payload.len() as u64 != len || xxh3_64(payload) != sum {
        return Err(torn("length, position or checksum does not match"));
    }
    if stored_key != key {
        return Err(Unusable::Other(
            "made with other clustering, copy or brief settings".into(),
        ));
    }
    let (placed, projection) = split(payload).ok_or_else(|| torn("placement state cut short"))?;
    // Both parts lie at the end of `bytes`, the projection's last.
    let placed_start = bytes.len() - projection.len() - placed.len();
    Ok(Checked {
        placed: placed_start..placed_start + placed.len(),
        projection: bytes.len() - projection.len()..bytes.len(),
    })
}

/// The key of the settings a checkpoint's state depends on: a checkpoint
/// made with other ones is not used.
pub(crate) fn settings_key<T: Serialize>(settings: &T) -> u64 {
    // Settings are plain numbers: encoding them cannot fail.
    postcard::to_stdvec(settings).map_or(0, |bytes| xxh3_64(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_stories::ClusterConfig;

    fn sample() -> Vec<u8> {
        let clusterer = Clusterer::new(ClusterConfig::default());
        let detector = CopyDetector::default();
        let placement = PlacementRef {
            clusterer: &clusterer,
            detector: &detector,
        };
        let placed = encode_placement(&placement).expect("encodes");
        encode(42, 7, &placed, b"projection")
    }

    /// Checks and decodes a checkpoint, as the engine does.
    fn decode(seq: i64, key: u64, bytes: &[u8]) -> Result<(Placement, Vec<u8>), Unusable> {
        let checked = check(seq, key, bytes)?;
        Ok((
            decode_placement(&bytes[checked.placed])?,
            bytes[checked.projection].to_vec(),
        ))
    }

    #[test]
    fn a_checkpoint_reads_back() {
        let Ok((_, projection)) = decode(42, 7, &sample()) else {
            panic!("decodes")
        };
        assert_eq!(projection, b"projection");
    }

    #[test]
    fn a_cut_placement_state_is_torn() {
        let clusterer = Clusterer::new(ClusterConfig::default());
        let detector = CopyDetector::default();
        let placed = encode_placement(&PlacementRef {
            clusterer: &clusterer,
            detector: &detector,
        })
        .expect("encodes");
        assert!(decode_placement(&placed).is_ok());
        for cut in [0, 7, 8, placed.len() - 1] {
            assert!(
                matches!(decode_placement(&placed[..cut]), Err(Unusable::Torn(_))),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn torn_damaged_or_foreign_checkpoints_are_refused() {
        let good = sample();
        for cut in [0, 5, HEADER, good.len() - 1] {
            assert!(matches!(
                decode(42, 7, &good[..cut]),
                Err(Unusable::Torn(_))
            ));
        }
        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x40;
        assert!(matches!(decode(42, 7, &flipped), Err(Unusable::Torn(_))));
        assert!(matches!(decode(43, 7, &good), Err(Unusable::Torn(_))));
        assert!(matches!(decode(42, 8, &good), Err(Unusable::Other(_))));
    }

    #[test]
    fn checkpoints_are_due_after_a_twentieth_of_the_store() {
        assert!(!due(4_999, 0, true));
        assert!(due(5_000, 0, true));
        assert!(!due(1_000_000, 960_000, true));
        assert!(due(1_000_000, 950_000, true));
        assert!(!due(1_000_000, 950_000, false));
        assert!(due(1_000_000, 500_000, false));
    }
}
