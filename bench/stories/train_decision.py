#!/usr/bin/env python3
"""Fits the learned story decision (crates/stories/src/decision.rs) and
scores it leave-one-set-out.

For each dev set (ECB+ topics 1-25, NeuS train, NeuS val, read from
../shared/data/stories at run time) the clusterer places every article in
its true story and reports the candidates it scored on the way
(`decision_data features`). A logistic regression over those candidates'
size-free features (label: the candidate is the article's story) is fitted
on two sets, with each set weighing the same however many candidates it
has, and the third set is clustered online with it (`decision_data
cluster`) and scored by ../shared/tools/evaluate.py. The decision fitted
on all three sets is printed (and, with --write, written into
decision.rs as Decision::SHIPPED).

Usage: python3 bench/stories/train_decision.py [--cutoff 0.5] [--c 1.0] [--write]
Needs: cargo, numpy, scikit-learn; CARGO_TARGET_DIR is honoured.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "stories")
EVALUATE = os.path.join(ROOT, "..", "shared", "tools", "evaluate.py")
SETS = ["ecbplus-dev", "neus-train", "neus-val"]
# --split-ecb: ECB+ dev in two halves by topic, so that every fold trains
# on long ECB+ articles as well as NeuS leads.
HALVES = {"ecbplus-dev-a": range(1, 13), "ecbplus-dev-b": range(13, 26)}
SPLIT_DIR = tempfile.mkdtemp(prefix="parallax-decision-")


def path(name, ext):
    """The dev file `name + ext`; an ECB+ half is written out on first use."""
    if name not in HALVES:
        return os.path.join(DATA, name + ext)
    out = os.path.join(SPLIT_DIR, name + ext)
    if not os.path.exists(out):
        topics = HALVES[name]
        topic = lambda article: int(re.match(r"ecb-(\d+)_", article).group(1))
        with open(os.path.join(DATA, "ecbplus-dev" + ext)) as f, open(out, "w") as w:
            for line in f:
                article = json.loads(line)["id"] if ext == ".jsonl" else line.split("\t")[0]
                if topic(article) in topics:
                    w.write(line)
    return out
FEATURES = 13
PAIR_FEATURES = 5


def tool():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "parallax-stories", "--example", "decision_data"],
        cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "examples", "decision_data")


def features(binary, name):
    out = subprocess.run(
        [binary, "features", path(name, ".jsonl"), path(name, ".gold.tsv")],
        check=True, capture_output=True, text=True).stdout
    cand, pair = [], []
    for line in out.splitlines():
        kind, _, *values = line.split("\t")
        (cand if kind == "c" else pair).append([float(v) for v in values])
    cand, pair = np.array(cand), np.array(pair)
    return (cand[:, 1:], cand[:, 0]), (pair[:, 1:], pair[:, 0])


def online_rows(binary, name, decision, keep):
    """Candidates the decision meets when it clusters `name` itself."""
    out = subprocess.run(
        [binary, "online-features", path(name, ".jsonl"),
         path(name, ".gold.tsv"), decision],
        check=True, capture_output=True, text=True).stdout
    rows = np.array([[float(v) for v in line.split("\t")[2:]] for line in out.splitlines()])
    return rows[:, 1:][:, keep], rows[:, 0]


def fit_rounds(binary, names, data, pairs, args, keep):
    """Fits on the true-story replay of `names`, then `args.rounds` times
    clusters each of them with the decision so far and refits on
    everything met (each set weighing the same)."""
    pair = fit([pairs[s] for s in names], args.c)
    cand = fit([data[s] for s in names], args.c)
    seen = {s: [data[s]] for s in names}
    for _ in range(args.rounds):
        decision = spec(cand, pair, args, keep)
        for s in names:
            seen[s].append(online_rows(binary, s, decision, keep))
        merged = [(np.vstack([x for x, _ in seen[s]]), np.concatenate([y for _, y in seen[s]]))
                  for s in names]
        cand = fit(merged, args.c)
    return cand, pair


def fit(parts, c):
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    # Every set weighs the same, however many candidates it brings.
    w = np.concatenate([np.full(len(p[1]), len(y) / (len(parts) * len(p[1]))) for p in parts])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y, sample_weight=w)
    return float(model.intercept_[0]), [float(v) for v in model.coef_[0]]


def spec(cand, pair, args, keep):
    bias, weights = cand
    full = [0.0] * FEATURES
    for i, w in zip(keep, weights):
        full[i] = w
    return ",".join(f"{v:.4f}" for v in [bias, *full, args.cutoff, pair[0], *pair[1],
                                          args.merge_probe, args.merge_cutoff])


def score(binary, name, decision):
    with tempfile.NamedTemporaryFile("w+", suffix=".tsv") as pred:
        subprocess.run([binary, "cluster", path(name, ".jsonl"), decision],
                       check=True, stdout=pred)
        pred.flush()
        out = subprocess.run([sys.executable, EVALUATE, "clustering",
                              path(name, ".gold.tsv"), pred.name],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cutoff", type=float, default=0.5, help="probability to join (chosen, not tuned)")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic fit")
    ap.add_argument("--merge-probe", type=float, default=0.2,
                    help="least join probability of a second story for a merge test")
    ap.add_argument("--merge-cutoff", type=float, default=0.5,
                    help="least mean article-to-article probability to merge (2 = never)")
    ap.add_argument("--rounds", type=int, default=2,
                    help="refits on the candidates the decision meets online")
    ap.add_argument("--split-ecb", action="store_true",
                    help="four folds: ECB+ dev topics 1-12 and 13-25 apart")
    ap.add_argument("--drop", default="", help="comma-separated feature numbers left out (weight 0)")
    ap.add_argument("--write", action="store_true", help="write the all-sets fit into decision.rs")
    args = ap.parse_args()
    global SETS
    if args.split_ecb:
        SETS = [*HALVES, "neus-train", "neus-val"]
    for name in ["ecbplus-dev", "neus-train", "neus-val"]:
        for ext in (".jsonl", ".gold.tsv"):
            if not os.path.exists(os.path.join(DATA, name + ext)):
                sys.exit(f"missing dev data: {os.path.join(DATA, name + ext)}")
    binary = tool()
    data = {name: features(binary, name) for name in SETS}
    keep = [i for i in range(FEATURES) if str(i) not in args.drop.split(",")]
    pairs = {name: p for name, (_, p) in data.items()}
    data = {name: (x[:, keep], y) for name, ((x, y), _) in data.items()}
    print("| held out | fitted on | B3 F1 | B3 P | B3 R | stories (gold) | threshold 0.28: F1 (P) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for held in SETS:
        train = [s for s in SETS if s != held]
        cand, pair = fit_rounds(binary, train, data, pairs, args, keep)
        r = score(binary, held, spec(cand, pair, args, keep))
        t = score(binary, held, "threshold:0.28")
        print(f"| {held} | {' + '.join(train)} | {r['bcubed_f1']:.4f} | {r['bcubed_p']:.4f} | "
              f"{r['bcubed_r']:.4f} | {r['pred_stories']} ({r['gold_stories']}) | "
              f"{t['bcubed_f1']:.4f} ({t['bcubed_p']:.4f}) |", flush=True)
    line = spec(*fit_rounds(binary, SETS, data, pairs, args, keep), args, keep)
    v = [float(x) for x in line.split(",")]
    print("all sets:", line)
    if args.write:
        path = os.path.join(ROOT, "crates", "stories", "src", "decision.rs")
        src = open(path).read()
        f = FEATURES
        nums = lambda xs: ", ".join(f"{x:.4f}" for x in xs)
        block = ("    pub const SHIPPED: Decision = Decision {\n"
                 f"        bias: {v[0]:.4f},\n"
                 f"        weights: [{nums(v[1:f + 1])}],\n"
                 f"        cutoff: {v[f + 1]:.4f},\n"
                 f"        pair_bias: {v[f + 2]:.4f},\n"
                 f"        pair_weights: [{nums(v[f + 3:f + 3 + PAIR_FEATURES])}],\n"
                 f"        merge_probe: {v[-2]:.4f},\n"
                 f"        merge_cutoff: {v[-1]:.4f},\n"
                 "    };")
        new, n = re.subn(r"    pub const SHIPPED: Decision = Decision \{.*?\n    \};", block, src, flags=re.S)
        if n != 1:
            sys.exit("decision.rs: Decision::SHIPPED not found")
        open(path, "w").write(new)
        print("written:", path)


if __name__ == "__main__":
    main()
