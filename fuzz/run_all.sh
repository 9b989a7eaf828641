#!/bin/sh
# Fuzz every target for SECONDS each (default 600), two at a time, at the
# lowest priority; seed corpora are rebuilt from ../shared first. Logs go to
# fuzz/logs/<target>.log, crashes to fuzz/artifacts/<target>/.
#   fuzz/run_all.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"jsonl text html feed warc api_body"}
python3 seeds.py || exit 1
mkdir -p logs
cargo +nightly fuzz build || exit 1
run() {
    mkdir -p "corpus/$1"
    nice -n 19 cargo +nightly fuzz run "$1" "corpus/$1" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        >"logs/$1.log" 2>&1
    echo "$1: exit $? ($(grep -c '^#' "logs/$1.log") status lines)"
}
set -- $targets
while [ $# -gt 0 ]; do
    run "$1" &
    if [ $# -gt 1 ]; then run "$2" & shift; fi
    shift
    wait
done
