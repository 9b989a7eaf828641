#!/usr/bin/env bash
# Browser test of `parallax serve` for .ci/run: installs what it needs
# (Debian's chromium, playwright-core from the npm registry), then runs
# story.mjs against a debug build and the seeds. Every missing piece is a
# loud failure, never a skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

fail() { echo "browser test: FAILED: $*" >&2; exit 1; }

seeds="${SEEDS:-$root/../shared/seeds}"
[ -d "$seeds" ] || fail "seeds folder $seeds is missing (set SEEDS=...)"

chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if ! [ -x "$chromium_bin" ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || fail "chromium is not installed and this user cannot apt-get install it"
        sudo="sudo -n"
    fi
    command -v apt-get >/dev/null || fail "chromium is not installed and apt-get is not available"
    echo "== installing chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q || fail "apt-get update failed"
    $sudo apt-get install -y -q chromium || fail "apt-get install chromium failed"
fi
[ -x "$chromium_bin" ] || fail "$chromium_bin is still missing after installing chromium"
"$chromium_bin" --version || fail "$chromium_bin does not run"

command -v node >/dev/null || fail "node is not installed"
command -v npm >/dev/null || fail "npm is not installed"
echo "== installing playwright-core (npm ci)"
(cd "$here" && npm ci --no-audit --no-fund) || fail "npm ci in tests/browser failed"
[ -f "$here/node_modules/playwright-core/package.json" ] || fail "playwright-core did not install"

echo "== building parallax (debug)"
(cd "$root" && cargo build --locked -p parallax-cli) || fail "cargo build failed"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
bin="$target/debug/parallax"
[ -x "$bin" ] || fail "$bin was not built"

echo "== headless chromium: story list, story page, hostile article"
PARALLAX_BIN="$bin" SEEDS="$seeds" CHROMIUM="$chromium_bin" OUT="$here/out" node "$here/story.mjs" \
    || fail "story.mjs failed (screenshots, if any, in tests/browser/out/)"
