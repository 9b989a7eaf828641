#!/usr/bin/env python3
"""Fits the learned story decision (crates/stories/src/decision.rs) and
scores it leave-one-set-out.

For each dev set (ECB+ topics 1-25, NeuS train, NeuS val, read from
../shared/data/stories at run time) the clusterer places every article in
its true story and reports the candidates it scored on the way
(`decision_data features`). A logistic regression over those candidates'
size-free features (label: the candidate is the article's story) is fitted
on the other sets, each set weighing the same however many candidates it
brings, and the held-out set is clustered online with it (`decision_data
cluster`) and scored by ../shared/tools/evaluate.py, beside the plain
cosine threshold 0.28 on the same set. The decision fitted on all sets is
printed last (and, with --write, written into decision.rs as
Decision::SHIPPED).

Usage: python3 bench/stories/train_decision.py [--cutoff P] [--min-similarity S]
           [--split-ecb] [--drop 1,2] [--write]
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
# --split-ecb: ECB+ dev in two halves by topic, so that every fold is
# fitted on long ECB+ articles as well as on NeuS leads.
HALVES = {"ecbplus-dev-a": range(1, 13), "ecbplus-dev-b": range(13, 26)}
SPLIT_DIR = tempfile.mkdtemp(prefix="parallax-decision-")
FEATURES = 7


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
        ["cargo", "build", "--release", "-q", "-p", "parallax-stories", "--example", "decision_data"],
        cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "examples", "decision_data")


def features(binary, name):
    out = subprocess.run([binary, "features", path(name, ".jsonl"), path(name, ".gold.tsv")],
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


def spec(model, keep, args):
    bias, weights = model
    full = [0.0] * FEATURES
    for i, w in zip(keep, weights):
        full[i] = w
    return ",".join(f"{v:.4f}" for v in [bias, *full, args.cutoff, args.min_similarity])


def score(binary, name, decision):
    with tempfile.NamedTemporaryFile("w+", suffix=".tsv") as pred:
        subprocess.run([binary, "cluster", path(name, ".jsonl"), decision], check=True, stdout=pred)
        pred.flush()
        out = subprocess.run([sys.executable, EVALUATE, "clustering", path(name, ".gold.tsv"), pred.name],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cutoff", type=float, default=0.5, help="least probability to join")
    ap.add_argument("--min-similarity", type=float, default=0.0,
                    help="least whole-text cosine to join (0.28 with a low cutoff: a veto)")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic fit")
    ap.add_argument("--split-ecb", action="store_true", help="four folds: ECB+ topics 1-12 and 13-25 apart")
    ap.add_argument("--drop", default="", help="comma-separated feature numbers left out (weight 0)")
    ap.add_argument("--write", action="store_true", help="write the all-sets fit into decision.rs")
    args = ap.parse_args()
    for name in SETS:
        for ext in (".jsonl", ".gold.tsv"):
            if not os.path.exists(path(name, ext)):
                sys.exit(f"missing dev data: {path(name, ext)}")
    sets = [*HALVES, *SETS[1:]] if args.split_ecb else SETS
    binary = tool()
    keep = [i for i in range(FEATURES) if str(i) not in args.drop.split(",")]
    data = {name: features(binary, name) for name in sets}
    data = {name: (x[:, keep], y) for name, (x, y) in data.items()}
    print("| held out | fitted on | B3 F1 | B3 P | B3 R | stories (gold) | threshold 0.28: F1 (P) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for held in sets:
        train = [s for s in sets if s != held]
        r = score(binary, held, spec(fit([data[s] for s in train], args.c), keep, args))
        t = score(binary, held, "threshold:0.28")
        print(f"| {held} | {' + '.join(train)} | {r['bcubed_f1']:.4f} | {r['bcubed_p']:.4f} | "
              f"{r['bcubed_r']:.4f} | {r['pred_stories']} ({r['gold_stories']}) | "
              f"{t['bcubed_f1']:.4f} ({t['bcubed_p']:.4f}) |", flush=True)
    bias, weights = fit([data[s] for s in sets], args.c)
    line = spec((bias, weights), keep, args)
    print("fitted on all sets:", line)
    if args.write:
        v = [float(x) for x in line.split(",")]
        target = os.path.join(ROOT, "crates", "stories", "src", "decision.rs")
        src = open(target).read()
        block = ("    pub const SHIPPED: Decision = Decision {\n"
                 f"        bias: {v[0]:.4f},\n"
                 f"        weights: [{', '.join(f'{w:.4f}' for w in v[1:FEATURES + 1])}],\n"
                 f"        cutoff: {v[FEATURES + 1]},\n"
                 f"        min_similarity: {v[FEATURES + 2]},\n"
                 "    };")
        new, n = re.subn(r"    pub const SHIPPED: Decision = Decision \{.*?\n    \};", block, src, flags=re.S)
        if n != 1:
            sys.exit("decision.rs: Decision::SHIPPED not found")
        open(target, "w").write(new)
        print("written:", target)


if __name__ == "__main__":
    main()
