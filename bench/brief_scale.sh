#!/usr/bin/env bash
# Time one brief of a 200-article story on 2 cores.
#
# The story is the first 200 ECB+ dev articles assigned to one story id (a
# large, varied story: many figures, quotes, names and dates). Runs
# `parallax brief` five times pinned to two cores and prints each wall time
# and the median. The whole command is timed: reading the articles,
# preparing them (language, hashes) and the brief itself.
#
#   bench/brief_scale.sh                 # uses target/release/parallax (builds it)
#   PARALLAX_BIN=/path/to/parallax bench/brief_scale.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="${PARALLAX_SHARED:-$root/../shared}"
out="$here/out/brief-scale"
mkdir -p "$out"
. "$here/lib.sh"
bin="$(parallax_bin "$root")"
n="${ARTICLES:-200}"
head -n "$n" "$shared/data/stories/ecbplus-dev.jsonl" > "$out/story.jsonl"
python3 - "$out/story.jsonl" "$out/story.tsv" <<'PY'
import json, sys
with open(sys.argv[2], "w") as f:
    for line in open(sys.argv[1]):
        f.write(json.loads(line)["id"] + "\tone-story\n")
PY
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0,1)
times=()
for _ in 1 2 3 4 5; do
    s=$(date +%s.%N)
    "${pin[@]}" "$bin" brief --input "$out/story.jsonl" --stories "$out/story.tsv" \
        --output "$out/brief.jsonl" 2>/dev/null
    e=$(date +%s.%N)
    times+=("$(python3 -c "print(f'{$e - $s:.3f}')")")
done
printf '%s\n' "${times[@]}" | sort -n | python3 -c "
import sys
t = [float(x) for x in sys.stdin]
print('brief of one $n-article story, 2 cores: runs', ' '.join(f'{x:.2f}s' for x in t), f'median {t[len(t)//2]:.2f}s')
"
