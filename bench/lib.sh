# Sourced by the bench scripts: the one way they find the parallax binary
# they time.
#
# parallax_bin ROOT prints $PARALLAX_BIN when it is set, else builds
# `parallax-cli` in release mode under ROOT (the repository) and prints the
# binary's path. It fails with a message when the result is not executable,
# so a mistyped PARALLAX_BIN stops the benchmark before anything is timed.

parallax_bin() {
    local root="$1" bin="${PARALLAX_BIN:-}"
    if [[ -z "$bin" ]]; then
        echo "building parallax (cargo build --release -p parallax-cli)" >&2
        (cd "$root" && cargo build --release -q -p parallax-cli) >&2 || return 1
        bin="${CARGO_TARGET_DIR:-$root/target}/release/parallax"
    fi
    if [[ ! -x "$bin" ]]; then
        echo "no parallax binary at $bin (set PARALLAX_BIN or build it)" >&2
        return 1
    fi
    printf '%s\n' "$bin"
}
