#!/usr/bin/env bash
# Speed and memory of `parallax cluster` on the synthetic stream at 10k,
# 100k and 1M articles (issue 5's curve).
#
# Generates the 1M-article stream once (generate.py, seed 7) into
# bench/out/stream/, takes its first 10k and 100k lines for the smaller
# points (the generator is deterministic, so a prefix is the stream of that
# size), and runs each point under /usr/bin/time -v. Prints one row per
# point: articles, stories, wall seconds, articles/s (wall), CPU seconds
# (user + system), articles per CPU-second, share of CPU and peak RSS, with
# the load average before the run (the machine may be shared).
#
#   bench/stream/curve.sh                          # builds target/release/parallax
#   PARALLAX_BIN=/path/to/parallax bench/stream/curve.sh
#   SCALES="10000 100000" bench/stream/curve.sh    # fewer points
#   TASKSET="taskset -c 0,1" bench/stream/curve.sh # pin to two cores
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/stream"
mkdir -p "$out"
. "$root/bench/lib.sh"
bin="$(parallax_bin "$root")"
scales="${SCALES:-10000 100000 1000000}"
max=0
for n in $scales; do ((n > max)) && max=$n; done
full="$out/stream-$max.jsonl"
if [[ ! -s "$full" ]]; then
    python3 "$here/generate.py" --articles "$max" --output "$full" --gold "$out/stream-$max.gold.tsv"
fi
printf '%9s %8s %8s %10s %8s %10s %5s %8s  %s\n' articles stories wall_s articles/s cpu_s per_cpu_s cpu% rss_mb load
for n in $scales; do
    input="$out/stream-$n.jsonl"
    if [[ "$n" != "$max" ]]; then
        head -n "$n" "$full" > "$input"
    fi
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    ${TASKSET:-} /usr/bin/time -v "$bin" cluster --input "$input" --output "$out/stream-$n.tsv" \
        2> "$out/time-$n.txt"
    python3 - "$n" "$out/time-$n.txt" "$load" <<'PY'
import re, sys
n, path, load = int(sys.argv[1]), sys.argv[2], sys.argv[3]
t = open(path).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", t).group(1).strip()
parts = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)")) / 1024
stories = re.search(r"(\d+) articles in (\d+) stories", t).group(2)
print(f"{n:9d} {stories:>8} {wall:8.2f} {n / wall:10.0f} {cpu:8.2f} {n / cpu:10.0f} "
      f"{field('Percent of CPU this job got'):>5} {rss:8.0f}  {load}")
PY
done
