#!/usr/bin/env python3
"""Generates a large article stream for the dedup speed and memory curve.

  make_scale.py --shared ../shared --n 1000000 --out scale-1000000.jsonl [--seed 1]

Real text cannot be had at a million articles here, so the stream is made from the real dev data's
statistics: article lengths are drawn from the ECB+ dev articles (full news articles: median ~220
words, mean ~300), and words from the unigram distribution of all dev texts (ECB+ and NeuS), as
written (case and punctuation kept). Texts drawn that way share almost no 5-word runs, like separately
written articles. One article in ten is a copy of an earlier one: an exact repost, a lowercased
unpunctuated copy, or its first half. Every article has a publication time, increasing.
Only counts and a word list are taken from ../shared at run time; nothing is stored in the repository.
"""
import argparse
import datetime as dt
import json
import os
import re

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    stories = os.path.join(a.shared, "data", "stories")
    counts, lengths = {}, []
    for name in ("ecbplus-dev.jsonl", "neus-train.jsonl", "neus-val.jsonl"):
        for line in open(os.path.join(stories, name), encoding="utf-8"):
            t = json.loads(line).get("text") or ""
            ws = t.split()
            for w in ws:
                counts[w] = counts.get(w, 0) + 1
            if name.startswith("ecb") and ws:
                lengths.append(len(ws))
    vocab = np.array(list(counts.keys()), dtype=object)
    p = np.array(list(counts.values()), dtype=np.float64)
    p /= p.sum()
    lengths = np.array(lengths)
    t0 = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    recent = []  # a window of recent texts to copy from
    chunk = 10_000
    with open(a.out, "w", encoding="utf-8") as f:
        for start in range(0, a.n, chunk):
            m = min(chunk, a.n - start)
            lens = rng.choice(lengths, size=m)
            idx = rng.choice(len(vocab), size=int(lens.sum()), p=p)
            words = vocab[idx]
            at = 0
            kinds = rng.random(m)
            for k in range(m):
                i = start + k
                if kinds[k] < 0.1 and recent:
                    src = recent[int(rng.integers(len(recent)))]
                    r = kinds[k] * 30
                    if r < 1:
                        text = src
                    elif r < 2:
                        text = re.sub(r"[^\w\s]", " ", src.lower())
                    else:
                        ws = src.split(" ")
                        text = " ".join(ws[: max(20, len(ws) // 2)])
                else:
                    n = int(lens[k])
                    text = " ".join(words[at:at + n].tolist())
                    at += n
                    recent.append(text)
                    if len(recent) > 2000:
                        recent.pop(0)
                ts = dt.datetime.fromtimestamp(t0 + i * 30, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                f.write(json.dumps({"id": f"s{i:07d}", "text": text, "published": ts}) + "\n")


if __name__ == "__main__":
    main()
