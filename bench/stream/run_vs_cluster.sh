#!/usr/bin/env bash
# The job a user runs against its own clustering stage, side by side.
#
# For each scale, on the same synthetic stream: `parallax cluster` (the
# stage) and `parallax run` (read, clean, dedup, cluster, store, briefs and
# search index, default SQLite store, briefs exact when it returns), each
# under /usr/bin/time -v, then on the store `run` made: `run` with one new
# article, `stories --json | head` and `show ID`. Prints articles/s of
# both, run/cluster, CPU seconds and peak RSS, and the three follow-up
# times.
#
# The stream is `generate.py --grow` by default: every epoch adds to the
# same stories, so stories grow with the stream (the hard case for briefs);
# STREAM=plain uses the speed curve's stream (new events every epoch).
#
#   bench/stream/run_vs_cluster.sh                      # 10k and 100k
#   SCALES="10000 100000 1000000" bench/stream/run_vs_cluster.sh
#   PARALLAX_BIN=/path/to/parallax bench/stream/run_vs_cluster.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/run-vs-cluster"
mkdir -p "$out"
. "$root/bench/lib.sh"
bin="$(parallax_bin "$root")"
scales="${SCALES:-10000 100000}"
kind="${STREAM:-grow}"
max=0
for n in $scales; do ((n > max)) && max=$n; done
full="$out/$kind-$max.jsonl"
if [[ ! -s "$full" ]]; then
    flag=()
    [[ "$kind" == grow ]] && flag=(--grow)
    python3 "$here/generate.py" --articles "$max" "${flag[@]}" --output "$full" --gold "$out/$kind-$max.gold.tsv"
fi
secs() { python3 -c 'import sys,time; t=time.time(); import subprocess; subprocess.run(sys.argv[1], shell=True, check=True, stdout=subprocess.DEVNULL); print(f"{time.time()-t:.3f}")' "$1"; }
field() { awk -F': ' -v k="$2" '$1 ~ k {print $2}' "$1" | head -1; }
printf '%9s %12s %12s %8s %9s %9s %9s %9s %8s %8s %8s  %s\n' articles cluster_a/s run_a/s run/clu \
    clu_cpu_s run_cpu_s clu_rss_mb run_rss_mb one_new_s stories_s show_s load
for n in $scales; do
    input="$out/$kind-$n.jsonl"
    [[ "$n" != "$max" ]] && head -n "$n" "$full" > "$input"
    db="$out/$kind-$n.db"
    rm -f "$db" "$db-wal" "$db-shm"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -v "$bin" cluster --input "$input" --output "$out/$kind-$n.tsv" 2> "$out/cluster-$n.time"
    /usr/bin/time -v "$bin" run --quiet --db "$db" "$input" > /dev/null 2> "$out/run-$n.time"
    # One new article into the store, as a new user's second run.
    printf '{"id": "one-more-%s", "title": "One more report", "text": "%s"}\n' "$n" \
        "$(head -n 1 "$input" | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"][:2000].replace("\"", "'"'"'"))')" \
        > "$out/one-$n.jsonl"
    one="$(secs "'$bin' run --quiet --db '$db' '$out/one-$n.jsonl'")"
    listing="$(secs "'$bin' stories --json --db '$db' | head -n 20")"
    story="$("$bin" stories --json --db "$db" | head -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["story"])')"
    show="$(secs "'$bin' show --db '$db' '$story'")"
    python3 - "$n" "$out/cluster-$n.time" "$out/run-$n.time" "$one" "$listing" "$show" "$load" <<'PY'
import sys
n = int(sys.argv[1])
def read(path):
    d = {}
    for line in open(path):
        if ":" in line:
            k, v = line.strip().rsplit(": ", 1) if ": " in line else (line, "")
            d[k.strip()] = v.strip()
    wall = d["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    parts = [float(p) for p in wall.split(":")]
    secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    cpu = float(d["User time (seconds)"]) + float(d["System time (seconds)"])
    rss = int(d["Maximum resident set size (kbytes)"]) / 1024
    return secs, cpu, rss
cw, cc, cr = read(sys.argv[2])
rw, rc, rr = read(sys.argv[3])
print(f"{n:9d} {n/cw:12.0f} {n/rw:12.0f} {cw/rw:8.3f} {cc:9.2f} {rc:9.2f} {cr:9.0f} {rr:9.0f} "
      f"{float(sys.argv[4]):8.2f} {float(sys.argv[5]):8.2f} {float(sys.argv[6]):8.2f}  {sys.argv[7]}")
PY
done
