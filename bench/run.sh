#!/usr/bin/env bash
# One command: runs Parallax and the anchors on the same dev data, scores both
# with the official scorer and prints a table (also bench/out/summary.json).
#
#   bench/run.sh [all|clustering|briefs] [--anchors-only]
#
# --anchors-only runs only the anchors (no cargo build, no parallax); without
# it a failed build or a failed/missing parallax is an error.
# Env: PARALLAX_SHARED (default: <repo>/../shared); PARALLAX_BIN (a prebuilt
# binary to use instead of building <repo>/target/release/parallax with cargo).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
SHARED="${PARALLAX_SHARED:-$ROOT/../shared}"
[[ -d "$SHARED" ]] && SHARED="$(cd "$SHARED" && pwd)"
DATA="$SHARED/data/stories"
EVAL="$SHARED/tools/evaluate.py"
OUT="$BENCH/out"
RES="$OUT/results"
PY="$BENCH/.venv/bin/python"
BIN="${PARALLAX_BIN:-$ROOT/target/release/parallax}"

part=all
anchors_only=0
for arg in "$@"; do
  case "$arg" in
    all|clustering|briefs) part="$arg" ;;
    --anchors-only) anchors_only=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg' (want all|clustering|briefs [--anchors-only])" >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: error: $*" >&2; exit 1; }

[[ -d "$DATA" ]] || die "no data at $DATA (set PARALLAX_SHARED to the shared/ folder)"
[[ -f "$EVAL" ]] || die "no scorer at $EVAL"

"$BENCH/setup.sh"

if (( ! anchors_only )); then
  if [[ -z "${PARALLAX_BIN:-}" ]]; then
    echo "run.sh: building parallax (cargo build --release -p parallax-cli)" >&2
    (cd "$ROOT" && cargo build --release -p parallax-cli) \
      || die "cargo build --release -p parallax-cli failed; fix the build, or pass --anchors-only to run the anchors alone"
  fi
  [[ -x "$BIN" ]] || die "parallax binary not found at $BIN after the build"
fi

rm -rf "$RES"   # the report shows only what this run measured
mkdir -p "$RES"
count() { grep -c . "$1"; }

# run_one TASK DATASET METHOD ARTICLES CMD... : times CMD into $RES/TASK-DATASET-METHOD.time.json
run_one() {
  local task=$1 ds=$2 method=$3 n=$4; shift 4
  local base="$RES/$task-$ds-$method"
  echo "run.sh: $task $ds $method" >&2
  if ! "$PY" "$BENCH/measure.py" --out "$base.time.json" --articles "$n" -- "$@"; then
    die "$method failed on $ds ($task): $*"
  fi
}

# score TASK DATASET METHOD SCORER-ARGS... : writes $RES/TASK-DATASET-METHOD.score.json
score() {
  local task=$1 ds=$2 method=$3; shift 3
  "$PY" "$EVAL" "$@" > "$RES/$task-$ds-$method.score.json" \
    || die "scoring $method on $ds ($task) failed"
}

if [[ $part == all || $part == clustering ]]; then
  for ds in ecbplus-dev neus-val; do
    input="$DATA/$ds.jsonl"; gold="$DATA/$ds.gold.tsv"; n=$(count "$input")
    if (( ! anchors_only )); then
      pred="$OUT/parallax-$ds.tsv"
      run_one clustering "$ds" parallax "$n" "$BIN" cluster --input "$input" --output "$pred"
      score clustering "$ds" parallax clustering "$gold" "$pred"
    fi
    pred="$OUT/anchor-tfidf-$ds.tsv"
    run_one clustering "$ds" anchor "$n" "$PY" "$BENCH/anchors/online_tfidf.py" --input "$input" --output "$pred"
    score clustering "$ds" anchor clustering "$gold" "$pred"
  done
fi

if [[ $part == all || $part == briefs ]]; then
  ds=neus-val
  input="$DATA/$ds.jsonl"; stories="$DATA/$ds.gold.tsv"; refs="$DATA/$ds.refs.jsonl"; n=$(count "$input")
  if (( ! anchors_only )); then
    pred="$OUT/parallax-brief.jsonl"
    run_one briefs "$ds" parallax "$n" "$BIN" brief --input "$input" --stories "$stories" --output "$pred"
    score briefs "$ds" parallax rouge "$refs" "$pred" --words 80
  fi
  pred="$OUT/anchor-lexrank-brief.jsonl"
  run_one briefs "$ds" anchor "$n" "$PY" "$BENCH/anchors/lexrank.py" --input "$input" --stories "$stories" --output "$pred"
  score briefs "$ds" anchor rouge "$refs" "$pred" --words 80
fi

"$PY" "$BENCH/report.py" --results "$RES" --json "$OUT/summary.json"
