#!/usr/bin/env python3
"""Anchor: online single-pass TF-IDF centroid clustering.

Reads an Article JSONL (id, optional title, text) and writes assignments TSV
(`article_id<TAB>story_id`). Articles are taken in file order as one stream;
each joins the story whose centroid is most cosine-similar to it when that
similarity is at least --threshold, otherwise it starts a new story.

Reading of the anchor used by default (chosen because it reproduces the data
README's figures best; see bench/README.md):
  * document text = title + "\\n" + text (ECB+ has no titles, so text alone);
  * scikit-learn TfidfVectorizer(stop_words="english", sublinear_tf=True)
    with its defaults otherwise (smooth idf, l2-normalised rows, default
    token pattern, lowercasing), fitted once on every text of the input file;
  * a story's centroid is the sum (equivalently the mean) of its members'
    l2-normalised vectors; similarity is the cosine between the article and
    that centroid.

Other readings can be tried with --raw-tf, --no-stop-words, --text-only.

Implementation note: cos(x, c) with c = sum of member vectors is computed as
(x . c) / |c|, where x . c is the sum of x's dot products with the members,
and |c|^2 is kept up to date incrementally. It is exactly the centroid
cosine, without storing dense centroids.
"""
import argparse
import json
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def read_articles(path):
    articles = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{lineno}: skipped, bad JSON: {exc}", file=sys.stderr)
                continue
            if not isinstance(rec, dict) or not rec.get("id"):
                print(f"{path}:{lineno}: skipped, no id", file=sys.stderr)
                continue
            articles.append(rec)
    return articles


def doc_text(rec, text_only=False):
    body = rec.get("text") or ""
    title = (rec.get("title") or "").strip()
    if title and not text_only:
        return title + "\n" + body
    return body


def cluster(texts, threshold=0.2, sublinear_tf=True, stop_words="english"):
    """Returns a list of story indices, one per text, in input order."""
    n = len(texts)
    if n == 0:
        return []
    vec = TfidfVectorizer(stop_words=stop_words, sublinear_tf=sublinear_tf)
    X = vec.fit_transform(texts).tocsr()  # rows are l2-normalised
    XT = X.T.tocsr()
    labels = np.full(n, -1, dtype=np.int64)
    norm2 = []  # |sum of member vectors|^2 for each story
    for i in range(n):
        xi = X[i]
        self_sq = float(xi.multiply(xi).sum())
        if i > 0 and norm2:
            # dot products of article i with every earlier article
            dots = np.asarray((xi @ XT[:, :i]).todense()).ravel()
            story_dots = np.bincount(labels[:i], weights=dots, minlength=len(norm2))
            norms = np.sqrt(np.asarray(norm2))
            x_norm = np.sqrt(self_sq) if self_sq > 0 else 1.0
            with np.errstate(divide="ignore", invalid="ignore"):
                sims = np.where(norms > 0, story_dots / (norms * x_norm), 0.0)
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                labels[i] = best
                norm2[best] += 2.0 * story_dots[best] + self_sq
                continue
        labels[i] = len(norm2)
        norm2.append(self_sq)
    return labels.tolist()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True, help="Article JSONL")
    ap.add_argument("--output", required=True, help="assignments TSV to write")
    ap.add_argument("--threshold", type=float, default=0.2)
    ap.add_argument("--raw-tf", action="store_true", help="raw term counts instead of 1 + log(tf)")
    ap.add_argument("--no-stop-words", action="store_true", help="keep English stop words")
    ap.add_argument("--text-only", action="store_true", help="leave titles out")
    args = ap.parse_args(argv)

    articles = read_articles(args.input)
    texts = [doc_text(a, args.text_only) for a in articles]
    labels = cluster(texts, args.threshold, not args.raw_tf,
                     None if args.no_stop_words else "english")
    with open(args.output, "w", encoding="utf-8") as out:
        for rec, lab in zip(articles, labels):
            out.write(f"{rec['id']}\ttfidf-{lab}\n")
    print(f"{len(articles)} articles -> {len(set(labels))} stories", file=sys.stderr)


if __name__ == "__main__":
    main()
