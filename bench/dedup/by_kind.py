#!/usr/bin/env python3
"""Per-kind, per-source and hard-negative figures for a dedup prediction on the labelled set made by
make_eval.py.

  by_kind.py EVAL_DIR PRED.tsv [--show-errors N]

Prints one JSON object:
* by_kind: for each kind of labelled pair (ecb-real, repost, partial, ...) the recall and the
  direction accuracy on the found pairs;
* by_source: precision, recall, F1, direction and recall by kind of the pairs derived from ECB+ and from NeuS (a
  synthetic copy belongs to its original's source), for leave-one-source-out tuning (loso.py);
* hard_negatives: the predicted pairs that join two articles about the same event (an ECB+ topic or a
  NeuS story; a copy counts as its original's event): how many, how many are not copies, and the
  precision on them;
* direction_both_dated: direction accuracy on the found pairs where both articles carry a date;
* false_positives: split by whether the two articles report the same event or not.
Pairs inside one group of copies that are not themselves labelled, and `maybe` pairs, are left out,
as the scorer does.
"""
import json
import re
import sys
from collections import defaultdict


def event_of(i):
    m = re.match(r"ecb-(\d+)_", i)
    if m:
        return "ecb" + m.group(1)
    m = re.match(r"neus-\w+-(\d+)-", i)
    return "neus" + m.group(1) if m else None


def source_of_event(e):
    return None if e is None else "ecb" if e.startswith("ecb") else "neus"


def figures(d, pred_path):
    kinds = {}
    for line in open(f"{d}/eval.kinds.tsv"):
        c, o, k = line.rstrip("\n").split("\t")[:3]
        kinds[frozenset((c, o))] = (c, o, k)
    maybe = set()
    for line in open(f"{d}/eval.gold.tsv"):
        c, o, rel = line.rstrip("\n").split("\t")[:3]
        if rel == "maybe":
            maybe.add(frozenset((c, o)))
    dated = set()
    for line in open(f"{d}/eval.jsonl", encoding="utf-8"):
        a = json.loads(line)
        if a.get("published"):
            dated.add(a["id"])
    pred = {}
    for line in open(pred_path):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 2 and p[0] != p[1]:
            pred[frozenset(p[:2])] = p
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    # A synthetic copy reports its original's event (copies are made of base articles only).
    event = {}
    for c, o, _ in kinds.values():
        event[c] = event_of(o) if event_of(c) is None else event_of(c)
        parent[find(c)] = find(o)

    def ev(i):
        return event.get(i, event_of(i))

    out = defaultdict(lambda: {"gold": 0, "found": 0, "direction_ok": 0})
    src = defaultdict(lambda: {"gold": 0, "tp": 0, "fp": 0, "direction_ok": 0,
                               "kinds": defaultdict(lambda: [0, 0])})
    both = [0, 0]
    errors = []
    for k, (c, o, kind) in kinds.items():
        r = out[kind]
        s = src[source_of_event(ev(o))]
        r["gold"] += 1
        s["gold"] += 1
        s["kinds"][kind][1] += 1
        s["kinds"][kind][0] += k in pred
        if k in pred:
            r["found"] += 1
            s["tp"] += 1
            ok = pred[k][0] == c
            r["direction_ok"] += ok
            s["direction_ok"] += ok
            if c in dated and o in dated:
                both[0] += ok
                both[1] += 1
            if not ok:
                errors.append(("direction", kind, c, o, pred[k][2:]))
        else:
            errors.append(("missed", kind, c, o, None))
    fp = defaultdict(int)
    hard = {"pairs": 0, "copies": 0, "not_copies": 0}
    for k, p in pred.items():
        a, b = p[0], p[1]
        same = ev(a) is not None and ev(a) == ev(b)
        if k in kinds:
            if same:
                hard["pairs"] += 1
                hard["copies"] += 1
            continue
        if k in maybe or len({find(x) for x in k}) == 1:
            continue
        fp["same-event" if same else "other"] += 1
        for s in {source_of_event(ev(a)), source_of_event(ev(b))}:
            src[s]["fp"] += 1
        if same:
            hard["pairs"] += 1
            hard["not_copies"] += 1
        errors.append(("false-positive", "same-event" if same else "other", a, b, p[2:]))
    hard["precision"] = round(hard["copies"] / hard["pairs"], 4) if hard["pairs"] else 1.0
    by_source = {}
    for s, v in sorted(src.items(), key=lambda kv: str(kv[0])):
        if s is None:
            continue
        p = v["tp"] / (v["tp"] + v["fp"]) if v["tp"] + v["fp"] else 1.0
        r = v["tp"] / v["gold"] if v["gold"] else 1.0
        by_source[s] = {"gold": v["gold"], "precision": round(p, 4), "recall": round(r, 4),
                        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                        "direction": round(v["direction_ok"] / v["tp"], 4) if v["tp"] else None,
                        "recall_by_kind": {k: round(f / g, 4) for k, (f, g) in sorted(v["kinds"].items())}}
    res = {k: {"gold": v["gold"], "recall": round(v["found"] / v["gold"], 4),
               "direction": round(v["direction_ok"] / v["found"], 4) if v["found"] else None}
           for k, v in sorted(out.items())}
    return {"by_kind": res, "by_source": by_source, "hard_negatives": hard,
            "direction_both_dated": round(both[0] / both[1], 4) if both[1] else None,
            "false_positives": fp}, errors


def main():
    d, pred_path = sys.argv[1], sys.argv[2]
    show = int(sys.argv[sys.argv.index("--show-errors") + 1]) if "--show-errors" in sys.argv else 0
    res, errors = figures(d, pred_path)
    print(json.dumps(res))
    for e in errors[:show] if show else []:
        print("\t".join(str(x) for x in e), file=sys.stderr)


if __name__ == "__main__":
    main()
