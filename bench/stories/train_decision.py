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
FEATURES = 13


def tool():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "parallax-stories", "--example", "decision_data"],
        cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "examples", "decision_data")


def features(binary, name):
    out = subprocess.run(
        [binary, "features", os.path.join(DATA, name + ".jsonl"), os.path.join(DATA, name + ".gold.tsv")],
        check=True, capture_output=True, text=True).stdout
    rows = np.array([[float(v) for v in line.split("\t")] for line in out.splitlines()])
    return rows[:, 2:], rows[:, 1]


def fit(parts, c):
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    # Every set weighs the same, however many candidates it brings.
    w = np.concatenate([np.full(len(p[1]), len(y) / (len(parts) * len(p[1]))) for p in parts])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y, sample_weight=w)
    return float(model.intercept_[0]), [float(v) for v in model.coef_[0]]


def spec(bias, weights, cutoff, keep=None):
    if keep is not None:
        full = [0.0] * FEATURES
        for i, w in zip(keep, weights):
            full[i] = w
        weights = full
    return ",".join(f"{v:.4f}" for v in [bias, *weights, cutoff])


def score(binary, name, decision):
    with tempfile.NamedTemporaryFile("w+", suffix=".tsv") as pred:
        subprocess.run([binary, "cluster", os.path.join(DATA, name + ".jsonl"), decision],
                       check=True, stdout=pred)
        pred.flush()
        out = subprocess.run([sys.executable, EVALUATE, "clustering",
                              os.path.join(DATA, name + ".gold.tsv"), pred.name],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cutoff", type=float, default=0.5, help="probability to join (chosen, not tuned)")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic fit")
    ap.add_argument("--drop", default="", help="comma-separated feature numbers left out (weight 0)")
    ap.add_argument("--write", action="store_true", help="write the all-sets fit into decision.rs")
    args = ap.parse_args()
    for name in SETS:
        for ext in (".jsonl", ".gold.tsv"):
            path = os.path.join(DATA, name + ext)
            if not os.path.exists(path):
                sys.exit(f"missing dev data: {path}")
    binary = tool()
    data = {name: features(binary, name) for name in SETS}
    keep = [i for i in range(FEATURES) if str(i) not in args.drop.split(",")]
    data = {name: (x[:, keep], y) for name, (x, y) in data.items()}
    print("| held out | fitted on | B3 F1 | B3 P | B3 R | stories (gold) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for held in SETS:
        train = [s for s in SETS if s != held]
        bias, weights = fit([data[s] for s in train], args.c)
        r = score(binary, held, spec(bias, weights, args.cutoff, keep))
        print(f"| {held} | {' + '.join(train)} | {r['bcubed_f1']:.4f} | {r['bcubed_p']:.4f} | "
              f"{r['bcubed_r']:.4f} | {r['pred_stories']} ({r['gold_stories']}) |", flush=True)
    bias, weights = fit([data[s] for s in SETS], args.c)
    line = spec(bias, weights, args.cutoff, keep)
    weights = [float(v) for v in line.split(",")[1:-1]]
    print("all sets:", line)
    if args.write:
        path = os.path.join(ROOT, "crates", "stories", "src", "decision.rs")
        src = open(path).read()
        block = ("    pub const SHIPPED: Decision = Decision {\n"
                 f"        bias: {bias:.4f},\n"
                 f"        weights: [{', '.join(f'{w:.4f}' for w in weights)}],\n"
                 f"        cutoff: {args.cutoff},\n"
                 "    };")
        new, n = re.subn(r"    pub const SHIPPED: Decision = Decision \{.*?\n    \};", block, src, flags=re.S)
        if n != 1:
            sys.exit("decision.rs: Decision::SHIPPED not found")
        open(path, "w").write(new)
        print("written:", path)


if __name__ == "__main__":
    main()
