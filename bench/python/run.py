#!/usr/bin/env python3
"""From Python, in one run on the same inputs: parallax.extract vs trafilatura.extract on the
ScrapingHub pages, and parallax.dedup vs datasketch MinHash LSH on a 20k-article stream.

  run.py --shared ../shared --out bench/out/python [--articles 20000] [--repeat 3]

Extraction: every page is read and gunzipped once, before any timing; both extractors then get the
same bytes, one page per call, in one loop on one core (os.sched_setaffinity), as
bench/extraction/run.sh pins both tools; the time is the loop's wall time, so Python's call overhead
and building each result dict count. F1 / precision / recall come from ../shared/tools/evaluate.py
on the {NAME: {"articleBody"}} files each writes. parallax.extract_batch (all cores) is timed too.

Dedup: bench/dedup/make_scale.py's stream (generated once, kept in --out), read into a list of dicts
once; parallax.dedup(articles) (fingerprints on all cores, as `parallax dedup`; and again pinned to
one core) against bench/dedup/anchor_datasketch.py's stream() (128 permutations, word 5-shingles,
query then insert) at the threshold bench/dedup chose (0.3) on the same list. Parallax's time is
the median of --repeat calls; datasketch runs once (tens of seconds).
"""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dedup"))

import parallax  # noqa: E402


def evaluate(shared, truth, output):
    done = subprocess.run([sys.executable, os.path.join(shared, "tools", "evaluate.py"), "extraction", truth, output],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed_loop(fn, pages):
    start = time.perf_counter()
    out = [fn(data) for data in pages]
    return time.perf_counter() - start, out


def extraction(a, all_cores):
    base = os.path.join(a.shared, "data", "extraction", "scrapinghub")
    folder = os.path.join(base, "html")
    files = sorted(f for f in os.listdir(folder) if f.endswith((".html", ".html.gz")))
    names = [f.rsplit(".html", 1)[0] for f in files]
    pages = []
    for f in files:
        with open(os.path.join(folder, f), "rb") as fh:
            raw = fh.read()
        pages.append(gzip.decompress(raw) if f.endswith(".gz") else raw)
    import trafilatura

    result = {"pages": len(pages)}
    # All cores first: rayon's threads start here, before this thread is pinned.
    start = time.perf_counter()
    batch = parallax.extract_batch(pages)
    secs = time.perf_counter() - start
    result["parallax_batch_all_cores"] = {"pages_per_s": len(pages) / secs, "cores": len(all_cores)}
    os.sched_setaffinity(0, {min(all_cores)})
    parallax.extract(pages[0])  # warm-up, as trafilatura's first call below
    trafilatura.extract(pages[0])
    p_secs, p_out = timed_loop(lambda data: parallax.extract(data)["text"], pages)
    t_secs, t_out = timed_loop(lambda data: trafilatura.extract(data) or "", pages)
    os.sched_setaffinity(0, all_cores)
    truth = os.path.join(base, "ground-truth.json")
    for tool, secs, out in (("parallax", p_secs, p_out), ("trafilatura", t_secs, t_out)):
        path = os.path.join(a.out, f"extract-{tool}.json")
        with open(path, "w") as fh:
            json.dump({n: {"articleBody": text} for n, text in zip(names, out)}, fh)
        result[tool] = {"pages_per_s": len(pages) / secs, "secs": secs, **evaluate(a.shared, truth, path)}
    assert [p["text"] for p in batch] == p_out, "extract_batch and extract disagree"
    result["speed_ratio"] = result["parallax"]["pages_per_s"] / result["trafilatura"]["pages_per_s"]
    return result


def dedup(a, all_cores):
    import anchor_datasketch

    data = os.path.join(a.out, f"scale-{a.articles}.jsonl")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(HERE, "..", "dedup", "make_scale.py"), "--shared", a.shared,
                        "--n", str(a.articles), "--out", data], check=True)
    with open(data, encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    result = {"articles": len(articles)}

    def runs():
        times, pairs = [], None
        for _ in range(a.repeat):
            start = time.perf_counter()
            pairs = parallax.dedup(articles)
            times.append(time.perf_counter() - start)
        return statistics.median(times), pairs

    secs, pairs = runs()
    result["parallax"] = {"articles_per_s": len(articles) / secs, "secs": secs, "pairs": len(pairs),
                          "cores": len(all_cores)}
    os.sched_setaffinity(0, {min(all_cores)})
    one_secs, _ = runs()
    os.sched_setaffinity(0, all_cores)
    result["parallax_one_core"] = {"articles_per_s": len(articles) / one_secs, "secs": one_secs}
    os.sched_setaffinity(0, {min(all_cores)})
    start = time.perf_counter()
    found = list(anchor_datasketch.stream(articles, threshold=a.threshold))
    d_secs = time.perf_counter() - start
    os.sched_setaffinity(0, all_cores)
    result["datasketch"] = {"articles_per_s": len(articles) / d_secs, "secs": d_secs, "pairs": len(found),
                            "threshold": a.threshold}
    ours = {(c.copy, c.original) for c in pairs}
    theirs = {(c, o) for c, o, _, _ in found}
    result["pairs_in_common"] = len(ours & theirs)
    result["speed_ratio"] = d_secs / secs
    result["speed_ratio_one_core"] = d_secs / one_secs
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "out", "python"))
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--only", choices=["extract", "dedup"])
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    all_cores = os.sched_getaffinity(0)
    load = os.getloadavg()[0]
    summary = {"parallax_version": parallax.__version__, "load_before": round(load, 1)}
    if a.only != "dedup":
        summary["extract"] = extraction(a, all_cores)
        e = summary["extract"]
        print(f"== extract, {e['pages']} ScrapingHub pages, one core, one call per page:")
        for tool in ("parallax", "trafilatura"):
            r = e[tool]
            print(f"   {tool:12} {r['pages_per_s']:7.1f} pages/s  F1 {r['f1']:.4f}  P {r['precision']:.4f}  R {r['recall']:.4f}")
        print(f"   parallax.extract_batch on {e['parallax_batch_all_cores']['cores']} cores: "
              f"{e['parallax_batch_all_cores']['pages_per_s']:.1f} pages/s")
        print(f"== extract speed vs trafilatura: {e['speed_ratio']:.1f}x")
    if a.only != "extract":
        summary["dedup"] = dedup(a, all_cores)
        d = summary["dedup"]
        print(f"== dedup, {d['articles']} generated articles (make_scale.py), list of dicts in memory:")
        print(f"   parallax.dedup    {d['parallax']['articles_per_s']:9.0f} articles/s ({d['parallax']['secs']:.3f} s, "
              f"{d['parallax']['cores']} cores), {d['parallax']['pairs']} pairs")
        print(f"   parallax, 1 core  {d['parallax_one_core']['articles_per_s']:9.0f} articles/s ({d['parallax_one_core']['secs']:.3f} s)")
        print(f"   datasketch LSH    {d['datasketch']['articles_per_s']:9.0f} articles/s ({d['datasketch']['secs']:.2f} s, 1 core), "
              f"{d['datasketch']['pairs']} pairs; {d['pairs_in_common']} pairs found by both")
        print(f"== dedup speed vs datasketch: {d['speed_ratio']:.1f}x ({d['speed_ratio_one_core']:.1f}x on one core)")
    summary["load_after"] = round(os.getloadavg()[0], 1)
    with open(os.path.join(a.out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    print(f"(load average {summary['load_before']} before, {summary['load_after']} after; {a.out}/summary.json)")


if __name__ == "__main__":
    main()
