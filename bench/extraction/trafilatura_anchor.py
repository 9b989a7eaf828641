#!/usr/bin/env python3
"""Anchor for `parallax extract`: trafilatura (Python) over the same folder of
pages, one page after another on one core, writing the same JSON shape
({NAME: {"articleBody": ...}}). Usage: trafilatura_anchor.py DIR OUT.json"""
import gzip
import json
import os
import sys
import time

import trafilatura


def main():
    src, out = sys.argv[1], sys.argv[2]
    names = sorted(f for f in os.listdir(src) if f.endswith((".html", ".html.gz")))
    result = {}
    start = time.perf_counter()
    for f in names:
        path = os.path.join(src, f)
        data = gzip.open(path).read() if f.endswith(".gz") else open(path, "rb").read()
        text = trafilatura.extract(data)  # defaults, as the published figure
        result[f.rsplit(".html", 1)[0]] = {"articleBody": text or ""}
    secs = time.perf_counter() - start
    json.dump(result, open(out, "w"))
    print(f"{len(names)} pages in {secs:.2f}s ({len(names) / secs:.1f} pages/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
