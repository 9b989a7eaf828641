#!/usr/bin/env python3
"""Generate N Article JSONL records from the development texts, for the load benchmark.

    python3 bench/serve/gen.py --n 100000 --output bench/out/serve/articles.jsonl

Source texts: ../shared/data/stories/{neus-train,neus-val,ecbplus-dev}.jsonl (8,812 real articles;
override the folder with PARALLAX_SHARED). Record i is a variant of source article i mod 8,812, round
k = i div 8,812 (so 100k records are about 11 rounds):

* id `gen-{i:06d}`; title: the source title (ECB+ has none: its first 12 words), with " (update k)"
  appended from round 1 on;
* text: the source text with its sentences rotated by k and, from round 1 on, every (k+6)-th word
  dropped, so every record has its own content hash while staying real prose on the same event (a
  stand-in for many outlets covering one event);
* source: one of 60 outlets (`outlet-00` .. `outlet-59`) chosen from i, or the ECB+ outlet in round 0;
* published: a day in 2016-2020 fixed by the source article, plus k days, plus an hour from i;
* lang: "en".

The output is deterministic (no randomness): the same N always gives the same file.
"""

import argparse
import datetime as dt
import json
import os
import re
import sys
import zlib

FILES = ["neus-train.jsonl", "neus-val.jsonl", "ecbplus-dev.jsonl"]
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sources(shared):
    rows = []
    for name in FILES:
        path = os.path.join(shared, "data", "stories", name)
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def variant(src, i, n_src):
    k = i // n_src
    words = src["text"].split()
    title = src.get("title") or " ".join(words[:12])
    sentences = SENTENCE.split(src["text"].strip())
    if k and len(sentences) > 1:
        r = k % len(sentences)
        sentences = sentences[r:] + sentences[:r]
    text = " ".join(sentences)
    if k:
        step = k + 6
        text = " ".join(w for j, w in enumerate(text.split()) if (j + 1) % step)
        title = f"{title} (update {k})"
    base = zlib.crc32(src["id"].encode()) % (5 * 365)
    published = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
        days=base + k, hours=i % 24
    )
    outlet = src.get("source") if k == 0 and src.get("source") else f"outlet-{i % 60:02d}"
    return {
        "id": f"gen-{i:06d}",
        "title": title,
        "text": text,
        "source": outlet,
        "published": published.isoformat().replace("+00:00", "Z"),
        "lang": "en",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--output", required=True)
    default_shared = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
    ap.add_argument("--shared", default=os.environ.get("PARALLAX_SHARED", default_shared))
    args = ap.parse_args()
    src = sources(args.shared)
    if not src:
        sys.exit("no source articles found under " + args.shared)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        for i in range(args.n):
            out.write(json.dumps(variant(src[i % len(src)], i, len(src)), ensure_ascii=False))
            out.write("\n")
    print(f"{args.output}: {args.n} articles from {len(src)} source texts", file=sys.stderr)


if __name__ == "__main__":
    main()
