"""The seed articles as stories, from Python: each story's headline and
summary, its sources, and the figures the sources disagree on.

    python crates/python/examples/seeds.py ../shared/seeds
"""

import sys

import parallax


def main(folder):
    articles = parallax.read(folder)
    outlet = {a["id"]: a["source"] or a["id"] for a in articles}
    stories = parallax.cluster(articles)
    for brief in parallax.briefs(articles, stories):
        print(f"story {brief['story']}: {brief['title']}")
        print(f"  {brief['summary']}")
        print(f"  {len(brief['sources'])} sources:")
        for source in brief["sources"]:
            when = source["published"] or "undated"
            title = f": {source['title']}" if source["title"] else ""
            print(f"    - {source['outlet']} ({when}){title}")
        disagreements = [fact for fact in brief["facts"] if not fact["agree"]]
        print(f"  {len(disagreements)} disagreements:")
        for fact in disagreements:
            print(f"    {fact['about']}:")
            for value in fact["values"]:
                said_by = ", ".join(outlet.get(a, a) for a in value["sources"])
                print(f"      {value['value']}  ({said_by}): \"{value['text']}\"")
        print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
