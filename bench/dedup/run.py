#!/usr/bin/env python3
"""The dedup benchmark: Parallax and datasketch MinHash LSH on the same data, in one run.

  run.py --bin target/release/parallax --shared ../shared --out bench/out/dedup
         [--scales 10000,100000,1000000] [--anchor-max 100000] [--repeat 3] [--thresholds 0.2,...]

1. Quality on the labelled set (make_eval.py): `parallax dedup` and the anchor at every threshold,
   each scored by the official scorer (evaluate.py dedup); per-kind figures (by_kind.py).
2. The seeds: how many pairs among ../shared/seeds Parallax calls duplicate / near-duplicate.
3. Speed and memory on generated streams (make_scale.py) of each size: `parallax dedup` and, up to
   --anchor-max articles, the anchor at its best threshold; wall time and peak RSS from
   /usr/bin/time -v (whole process, start to exit; Parallax's median of --repeat runs, the anchor's
   one run), index bytes per article from Parallax's own report.
Writes OUT/summary.json and prints the tables.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, log):
    """Runs cmd under /usr/bin/time -v; returns (rc, wall_s, peak_rss_mb, stderr)."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) / 1024 if m else None
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return wall, rss, p.stderr


def score(shared, gold, pred):
    out = subprocess.run([sys.executable, os.path.join(shared, "tools", "evaluate.py"), "dedup", gold, pred],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--scales", default="10000,100000,1000000")
    ap.add_argument("--anchor-max", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of parallax per scale point; the median wall time counts")
    ap.add_argument("--thresholds", default="0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    py = a.python
    summary = {"quality": {}, "anchor_sweep": {}, "scale": [], "seeds": {}}

    # 1. Quality.
    subprocess.run([py, os.path.join(HERE, "make_eval.py"), "--shared", a.shared, "--out", a.out], check=True)
    ev = os.path.join(a.out, "eval.jsonl")
    gold = os.path.join(a.out, "eval.gold.tsv")
    n_eval = lines(ev)
    pred = os.path.join(a.out, "parallax.tsv")
    wall, rss, _ = timed([a.bin, "dedup", "--input", ev, "--output", pred], os.path.join(a.out, "parallax.log"))
    s = score(a.shared, gold, pred)
    kinds = json.loads(subprocess.run([py, os.path.join(HERE, "by_kind.py"), a.out, pred],
                                      capture_output=True, text=True, check=True).stdout)
    summary["quality"]["parallax"] = {**s, "by_kind": kinds, "wall_s": round(wall, 3),
                                      "articles_per_s": round(n_eval / wall), "peak_rss_mb": rss}
    best = None
    for t in a.thresholds.split(","):
        p = os.path.join(a.out, f"datasketch-{t}.tsv")
        wall, rss, _ = timed([py, os.path.join(HERE, "anchor_datasketch.py"), "--input", ev, "--output", p,
                              "--threshold", t], os.path.join(a.out, f"datasketch-{t}.log"))
        s = score(a.shared, gold, p)
        s.update(wall_s=round(wall, 3), articles_per_s=round(n_eval / wall), peak_rss_mb=rss)
        summary["anchor_sweep"][t] = s
        if best is None or s["f1"] > summary["anchor_sweep"][best]["f1"]:
            best = t
    kinds = json.loads(subprocess.run([py, os.path.join(HERE, "by_kind.py"), a.out,
                                       os.path.join(a.out, f"datasketch-{best}.tsv")],
                                      capture_output=True, text=True, check=True).stdout)
    summary["quality"]["datasketch"] = {**summary["anchor_sweep"][best], "threshold": float(best), "by_kind": kinds}

    # 2. Seeds.
    sp = os.path.join(a.out, "seeds.tsv")
    timed([a.bin, "dedup", "--input", os.path.join(a.shared, "seeds"), "--output", sp], os.path.join(a.out, "seeds.log"))
    rels = [l.split("\t")[2] for l in open(sp) if l.strip()]
    summary["seeds"] = {"pairs": len(rels), "duplicate_or_near": sum(r in ("duplicate", "near-duplicate") for r in rels)}

    # 3. Scale.
    for n in [int(x) for x in a.scales.split(",") if x]:
        data = os.path.join(a.out, f"scale-{n}.jsonl")
        if not os.path.exists(data):
            subprocess.run([py, os.path.join(HERE, "make_scale.py"), "--shared", a.shared, "--n", str(n),
                            "--out", data], check=True)
        row = {"articles": n}
        p = os.path.join(a.out, f"scale-{n}-parallax.tsv")
        # Parallax runs --repeat times and its median wall time counts: at
        # 10k a run lasts about a tenth of a second, where one scheduling
        # hiccup on a shared machine moves the figure by half; the anchor's
        # runs last seconds to minutes and average their own noise.
        runs = [timed([a.bin, "dedup", "--input", data, "--output", p], os.path.join(a.out, f"scale-{n}-parallax.log"))
                for _ in range(a.repeat)]
        wall = sorted(r[0] for r in runs)[len(runs) // 2]
        rss = max(r[1] for r in runs)
        err = runs[-1][2]
        m = re.search(r"\(([\d.]+) bytes/article\)", err)
        row["parallax"] = {"wall_s": round(wall, 2), "articles_per_s": round(n / wall), "peak_rss_mb": rss,
                           "index_bytes_per_article": float(m.group(1)) if m else None,
                           "peak_rss_bytes_per_article": round(rss * 1024 * 1024 / n) if rss else None,
                           "pairs": lines(p)}
        if n <= a.anchor_max:
            p = os.path.join(a.out, f"scale-{n}-datasketch.tsv")
            wall, rss, _ = timed([py, os.path.join(HERE, "anchor_datasketch.py"), "--input", data, "--output", p,
                                  "--threshold", best], os.path.join(a.out, f"scale-{n}-datasketch.log"))
            row["datasketch"] = {"wall_s": round(wall, 2), "articles_per_s": round(n / wall), "peak_rss_mb": rss,
                                 "pairs": lines(p)}
            row["speedup"] = round(row["parallax"]["articles_per_s"] / row["datasketch"]["articles_per_s"], 1)
        summary["scale"].append(row)
        print(json.dumps(row), flush=True)

    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    q = summary["quality"]
    print(f"\nlabelled set: {n_eval} articles, {q['parallax']['gold_pairs']} gold pairs")
    print(f"{'method':<28}{'F1':>8}{'P':>8}{'R':>8}{'dir':>8}{'art/s':>10}")
    for name, r in (("parallax", q["parallax"]), (f"datasketch (t={best})", q["datasketch"])):
        print(f"{name:<28}{r['f1']:>8}{r['precision']:>8}{r['recall']:>8}{r['direction_acc']:>8}{r['articles_per_s']:>10}")
    for name in ("parallax", "datasketch"):
        k = q[name]["by_kind"]
        rk = {kind: v["recall"] for kind, v in k["by_kind"].items()}
        print(f"{name}: recall by kind {rk}; hard negatives {k['hard_negatives']}; "
              f"direction when both dated {k['direction_both_dated']}")
    print(f"seeds: {summary['seeds']}")
    print(f"\n{'articles':>10}{'parallax art/s':>16}{'peak RSS MB':>13}{'index B/art':>13}{'datasketch art/s':>18}{'ratio':>8}")
    for r in summary["scale"]:
        ds = r.get("datasketch", {})
        print(f"{r['articles']:>10}{r['parallax']['articles_per_s']:>16}{r['parallax']['peak_rss_mb']:>13.0f}"
              f"{r['parallax']['index_bytes_per_article']:>13}{ds.get('articles_per_s', '-'):>18}{r.get('speedup', '-'):>8}")


if __name__ == "__main__":
    main()
