#!/usr/bin/env python3
"""Scores `parallax brief` against the hand labels in labels.json.

Usage: bench/briefs/score.py [--bin target/release/parallax] [--shared ../shared] [-v]

Builds the labelled stories' articles from shared/data/stories (read at run time,
never copied), runs `parallax brief` with the gold stories, and prints:
- disagreement precision / recall over figure pairs (see LABELLING.md);
- speaker accuracy over the labelled quotes the brief found, and how many it found;
- name precision over the brief entities judged in labels.json ("names").
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def value(s):
    """A shown figure ("80000", "$2.6 million", "25-30%", "7 years") as a number (low end)."""
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)", s)
    if not m:
        return None
    v = float(m.group(1).replace(",", ""))
    for w, f in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if w in s:
            v *= f
    return v


def interval(v, qual):
    """What a shown figure allows, by its hedge (the issue's compatibility rules)."""
    if qual == "about":
        return v * 0.95, v * 1.05
    if qual == "nearly":
        return v * 0.9, v
    if qual in ("more than", "at least"):
        return v, float("inf")
    if qual in ("less than", "up to"):
        return float("-inf"), v
    return v, v


def close(a, b):
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def norm(s):
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"[\u2019']", "", s.lower())).split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/parallax"))
    ap.add_argument("--shared", default=os.environ.get("PARALLAX_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    labels = json.load(open(os.path.join(HERE, "labels.json")))
    stories = {s["story"]: s for s in labels["stories"]}
    data = os.path.join(args.shared, "data", "stories")
    tmp = tempfile.mkdtemp(prefix="brief-labels-")
    inp, tsv, out = (os.path.join(tmp, f) for f in ("a.jsonl", "s.tsv", "out.jsonl"))
    wanted = {}
    for name in sorted({s["data"] for s in stories.values()}):
        for line in open(os.path.join(data, name + ".gold.tsv")):
            a, s = line.split()
            if s in stories:
                wanted[a] = s
    with open(inp, "w") as f, open(tsv, "w") as g:
        for name in sorted({s["data"] for s in stories.values()}):
            for line in open(os.path.join(data, name + ".jsonl")):
                a = json.loads(line)
                if a["id"] in wanted:
                    f.write(json.dumps(a) + "\n")
                    g.write(f"{a['id']}\t{wanted[a['id']]}\n")
    subprocess.run([args.bin, "brief", "--input", inp, "--stories", tsv, "--output", out], check=True,
                   stdout=subprocess.DEVNULL)
    briefs = {b["story"]: b for b in map(json.loads, open(out))}

    score(stories, briefs, labels, args)
    fresh = {k: v for k, v in stories.items() if v.get("fresh")}
    if fresh:
        print(f"-- fresh stories only ({len(fresh)}, labelled after the rules were written):")
        quiet = argparse.Namespace(**{**vars(args), "verbose": False})
        score(fresh, briefs, labels, quiet)


def score(stories, briefs, labels, args):
        # Disagreements: every pair of differing figures two sources give in one flagged fact.
    sys_pairs, hit_gold, n_gold = 0, 0, 0
    correct = 0
    for sid, lab in stories.items():
        b = briefs.get(sid, {})
        gold = [p for p in lab["pairs"] if p["label"] == "disagree"]
        n_gold += len(gold)
        found = set()
        for f in b.get("facts", []):
            if f["agree"]:
                continue
            vals = f["values"]
            for i, x in enumerate(vals):
                for y in vals[i + 1:]:
                    vx, vy = value(x["value"]), value(y["value"])
                    # A hedged figure shown beside the conflict but compatible with this
                    # one ("more than 70,000" beside 75,000) is context, not a flagged pair.
                    ix, iy = interval(vx, x.get("qualifier")), interval(vy, y.get("qualifier"))
                    if ix[0] <= iy[1] and iy[0] <= ix[1]:
                        continue
                    for a in x["sources"]:
                        for c in y["sources"]:
                            if a == c:
                                continue
                            sys_pairs += 1
                            ok = None
                            for k, p in enumerate(gold):
                                if ({p["a"], p["b"]} == {a, c}) and (
                                    (p["a"] == a and close(p["va"], vx) and close(p["vb"], vy))
                                    or (p["a"] == c and close(p["va"], vy) and close(p["vb"], vx))
                                ):
                                    ok = k
                            if ok is not None:
                                correct += 1
                                found.add(ok)
                            elif args.verbose:
                                print(f"FALSE {sid} {f['about']}: {a}={x['value']} vs {c}={y['value']}")
        hit_gold += len(found)
        if args.verbose:
            for k, p in enumerate(gold):
                if k not in found:
                    print(f"MISSED {sid}: {p['a']}={p['va']} vs {p['b']}={p['vb']}")
    prec = correct / sys_pairs if sys_pairs else 1.0
    rec = hit_gold / n_gold if n_gold else 1.0
    print(f"disagreements: flagged pairs {sys_pairs}, right {correct}: precision {prec:.3f}; "
          f"gold pairs {n_gold}, found {hit_gold}: recall {rec:.3f}")

    # Speakers.
    n_q, found_q, right_q = 0, 0, 0
    for sid, lab in stories.items():
        for q in lab["quotes"]:
            n_q += 1
            key = " ".join(norm(q["starts"]))
            cand = [x for x in briefs.get(sid, {}).get("quotes", [])
                    if key in " ".join(norm(x["text"])) and q["article"] in x["sources"]]
            if not cand:
                if args.verbose:
                    print(f"QUOTE NOT FOUND {sid}: {q['starts']}")
                continue
            found_q += 1
            got = cand[0].get("speaker")
            want = q["speaker"]
            ok = (got is None and want is None) or (
                got is not None and want is not None and norm(got)[-1:] == norm(want)[-1:])
            right_q += ok
            if not ok and args.verbose:
                print(f"SPEAKER {sid}: {q['starts']!r}: got {got!r}, want {want!r}")
    acc = right_q / found_q if found_q else 1.0
    print(f"speakers: labelled quotes {n_q}, found {found_q}, speaker right {right_q}: accuracy {acc:.3f}")

    # Names: the judged entities of each story.
    judged = {(n["story"], n["name"]): n for n in labels.get("names", [])}
    seen, ok_n, unjudged = 0, 0, []
    for sid in stories:
        for ent in briefs.get(sid, {}).get("entities", []):
            j = judged.get((sid, ent["name"]))
            if j is None:
                unjudged.append((sid, ent["name"], ent["kind"]))
                continue
            seen += 1
            ok_n += bool(j["ok"])
            if args.verbose and not j["ok"]:
                print(f"NAME WRONG {sid}: {ent['name']} ({ent['kind']})")
    np_ = ok_n / seen if seen else 1.0
    print(f"names: judged {seen}, real names {ok_n}: precision {np_:.3f}; unjudged {len(unjudged)}")
    if args.verbose:
        for u in unjudged:
            print("UNJUDGED", *u)


if __name__ == "__main__":
    sys.exit(main())
