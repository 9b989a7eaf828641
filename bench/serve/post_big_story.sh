#!/usr/bin/env bash
# One-article POSTs into a big story (issue 15: "a one-article POST into a
# 3,000-article story: under 50 ms to acknowledge; its brief updated within
# 5 s"), and the same into small stories for comparison.
#
# The store: the 1M grow stream's first BACKGROUND articles plus the first BIG
# articles of its largest story (by the clustering in grow-1000000.tsv, which
# bench/stream/run_vs_cluster.sh writes), in stream order; ingested once with
# `parallax run` and reused. The check below fails unless the store's largest
# story holds at least MIN_STORY articles. Each run serves a copy of it and
# POSTs, one article per request, later articles of that story until POSTS
# of them joined it (in this smaller store about a third land in other
# stories; they are POSTed but not counted), then POSTS articles that follow
# the background prefix (small or new stories).
# Per POST: acknowledgement time (the HTTP answer), and time until
# GET /api/stories/{story} answers a brief whose seq is at least the
# article's seq (polled every 20 ms). See bench/README.md ("One article into
# a big story").
#
#   bench/serve/post_big_story.sh
#   POSTS=10 BIG=3600 PORT=18190 bench/serve/post_big_story.sh
#   PARALLAX_BIN=/path/to/parallax STREAMS=/dir/with/grow-1000000.* bench/serve/post_big_story.sh
# The server's log (RUST_LOG, default info,parallax_engine=debug) is
# bench/out/bigstory/serve.log; each POST's figures are in big.json, small.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/out/bigstory"
mkdir -p "$out"
STREAMS="${STREAMS:-$root/bench/out/run-vs-cluster}"
BIG="${BIG:-3600}"
BACKGROUND="${BACKGROUND:-5000}"
POSTS="${POSTS:-30}"
MIN_STORY="${MIN_STORY:-3000}"
PORT="${PORT:-18190}"
ACK_BAR_MS="${ACK_BAR_MS:-50}"
BRIEF_BAR_MS="${BRIEF_BAR_MS:-5000}"

input="$STREAMS/grow-1000000.jsonl"
assign="$STREAMS/grow-1000000.tsv"
for f in "$input" "$assign"; do
    [ -s "$f" ] || { echo "missing $f (bench/stream/run_vs_cluster.sh writes it; or set STREAMS)" >&2; exit 1; }
done
. "$root/bench/lib.sh"
PARALLAX_BIN="$(parallax_bin "$root")"

stream="$out/store-$BACKGROUND-$BIG.jsonl"
base="$out/store-$BACKGROUND-$BIG.db"
if [ ! -s "$stream" ]; then
    python3 "$root/bench/serve/big_story.py" stream --input "$input" --assign "$assign" \
        --big "$BIG" --background "$BACKGROUND" --posts "$POSTS" --output "$stream" \
        --post-big "$out/post-big.jsonl" --post-small "$out/post-small.jsonl"
    rm -f "$base" "$base-wal" "$base-shm"
fi
if [ ! -s "$base" ]; then
    echo "== ingesting $stream into $base (once)" >&2
    "$PARALLAX_BIN" run --db "$base" --quiet "$stream" > /dev/null
fi
read -r big_story big_size < <(sqlite3 -separator ' ' "file:$base?mode=ro" \
    "SELECT story_id, count(*) c FROM articles GROUP BY story_id ORDER BY c DESC LIMIT 1")
echo "store: $(sqlite3 "file:$base?mode=ro" 'SELECT count(*) FROM articles') articles; largest story $big_story with $big_size articles"
[ "$big_size" -ge "$MIN_STORY" ] || { echo "FAIL: the largest story has $big_size < $MIN_STORY articles (raise BIG)" >&2; exit 1; }

# Each run POSTs into a copy, so the stored set is the same from run to run.
db="$out/serve.db"
rm -f "$db" "$db-wal" "$db-shm"
cp "$base" "$db"
for ext in wal shm; do [ -f "$base-$ext" ] && cp "$base-$ext" "$db-$ext"; done

server_pid=""
stop() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
trap stop EXIT
# The engine's debug lines (each commit, each brief round and what it read)
# say where a slow POST's time went.
RUST_LOG="${RUST_LOG:-info,parallax_engine=debug}" \
    "$PARALLAX_BIN" serve --db "$db" --addr "127.0.0.1:$PORT" 2> "$out/serve.log" &
server_pid=$!
until curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped: $out/serve.log" >&2; exit 1; }
    sleep 0.2
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$root/bench/serve/big_story.py" measure --url "http://127.0.0.1:$PORT" --db "$db" \
    --input "$out/post-big.jsonl" --expect-story "$big_story" --want "$POSTS" --label big \
    --summary "$out/big.json" > "$out/big.log"
echo "load average after the big-story POSTs: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/serve/big_story.py" measure --url "http://127.0.0.1:$PORT" --db "$db" \
    --input "$out/post-small.jsonl" --label small \
    --summary "$out/small.json" > "$out/small.log"
echo "load average after the small-story POSTs: $(cut -d' ' -f1-3 /proc/loadavg)"
stop

python3 - "$out" "$POSTS" "$ACK_BAR_MS" "$BRIEF_BAR_MS" <<'PY'
import json, sys
out, posts, ack_bar, brief_bar = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
ok = True
for label in ("big", "small"):
    s = json.load(open(f"{out}/{label}.json"))["summary"]
    a, b = s["ack_ms"], s["brief_ms"]
    line = (f"{label:5}: {s['posts']} POSTs (of {s['posted']} sent) into stories of {s['story_articles']['min']}-"
            f"{s['story_articles']['max']} articles; ack p50 {a['p50']:.1f} ms, p99 {a['p99']:.1f} ms, "
            f"max {a['max']:.1f} ms; brief fresh p50 {b['p50']:.0f} ms, p99 {b['p99']:.0f} ms, "
            f"max {b['max']:.0f} ms; never fresh {s['never_fresh']}")
    if label == "big":
        f = s["first"]
        line += (f"; the first POST after the server started: ack {f['ack_ms']:.1f} ms, "
                 f"brief {f['brief_ms']:.0f} ms (story of {f['story_articles']})")
        ok = (a["max"] < ack_bar and b["max"] < brief_bar and s["never_fresh"] == 0
              and s["joined_expected_story"] == posts)
    print(line)
print(f"bar (big story, every POST): ack < {ack_bar:.0f} ms, brief < {brief_bar:.0f} ms:",
      "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
