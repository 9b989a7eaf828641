#!/usr/bin/env python3
"""Helper of crash_100k.sh: kill -9 `parallax run` at seeded points, restart, compare stores.

    crash.py --bin target/release/parallax --input grow-100000.jsonl --out bench/out/crash \
        --kills 20 --seed 1 --port 18191

Store A: one uninterrupted `parallax run` (reused from an earlier call when the binary, input
and batch size are the same). Store B: KILLS runs of the same command on the same input, kill
point k sent SIGKILL once the store holds about (k + u)/KILLS of the articles (u uniform in
[0, 1) from the seed) plus a random 0-0.5 s, so the kills spread over the ingest and land mid
batch, in a restart's replay or in the briefs/search projection that trails the commits; then
one last run to its end. A run that ends before its kill point is counted, not killed.

Then A and B are compared: every article (seq, id, content hash, story id, title, body,
everything but the wall-clock ingested_at), every story (id, founding seq, title, brief JSON,
brief seq; not updated_at), every story event (not its clock), every copy pair, the search
position, and, through the HTTP API of `parallax serve` on each store (the public search
interface, whatever index is behind it), article and story search results for words taken
from stored titles (each story's updated_at, a wall clock, left out). Prints what differs and PASS or FAIL.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse


def log(msg):
    print(msg, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def count(db):
    if not os.path.exists(db):
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # being created, or not migrated yet


def run_cmd(args, db):
    return [args.bin, "run", "--db", db, "--quiet", "--batch-size", str(args.batch_size), args.input]


def cpu_of_children():
    r = os.times()
    return r.children_user + r.children_system


def run_to_end(args, db, logf):
    t0, c0 = time.monotonic(), cpu_of_children()
    with open(logf, "ab") as err:
        subprocess.run(run_cmd(args, db), stdout=subprocess.DEVNULL, stderr=err, check=True)
    return time.monotonic() - t0, cpu_of_children() - c0


def tables(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def dump(db):
    """Every table a run decides, as lists of rows (wall-clock columns left out)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    have = tables(db)
    d = {}
    d["articles"] = con.execute(
        "SELECT seq, id, content_hash, story_id, title, url, source, published, lang, body, removed,"
        " origin FROM articles ORDER BY seq").fetchall()
    d["stories"] = con.execute(
        "SELECT id, first_seq, title, brief, brief_seq FROM stories ORDER BY id").fetchall()
    d["story_events"] = con.execute(
        "SELECT seq, ord, story_id, kind, article_id, from_story FROM story_events ORDER BY seq, ord"
    ).fetchall()
    d["copies"] = con.execute(
        "SELECT copy_id, original_id, relation, score, evidence FROM copies"
        " ORDER BY copy_id, original_id").fetchall()
    if "search_position" in have:
        d["search_position"] = con.execute("SELECT seq FROM search_position").fetchall()
    con.close()
    return d


def words_from(db, n):
    """n search words: the longest word of titles spread over the store, and two pairs."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    total = con.execute("SELECT max(seq) FROM articles").fetchone()[0] or 0
    words = []
    for i in range(n):
        row = con.execute("SELECT title FROM articles WHERE seq >= ? ORDER BY seq LIMIT 1",
                          (1 + i * total // n,)).fetchone()
        if row and row[0]:
            cand = [w.strip(".,:;!?\"'()") for w in row[0].split()]
            cand = [w for w in cand if w.isalpha() and len(w) > 3]
            if cand:
                words.append(max(cand, key=len))
    con.close()
    words = list(dict.fromkeys(words))
    if len(words) >= 4:
        words += [f"{words[0]} {words[1]}", f"{words[2]} {words[3]}"]
    return words


class Server:
    def __init__(self, args, db, port, logf):
        self.port = port
        self.proc = subprocess.Popen([args.bin, "serve", "--db", db, "--addr", f"127.0.0.1:{port}",
                                      "--no-cache"], stdout=subprocess.DEVNULL,
                                     stderr=open(logf, "ab"))
        deadline = time.monotonic() + 600
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"parallax serve on {db} stopped: see {logf}")
            try:
                status, _ = self.get("/api/health")
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"parallax serve on {db} never became ready")
            time.sleep(0.3)

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def search_results(args, db, port, words, logf):
    srv = Server(args, db, port, logf)
    try:
        out = {}
        for w in words:
            for kind in ("articles", "stories"):
                path = f"/api/{kind}?" + urllib.parse.urlencode({"q": w, "limit": 100})
                status, body = srv.get(path)
                items = json.loads(body) if status == 200 else body.decode()
                if status == 200:
                    for item in items:
                        item.pop("updated_at", None)  # the wall clock of the brief's writing
                out[f"{kind} q={w!r}"] = (status, items)
        return out
    finally:
        srv.stop()


def compare(a, b):
    diffs = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table), b.get(table)
        if ra == rb:
            continue
        if ra is None or rb is None:
            diffs.append(f"{table}: only in {'B' if ra is None else 'A'}")
            continue
        first = next((i for i, (x, y) in enumerate(zip(ra, rb)) if x != y), min(len(ra), len(rb)))
        sa, sb = set(ra), set(rb)
        diffs.append(f"{table}: A {len(ra)} rows, B {len(rb)} rows, {len(sa - sb)} rows only in A, "
                     f"{len(sb - sa)} only in B; first difference at row {first}: "
                     f"A {str(ra[first])[:300] if first < len(ra) else None} / "
                     f"B {str(rb[first])[:300] if first < len(rb) else None}")
    return diffs


def digest(rows):
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--port", type=int, default=18191)
    ap.add_argument("--words", type=int, default=12)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    with open(args.input, "rb") as f:
        n = sum(1 for line in f if line.strip())
    a_db = os.path.join(args.out, "a.db")
    b_db = os.path.join(args.out, "b.db")
    logf = os.path.join(args.out, "runs.log")
    st = os.stat(args.bin)
    key = json.dumps([os.path.abspath(args.bin), st.st_size, st.st_mtime_ns,
                      os.path.abspath(args.input), n, args.batch_size])
    stamp = os.path.join(args.out, "a.key")

    # A: uninterrupted (reused when nothing it depends on changed).
    if os.path.exists(stamp) and open(stamp).read() == key and os.path.exists(a_db):
        ref = json.load(open(os.path.join(args.out, "a.json")))
        log(f"A: reused ({ref['seconds']:.0f} s wall, {ref['cpu']:.0f} s CPU when built)")
    else:
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(a_db + ext):
                os.remove(a_db + ext)
        la = loadavg()
        wall, cpu = run_to_end(args, a_db, logf)
        ref = {"seconds": wall, "cpu": cpu, "load": la}
        json.dump(ref, open(os.path.join(args.out, "a.json"), "w"))
        open(stamp, "w").write(key)
        log(f"A: uninterrupted run, {n} articles in {wall:.1f} s wall, {cpu:.1f} s CPU "
            f"(load before {la}, after {loadavg()})")

    # B: killed KILLS times, then run to its end.
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(b_db + ext):
            os.remove(b_db + ext)
    started = time.monotonic()
    c0 = cpu_of_children()
    la = loadavg()
    kills = 0
    ended = 0
    for k in range(args.kills):
        target = int((k + rng.random()) / args.kills * n)
        extra = rng.random() * 0.5
        with open(logf, "ab") as err:
            proc = subprocess.Popen(run_cmd(args, b_db), stdout=subprocess.DEVNULL, stderr=err)
        t0 = time.monotonic()
        at_start = count(b_db)
        while proc.poll() is None and count(b_db) < target:
            time.sleep(0.02)
        time.sleep(extra)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            left = count(b_db)
            log(f"kill {k + 1:2}: target {target:6}, {at_start:6} stored at start, {left:6} after the "
                f"kill, {time.monotonic() - t0:5.1f} s into the run")
        else:
            ended += 1
            if proc.returncode != 0:
                raise SystemExit(f"run {k + 1} failed ({proc.returncode}): see {logf}")
            log(f"run {k + 1:2}: target {target:6}: the run ended (exit 0) before its kill point")
    final_wall, _ = run_to_end(args, b_db, logf)
    b_wall = time.monotonic() - started
    b_cpu = cpu_of_children() - c0
    log(f"B: {kills} kills ({ended} runs ended first), last run {final_wall:.1f} s; "
        f"{b_wall:.1f} s wall, {b_cpu:.1f} s CPU in all (load before {la}, after {loadavg()})")

    # Compare.
    da, db = dump(a_db), dump(b_db)
    for t in sorted(da):
        log(f"  {t}: A {len(da[t])} rows ({digest(da[t])}), B {len(db.get(t, []))} rows "
            f"({digest(db.get(t, []))})")
    diffs = compare(da, db)
    words = words_from(a_db, args.words)
    sa = search_results(args, a_db, args.port, words, logf)
    sb = search_results(args, b_db, args.port, words, logf)
    hits = sum(len(v[1]) for v in sa.values() if isinstance(v[1], list))
    log(f"  search: {len(sa)} queries ({len(words)} words/phrases: {', '.join(words)}), "
        f"{hits} results on A")
    for q in sa:
        if sa[q] != sb.get(q):
            diffs.append(f"search {q}: A {str(sa[q])[:200]} / B {str(sb.get(q))[:200]}")
    if kills < args.kills:
        log(f"note: only {kills} of {args.kills} kill points landed on a live run")
    for d in diffs:
        log("DIFF " + d)
    log("PASS: store B (killed and restarted) is identical to store A" if not diffs else
        f"FAIL: {len(diffs)} differences")
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
