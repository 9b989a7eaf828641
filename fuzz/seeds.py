#!/usr/bin/env python3
"""Write seed corpora for the fuzz targets into fuzz/corpus/<target>/,
built at run time from ../shared (the dev data is never committed).

Seeds are kept small (a few KiB): libFuzzer mutates faster on short inputs
and takes its default -max_len from the largest seed.
"""
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))
CORPUS = os.path.join(HERE, "corpus")
LIMIT = 6000


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def jsonl_records(path, n):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            rec["text"] = rec.get("text", "")[:1500]
            out.append(rec)
            if len(out) == n:
                break
    return out


def main():
    if not os.path.isdir(SHARED):
        sys.exit(f"seeds.py: {SHARED} is absent; no seed corpora written")
    stories = os.path.join(SHARED, "data", "stories")
    recs = jsonl_records(os.path.join(stories, "ecbplus-dev.jsonl"), 12)
    recs += jsonl_records(os.path.join(stories, "neus-val.jsonl"), 12)
    for i in range(0, len(recs), 3):
        body = "".join(json.dumps(r, ensure_ascii=i % 2 == 0) + "\n" for r in recs[i : i + 3])
        put("jsonl", f"records{i}.jsonl", body)
        put("api_body", f"records{i}.jsonl", body)
    put("jsonl", "bad.jsonl", '{"id": 1}\nnot json\n{"id": "x", "text": ""}\n')
    put("api_body", "bad.jsonl", '{"id": "a"}\n{"id": "a", "text": "T."}\n')

    seeds = os.path.join(SHARED, "seeds")
    for name in sorted(os.listdir(seeds)):
        with open(os.path.join(seeds, name), "rb") as f:
            put("text", name, f.read()[:LIMIT])
    put("text", "header.txt", "title: A\ndate: 2018-05-14\nsource: X\n\nBody here.\n")

    html_dir = os.path.join(SHARED, "data", "extraction", "scrapinghub", "html")
    pages = sorted(os.listdir(html_dir))[:8]
    for i, name in enumerate(pages):
        with gzip.open(os.path.join(html_dir, name), "rb") as f:
            page = f.read()
        # The article text usually sits past the <head>; take a slice that
        # holds some of both.
        cut = page[:LIMIT]
        put("html", f"page{i}.html", cut)
        if i == 0:
            put("html", "page0.html.gz", gzip.compress(cut))
            cut_first = cut
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + cut[:3000]
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Target-URI: https://news.example/{i}\r\n"
            "WARC-Date: 2019-01-02T03:04:05Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n"
        ).encode()
        record = head + http + b"\r\n\r\n"
        put("warc", f"page{i}.warc", record)
        if i == 0:
            put("warc", "page0.warc.gz", gzip.compress(record))
    info = b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"
    put("warc", "info.warc", info)

    for i, r in enumerate(recs[:6]):
        title = r.get("title") or r["text"][:60]
        text = r["text"][:800].replace("&", "&amp;").replace("<", "&lt;")
        t = title.replace("&", "&amp;").replace("<", "&lt;")
        put("feed", f"rss{i}.rss",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
            f"<item><title>{t}</title><link>https://n.example/{i}</link>"
            f"<description>{text}</description>"
            f"<pubDate>Wed, 20 Nov 2019 13:14:00 +0200</pubDate></item></channel></rss>")
        put("feed", f"atom{i}.atom",
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
            f'<entry><title>{t}</title><link href="/a/{i}"/><updated>2019-11-20T11:14:00Z</updated>'
            f'<content type="html">{text}</content></entry></feed>')
        put("feed", f"json{i}.json", json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "title": "News",
            "items": [{"id": str(i), "url": f"https://n.example/{i}", "title": title,
                       "content_text": r["text"][:800]}]}))
    # A file named without a known extension: any of the above, and text
    # in other scripts, prologs and binary bytes.
    for target in ["jsonl", "text", "feed"]:
        d = os.path.join(CORPUS, target)
        for name in sorted(os.listdir(d))[:4]:
            with open(os.path.join(d, name), "rb") as f:
                put("sniff", f"{target}-{name}", f.read())
    put("sniff", "page0", cut_first)
    put("sniff", "ru_notes", "Привет мир. Наводнение в долине.\n")
    put("sniff", "prolog", '\ufeff<?xml version="1.0"?><!-- é --><!DOCTYPE x><rdf:RDF/>')
    put("sniff", "cjk", "洪水が谷を襲った。<feed>")
    put("sniff", "binary", bytes(range(256)))

    # Many attributes: [tag, count high, count low, attribute bytes...].
    put("html_attrs", "div200", b"\x00\x00\xc8" + b'data-x#="v" class=c#')
    put("html_attrs", "meta4096", b"\x02\x10\x00" + b"name=description content='x'")
    put("html_attrs", "link", b"\x03\x01\x00" + b"rel=canonical href=/a#")
    put("html_attrs", "endtag", b"\x0b\x0f\xff" + b"x=\"\xc3\xa9\"")
    put("html_attrs", "svg", b"\x08\x01\x01" + b"viewBox='0 0 #' /")
    print(f"seed corpora written under {CORPUS}")


if __name__ == "__main__":
    main()
