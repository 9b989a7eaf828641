#!/usr/bin/env python3
"""Ceilings for a summary made of one source's opening sentences, on a NeuS split.

For every story: each article's title plus its opening sentences up to 60 words, scored like
`evaluate.py rouge --words 80` against the reference. Prints the mean when the article is the first
one, an average one, the one most similar to the others (tf-idf cosine) and the best one (the oracle,
picked with the reference, so a ceiling for any "choose one article" method).

    bench/.venv/bin/python bench/briefs/ceilings.py neus-val
"""
import collections, json, math, re, statistics, sys
from pathlib import Path

from rouge_score import rouge_scorer, tokenize
from nltk.stem import porter

data = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "stories"
split = sys.argv[1] if len(sys.argv) > 1 else "neus-val"
if not (data / f"{split}.jsonl").exists():
    sys.exit(f"{data / split}.jsonl is missing")
articles = {a["id"]: a for a in map(json.loads, open(data / f"{split}.jsonl"))}
stories = collections.defaultdict(list)
for line in open(data / f"{split}.gold.tsv"):
    aid, sid = line.rstrip("\n").split("\t")
    stories[sid].append(articles[aid])
refs = {r["story"]: r for r in map(json.loads, open(data / f"{split}.refs.jsonl"))}

def joined(title, summary):
    return (title.rstrip(".") + ". " if title else "") + summary

def opening(text, budget=60):
    out, used = [], 0
    for s in re.split(r'(?<=[.!?"”’])\s+(?=[A-Z"“‘(])', text.strip()):
        if used + len(s.split()) > budget:
            break
        out.append(s)
        used += len(s.split())
    return " ".join(out)

scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
def score(ref, hyp):
    s = scorer.score(ref, " ".join(hyp.split()[:80]))
    return [100 * s[m].fmeasure for m in ("rouge1", "rouge2", "rougeL")]

stem = porter.PorterStemmer()
df = collections.Counter()
for a in articles.values():
    df.update(set(stem.stem(w) for w in tokenize.tokenize(f"{a.get('title') or ''} {a['text']}", None)))
def vector(text):
    c = collections.Counter(stem.stem(w) for w in tokenize.tokenize(text, None))
    v = {w: n * math.log(len(articles) / df[w]) for w, n in c.items() if df[w]}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / norm for w, x in v.items()}
def cos(u, v):
    return sum(x * v.get(w, 0.0) for w, x in u.items())

rows = collections.defaultdict(list)
for sid, members in stories.items():
    ref = joined(refs[sid]["title"], refs[sid]["summary"])
    scores = [score(ref, joined(a.get("title"), opening(a["text"]))) for a in members]
    vecs = [vector(f"{a.get('title') or ''} {a['text']}") for a in members]
    central = max(range(len(members)), key=lambda i: sum(cos(vecs[i], v) for j, v in enumerate(vecs) if j != i))
    rows["first article"].append(scores[0])
    rows["average article"].append([statistics.mean(s[k] for s in scores) for k in range(3)])
    rows["most central article"].append(scores[central])
    rows["best article by ROUGE-1 (oracle)"].append(max(scores, key=lambda s: s[0]))
    rows["best article by ROUGE-L (oracle)"].append(max(scores, key=lambda s: s[2]))
for name, v in rows.items():
    print(f"{name:36} " + " / ".join(f"{statistics.mean(s[k] for s in v):.2f}" for k in range(3)))
