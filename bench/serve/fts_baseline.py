"""FTS5 baseline for bench/README.md ("Search at scale"): main's article
search query (schema 7 stores, which still hold `articles_fts`), page 1 and
page 100 by offset, for the 64 words of search.lua, 3 rounds.

    python3 bench/serve/fts_baseline.py STORE.db bench/serve/search.lua
"""
import sqlite3, sys, time, re
db = sys.argv[1]
words = re.findall(r'"([a-z]+)"', open(sys.argv[2]).read().split("local terms = {")[1].split("}")[0])
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
def run(w, offset):
    t = time.perf_counter()
    c.execute(f"""SELECT a.seq, a.id, a.title, a.source, a.url, a.published, a.lang, a.story_id,
      snippet(articles_fts, 1, '\x02', '\x03', '…', 24)
      FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ?
      ORDER BY f.rank, a.seq DESC LIMIT 21 OFFSET ?""", (f'"{w}"*', offset)).fetchall()
    return (time.perf_counter() - t) * 1000
def pct(v, p):
    v = sorted(v); return round(v[round((len(v) - 1) * p)], 2)
p1, p100 = [], []
for r in range(3):
    for w in words:
        p1.append(run(w, 0)); p100.append(run(w, 1980))
print({"fts5_articles_page1": (pct(p1, .5), pct(p1, .99)), "fts5_articles_page100_offset": (pct(p100, .5), pct(p100, .99))})
