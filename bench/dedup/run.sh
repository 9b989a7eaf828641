#!/usr/bin/env bash
# The dedup benchmark in one run: Parallax vs datasketch MinHash LSH (128 perms, word 5-shingles).
#   bench/dedup/run.sh                       # build, quality on the labelled set, seeds, 10k/100k/1M curve
#   SCALES=10000,100000 bench/dedup/run.sh   # a shorter curve
#   ANCHOR_MAX=1000000 bench/dedup/run.sh    # also run datasketch at 1M (about 20 min or more)
#   PARALLAX_BIN=/path/to/parallax bench/dedup/run.sh
# Data and scorer come from ../shared (PARALLAX_SHARED overrides); outputs go to bench/out/dedup/.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
SHARED="${PARALLAX_SHARED:-$ROOT/../shared}"
"$BENCH/setup.sh"
. "$BENCH/lib.sh"
PARALLAX_BIN="$(parallax_bin "$ROOT")"
exec "$BENCH/.venv/bin/python" "$BENCH/dedup/run.py" --bin "$PARALLAX_BIN" --shared "$SHARED" \
  --out "$BENCH/out/dedup" --scales "${SCALES:-10000,100000,1000000}" --anchor-max "${ANCHOR_MAX:-100000}"
