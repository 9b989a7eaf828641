#!/usr/bin/env python3
"""Generates a long article stream for scale benchmarks from the dev texts.

    generate.py --articles N --output STREAM.jsonl [--seed S] [--span-days D] [--grow]

The dev sets hold about 8,800 real articles (ECB+ dev, NeuS train and val).
A stream of N articles is built in *epochs*: each epoch replays every dev
story once, in a shuffled order, as a new real-world event. To make each
replay a distinct event (and not one ever-growing story), every
capitalised word and number of an epoch gets a suffix of that epoch (new
events bring new names and figures while the common words stay), every
article of story s in epoch e carries two made-up proper names that no
other (story, epoch) shares, and each copy drops and reorders some of its
sentences so copies are not identical. Stories keep their real size
distribution, so the number of stories grows linearly with N: what the
"cost per article must not grow with the stories already seen" target
needs.

With --span-days D the stream is dated: it covers D days from 2020-01-01,
each article is published at its place in the stream (article n of N at
n/N of the span) give or take up to 12 hours, so one story's articles
(written one after another) fall within a day or so, and the replays of a
dev story in successive epochs fall an epoch's share of the span apart or
more. Without it, articles carry no date (the default, and the stream the
speed curve uses).

With --grow every epoch replays the *same* events (no suffixes, the same
made-up names per dev story), so the number of stories stays that of the
dev sets and each story grows by its dev size every epoch: at 1M articles
the largest stories hold thousands of articles. This is the hard case for
everything that scales with a story's size (briefs, `parallax run`).

The text is third-party and stays outside the repository: this script
reads it from ../shared at run time and writes the stream wherever asked.
"""
import argparse, datetime, json, os, random, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("PARALLAX_SHARED", os.path.join(HERE, "..", "..", "..", "shared"))
SETS = ["ecbplus-dev", "neus-train", "neus-val"]
TAGGABLE = re.compile(r"\b(?:[A-Z][a-z]+|\d+)\b")
SYLLABLES = ["ka", "lo", "mi", "ra", "ven", "tor", "sul", "dan", "pe", "qui", "zar", "bel", "nor", "fi", "gre", "ost"]


def name(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def load():
    stories = {}
    for s in SETS:
        gold = {}
        for line in open(os.path.join(SHARED, "data", "stories", f"{s}.gold.tsv")):
            a, st = line.rstrip("\n").split("\t")[:2]
            gold[a] = st
        for line in open(os.path.join(SHARED, "data", "stories", f"{s}.jsonl")):
            art = json.loads(line)
            stories.setdefault(gold[art["id"]], []).append(art)
    return list(stories.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--gold", help="also write the generated story of each article (TSV)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--span-days", type=float, help="date the articles over this many days")
    ap.add_argument("--grow", action="store_true", help="every epoch adds to the same stories")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    stories = load()
    out = open(args.output, "w")
    gold = open(args.gold, "w") if args.gold else None
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    # Dates come from their own generator, so the text of a dated stream is
    # the undated stream's, article for article.
    clock = random.Random(args.seed + 1)
    n = epoch = 0
    fixed_names = [f"{name(rng)} {name(rng)}" for _ in stories] if args.grow else None
    while n < args.articles:
        tag = "" if epoch == 0 or args.grow else name(rng).lower()[:4] + str(epoch)
        order = list(range(len(stories)))
        rng.shuffle(order)
        for si in order:
            names = fixed_names[si] if args.grow else f"{name(rng)} {name(rng)}"
            for art in stories[si]:
                if n >= args.articles:
                    break
                sents = re.split(r"(?<=[.!?])\s+", art["text"])
                if len(sents) > 3:
                    keep = [x for x in sents[1:] if rng.random() > 0.15]
                    rng.shuffle(keep)
                    sents = sents[:1] + keep
                body = TAGGABLE.sub(lambda m: m.group(0) + tag, " ".join(sents))
                text = f"{names} " + body + f" {names.split()[0]} said."
                rec = {"id": f"g{epoch}-{art['id']}", "text": text}
                if art.get("title"):
                    title = TAGGABLE.sub(lambda m: m.group(0) + tag, art["title"])
                    rec["title"] = f"{names.split()[1]}: {title}"
                if args.span_days:
                    offset = n / args.articles * args.span_days * 86400 + clock.uniform(-43200, 43200)
                    rec["published"] = (start + datetime.timedelta(seconds=offset)).isoformat().replace("+00:00", "Z")
                out.write(json.dumps(rec) + "\n")
                if gold:
                    story = f"s{si}" if args.grow else f"e{epoch}-s{si}"
                    gold.write(f"{rec['id']}\t{story}\n")
                n += 1
            if n >= args.articles:
                break
        epoch += 1
    print(f"{n} articles in {epoch} epochs -> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
