#!/usr/bin/env python3
"""Fits the learned pairwise similarity (crates/stories/src/pairwise.rs)
and scores batch linkage over it leave-one-set-out.

For each dev set (ECB+ topics 1-25, NeuS train, NeuS val, read from
../shared/data/stories at run time) Parallax's own analysis lists the
candidate pairs (each article with its 20 nearest by whole-text cosine)
and their six size-free features (`pairwise_data`). A logistic regression
(label: both articles are in one gold story) is fitted on the other sets,
each set weighing the same however many pairs it brings; the held-out set
is then clustered in one batch by linkage over the pair probabilities
(pairs that are not candidates count as probability 0), stopping when the
best link falls below the cutoff. The cutoff is either fixed in advance
(--cutoff) or chosen on the training sets (--choose-cutoff), never on the
held-out one. B-cubed is computed as ../shared/tools/evaluate.py does.

Usage: python3 bench/stories/pairwise.py [--cutoff P | --choose-cutoff]
           [--linkage average|complete] [--drop 1,2] [--c C] [--k K]
           [--balance] [--split-ecb] [--write]
           [--model-for SET]
--model-for SET prints the model fitted on every set but SET, as
`bias,w1,...,w6` (for `PARALLAX_PAIR_MODEL`, see bench/README.md).
Needs: cargo, numpy, scikit-learn; CARGO_TARGET_DIR is honoured.
"""

import argparse
import heapq
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "stories")
SETS = ["ecbplus-dev", "neus-train", "neus-val"]
FEATURES = 8
NAMES = ["body", "title", "lead", "names", "numbers", "rank", "relative", "margin"]
# --split-ecb: ECB+ dev in two halves by topic, so that every fold is
# fitted on long ECB+ articles as well as on NeuS leads.
HALVES = {"ecbplus-dev-a": range(1, 13), "ecbplus-dev-b": range(13, 26)}
NEIGHBOURS = 20
SPLIT_DIR = tempfile.mkdtemp(prefix="parallax-pairwise-")


def path(name, ext):
    """The dev file `name + ext`; an ECB+ half is written out on first use."""
    if name not in HALVES:
        return os.path.join(DATA, name + ext)
    out = os.path.join(SPLIT_DIR, name + ext)
    if not os.path.exists(out):
        with open(os.path.join(DATA, "ecbplus-dev" + ext)) as f, open(out, "w") as w:
            for line in f:
                article = json.loads(line)["id"] if ext == ".jsonl" else line.split("\t")[0]
                if int(re.match(r"ecb-(\d+)_", article).group(1)) in HALVES[name]:
                    w.write(line)
    return out


def tool():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "parallax-stories", "--example", "pairwise_data"],
        cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "examples", "pairwise_data")


def load(binary, name, k):
    """Article ids, gold story per article, candidate pairs, features, labels."""
    articles = path(name, ".jsonl")
    ids = [json.loads(line)["id"] for line in open(articles) if line.strip()]
    gold_of = dict(line.rstrip("\n").split("\t")[:2] for line in open(path(name, ".gold.tsv")))
    gold = [gold_of[i] for i in ids]
    out = subprocess.run([binary, articles, str(k)], check=True, capture_output=True, text=True).stdout
    rows = np.array([[float(v) for v in line.split("\t")] for line in out.splitlines()])
    pairs = rows[:, :2].astype(int)
    x = rows[:, 2:]
    y = np.array([gold[a] == gold[b] for a, b in pairs], dtype=float)
    return {"ids": ids, "gold": gold, "pairs": pairs, "x": x, "y": y}


def fit(parts, c, balance=False):
    """Logistic fit; every set weighs the same, and with `balance` its
    same-story and other pairs weigh the same too (so the intercept does
    not learn how many candidates of a set are same-story, which follows
    its story sizes)."""
    x = np.vstack([p["x"] for p in parts])
    y = np.concatenate([p["y"] for p in parts])
    if balance:
        w = np.concatenate([np.where(p["y"] > 0, 0.5 / max(p["y"].sum(), 1), 0.5 / max((1 - p["y"]).sum(), 1))
                            for p in parts]) * len(y) / len(parts)
    else:
        w = np.concatenate([np.full(len(p["y"]), len(y) / (len(parts) * len(p["y"]))) for p in parts])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y, sample_weight=w)
    return model


def linkage(n, pairs, probs, cutoff, method):
    """Cluster label per article: agglomerative over the sparse pair graph.

    average: link = sum of pair probabilities between two clusters over
    |A| |B| (missing pairs count 0); complete: the least pair probability,
    0 unless every cross pair is a candidate. Merges the best link while it
    is at least `cutoff`; ties go to the lower cluster numbers.
    """
    size = [1] * n
    # links[a][b] = [sum, count, min] over the candidate pairs between a and b
    links = [dict() for _ in range(n)]
    for (a, b), p in zip(pairs, probs):
        a, b = int(a), int(b)
        links[a][b] = [p, 1, p]
        links[b][a] = links[a][b]
    alive = [True] * n
    members = [[i] for i in range(n)]

    def score(a, b):
        s, c, m = links[a][b]
        if method == "average":
            return s / (size[a] * size[b])
        return m if c == size[a] * size[b] else 0.0

    heap = []
    for a in range(n):
        for b in links[a]:
            if a < b:
                heap.append((-score(a, b), a, b, size[a], size[b]))
    heapq.heapify(heap)
    while heap:
        neg, a, b, sa, sb = heapq.heappop(heap)
        if -neg < cutoff:
            break
        if not (alive[a] and alive[b]) or size[a] != sa or size[b] != sb or b not in links[a]:
            continue
        # Keep the lower number; fold b's links into a's.
        for other, link in links[b].items():
            if other == a:
                continue
            del links[other][b]
            mine = links[a].get(other)
            if mine is None:
                links[a][other] = link
                links[other][a] = link
            else:
                mine[0] += link[0]
                mine[1] += link[1]
                mine[2] = min(mine[2], link[2])
        del links[a][b]
        links[b] = {}
        alive[b] = False
        size[a] += size[b]
        members[a].extend(members[b])
        members[b] = []
        for other in links[a]:
            lo, hi = min(a, other), max(a, other)
            heapq.heappush(heap, (-score(lo, hi), lo, hi, size[lo], size[hi]))
    label = [0] * n
    for c, m in enumerate(members):
        for i in m:
            label[i] = c
    return label


def bcubed(gold, pred):
    g, p = defaultdict(set), defaultdict(set)
    for i, (a, b) in enumerate(zip(gold, pred)):
        g[a].add(i)
        p[b].add(i)
    prec = np.mean([len(p[pred[i]] & g[gold[i]]) / len(p[pred[i]]) for i in range(len(gold))])
    rec = np.mean([len(p[pred[i]] & g[gold[i]]) / len(g[gold[i]]) for i in range(len(gold))])
    return 2 * prec * rec / (prec + rec), prec, rec, len(p)


def cluster(data, model, keep, cutoff, method):
    probs = model.predict_proba(data["x"][:, keep])[:, 1]
    return linkage(len(data["ids"]), data["pairs"], probs, cutoff, method)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cutoff", type=float, default=0.5, help="least link to merge")
    ap.add_argument("--choose-cutoff", action="store_true",
                    help="pick the cutoff with the best mean F1 on the training sets")
    ap.add_argument("--linkage", choices=["average", "complete"], default="average")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic fit")
    ap.add_argument("--balance", action="store_true",
                    help="same-story and other pairs of each set weigh the same in the fit")
    ap.add_argument("--split-ecb", action="store_true", help="four folds: ECB+ topics 1-12 and 13-25 apart")
    ap.add_argument("--drop", default="", help="comma-separated feature numbers left out (weight 0)")
    ap.add_argument("--model-for", default=None, help="print the model fitted without this set and stop")
    ap.add_argument("--write", action="store_true", help="write the all-sets fit into pairwise.rs")
    ap.add_argument("--k", type=int, default=NEIGHBOURS, help="neighbours each article proposes")
    args = ap.parse_args()
    binary = tool()
    keep = [i for i in range(FEATURES) if str(i) not in args.drop.split(",")]
    sets = [*HALVES, *SETS[1:]] if args.split_ecb else SETS
    data = {name: load(binary, name, args.k) for name in sets}

    def spec(model):
        full = [0.0] * FEATURES
        for i, w in zip(keep, model.coef_[0]):
            full[i] = float(w)
        return [float(model.intercept_[0]), *full]

    if args.model_for:
        train = [data[s] for s in sets if s != args.model_for]
        print(",".join(f"{v:.4f}" for v in spec(fit([{**d, "x": d["x"][:, keep]} for d in train], args.c, args.balance))))
        return
    for name, d in data.items():
        pos = Counter(d["gold"])
        total = sum(n * (n - 1) // 2 for n in pos.values())
        print(f"{name}: {len(d['ids'])} articles, {len(d['pairs'])} candidate pairs, "
              f"{int(d['y'].sum())} of {total} same-story pairs among them", file=sys.stderr)
    grid = [round(0.2 + 0.05 * i, 2) for i in range(13)]
    print(f"linkage {args.linkage}, features {[NAMES[i] for i in keep]}, C {args.c}")
    print("| held out | cutoff | B3 F1 | B3 P | B3 R | stories (gold) | weights (bias, features) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for held in sets:
        train = [s for s in sets if s != held]
        model = fit([{**data[s], "x": data[s]["x"][:, keep]} for s in train], args.c, args.balance)
        cutoff = args.cutoff
        if args.choose_cutoff:
            cutoff = max(grid, key=lambda t: np.mean(
                [bcubed(data[s]["gold"], cluster(data[s], model, keep, t, args.linkage))[0] for s in train]))
        f, p, r, k = bcubed(data[held]["gold"], cluster(data[held], model, keep, cutoff, args.linkage))
        print(f"| {held} | {cutoff} | {f:.4f} | {p:.4f} | {r:.4f} | {k} ({len(set(data[held]['gold']))}) | "
              f"{' '.join(f'{v:.2f}' for v in spec(model))} |", flush=True)
    model = fit([{**data[s], "x": data[s]["x"][:, keep]} for s in sets], args.c, args.balance)
    values = spec(model)
    print("fitted on all sets:", ",".join(f"{v:.4f}" for v in values))
    if args.write:
        target = os.path.join(ROOT, "crates", "stories", "src", "pairwise.rs")
        src = open(target).read()
        block = ("    pub const SHIPPED: PairModel = PairModel {\n"
                 f"        bias: {values[0]:.4f},\n"
                 f"        weights: [{', '.join(f'{w:.4f}' for w in values[1:])}],\n"
                 "    };")
        new, n = re.subn(r"    pub const SHIPPED: PairModel = PairModel \{.*?\n    \};", block, src, flags=re.S)
        if n != 1:
            sys.exit("pairwise.rs: PairModel::SHIPPED not found")
        open(target, "w").write(new)
        print("written:", target)


if __name__ == "__main__":
    main()
