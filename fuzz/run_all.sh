#!/bin/sh
# Fuzz every target for SECONDS each (default 600), two at a time, at the
# lowest priority; seed corpora are rebuilt from ../shared first. Logs go to
# fuzz/logs/<target>.log, crashes to fuzz/artifacts/<target>/. An input
# running past TIMEOUT seconds (default 20) is a failure; every input over
# 1 s is reported in the log ("Slowest unit").
#   [TIMEOUT=S] fuzz/run_all.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"jsonl text html feed warc api_body sniff html_attrs"}
timeout=${TIMEOUT:-20}
python3 seeds.py || exit 1
mkdir -p logs
for t in $targets; do
    nice -n 19 cargo +nightly fuzz build "$t" || exit 1
done
run() {
    mkdir -p "corpus/$1"
    nice -n 19 cargo +nightly fuzz run "$1" "corpus/$1" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout="$timeout" \
        -report_slow_units=1 -print_final_stats=1 \
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
