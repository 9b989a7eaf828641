#!/usr/bin/env bash
# Extraction benchmark: parallax extract (best and --fast) vs trafilatura
# (Python) on the three page sets with gold text (ScrapingHub, dragnet,
# cleaneval), one core each, in one run. Prints, per set, F1 / precision /
# recall (official scorer) and pages/s (extraction wall time, timed inside
# each tool, process start excluded; all read gzipped pages), then the speed
# ratios of the run: per set and over all pages of the three sets.
#   SETS="scrapinghub dragnet"   only these sets (default: all three)
#   RUNS=N                       the whole run N times (each run's figures are
#                                printed; on a shared machine they move with
#                                the load)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${PARALLAX_SHARED:-$root/../shared}"
sets="${SETS:-scrapinghub dragnet cleaneval}"
py="$root/bench/.venv/bin/python"
out="$root/bench/out/extraction"
mkdir -p "$out"
. "$root/bench/lib.sh"
bin="$(parallax_bin "$root")"
for set in $sets; do
    if [[ ! -f "$shared/data/extraction/$set/ground-truth.json" ]]; then
        echo "no page set $set under $shared/data/extraction" >&2
        exit 1
    fi
done
score() { "$py" "$shared/tools/evaluate.py" extraction "$shared/data/extraction/$1/ground-truth.json" "$2"; }
# The page count and seconds a tool printed on stderr (kept in $out/NAME.log).
timing() { sed -n 's/^\([0-9]*\) pages in \([0-9.]*\)s.*/\1 \2/p' "$out/$1.log" | tail -1; }
for run in $(seq "${RUNS:-1}"); do
    [[ "${RUNS:-1}" -gt 1 ]] && echo "#### run $run of $RUNS ($(uptime | sed 's/.*load/load/'))"
    for set in $sets; do
        data="$shared/data/extraction/$set/html"
        echo "== $set: parallax extract (best), 1 job"
        taskset -c 0 "$bin" extract --input "$data" --output "$out/$set-parallax.json" --jobs 1 2> >(tee "$out/$set-parallax.log" >&2)
        score "$set" "$out/$set-parallax.json"; echo
        echo "== $set: parallax extract --fast, 1 job"
        taskset -c 0 "$bin" extract --fast --input "$data" --output "$out/$set-parallax-fast.json" --jobs 1 2> >(tee "$out/$set-parallax-fast.log" >&2)
        score "$set" "$out/$set-parallax-fast.json"; echo
        echo "== $set: trafilatura (Python), 1 core"
        taskset -c 0 "$py" "$here/trafilatura_anchor.py" "$data" "$out/$set-trafilatura.json" 2> >(tee "$out/$set-trafilatura.log" >&2)
        score "$set" "$out/$set-trafilatura.json"; echo
    done
    sleep 0.2 # let the tee processes finish writing the logs
    for set in $sets; do
        echo "$set $(timing "$set-parallax") $(timing "$set-parallax-fast") $(timing "$set-trafilatura")"
    done | awk '{
        # $1 set; pages and seconds of best ($2, $3), fast ($4, $5), trafilatura ($6, $7)
        printf "== speed vs trafilatura, %s: best %.1fx, fast %.1fx (%.0f, %.0f, %.1f pages/s)\n",
            $1, $7 / $3, $7 / $5, $2 / $3, $4 / $5, $6 / $7
        n += $2; b += $3; f += $5; t += $7
    } END {
        printf "== speed vs trafilatura, all %d pages: best %.1fx, fast %.1fx\n\n", n, t / b, t / f
    }'
done
