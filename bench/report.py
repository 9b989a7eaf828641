#!/usr/bin/env python3
"""Turns bench/out/results/*.json (written by run.sh) into a markdown table.

  report.py --results DIR [--json SUMMARY.json]

DIR holds TASK-DATASET-METHOD.time.json (from measure.py) and
TASK-DATASET-METHOD.score.json (from evaluate.py), METHOD being `parallax` or
`anchor`. Prints one row per method and dataset, then the ratios
parallax/anchor, and writes the same data as JSON.
"""
import argparse
import glob
import json
import os
import sys

ANCHORS = {
    "clustering": "online TF-IDF centroid (0.2)",
    "briefs": "LexRank (sumy), 60 words",
}
METRICS = {  # task -> [(key in evaluate.py output, label)]
    "clustering": [("bcubed_f1", "B3 F1")],
    "briefs": [("rouge1", "R1"), ("rouge2", "R2"), ("rougeL", "RL")],
}
TASK_ORDER = ["clustering", "briefs"]


def load(results):
    runs = {}
    for path in sorted(glob.glob(os.path.join(results, "*.time.json"))):
        name = os.path.basename(path)[: -len(".time.json")]
        task, rest = name.split("-", 1)
        dataset, method = rest.rsplit("-", 1)
        with open(path) as fh:
            timing = json.load(fh)
        score_path = os.path.join(results, name + ".score.json")
        score = None
        if os.path.exists(score_path):
            with open(score_path) as fh:
                score = json.load(fh)
        runs[(task, dataset, method)] = {"timing": timing, "score": score}
    return runs


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return round(a / b, 3)


def fmt(x, nd=3):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def build(runs):
    rows, ratios = [], []
    keys = sorted(runs, key=lambda k: (TASK_ORDER.index(k[0]) if k[0] in TASK_ORDER else 9,
                                       k[1], k[2] != "parallax"))
    for task, dataset, method in keys:
        r = runs[(task, dataset, method)]
        score = r["score"] or {}
        rows.append({
            "task": task, "dataset": dataset, "method": method,
            "method_name": "parallax" if method == "parallax" else "anchor: " + ANCHORS.get(task, task),
            "quality": {label: score.get(key) for key, label in METRICS.get(task, [])},
            "score": score,
            "wall_s": r["timing"].get("wall_s"),
            "articles": r["timing"].get("articles"),
            "articles_per_s": r["timing"].get("articles_per_s"),
            "peak_rss_mb": r["timing"].get("peak_rss_mb"),
        })
    by = {(x["task"], x["dataset"], x["method"]): x for x in rows}
    for (task, dataset, method) in keys:
        if method != "parallax" or (task, dataset, "anchor") not in by:
            continue
        p, a = by[(task, dataset, "parallax")], by[(task, dataset, "anchor")]
        ratios.append({
            "task": task, "dataset": dataset,
            "quality": {lab: ratio(p["quality"].get(lab), a["quality"].get(lab)) for lab in p["quality"]},
            "speed": ratio(p["articles_per_s"], a["articles_per_s"]),
            "peak_rss": ratio(p["peak_rss_mb"], a["peak_rss_mb"]),
        })
    return rows, ratios


def quality_text(task, q, nd):
    return " / ".join(f"{lab} {fmt(v, nd)}" for lab, v in q.items()) or "-"


def markdown(rows, ratios):
    out = ["| task | dataset | method | quality | articles/s | wall s | peak RSS MB |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        nd = 2 if r["task"] == "briefs" else 3
        out.append(f"| {r['task']} | {r['dataset']} | {r['method_name']} | {quality_text(r['task'], r['quality'], nd)} "
                   f"| {fmt(r['articles_per_s'], 1)} | {fmt(r['wall_s'], 2)} | {fmt(r['peak_rss_mb'], 1)} |")
    if ratios:
        out += ["", "Ratios parallax / anchor (quality above 1 = better; speed above 1 = faster; RSS below 1 = leaner):", "",
                "| task | dataset | quality ratio | speed ratio | peak RSS ratio |",
                "| --- | --- | --- | --- | --- |"]
        for r in ratios:
            out.append(f"| {r['task']} | {r['dataset']} | {quality_text(r['task'], r['quality'], 3)} "
                       f"| {fmt(r['speed'], 2)}x | {fmt(r['peak_rss'], 2)}x |")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    runs = load(args.results)
    if not runs:
        sys.exit(f"report.py: no results in {args.results}")
    rows, ratios = build(runs)
    print(markdown(rows, ratios))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": rows, "ratios": ratios}, fh, indent=1)
            fh.write("\n")


if __name__ == "__main__":
    main()
