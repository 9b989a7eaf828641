#!/usr/bin/env bash
# kill -9 during a 100k ingest (issue 15: "kill -9 at 20 random points of a
# 100k ingest, restart: store identical to an uninterrupted run, briefs and
# search index included").
#
# Store A: one uninterrupted `parallax run` of the first N articles of the
# grow stream (reused while binary, input and batch size stay the same).
# Store B: KILLS runs of the same command, each sent SIGKILL at a seeded
# point spread over the ingest (by the store's article count, plus up to
# 0.5 s), then one run to its end. A and B are then compared row by row
# (articles, story ids and assignments, story events, copy pairs, briefs and
# their seqs, the search position) and through the search API of
# `parallax serve` on each (article and story search for words from the
# titles). bench/stream/crash.py does the work; see bench/README.md
# ("kill -9 during a 100k ingest").
#
#   bench/stream/crash_100k.sh
#   KILLS=5 N=10000 SEED=2 bench/stream/crash_100k.sh
#   PARALLAX_BIN=/path/to/parallax STREAM=/path/grow-100000.jsonl bench/stream/crash_100k.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
KILLS="${KILLS:-20}"
N="${N:-100000}"
SEED="${SEED:-15}"
BATCH="${BATCH:-500}"          # --batch-size (parallax run's default)
PORT="${PORT:-18191}"
STREAM="${STREAM:-$root/bench/out/run-vs-cluster/grow-100000.jsonl}"
out="$root/bench/out/crash-$N"
mkdir -p "$out"
[ -s "$STREAM" ] || { echo "missing $STREAM (bench/stream/run_vs_cluster.sh writes it; or set STREAM)" >&2; exit 1; }
. "$root/bench/lib.sh"
PARALLAX_BIN="$(parallax_bin "$root")"

input="$out/input.jsonl"
if [ ! -s "$input" ] || [ "$(wc -l < "$input")" -ne "$N" ]; then
    head -n "$N" "$STREAM" > "$input"
fi
[ "$(wc -l < "$input")" -eq "$N" ] || { echo "$STREAM has fewer than $N articles" >&2; exit 1; }
echo "== $N articles, $KILLS kills, seed $SEED, batch $BATCH, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/stream/crash.py" --bin "$PARALLAX_BIN" --input "$input" --out "$out" \
    --kills "$KILLS" --seed "$SEED" --batch-size "$BATCH" --port "$PORT" | tee "$out/summary.txt"
