#!/usr/bin/env python3
"""Runs one command and records its wall time and peak memory.

  measure.py --out RESULT.json [--articles N] -- COMMAND [ARGS...]

Writes {"cmd", "rc", "wall_s", "peak_rss_mb", "articles", "articles_per_s"}.
Peak RSS is resource.getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest
resident set of any process this wrapper waited for (the command and its own
children), so run one wrapper per command. Exits with the command's status.
"""
import json
import resource
import subprocess
import sys
import time


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    opts, cmd = argv[:split], argv[split + 1:]
    out, articles = None, None
    i = 0
    while i < len(opts):
        if opts[i] == "--out":
            out = opts[i + 1]; i += 2
        elif opts[i] == "--articles":
            articles = int(opts[i + 1]); i += 2
        else:
            sys.exit(f"measure.py: unknown option {opts[i]}")
    if not out or not cmd:
        sys.exit(__doc__)
    start = time.perf_counter()
    try:
        rc = subprocess.call(cmd)
    except OSError as exc:
        print(f"measure.py: cannot run {cmd[0]}: {exc}", file=sys.stderr)
        rc = 127
    wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    rec = {"cmd": cmd, "rc": rc, "wall_s": round(wall, 4), "peak_rss_mb": round(peak_kib / 1024, 1),
           "articles": articles,
           "articles_per_s": round(articles / wall, 1) if articles and wall > 0 else None}
    with open(out, "w") as fh:
        json.dump(rec, fh, indent=1)
    sys.exit(rc)


if __name__ == "__main__":
    main()
