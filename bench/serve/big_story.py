#!/usr/bin/env python3
"""Helper of post_big_story.sh: the stream with one big story, and the timed POSTs.

    big_story.py stream --input grow-1000000.jsonl --assign grow-1000000.tsv \
        --big 3300 --background 5000 --posts 30 --output store.jsonl --post-big big.jsonl \
        --post-small small.jsonl
    big_story.py measure --url http://127.0.0.1:18183 --db store.db --input big.jsonl \
        --expect-story ID --label big --summary big.json

`stream` picks the largest story of a clustered stream (the `article<TAB>story` TSV that
`parallax cluster` wrote for it, bench/stream/run_vs_cluster.sh): the store's stream is the
input's first --background articles plus the big story's first --big articles, in input
order; the big story's next 2 x --posts articles are the candidates to POST into it (in the
smaller store some of them land in other stories; `measure --want` stops once enough joined
it), and the --posts
articles after the background prefix (not in the big story) are the lone POSTs that land in
small stories.

`measure` POSTs the --input lines one at a time (one article per request) and times, per
POST: the acknowledgement (the HTTP answer), and the time from sending the POST until
`GET /api/stories/{story}` answers a brief whose `seq` is at least the article's `seq`
(polled every --poll seconds). The article's seq and story come from `GET /api/articles/{id}`
(a read the clock keeps running through). Prints p50/p99/max and writes the rows as JSON.
"""

import argparse
import http.client
import json
import os
import sqlite3
import sys
import time
import urllib.parse


def cmd_stream(args):
    story_of = {}
    with open(args.assign) as f:
        for line in f:
            article, _, story = line.rstrip("\n").partition("\t")
            story_of[article] = story
    sizes = {}
    for s in story_of.values():
        sizes[s] = sizes.get(s, 0) + 1
    big = max(sizes, key=lambda s: sizes[s])
    if sizes[big] < args.big + args.posts:
        sys.exit(f"the largest story ({big}) has {sizes[big]} articles, "
                 f"fewer than {args.big} + {args.posts}")
    in_big = 0
    kept = 0
    post_big, post_small = [], []
    with open(args.input, "rb") as f, open(args.output, "wb") as out:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            aid = json.loads(line)["id"]
            is_big = story_of.get(aid) == big
            if is_big:
                in_big += 1
            if i < args.background or (is_big and in_big <= args.big):
                out.write(line)
                kept += 1
            elif is_big and len(post_big) < 2 * args.posts:
                post_big.append(line)
            elif not is_big and i >= args.background and len(post_small) < args.posts:
                post_small.append(line)
            if len(post_big) == 2 * args.posts and len(post_small) == args.posts \
                    and in_big > args.big and i >= args.background:
                break
    with open(args.post_big, "wb") as f:
        f.writelines(post_big)
    with open(args.post_small, "wb") as f:
        f.writelines(post_small)
    print(json.dumps({"big_story_in_input": big, "size_in_input": sizes[big],
                      "stream_articles": kept, "post_big": len(post_big),
                      "post_small": len(post_small)}))


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


class Client:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.headers = {}
        token = os.environ.get("PARALLAX_TOKEN")
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method, path, body=None, ctype=None):
        headers = dict(self.headers)
        if ctype:
            headers["Content-Type"] = ctype
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (OSError, http.client.HTTPException):
                # An idle keep-alive connection the server closed: reconnect once
                # (only for reads; a POST is never sent twice).
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if method != "GET" or attempt:
                    raise
        raise AssertionError("unreachable")


def story_size(db, story):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM articles WHERE story_id = ?", (story,)).fetchone()[0]
    finally:
        con.close()


def cmd_measure(args):
    c = Client(args.url)
    rows = []
    with open(args.input, "rb") as f:
        lines = [l for l in f if l.strip()]
    for line in lines:
        if args.expect_story and args.want and \
                sum(1 for r in rows if r["story"] == args.expect_story) >= args.want:
            break
        time.sleep(args.gap)
        t0 = time.monotonic()
        status, data = c.request("POST", "/api/articles", body=line, ctype="application/x-ndjson")
        ack = time.monotonic() - t0
        if status != 200:
            sys.exit(f"POST answered {status}: {data[:300]!r}")
        result = json.loads(data)
        if len(result["stored"]) != 1:
            sys.exit(f"POST stored {result['stored']} (expected one new article): {result}")
        aid = result["stored"][0]
        status, data = c.request("GET", "/api/articles/" + urllib.parse.quote(aid, safe=""))
        if status != 200:
            sys.exit(f"GET article {aid} answered {status}")
        art = json.loads(data)
        seq, story = art["seq"], art["story"]
        polls = 0
        while True:
            status, data = c.request("GET", "/api/stories/" + urllib.parse.quote(story, safe=""))
            polls += 1
            brief_seq = None
            if status == 200:
                brief = json.loads(data)
                brief_seq = brief.get("seq")
                if brief_seq is not None and brief_seq >= seq:
                    break
            if time.monotonic() - t0 > args.max_wait:
                break
            time.sleep(args.poll)
        fresh = time.monotonic() - t0
        row = {"id": aid, "seq": seq, "story": story, "story_articles": story_size(args.db, story),
               "ack_ms": round(ack * 1000, 1), "brief_ms": round(fresh * 1000, 1),
               "brief_seq": brief_seq, "polls": polls, "fresh": brief_seq is not None and brief_seq >= seq}
        rows.append(row)
        print(json.dumps(row), flush=True)
    # With an expected story, the figures are those of the POSTs that joined it.
    counted = [r for r in rows if r["story"] == args.expect_story] if args.expect_story else rows
    if not counted:
        sys.exit(f"no POST joined {args.expect_story}")
    acks = [r["ack_ms"] for r in counted]
    briefs = [r["brief_ms"] for r in counted]
    joined = len(counted) if args.expect_story else 0
    summary = {
        "label": args.label, "posts": len(counted), "posted": len(rows),
        "first": {"ack_ms": rows[0]["ack_ms"], "brief_ms": rows[0]["brief_ms"],
                  "story_articles": rows[0]["story_articles"]},
        "ack_ms": {"p50": pct(acks, 50), "p99": pct(acks, 99), "max": max(acks)},
        "brief_ms": {"p50": pct(briefs, 50), "p99": pct(briefs, 99), "max": max(briefs)},
        "never_fresh": sum(1 for r in counted if not r["fresh"]),
        "story_articles": {"min": min(r["story_articles"] for r in counted),
                           "max": max(r["story_articles"] for r in counted)},
    }
    if args.expect_story:
        summary["joined_expected_story"] = joined
    with open(args.summary, "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)
    print(json.dumps(summary))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("stream")
    s.add_argument("--input", required=True)
    s.add_argument("--assign", required=True)
    s.add_argument("--big", type=int, default=3300)
    s.add_argument("--background", type=int, default=5000)
    s.add_argument("--posts", type=int, default=30)
    s.add_argument("--output", required=True)
    s.add_argument("--post-big", required=True)
    s.add_argument("--post-small", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--url", required=True)
    m.add_argument("--db", required=True)
    m.add_argument("--input", required=True)
    m.add_argument("--expect-story", default="")
    m.add_argument("--want", type=int, default=0,
                   help="with --expect-story: stop once this many POSTs joined it")
    m.add_argument("--label", default="")
    m.add_argument("--summary", required=True)
    m.add_argument("--poll", type=float, default=0.02)
    m.add_argument("--gap", type=float, default=0.2, help="pause before each POST, seconds")
    m.add_argument("--max-wait", type=float, default=60.0)
    args = ap.parse_args()
    return cmd_stream(args) if args.cmd == "stream" else cmd_measure(args)


if __name__ == "__main__":
    sys.exit(main())
