#!/usr/bin/env bash
# Search latency on a large store (bench/README.md, "Search at 1M"):
#   1. store level (skipped with STORE_LEVEL=0): the search_latency example (crates/store/examples) on
#      the 64 words of search.lua: article search page 1, page PAGES walked
#      by cursor and the same page by offset, story search page 1 and page
#      PAGES by cursor; each word once per round (no repeat answers).
#   2. API level: `parallax serve` on the store, each word's first request
#      (/api/articles?q= and /api/stories?q=), ROUNDS rounds 1.5 s apart so
#      the server's one-second answer cache never answers; then article
#      and story search page 1 and page PAGES by cursor through the Link
#      header.
#
#   DB=/path/to/store.db bench/serve/search_1m.sh
#   DB=... PARALLAX_BIN=/path/to/parallax LATENCY_BIN=/path/to/search_latency bench/serve/search_1m.sh
#   STORE_LEVEL=0 WORDS=16 ROUNDS=1 DB=... bench/serve/search_1m.sh   # API level only, 16 words
# The store is built beforehand with `parallax run --db DB INPUT.jsonl`
# (opening a store of an older schema rebuilds its article index first).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DB:?set DB to a store built by parallax run}"
PAGES="${PAGES:-100}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18191}"
out="$root/bench/out/serve"
mkdir -p "$out"
. "$root/bench/lib.sh"
PARALLAX_BIN="$(parallax_bin "$root")"
target="${CARGO_TARGET_DIR:-$root/target}"
LATENCY_BIN="${LATENCY_BIN:-$target/release/examples/search_latency}"
[ -x "$LATENCY_BIN" ] || { echo "build it: cargo build --release -p parallax-store --example search_latency" >&2; exit 1; }
words=$(sed -n '/^local terms = {/,/^}/p' "$root/bench/serve/search.lua" | grep -o '"[a-z]*"' | tr -d '"')
# WORDS=n: only the first n words (a quicker run).
[ -n "${WORDS:-}" ] && words=$(printf '%s\n' $words | head -n "$WORDS")

if [ "${STORE_LEVEL:-1}" != 0 ]; then
    echo "== store level ($DB)"
    "$LATENCY_BIN" "$DB" "$PAGES" "$ROUNDS" $words | tee "$out/search-store.json"
fi

echo "== API level"
"$PARALLAX_BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" --rate-limit 0 > "$out/search-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
python3 - "$PORT" "$PAGES" "$ROUNDS" $words <<'PY' | tee "$out/search-api.json"
import json, sys, time, urllib.request, urllib.error
port, pages, rounds, words = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
base = f"http://127.0.0.1:{port}"
for _ in range(600):
    try:
        with urllib.request.urlopen(base + "/api/health") as r:
            if r.status == 200:
                break
    except (urllib.error.URLError, ConnectionError):
        pass
    time.sleep(0.5)
def get(path):
    t = time.perf_counter()
    with urllib.request.urlopen(base + path) as r:
        body = r.read()
        link = r.headers.get("link")
    return (time.perf_counter() - t) * 1000, body, link
def pct(v, p):
    v = sorted(v)
    return round(v[round((len(v) - 1) * p)], 2) if v else None
res = {k: [] for k in ("articles_first", "stories_first", "articles_page1", "articles_deep",
                       "stories_page1", "stories_deep")}
for r in range(rounds):
    for w in words:
        res["articles_first"].append(get(f"/api/articles?q={w}")[0])
        res["stories_first"].append(get(f"/api/stories?q={w}")[0])
    time.sleep(1.5)
reached = {"articles": 0, "stories": 0}
for kind in ("articles", "stories"):
    for w in words:
        ms, _, link = get(f"/api/{kind}?q={w}&limit=20&p=1")
        res[f"{kind}_page1"].append(ms)
        n = 1
        while link and n < pages:
            path = link[link.index("<") + 1 : link.index(">")]
            ms, _, link = get(path)
            n += 1
        if n == pages:
            reached[kind] += 1
            res[f"{kind}_deep"].append(ms)
print(json.dumps({k: {"n": len(v), "p50": pct(v, 0.5), "p99": pct(v, 0.99), "max": pct(v, 1.0)} for k, v in res.items()} | {"words_reaching_page": reached, "pages": pages}))
PY
