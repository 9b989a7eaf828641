#!/usr/bin/env bash
# The Python package in CI: a fresh venv with maturin and pytest from PyPI,
# one release build of the wheel (`maturin build --release`, the same
# Cargo.lock: --locked), the wheel installed, and the pytest suite run
# against it (tests/, including a store shared with the CLI binary: the
# debug `parallax` that `cargo test --workspace` leaves in the target
# folder, built here only when it is missing; PARALLAX_BIN overrides).
#
# The wheel only has to behave here, not to be timed (bench/python/ builds
# its own): thin LTO is left out of this one build to save CI minutes.
#
#   crates/python/ci.sh                  # from anywhere
#   PYTHON=python3.12 crates/python/ci.sh
#
# The venv and the wheel go under the cargo target folder (CARGO_TARGET_DIR
# or target/), never into the checkout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/python-ci/venv"
wheels="$target/python-ci/wheels"

echo "== python: venv with maturin and pytest ($venv)"
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.16,<2" "pytest>=8"

echo "== python: maturin build --release"
rm -rf "$wheels"
(cd "$here" && CARGO_PROFILE_RELEASE_LTO=false "$venv/bin/maturin" build --release --locked --out "$wheels")
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/*.whl

echo "== python: pytest against the installed wheel"
bin="${PARALLAX_BIN:-$target/debug/parallax}"
if [[ ! -x "$bin" ]]; then
    cargo build --locked -p parallax-cli
fi
cd "$here"
PARALLAX_BIN="$bin" "$venv/bin/python" -m pytest -q tests
