#!/usr/bin/env python3
"""Per-kind figures for a dedup prediction on the labelled set made by make_eval.py.

  by_kind.py EVAL_DIR PRED.tsv [--show-errors N]

Prints one JSON object: for each kind of labelled pair (ecb-real, repost, degraded, ...) the recall
and the direction accuracy on the found pairs, and the false positives split by whether the two
articles are unrelated or report the same event (ECB+ topic / NeuS story).
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


def main():
    d, pred_path = sys.argv[1], sys.argv[2]
    show = int(sys.argv[sys.argv.index("--show-errors") + 1]) if "--show-errors" in sys.argv else 0
    kinds = {}
    for line in open(f"{d}/eval.kinds.tsv"):
        c, o, k = line.rstrip("\n").split("\t")
        kinds[frozenset((c, o))] = (c, o, k)
    pred = {}
    for line in open(pred_path):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 2:
            pred[frozenset(p[:2])] = p
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for k in kinds:
        a, b = tuple(k)
        parent[find(a)] = find(b)
    out = defaultdict(lambda: {"gold": 0, "found": 0, "direction_ok": 0})
    errors = []
    for k, (c, o, kind) in kinds.items():
        r = out[kind]
        r["gold"] += 1
        if k in pred:
            r["found"] += 1
            ok = pred[k][0] == c
            r["direction_ok"] += ok
            if not ok:
                errors.append(("direction", kind, c, o, pred[k][2:]))
        else:
            errors.append(("missed", kind, c, o, None))
    fp = defaultdict(int)
    for k, p in pred.items():
        if k in kinds or len({find(x) for x in k}) == 1:
            continue
        a, b = p[0], p[1]
        same = event_of(a) is not None and event_of(a) == event_of(b)
        fp["same-event" if same else "other"] += 1
        errors.append(("false-positive", "same-event" if same else "other", a, b, p[2:]))
    res = {k: {"gold": v["gold"], "recall": round(v["found"] / v["gold"], 4),
               "direction": round(v["direction_ok"] / v["found"], 4) if v["found"] else None}
           for k, v in sorted(out.items())}
    print(json.dumps({"by_kind": res, "false_positives": fp}))
    for e in errors[:show] if show else []:
        print("\t".join(str(x) for x in e), file=sys.stderr)


if __name__ == "__main__":
    main()
