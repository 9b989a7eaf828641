#!/usr/bin/env bash
# Extraction benchmark: parallax extract (best and --fast) vs trafilatura
# (Python) on the ScrapingHub pages, one core each, in one run. Prints F1 /
# precision / recall (official scorer) and pages/s (extraction wall time,
# timed inside each tool, process start excluded; both read gzipped pages).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${PARALLAX_SHARED:-$root/../shared}"
data="$shared/data/extraction/scrapinghub"
py="$root/bench/.venv/bin/python"
out="$root/bench/out/extraction"
mkdir -p "$out"
. "$root/bench/lib.sh"
bin="$(parallax_bin "$root")"
score() { "$py" "$shared/tools/evaluate.py" extraction "$data/ground-truth.json" "$1"; }
echo "== parallax extract (best), 1 job"
taskset -c 0 "$bin" extract --input "$data/html" --output "$out/parallax.json" --jobs 1
score "$out/parallax.json"; echo
echo "== parallax extract --fast, 1 job"
taskset -c 0 "$bin" extract --fast --input "$data/html" --output "$out/parallax-fast.json" --jobs 1
score "$out/parallax-fast.json"; echo
echo "== trafilatura (Python), 1 core"
taskset -c 0 "$py" "$here/trafilatura_anchor.py" "$data/html" "$out/trafilatura.json"
score "$out/trafilatura.json"; echo
