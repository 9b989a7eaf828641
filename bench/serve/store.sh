# Sourced by bench/serve/run.sh and load_ingest.sh: the N-article store
# both serve, generated (gen.py) and ingested once, then reused.
#
# serve_store ROOT OUT N BIN prints the store's path (OUT/bench-N.db). The
# first call writes OUT/articles-N.jsonl and ingests it, timing the ingest
# into OUT/ingest.txt; later calls reuse both files.

serve_store() {
    local root="$1" out="$2" n="$3" bin="$4"
    local articles="$out/articles-$n.jsonl" db="$out/bench-$n.db"
    if [ ! -s "$articles" ]; then
        python3 "$root/bench/serve/gen.py" --n "$n" --output "$articles" >&2
    fi
    if [ ! -s "$db" ]; then
        echo "== ingesting $n articles into $db (once; the serve benchmarks reuse it)" >&2
        local start end
        start=$(date +%s.%N)
        "$bin" run --db "$db" --quiet "$articles" > /dev/null 2> "$out/ingest.log" || return 1
        end=$(date +%s.%N)
        echo "ingest: $(python3 -c "print(f'{$end - $start:.1f} s, {$n / ($end - $start):.0f} articles/s')")" \
            | tee "$out/ingest.txt" >&2
    fi
    printf '%s\n' "$db"
}
