#!/usr/bin/env python3
"""SQLite FTS5 vs tantivy on the same generated articles: index time, size, query latency.

    python3 -m venv /tmp/tv && /tmp/tv/bin/pip install tantivy==0.27.0
    /tmp/tv/bin/python bench/serve/search_engines.py bench/out/serve/articles-100000.jsonl

Both are driven from Python (the standard library's sqlite3; tantivy's official bindings), one
thread, so binding overhead is alike. Both index title + text with English stemming (FTS5:
`porter unicode61 remove_diacritics 2`, the tokenizer of Parallax's migration 2; tantivy:
`en_stem`), and both answer the same queries: the 64 words of search.lua, then 64 two-word AND
queries, top 20 by BM25. Timings are wall clock on whatever else the machine is doing.
"""

import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

import tantivy

TERMS = (
    "trump court police election climate senate shooting immigration obama clinton tax health "
    "border russia china iran korea gun vote judge fire earthquake storm oil bank market trade "
    "tariff school student church military syria israel mexico england football coach injury "
    "arrest murder rehab actor album apple google facebook twitter budget deficit pipeline "
    "abortion marriage refugee virus vaccine hurricane flood attack bomb prison governor mayor "
    "protest"
).split()
PAIRS = [(TERMS[i], TERMS[(i * 7 + 3) % len(TERMS)]) for i in range(len(TERMS))]


def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def timed(queries, run, rounds=5):
    times = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            run(q)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), pct(times, 99)


def main():
    docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    work = tempfile.mkdtemp()
    rows = []

    # FTS5, as in the store: an external-content table over the articles.
    db = os.path.join(work, "fts.db")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT, title TEXT, body TEXT)")
    conn.executemany(
        "INSERT INTO articles (id, title, body) VALUES (?, ?, ?)",
        ((d["id"], d.get("title"), d["text"]) for d in docs),
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    base = du(db)
    t = time.perf_counter()
    conn.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', "
        "content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    conn.commit()
    fts_build = time.perf_counter() - t
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fts_size = du(db) - base

    def fts(q):
        return conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20", (q,)
        ).fetchall()

    one = timed([f'"{w}"' for w in TERMS], fts)
    two = timed([f'"{a}" "{b}"' for a, b in PAIRS], fts)
    hits = sum(
        conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (f'"{w}"',)).fetchone()[0]
        for w in TERMS
    )
    rows.append(("SQLite FTS5 " + sqlite3.sqlite_version, fts_build, fts_size, one, two, hits))

    # tantivy.
    path = os.path.join(work, "tantivy")
    os.mkdir(path)
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name="en_stem")
    sb.add_text_field("body", tokenizer_name="en_stem")
    schema = sb.build()
    index = tantivy.Index(schema, path=path)
    t = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for d in docs:
        writer.add_document(tantivy.Document(id=d["id"], title=d.get("title") or "", body=d["text"]))
    writer.commit()
    writer.wait_merging_threads()
    tv_build = time.perf_counter() - t
    index.reload()
    searcher = index.searcher()

    def tv(q):
        return searcher.search(index.parse_query(q, ["title", "body"]), 20).hits

    one_tv = timed(list(TERMS), tv)
    two_tv = timed([f"+{a} +{b}" for a, b in PAIRS], tv)
    hits_tv = sum(searcher.search(index.parse_query(w, ["title", "body"]), 1, count=True).count for w in TERMS)
    rows.append(("tantivy-py 0.27.0", tv_build, du(path), one_tv, two_tv, hits_tv))

    print(f"{len(docs)} articles, {base / 1e6:.0f} MB of stored rows")
    print(f"{'engine':28} {'index s':>8} {'index MB':>9} {'1 word p50/p99 ms':>20} {'2 words p50/p99 ms':>20} {'hits, 64 words':>15}")
    for name, build, size, (p50a, p99a), (p50b, p99b), n in rows:
        print(f"{name:28} {build:8.1f} {size / 1e6:9.1f} {p50a:9.2f} / {p99a:7.2f} {p50b:9.2f} / {p99b:7.2f} {n:15d}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
