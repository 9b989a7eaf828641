#!/usr/bin/env python3
"""Builds the labelled duplicate / syndication set from the real dev articles in ../shared.

  make_eval.py --shared ../shared --out DIR [--seed 7] [--neus 3000] [--originals 1200]

Writes DIR/eval.jsonl (Article JSONL, shuffled) and DIR/eval.gold.tsv
(copy_id<TAB>original_id<TAB>relation, the format `evaluate.py dedup` reads) and
DIR/eval.kinds.tsv (copy_id<TAB>original_id<TAB>kind, for per-kind figures).
Nothing from ../shared is copied into the repository: the set is generated at run time.

What is in it (see bench/README.md, "dedup"):
* every ECB+ dev article and a random sample of NeuS-train articles, as themselves. Articles of one
  ECB+ topic or one NeuS story report the same event and are the hard negatives;
* the real reposts that already exist in ECB+, found exhaustively (every pair, exact word 5-shingle
  sets, no sampling): a pair is a copy when at least half of the smaller article's shingles are in the
  other. Relation: duplicate when the shingle sets are equal, near-duplicate when Jaccard >= 0.8,
  else syndicated. Original: an agency outlet (ap.org, reuters...) else the longer text;
* synthetic copies of randomly chosen originals, each with a later publication time where the
  original has one (some copies and originals have none, to exercise the other direction rules):
    repost        same text, other whitespace and typographic quotes            duplicate
    degraded      lowercased, punctuation stripped (seed 001's format)          duplicate
    degraded+     the same with "N min read" chrome in front                    near-duplicate
    edited        ~3% of words replaced, one sentence dropped, a "READ: ..."
                  promo and a copyright footer of the copying outlet added      near-duplicate
    reordered     sentences in blocks, blocks shuffled (long articles only)     near-duplicate
    truncated     the first 40-70% of the sentences                             syndicated
    excerpt       40-70% of the sentences (a contiguous block) inside other
                  text of up to the same length (from an unrelated article)    syndicated
"""
import argparse
import datetime as dt
import itertools
import json
import os
import random
import re
from collections import defaultdict

WIRE = re.compile(r"(^|[./ ])(ap\.org|apnews|reuters|afp|bloomberg|xinhua)", re.I)


def words(t):
    return re.findall(r"[^\W_]+", (t or "").lower())


def shingles(t, n=5):
    w = words(t)
    return {tuple(w[i:i + n]) for i in range(max(1, len(w) - n + 1))} if w else set()


def sentences(t):
    return [s for s in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", t.strip()) if s]


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--neus", type=int, default=3000)
    ap.add_argument("--originals", type=int, default=1200)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    stories = os.path.join(a.shared, "data", "stories")
    ecb = load(os.path.join(stories, "ecbplus-dev.jsonl"))
    neus_all = [d for d in load(os.path.join(stories, "neus-train.jsonl")) if d.get("text")]
    rng.shuffle(neus_all)
    # Articles not in the set lend "own text" to excerpts and promo lines, so that no copy
    # accidentally reuses a second article of the set.
    neus, spare = neus_all[:a.neus], neus_all[a.neus:]

    base = []
    t0 = dt.datetime(2018, 1, 1, tzinfo=dt.timezone.utc)
    ecb = [d for d in ecb if d.get("text")]
    for d in ecb:  # ECB+ has no dates; keep it that way (direction then rests on outlet and length)
        base.append({k: d[k] for k in ("id", "text", "url", "source") if d.get(k)})
    for d in neus:
        r = {k: d[k] for k in ("id", "title", "text") if d.get(k)}
        if rng.random() < 0.8:
            r["published"] = iso(t0 + dt.timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)))
        base.append(r)

    gold, kinds = {}, []

    # Real reposts among the base articles (ECB+ has real wire copies; NeuS repeats a few leads),
    # exhaustively: every pair sharing a shingle is looked at, with exact shingle sets.
    sh = [shingles(d["text"]) for d in base]
    holders = defaultdict(list)
    for i, x in enumerate(sh):
        for g in x:
            holders[g].append(i)
    shared = defaultdict(int)
    for hs in holders.values():
        if len(hs) > 1:
            for i, j in itertools.combinations(hs, 2):
                shared[(i, j)] += 1
    for (i, j), inter in sorted(shared.items()):
        x, y = sh[i], sh[j]
        if inter < 0.5 * min(len(x), len(y)):
            continue
        jac = inter / len(x | y)
        rel = "duplicate" if x == y else "near-duplicate" if jac >= 0.8 else "syndicated"
        di, dj = base[i], base[j]
        wi = bool(WIRE.search(di.get("url", "") + " " + di.get("source", "")))
        wj = bool(WIRE.search(dj.get("url", "") + " " + dj.get("source", "")))
        if di.get("published") and dj.get("published") and di["published"] != dj["published"]:
            orig, copy = (di, dj) if di["published"] < dj["published"] else (dj, di)
        elif wi != wj:
            orig, copy = (di, dj) if wi else (dj, di)
        else:
            orig, copy = (di, dj) if len(words(di["text"])) >= len(words(dj["text"])) else (dj, di)
        gold[(copy["id"], orig["id"])] = rel
        kinds.append((copy["id"], orig["id"], "ecb-real" if di["id"].startswith("ecb") else "neus-real"))

    # Spare articles lend own text; keep only those that share no shingle with the set, and use
    # each one once.
    spare = [d for d in spare if not (shingles(d["text"]) & holders.keys())]
    rng.shuffle(spare)

    vocab = [w for d in base for w in d["text"].split() if w.isalpha()]
    outlets = [f"outlet{n}.example" for n in range(40)]
    copies = []
    pool = [d for d in base if len(words(d["text"])) >= 25]
    originals = rng.sample(pool, min(a.originals, len(pool)))
    n = 0
    for o in originals:
        sents = sentences(o["text"])
        long_text = len(sents) >= 6
        menu = ["repost", "degraded", "degraded+", "edited", "truncated", "excerpt"]
        if long_text:
            menu.append("reordered")
        if len(sents) < 3:
            menu = [k for k in menu if k not in ("truncated", "excerpt")]
        for kind in rng.sample(menu, rng.choice([1, 1, 2, 2, 3])):
            text = make_copy(kind, o["text"], sents, rng, vocab, spare, outlets)
            if text is None:
                continue
            n += 1
            c = {"id": f"copy-{n:05d}-{kind}", "text": text, "source": rng.choice(outlets)}
            if o.get("title") and rng.random() < 0.7:
                c["title"] = o["title"]
            if "published" in o:
                if rng.random() < 0.9:
                    t = dt.datetime.strptime(o["published"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
                    c["published"] = iso(t + dt.timedelta(minutes=rng.randrange(10, 3 * 24 * 60)))
            rel = {"repost": "duplicate", "degraded": "duplicate", "degraded+": "near-duplicate",
                   "edited": "near-duplicate", "reordered": "near-duplicate"}.get(kind, "syndicated")
            gold[(c["id"], o["id"])] = rel
            kinds.append((c["id"], o["id"], kind))
            copies.append(c)

    allart = base + copies
    rng.shuffle(allart)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "eval.jsonl"), "w", encoding="utf-8") as f:
        for d in allart:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(a.out, "eval.gold.tsv"), "w") as f:
        for (c, o), rel in gold.items():
            f.write(f"{c}\t{o}\t{rel}\n")
    with open(os.path.join(a.out, "eval.kinds.tsv"), "w") as f:
        for c, o, k in kinds:
            f.write(f"{c}\t{o}\t{k}\n")
    by = defaultdict(int)
    for _, _, k in kinds:
        by[k] += 1
    print(json.dumps({"articles": len(allart), "gold_pairs": len(gold), "by_kind": by}))


def make_copy(kind, text, sents, rng, vocab, spare, outlets):
    if kind == "repost":
        t = text.replace("'", "\u2019").replace(" ", "  ", 3)
        return t.replace('"', "\u201c", 1) + ("\n" if rng.random() < 0.5 else "")
    if kind in ("degraded", "degraded+"):
        t = " ".join(words(text))
        return (f"{rng.randint(2, 9)} min read " + t) if kind == "degraded+" else t
    if kind == "edited":
        ws = text.split(" ")
        for _ in range(max(1, len(ws) * 3 // 100)):
            ws[rng.randrange(len(ws))] = rng.choice(vocab)
        ss = sentences(" ".join(ws))
        if len(ss) >= 5:
            del ss[rng.randrange(1, len(ss))]
        other = spare.pop()
        promo = "READ: " + " ".join((other.get("title") or other["text"]).split()[:10]).rstrip(".!?")
        footer = f"Copyright 2018 {rng.choice(outlets)}. All rights reserved."
        cut = rng.randrange(1, len(ss) + 1) if len(ss) > 1 else 1
        return "\n".join(ss[:cut] + [promo] + ss[cut:] + [footer])
    if kind == "reordered":
        k = 2
        blocks = [sents[i:i + k] for i in range(0, len(sents), k)]
        first, rest = blocks[0], blocks[1:]
        rng.shuffle(rest)
        return "\n".join(" ".join(b) for b in [first] + rest)
    if kind in ("truncated", "excerpt"):
        n = len(sents)
        m = max(2, round(n * rng.uniform(0.4, 0.7)))
        if len(words(" ".join(sents[:m]))) < 30:
            return None
        if kind == "truncated":
            return " ".join(sents[:m])
        start = rng.randrange(0, n - m + 1)
        block = " ".join(sents[start:start + m])
        osents = [s for _ in range(4) for s in sentences(spare.pop()["text"])]
        budget = len(block.split()) * rng.uniform(0.3, 1.0)
        own, used = [], 0
        for s in osents:
            if used + len(s.split()) > budget:
                break
            own.append(s)
            used += len(s.split())
        cut = rng.randrange(0, len(own) + 1)
        return "\n".join(own[:cut] + [block] + own[cut:])
    raise ValueError(kind)


if __name__ == "__main__":
    main()
