#!/usr/bin/env python3
"""POST Article JSONL to a running `parallax serve` in batches, in a loop, for load_ingest.sh.

    python3 bench/serve/post_loop.py --url http://127.0.0.1:18182 --input new.jsonl \
        --batch 100 --seconds 60 --acked acked.txt --summary post.json

Sends the input's lines in batches of --batch until the input is used up or --seconds have passed
(the batch in flight is finished), over one keep-alive connection, with `Authorization: Bearer
$PARALLAX_TOKEN` when that is set. A `429` or `503` (rate limit, writer busy, engine loading) is
retried after its `Retry-After`; nothing else is retried, so the summary's `failed` counts every
batch the server did not accept. Every id the server acknowledged as stored goes to --acked, one a
line, for the check afterwards that each is in the store. Prints and writes the summary as JSON.
"""

import argparse
import http.client
import json
import os
import sys
import time
import urllib.parse


def batches(path, size):
    batch = []
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                batch.append(line if line.endswith(b"\n") else line + b"\n")
                if len(batch) == size:
                    yield batch
                    batch = []
    if batch:
        yield batch


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--acked", required=True)
    ap.add_argument("--summary", required=True)
    args = ap.parse_args()

    url = urllib.parse.urlsplit(args.url)
    headers = {"Content-Type": "application/x-ndjson"}
    token = os.environ.get("PARALLAX_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)

    s = dict(batches=0, sent=0, stored=0, unchanged=0, rejected=0, conflicts=0, retries=0,
             failed=0, failures=[], batch_seconds_max=0.0)
    started = time.monotonic()
    with open(args.acked, "w") as acked:
        for batch in batches(args.input, args.batch):
            if time.monotonic() - started >= args.seconds:
                break
            body = b"".join(batch)
            t0 = time.monotonic()
            while True:
                try:
                    conn.request("POST", "/api/articles", body=body, headers=headers)
                    resp = conn.getresponse()
                    status, data = resp.status, resp.read()
                    retry = resp.getheader("Retry-After")
                except (OSError, http.client.HTTPException) as e:
                    # The connection broke (the server closed an idle one): the
                    # batch may or may not have been stored, so count it failed
                    # rather than guess; its ids are not acknowledged.
                    s["failed"] += 1
                    s["failures"].append(f"connection: {e}")
                    conn.close()
                    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
                    break
                if status in (429, 503):
                    s["retries"] += 1
                    time.sleep(float(retry or 1))
                    continue
                if status != 200:
                    s["failed"] += 1
                    s["failures"].append(f"{status}: {data[:200]!r}")
                    break
                result = json.loads(data)
                for article_id in result["stored"]:
                    acked.write(article_id + "\n")
                s["stored"] += len(result["stored"])
                s["unchanged"] += result["unchanged"]
                s["rejected"] += len(result["rejected"])
                s["conflicts"] += len(result["conflicts"])
                break
            s["batches"] += 1
            s["sent"] += len(batch)
            s["batch_seconds_max"] = max(s["batch_seconds_max"], time.monotonic() - t0)
    s["seconds"] = round(time.monotonic() - started, 1)
    s["stored_per_second"] = round(s["stored"] / s["seconds"], 1) if s["seconds"] else 0.0
    s["batch_seconds_max"] = round(s["batch_seconds_max"], 2)
    s["failures"] = s["failures"][:20]
    with open(args.summary, "w") as f:
        json.dump(s, f, indent=1)
    print(json.dumps(s))
    return 0 if s["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
