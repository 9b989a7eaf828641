#!/usr/bin/env bash
# Creates bench/.venv with the pinned packages of bench/requirements.txt.
# Idempotent: does nothing when the venv exists and matches the requirements.
# Needs only PyPI; no NLTK data is downloaded (the LexRank anchor brings its
# own regex tokenizer).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$BENCH/.venv"
REQ="$BENCH/requirements.txt"
STAMP="$VENV/.parallax-bench-stamp"
PYTHON="${PYTHON:-python3}"

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
check='import numpy, sklearn, rouge_score, sumy, datasketch; from sumy.summarizers.lex_rank import LexRankSummarizer'

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] \
   && "$VENV/bin/python" -c "$check" 2>/dev/null; then
  echo "setup.sh: $VENV is up to date" >&2
  exit 0
fi

echo "setup.sh: creating $VENV" >&2
if [[ ! -x "$VENV/bin/python" ]]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
"$VENV/bin/python" -c "$check"
# the anchor must run without NLTK data: smoke-test it on a tiny story
"$VENV/bin/python" - "$BENCH" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/anchors")
import lexrank
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words
s = LexRankSummarizer(Stemmer("english")); s.stop_words = get_stop_words("english")
out = lexrank.summarize(s, lexrank.RegexTokenizer(),
                        ["A quake hit the city on Monday. Rescuers searched the rubble.",
                         "Rescuers searched the rubble after the quake. Ten people died."], 20)
assert out, "LexRank smoke test produced nothing"
PY
echo "$want" > "$STAMP"
echo "setup.sh: done" >&2
