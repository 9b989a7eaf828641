#!/usr/bin/env python3
"""Builds the labelled duplicate / syndication set from the real dev articles in ../shared.

  make_eval.py --shared ../shared --out DIR [--seed 7] [--neus 2400] [--originals 1200]
               [--partial 400] [--partial-real 300] [--real 0.4] [--maybe 0.2]

Writes DIR/eval.jsonl (Article JSONL, shuffled) and DIR/eval.gold.tsv
(copy_id<TAB>original_id<TAB>relation, the format `evaluate.py dedup` reads; relation `maybe` for
pairs the scorer neither rewards nor punishes) and DIR/eval.kinds.tsv (copy_id<TAB>original_id<TAB>kind,
for per-kind figures). Nothing from ../shared is copied into the repository: the set is generated at
run time, from dev data only (ECB+ dev, NeuS train, NeuS val for the copying outlets' own text).

What is in it (see bench/README.md, "dedup"):
* every ECB+ dev article and whole NeuS-train stories (each story is three outlets' reports), as
  themselves. Articles of one ECB+ topic or one NeuS story report the same event and are the hard
  negatives;
* the real reposts that already exist in the data, found exhaustively (every pair, exact word
  5-shingle sets, no sampling): a pair is a copy when at least --real (0.4) of the smaller article's
  shingles are in the other. Relation: duplicate when the shingle sets are equal, near-duplicate when
  Jaccard >= 0.8, else syndicated. Original: the earlier date, else an agency outlet (ap.org,
  reuters...), else the longer text;
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
    partial       the outlet's own 1-2 opening paragraphs, the first 40-70% of
                  the story's sentences, a footer; a new headline               syndicated
    partial-real  a trimmed story (a prefix, one inner sentence dropped, blocks
                  swapped, 2% of words replaced) among the outlet's own
                  sentences, so that 40-60% of the shorter text's shingles are
                  shared (measured; draws off that range are redrawn)           syndicated
* `maybe`: any other pair of the final set sharing at least --maybe (0.2) of the smaller text's
  shingles (two same-event reports reusing a passage, a copy of one with the other): not scored.
  Below that a pair is a negative.
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


def holders_of(sets):
    """For each shingle, the indexes of the shingle `sets` that hold it, ascending."""
    holders = defaultdict(list)
    for i, x in enumerate(sets):
        for g in x:
            holders[g].append(i)
    return holders


def shared_counts(holders, most=None):
    """For each pair (i, j), i < j, of sets sharing any shingle (`holders` from `holders_of`): how
    many they share. A shingle held by more than `most` sets (when given) is left out: it says
    nothing of copying and would cost a number of pairs that grows with its square."""
    shared = defaultdict(int)
    for hs in holders.values():
        if 1 < len(hs) and (most is None or len(hs) <= most):
            for i, j in itertools.combinations(hs, 2):
                shared[(i, j)] += 1
    return shared


def sentences(t):
    return [s for s in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", t.strip()) if s]


def story_of(i):
    return i.rsplit("-", 1)[0]


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
    ap.add_argument("--neus", type=int, default=2400)
    ap.add_argument("--originals", type=int, default=1200)
    ap.add_argument("--real", type=float, default=0.4,
                    help="a pair of the data is a real repost from this share of the smaller text's shingles")
    ap.add_argument("--maybe", type=float, default=0.2,
                    help="an unlabelled pair sharing this share of the smaller text is 'maybe' (not scored)")
    ap.add_argument("--partial", type=int, default=400, help="partial reposts (wire lead under own intro)")
    ap.add_argument("--partial-real", type=int, default=300,
                    help="real-repost-like copies sharing 40-60%% of the shorter text")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    stories = os.path.join(a.shared, "data", "stories")
    ecb = load(os.path.join(stories, "ecbplus-dev.jsonl"))
    neus_all = [d for d in load(os.path.join(stories, "neus-train.jsonl")) if d.get("text")]
    rng.shuffle(neus_all)
    # Articles not in the set lend "own text" to excerpts and promo lines, so that no copy
    # accidentally reuses a second article of the set.
    # Whole NeuS stories (three outlets each), so every NeuS article comes with its same-event
    # siblings from other outlets: the hard negatives.
    by_story = defaultdict(list)
    for d in neus_all:
        by_story[story_of(d["id"])].append(d)
    neus, spare = [], []
    for d in neus_all:
        group = by_story.pop(story_of(d["id"]), None)
        if group is not None:
            (neus if len(neus) < a.neus else spare).extend(group)

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
    holders = holders_of(sh)
    for (i, j), inter in sorted(shared_counts(holders).items()):
        x, y = sh[i], sh[j]
        if inter < a.real * min(len(x), len(y)):
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

    # Partial reuse, drawn after the kinds above so that they stay as they were for a given seed.
    # `partial`: an outlet's own 1-2 opening paragraphs, then the first 40-70% of the wire story,
    # then a footer, under a new headline. `partial-real`: like the real reposts at the edge of the
    # labelling rule: the kept wire text is trimmed, edited and partly reordered, with the outlet's
    # own sentences around it, so that 40-60% of the shorter text's shingles are shared.
    wire_pool = [d for d in pool if len(sentences(d["text"])) >= 3]
    # Own text for these: what is left of the spare NeuS-train articles, then NeuS-val (dev data
    # too), with the same filter.
    val = [d for d in load(os.path.join(stories, "neus-val.jsonl")) if d.get("text")]
    val = [d for d in val if not (shingles(d["text"]) & holders.keys())]
    rng.shuffle(val)
    own_text = OwnText(val + spare)
    headlines = [d["title"] for d in spare if d.get("title")]
    for kind, count in (("partial", a.partial), ("partial-real", a.partial_real)):
        for o in rng.sample(wire_pool, min(count, len(wire_pool))):
            text = None
            try:
                for _ in range(8):  # a draw whose measured overlap is off the case's range is redrawn
                    text = make_partial(kind, o["text"], rng, vocab, own_text, outlets)
                    if text is not None:
                        break
            except OutOfText:  # the rest of this kind would reuse own text: fewer of them instead
                break
            if text is None:
                continue
            n += 1
            c = {"id": f"copy-{n:05d}-{kind}", "text": text, "source": rng.choice(outlets),
                 "title": rng.choice(headlines)}
            if "published" in o and rng.random() < 0.9:
                t = dt.datetime.strptime(o["published"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
                c["published"] = iso(t + dt.timedelta(minutes=rng.randrange(10, 3 * 24 * 60)))
            gold[(c["id"], o["id"])] = "syndicated"
            kinds.append((c["id"], o["id"], kind))
            copies.append(c)

    allart = base + copies
    # Any other pair of the final set sharing at least --maybe of the smaller text's shingles (two
    # same-event articles reusing a passage, a copy of one with the other) is neither rewarded nor
    # punished: below that bar a pair is a negative.
    groups = {}

    def group(x):
        while groups.get(x, x) != x:
            x = groups[x]
        return x

    for c, o in gold:
        groups[group(c)] = group(o)
    maybe = 0
    if a.maybe < 1:
        sh_all = [shingles(d["text"]) for d in allart]
        for (i, j), inter in shared_counts(holders_of(sh_all), most=200).items():
            if inter < a.maybe * min(len(sh_all[i]), len(sh_all[j])):
                continue
            x, y = allart[i]["id"], allart[j]["id"]
            if group(x) != group(y) and (x, y) not in gold and (y, x) not in gold:
                gold[(x, y)] = "maybe"
                maybe += 1
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
    print(json.dumps({"articles": len(allart), "gold_pairs": len(gold) - maybe, "maybe_pairs": maybe,
                      "by_kind": by}))


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


FOOTERS = [
    "Copyright {year} {outlet}. All rights reserved.",
    "(c) {year} {outlet}",
    "This story was first published by a wire service and is republished by {outlet}.",
    "Follow {outlet} on social media for more updates.",
    "Additional reporting by {outlet} staff.",
]


class OutOfText(Exception):
    pass


class OwnText:
    """Sentences of articles outside the set, handed out once each (so that no two copies share
    their own text by accident)."""

    def __init__(self, spare):
        self.spare, self.queue = spare, []

    def take(self, words_wanted):
        out, used = [], 0
        while used < words_wanted:
            if not self.queue and not self.spare:
                raise OutOfText()
            if not self.queue:
                self.queue = sentences(self.spare.pop()["text"])[::-1]
            s_ = self.queue.pop()
            out.append(s_)
            used += len(s_.split())
        return out


def containment(small_text, other_text):
    """Share of the shorter text's word 5-shingles that the other holds (the labelling measure)."""
    x, y = shingles(small_text), shingles(other_text)
    if len(x) > len(y):
        x, y = y, x
    return len(x & y) / len(x) if x else 0.0


def make_partial(kind, text, rng, vocab, own_text, outlets):
    sents = sentences(text)
    n = len(sents)
    if kind == "partial":
        m = max(1, round(n * rng.uniform(0.4, 0.7)))
        lead = sents[:m]
        if len(words(" ".join(lead))) < 20:
            return None
        # 1-2 paragraphs of the outlet's own, each 1-3 sentences.
        paras = []
        for _ in range(rng.choice([1, 2])):
            own = own_text.take(rng.randint(20, 60))
            if own:
                paras.append(" ".join(own[:rng.randint(1, 3)]))
        footer = rng.choice(FOOTERS).format(year=rng.choice([2018, 2019]), outlet=rng.choice(outlets))
        # The wire text in one or two paragraphs.
        cut = rng.randrange(1, m + 1)
        body = [" ".join(lead[:cut])] + ([" ".join(lead[cut:])] if lead[cut:] else [])
        return "\n".join(paras + body + [footer])
    if kind == "partial-real":
        target = rng.uniform(0.4, 0.6)
        total = len(words(text))
        # Either the copy is the shorter text (it keeps less than `target` of the story and adds
        # own text up to 1/target of what it kept), or the story is (the copy keeps `target` of it
        # and adds more than the rest in own text). Edits cost about a tenth of the kept shingles.
        short_copy = rng.random() < 0.5
        keep_words = total * (target * rng.uniform(0.5, 0.9) if short_copy else target) / 0.9
        # Trimmed: a prefix of the story with one inner sentence dropped (when long enough) and,
        # for longer texts, two blocks swapped.
        keep, used = [], 0
        for s_ in sents:
            if used >= keep_words:
                break
            keep.append(s_)
            used += len(s_.split())
        if len(keep) >= 5:
            del keep[rng.randrange(1, len(keep))]
        if len(keep) >= 6:
            h = rng.randrange(2, len(keep) - 1)
            keep = keep[:1] + keep[h:] + keep[1:h]
        ws = " ".join(keep).split(" ")
        for _ in range(max(1, len(ws) * 2 // 100)):
            ws[rng.randrange(len(ws))] = rng.choice(vocab)
        kept = sentences(" ".join(ws))
        kept_sh, story_sh = shingles(" ".join(kept)), shingles(text)
        shared = len(kept_sh & story_sh)
        if len(kept_sh) < 20:
            return None
        if short_copy:  # own text brings the copy to shared / target shingles
            own_words = shared / target - len(kept_sh)
            if own_words < 10:
                return None
        else:  # the story is the shorter: its share held by the copy must already be in range
            if not 0.4 <= shared / len(story_sh) <= 0.6:
                return None
            own_words = (len(story_sh) - len(kept_sh)) * rng.uniform(1.1, 1.5) + 10
        own = own_text.take(own_words)
        parts = list(kept)
        for s_ in own:  # spread over the start, the middle and the end
            parts.insert(rng.randrange(0, len(parts) + 1), s_)
        copy = "\n".join(parts)
        c = containment(copy, text)
        return copy if 0.4 <= c <= 0.6 else None
    raise ValueError(kind)


if __name__ == "__main__":
    main()
