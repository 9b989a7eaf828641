#!/usr/bin/env python3
"""Anchor: LexRank (sumy) story briefs, 60-word summary, first article's title.

  lexrank.py --input A.jsonl --stories S.tsv --output OUT.jsonl [--words 60]

For each story of S.tsv (article_id<TAB>story_id), runs sumy's LexRank over the
sentences of all of the story's articles (articles in input-file order,
sentences in text order), then takes sentences best-rated first, skipping any
that would take the summary past --words words, and writes them in that
order. The title is the first article's title. Writes one JSON object per
story: {"story", "title", "summary"}; stories come in order of first
appearance in S.tsv.

sumy's own tokenizer needs NLTK's punkt data, which has to be downloaded at run
time from a host this machine cannot reach; this script hands sumy a small
regex tokenizer instead (RegexTokenizer below), so nothing is downloaded.
Stemming (NLTK's Snowball code) and the stop-word list ship inside the
packages themselves.
"""
import argparse
import json
import re
import sys
from collections import OrderedDict

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

# Words whose trailing period does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov",
    "sen", "rep", "reps", "sens", "rev", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "maj", "cpl", "pvt", "pres", "supt", "det", "insp", "hon", "atty", "no", "nos",
    "vs", "v", "etc", "al", "inc", "corp", "co", "ltd", "llc", "dept", "univ",
    "assn", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs",
    "fri", "sat", "sun", "ala", "ariz", "ark", "calif", "colo", "conn", "del",
    "fla", "ga", "ill", "ind", "kan", "ky", "la", "md", "mass", "mich", "minn",
    "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va",
    "vt", "wash", "wis", "wyo", "e.g", "i.e", "approx", "est", "fig", "op",
}

# A candidate boundary: ., ! or ? (possibly followed by closing quotes or
# brackets), then whitespace, then something that can open a sentence.
_BOUNDARY = re.compile(r"""([.!?]+["'\u201d\u2019)\]]*)\s+(?=["'\u201c\u2018(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*", re.UNICODE)


def split_sentences(text):
    """Splits text into sentences with a regex and an abbreviation list."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return []
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        punct = m.group(1)
        if punct.startswith(".") and len(punct.rstrip("\"'\u201d\u2019)]")) == 1:
            prev = _WORD_BEFORE.search(text, 0, m.start())
            if prev:
                word = prev.group(1).rstrip(".")
                low = word.lower()
                # initials ("J.", "U.S.") and known abbreviations do not end a sentence
                if low in ABBREVIATIONS or (len(word) == 1 and word.isupper()) or "." in word:
                    continue
        end = m.end(1)
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


class RegexTokenizer:
    """Stands in for sumy.nlp.tokenizers.Tokenizer without NLTK data."""

    language = "english"

    def to_sentences(self, paragraph):
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence):
        return tuple(_WORD.findall(sentence))


def read_articles(path):
    arts = OrderedDict()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{lineno}: skipped, bad JSON: {exc}", file=sys.stderr)
                continue
            if isinstance(rec, dict) and rec.get("id"):
                arts[rec["id"]] = rec
    return arts


def read_stories(path, articles):
    """story id -> article ids, stories in first-appearance order, articles in input order."""
    order = {aid: i for i, aid in enumerate(articles)}
    stories = OrderedDict()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                sys.exit(f"{path}:{lineno}: expected article_id<TAB>story_id")
            aid, sid = parts[0], parts[1]
            if aid not in articles:
                print(f"{path}:{lineno}: article {aid} not in input, ignored", file=sys.stderr)
                continue
            stories.setdefault(sid, []).append(aid)
    for sid in stories:
        stories[sid].sort(key=order.__getitem__)
    return stories


def rank_sentences(summarizer, sentences):
    """LexRank scores for sumy Sentence objects, via sumy's own steps."""
    words = [summarizer._to_words_set(s) for s in sentences]
    tf = summarizer._compute_tf(words)
    idf = summarizer._compute_idf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    return [float(x) for x in scores]


def summarize(summarizer, tokenizer, texts, budget, with_titles=None):
    paragraphs = []
    for text in texts:
        sents = [Sentence(s, tokenizer) for s in tokenizer.to_sentences(text)]
        if sents:
            paragraphs.append(Paragraph(sents))
    doc = ObjectDocumentModel(paragraphs)
    sentences = list(doc.sentences)
    if not sentences:
        return ""
    scores = rank_sentences(summarizer, sentences)
    # NaN (degenerate graph) sorts last; ties keep document order
    ranked = sorted(range(len(sentences)),
                    key=lambda i: (-(scores[i] if scores[i] == scores[i] else -1.0), i))
    chosen, used, seen = [], 0, set()
    for i in ranked:
        text = str(sentences[i]._text)
        if text in seen:  # the same sentence carried by several outlets
            continue
        n = len(text.split())
        if used + n > budget:
            continue
        chosen.append(text)
        seen.add(text)
        used += n
    if not chosen:  # every sentence is over budget alone: cut the best one
        chosen = [" ".join(str(sentences[ranked[0]]._text).split()[:budget])]
    return " ".join(chosen)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True, help="Article JSONL")
    ap.add_argument("--stories", required=True, help="assignments TSV")
    ap.add_argument("--output", required=True, help="briefs JSONL to write")
    ap.add_argument("--words", type=int, default=60, help="summary word budget (default 60)")
    args = ap.parse_args(argv)

    articles = read_articles(args.input)
    stories = read_stories(args.stories, articles)
    tokenizer = RegexTokenizer()
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    with open(args.output, "w", encoding="utf-8") as out:
        for sid, aids in stories.items():
            texts = [articles[a].get("text") or "" for a in aids]
            title = next((articles[a].get("title") for a in aids[:1] if articles[a].get("title")), "")
            summary = summarize(summarizer, tokenizer, texts, args.words)
            out.write(json.dumps({"story": sid, "title": title or "", "summary": summary},
                                 ensure_ascii=False) + "\n")
    print(f"{len(stories)} stories briefed", file=sys.stderr)


if __name__ == "__main__":
    main()
