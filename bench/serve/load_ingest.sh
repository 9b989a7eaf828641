#!/usr/bin/env bash
# Reads under load while ingestion runs: N articles stored (the store
# bench/serve/run.sh builds, reused), wrk at 500 connections for 60 s on the
# story list, a story search and one brief, while post_loop.py POSTs new
# articles to the same server in batches (with a token, as a deployed writer
# would). Then checks that no request failed (wrk socket errors and non-2xx,
# counted by load_ingest.lua; every POST batch answered 200) and that no
# article was lost (every id the server acknowledged is in the store
# afterwards). See bench/README.md ("Reads while ingesting").
#
#   bench/serve/load_ingest.sh
#   N=10000 DURATION=30 CONNECTIONS=200 bench/serve/load_ingest.sh
#   PARALLAX_BIN=/path/to/parallax bench/serve/load_ingest.sh
#   STORE=/path/to/grow-1M.db N=1000000 bench/serve/load_ingest.sh   # a store built elsewhere
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/out/serve"
mkdir -p "$out"
N="${N:-100000}"
NEW="${NEW:-20000}"           # articles available for POSTing (ids after the stored ones)
BATCH="${BATCH:-100}"
DURATION="${DURATION:-60}"    # seconds
CONNECTIONS="${CONNECTIONS:-500}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18182}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
shared="${PARALLAX_SHARED:-$root/../shared}"
[ -d "$shared/data/stories" ] || { echo "skipped: $shared/data/stories is missing (set PARALLAX_SHARED)" >&2; exit 0; }
. "$root/bench/lib.sh"
PARALLAX_BIN="$(parallax_bin "$root")"
# Enough descriptors for wrk's and the server's connections.
ulimit -n 8192 2>/dev/null || true

# STORE=/path/to.db serves a copy of that store (with its .search and
# .stories folders) instead of the generated N-article one; N then only
# names the outputs and where the POSTed records start.
if [ -n "${STORE:-}" ]; then
    [ -s "$STORE" ] || { echo "no store at $STORE" >&2; exit 1; }
    base="$STORE"
else
    . "$root/bench/serve/store.sh"
    base="$(serve_store "$root" "$out" "$N" "$PARALLAX_BIN")"
fi
# The articles to POST: the generator's records N .. N+NEW-1 (it is
# deterministic, so the first N records of a longer run are the stored ones).
new="$out/new-$N-$NEW.jsonl"
if [ ! -s "$new" ]; then
    python3 "$root/bench/serve/gen.py" --n $((N + NEW)) --output "$out/all.tmp.jsonl"
    tail -n "$NEW" "$out/all.tmp.jsonl" > "$new"
    rm -f "$out/all.tmp.jsonl"
fi

# Each run writes to a copy, so the stored set stays the same from run to run.
db="$out/load-$N.db"
rm -rf "$db" "$db-wal" "$db-shm" "$db.search" "$db.stories"
cp "$base" "$db"
for ext in wal shm; do [ -f "$base-$ext" ] && cp "$base-$ext" "$db-$ext"; done
# The search indexes too (tantivy folders beside the file), so the server
# does not rebuild them while wrk runs.
for ext in search stories; do [ -d "$base.$ext" ] && cp -r "$base.$ext" "$db.$ext"; done

PARALLAX_TOKEN="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
export PARALLAX_TOKEN
log="$out/load-ingest"
server_pid=""
poster_pid=""
stop() {
    [ -n "$poster_pid" ] && kill "$poster_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
trap stop EXIT

"$PARALLAX_BIN" serve --db "$db" --addr "127.0.0.1:$PORT" 2> "$log-serve.log" &
server_pid=$!
start=$(date +%s.%N)
# 200 once the engine has replayed the store (writes are refused before).
until curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped: $log-serve.log" >&2; exit 1; }
    sleep 0.2
done
echo "server ready after $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s"
before=$(curl -sf "http://127.0.0.1:$PORT/api/health")
STORY=$(curl -sf "http://127.0.0.1:$PORT/api/stories?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["story"])')
export STORY

python3 "$root/bench/serve/post_loop.py" --url "http://127.0.0.1:$PORT" --input "$new" \
    --batch "$BATCH" --seconds "$DURATION" --acked "$log-acked.txt" --summary "$log-post.json" \
    > "$log-post.txt" 2>&1 &
poster_pid=$!
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
    -s "$root/bench/serve/load_ingest.lua" "http://127.0.0.1:$PORT" > "$log-wrk.txt"
poster_rc=0
wait "$poster_pid" || poster_rc=$?
poster_pid=""
after=$(curl -sf "http://127.0.0.1:$PORT/api/health")
stop

# Every acknowledged id must be stored: read the store back through the CLI.
"$PARALLAX_BIN" stories --db "$db" --json > "$log-stories.jsonl"

python3 - "$log" "$N" "$CONNECTIONS" "$DURATION" "$before" "$after" "$poster_rc" <<'PY' | tee "$log-summary.txt"
import json, re, sys
log, n, conns, duration, before, after, poster_rc = sys.argv[1:]
wrk = open(f"{log}-wrk.txt").read()
def ms(v):
    num, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(num) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
total = int(re.search(r"(\d+) requests in", wrk).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", wrk, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", wrk, re.M).group(1))
non2xx = int(re.search(r"lua: non-2xx responses: (\d+)", wrk).group(1))
sock = [int(x) for x in re.search(r"lua: socket errors: connect (\d+), read (\d+), write (\d+), status (\d+), timeout (\d+)", wrk).groups()]
post = json.load(open(f"{log}-post.json"))
acked = [l.strip() for l in open(f"{log}-acked.txt") if l.strip()]
stored = set()
for line in open(f"{log}-stories.jsonl"):
    if line.strip():
        stored.update(json.loads(line)["articles"])
lost = [a for a in acked if a not in stored]
before, after = json.loads(before), json.loads(after)
print(f"== {before['articles']} articles stored, wrk {conns} connections {duration} s while posting")
print(f"reads: {total} requests, {rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
      f"non-2xx {non2xx}, socket errors {sum(sock)} (connect/read/write/status/timeout {sock})")
print(f"writes: {post['batches']} batches, {post['sent']} articles posted, {post['stored']} stored "
      f"({post['stored_per_second']}/s), {post['unchanged']} unchanged, {post['rejected']} rejected, "
      f"{post['retries']} retried (429/503), {post['failed']} failed, slowest batch {post['batch_seconds_max']} s")
print(f"store: {before['articles']} -> {after['articles']} articles; acknowledged {len(acked)}, "
      f"of which in the store {len(acked) - len(lost)}, lost {len(lost)}")
ok = non2xx == 0 and sum(sock) == 0 and post["failed"] == 0 and not lost and int(poster_rc) == 0 \
    and after["articles"] - before["articles"] == len(acked)
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
