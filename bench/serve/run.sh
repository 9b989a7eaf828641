#!/usr/bin/env bash
# Load benchmark of `parallax serve`: 100k generated articles in the store,
# wrk at 200 connections on the story list and on searches, with and
# without the response cache. See bench/README.md ("Serving under load").
#
#   bench/serve/run.sh                  # build, generate, ingest (once), measure
#   N=20000 DURATION=10s bench/serve/run.sh
#   PARALLAX_BIN=/path/to/parallax bench/serve/run.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/out/serve"
mkdir -p "$out"
N="${N:-100000}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-200}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18181}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
. "$root/bench/lib.sh"
PARALLAX_BIN="$(parallax_bin "$root")"

. "$root/bench/serve/store.sh"
db="$(serve_store "$root" "$out" "$N" "$PARALLAX_BIN")"

server_pid=""
stop() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=""; }
trap stop EXIT

serve() { # serve [extra flags]
    "$PARALLAX_BIN" serve --db "$db" --addr "127.0.0.1:$PORT" "$@" 2> "$out/serve.log" &
    server_pid=$!
    local start; start=$(date +%s.%N)
    until curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null; do sleep 0.2; done
    echo "server ready (engine loaded) after $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s"
}

summary="$out/summary.txt"
: > "$summary"
measure() { # measure NAME URL-PATH [lua script]
    local name="$1" path="$2" script="${3:-}"
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s)
    [ -n "$script" ] && args+=(-s "$script")
    curl -sf "http://127.0.0.1:$PORT$path" > /dev/null   # warm up / check it answers
    wrk "${args[@]}" "http://127.0.0.1:$PORT$path" > "$out/wrk-$name.txt"
    python3 - "$name" "$out/wrk-$name.txt" <<'PY' | tee -a "$summary"
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
errors = (f"non-2xx {non2xx.group(1)} " if non2xx else "") + (f"socket {sock.group(1)}" if sock else "")
print(f"{name:28} {rps:10.0f} req/s   p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   {errors or 'no errors'}")
PY
}

run_all() { # run_all LABEL
    measure "$1-list" "/api/stories"
    measure "$1-list-page-50" "/api/stories?offset=1000"
    measure "$1-search-trump" "/api/stories?q=trump"
    measure "$1-search-64-words" "/api/stories" "$root/bench/serve/search.lua"
    measure "$1-articles-search" "/api/articles?q=climate%20change"
}

echo "== $N articles, wrk -t$THREADS -c$CONNECTIONS -d$DURATION" | tee -a "$summary"
serve
curl -s "http://127.0.0.1:$PORT/api/health" | tee -a "$summary"; echo | tee -a "$summary"
run_all cached
stop
serve --no-cache
run_all uncached
stop
echo "== results in $out (wrk-*.txt, summary.txt)"
