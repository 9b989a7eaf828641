#!/usr/bin/env python3
"""The dedup anchor: datasketch MinHash LSH (128 permutations, word 5-shingles), as a stream.

  anchor_datasketch.py --input A.jsonl --output OUT.tsv [--threshold 0.5]

Each article, in file order, is queried against the LSH index of the articles before it and then
inserted; every candidate LSH returns is reported as a pair. Words: lowercase letter/digit runs of
the text (the same normalisation Parallax compares on); shingles: 5 consecutive words joined by a
space (a shorter text is one shingle). Direction, like Parallax's first and last rules: the earlier
publication date, else the longer text. Relation: duplicate when the MinHash signatures are equal,
near-duplicate when the estimated Jaccard is >= 0.8, else syndicated (the scorer does not score it).
Writes copy_id<TAB>original_id<TAB>relation<TAB>score.
"""
import argparse
import json
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"[^\W_]+")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--perms", type=int, default=128)
    a = ap.parse_args()
    with open(a.input, encoding="utf-8") as f, open(a.output, "w") as out:
        for copy, orig, rel, jac in stream(records(f), a.threshold, a.perms):
            out.write(f"{copy}\t{orig}\t{rel}\t{jac:.4f}\n")


def records(lines):
    """The JSON objects of Article JSONL lines; unreadable lines are skipped."""
    for line in lines:
        try:
            yield json.loads(line)
        except ValueError:
            continue


def stream(articles, threshold=0.5, perms=128):
    """Yields (copy_id, original_id, relation, jaccard) for every pair LSH
    finds, each article queried against those before it, then inserted.
    `articles` is an iterable of dicts (id, text, published); bench/python
    calls this on articles in memory."""
    lsh = MinHashLSH(threshold=threshold, num_perm=perms)
    meta, sigs = {}, {}
    for d in articles:
        i, text = d.get("id"), d.get("text") or ""
        if not i or i in meta:
            continue
        ws = WORD.findall(text.lower())
        if not ws:
            continue
        sh = [" ".join(ws[k:k + 5]).encode() for k in range(max(1, len(ws) - 4))]
        m = MinHash(num_perm=perms)
        m.update_batch(sh)
        pub = d.get("published") or ""
        for j in lsh.query(m):
            pj, nj = meta[j]
            if pub and pj and pub != pj:
                copy, orig = (i, j) if pub > pj else (j, i)
            else:
                copy, orig = (j, i) if len(ws) >= nj else (i, j)
            other = sigs[j]
            jac = float(np.mean(m.hashvalues == other))
            rel = "duplicate" if jac == 1.0 else "near-duplicate" if jac >= 0.8 else "syndicated"
            yield copy, orig, rel, jac
        lsh.insert(i, m)
        meta[i] = (pub, len(ws))
        sigs[i] = m.hashvalues


if __name__ == "__main__":
    main()
