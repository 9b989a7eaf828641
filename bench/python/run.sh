#!/usr/bin/env bash
# The Python benchmark in one run: parallax.extract vs trafilatura.extract (ScrapingHub pages, F1
# by ../shared/tools/evaluate.py) and parallax.dedup vs datasketch MinHash LSH (20k articles).
#   bench/python/run.sh                   # build the wheel (maturin, release), install it in bench/.venv, run
#   PARALLAX_WHEEL=path.whl bench/python/run.sh   # use a wheel already built
#   bench/python/run.sh --only dedup      # arguments go to run.py
# Data and scorer come from ../shared (PARALLAX_SHARED overrides); outputs go to bench/out/python/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${PARALLAX_SHARED:-$root/../shared}"
"$root/bench/setup.sh"
py="$root/bench/.venv/bin/python"
wheel="${PARALLAX_WHEEL:-}"
if [[ -z "$wheel" ]]; then
    "$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.16,<2"
    out="${CARGO_TARGET_DIR:-$root/target}/python-bench/wheels"
    rm -rf "$out"
    (cd "$root/crates/python" && "$root/bench/.venv/bin/maturin" build --release --locked --out "$out")
    wheel="$(ls "$out"/*.whl)"
fi
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
exec "$py" "$here/run.py" --shared "$shared" --out "$root/bench/out/python" "$@"
