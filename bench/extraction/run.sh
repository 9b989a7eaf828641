#!/usr/bin/env bash
# Extraction benchmark: parallax extract (best and --fast) vs trafilatura
# (Python) on the ScrapingHub pages, one core each, in one run. Prints F1 /
# precision / recall (official scorer), pages/s (extraction wall time,
# timed inside each tool, process start excluded; both read gzipped pages)
# and the speed ratios of the run. RUNS=N repeats the whole run N times
# (each run's figures are printed; on a shared machine they move with the
# load).
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
# The pages/s figure a tool printed on stderr (kept in $out/NAME.log).
rate() { sed -n 's/.*(\([0-9.]*\) pages\/s.*/\1/p' "$out/$1.log" | tail -1; }
for run in $(seq "${RUNS:-1}"); do
    [[ "${RUNS:-1}" -gt 1 ]] && echo "#### run $run of $RUNS ($(uptime | sed 's/.*load/load/'))"
    echo "== parallax extract (best), 1 job"
    taskset -c 0 "$bin" extract --input "$data/html" --output "$out/parallax.json" --jobs 1 2> >(tee "$out/parallax.log" >&2)
    score "$out/parallax.json"; echo
    echo "== parallax extract --fast, 1 job"
    taskset -c 0 "$bin" extract --fast --input "$data/html" --output "$out/parallax-fast.json" --jobs 1 2> >(tee "$out/parallax-fast.log" >&2)
    score "$out/parallax-fast.json"; echo
    echo "== trafilatura (Python), 1 core"
    taskset -c 0 "$py" "$here/trafilatura_anchor.py" "$data/html" "$out/trafilatura.json" 2> >(tee "$out/trafilatura.log" >&2)
    score "$out/trafilatura.json"; echo
    sleep 0.2 # let the tee processes finish writing the logs
    awk -v b="$(rate parallax)" -v f="$(rate parallax-fast)" -v t="$(rate trafilatura)" \
        'BEGIN { printf "== speed vs trafilatura: best %.1fx, fast %.1fx (%s, %s, %s pages/s)\n\n", b / t, f / t, b, f, t }'
done
