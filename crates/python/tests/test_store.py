import json
import os
import subprocess
import threading
import time

import pytest

import parallax


def cli(parallax_bin, *args):
    done = subprocess.run([str(parallax_bin), *map(str, args)], check=True, capture_output=True, text=True)
    return done.stdout


def test_store_add_read_and_idempotence(tmp_path, seeds):
    articles = parallax.read(seeds)
    db = tmp_path / "p.db"
    with parallax.Store(db) as store:
        report = store.add(articles + [{"id": "bad"}])
        assert report["stored"] == 5 and report["rejected"] == 1
        assert report["errors"] == ["articles[5]: article bad has no `text` or `html` field"]
        assert len(report["stories"]) == 1 and report["founded"] == 1
        story_id = report["stories"][0]
        assert len(store) == 5
        stories = list(store.stories())
        assert [s["story"] for s in stories] == [story_id]
        assert sorted(stories[0]["articles"]) == sorted(a["id"] for a in articles)
        assert list(store.stories(q="ZTE"))[0]["story"] == story_id
        assert list(store.stories(q="volcano")) == []
        brief = store.story(story_id)
        assert brief["story"] == story_id and len(brief["sources"]) == 5
        assert store.story(story_id[:6])["story"] == story_id
        rows = store.articles(story_id)
        assert len(rows) == 5
        rows = list(rows)
        assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
        assert all(r["story"] == story_id for r in rows)
        again = store.add(articles)
        assert (again["stored"], again["unchanged"]) == (0, 5)
        changed = dict(articles[0], text=articles[0]["text"] + " A late correction.")
        conflict = store.add([changed])
        assert conflict["conflicts"] == 1 and "already stored with different content" in conflict["errors"][0]
        with pytest.raises(KeyError, match="no story"):
            store.story("nope")
        with pytest.raises(KeyError):
            store.articles("nope")
        with pytest.raises(ValueError, match="q is empty"):
            store.stories(q=" ")
        with pytest.raises(ValueError, match=r"articles\[0\]: expected a dict"):
            store.add([7])
    with pytest.raises(parallax.StoreError, match="closed"):
        store.story(story_id)
    with pytest.raises(parallax.StoreError, match="closed"):
        store.add(articles)


def test_store_missing_file_without_create(tmp_path):
    with pytest.raises(FileNotFoundError):
        parallax.Store(tmp_path / "none.db", create=False)
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(parallax.StoreError):
        parallax.Store(tmp_path / "file" / "x.db")


def letters(n):
    return "".join(chr(ord("a") + int(d)) for d in str(n))


def test_store_lists_lazily_a_page_at_a_time(tmp_path):
    # 450 articles that share no word: 450 stories, more than two pages of 200.
    articles = [
        {"id": f"a{i}", "text": " ".join(f"zq{letters(i)}x{letters(j)}" for j in range(30)) + "."}
        for i in range(450)
    ]
    with parallax.Store(tmp_path / "many.db") as store:
        assert store.add(articles)["stored"] == 450
        listed = store.stories()
        first = next(listed)
        rest = list(listed)
        ids = [first["story"]] + [s["story"] for s in rest]
        assert len(ids) == len(set(ids)) == 450
        assert sorted(a for s in [first] + rest for a in s["articles"]) == sorted(a["id"] for a in articles)


def test_python_and_cli_share_one_store(tmp_path, seeds, parallax_bin, wire, other):
    db = tmp_path / "shared.db"
    # The CLI writes first ...
    cli(parallax_bin, "run", "--db", db, "--quiet", seeds)
    listed = [json.loads(line) for line in cli(parallax_bin, "stories", "--db", db, "--json").splitlines()]
    assert len(listed) == 1
    with parallax.Store(db, create=False) as store:
        # ... Python reads what it wrote, and adds to it ...
        stories = list(store.stories())
        assert [s["story"] for s in stories] == [listed[0]["story"]]
        assert store.story(listed[0]["story"])["title"] == listed[0]["title"]
        again = store.add(parallax.read(seeds))
        assert (again["stored"], again["unchanged"]) == (0, 5)
        added = store.add([{"id": "harbour", "text": other}])
        assert added["stored"] == 1 and added["founded"] == 1
        harbour = added["stories"][0]
    # ... and the CLI sees Python's article, and that seeds are not stored twice.
    listed = {json.loads(line)["story"]: json.loads(line) for line in cli(parallax_bin, "stories", "--db", db, "--json").splitlines()}
    assert listed[harbour]["articles"] == ["harbour"]
    assert sum(len(s["articles"]) for s in listed.values()) == 6
    shown = json.loads(cli(parallax_bin, "show", "--db", db, "--json", harbour))
    assert shown["story"] == harbour and shown["sources"][0]["article"] == "harbour"


def test_store_add_from_threads(tmp_path, wire, other):
    with parallax.Store(tmp_path / "t.db") as store:
        reports = []

        def add(i):
            reports.append(store.add([{"id": f"t{i}", "text": (wire if i % 2 else other) + f" Update {i}."}]))

        threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r["stored"] for r in reports) == 6
        assert len(store) == 6


def pg_url():
    url = os.environ.get("PARALLAX_TEST_PG")
    if url:
        return url
    if os.environ.get("PARALLAX_REQUIRE_PG") == "1":
        pytest.fail("PARALLAX_REQUIRE_PG=1 but PARALLAX_TEST_PG is not set (start a server with tests/postgres/ci.sh)")
    pytest.skip("set PARALLAX_TEST_PG=postgres://... to run the PostgreSQL store test (tests/postgres/ci.sh)")


def test_python_and_cli_share_a_postgres_store(seeds, parallax_bin, other):
    url = pg_url()
    schema = f"py_{os.getpid()}_{time.time_ns()}"
    subprocess.run(["psql", url, "-qc", f"CREATE SCHEMA {schema}"], check=True, capture_output=True)
    db = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    with parallax.Store(db) as store:
        report = store.add(parallax.read(seeds))
        assert report["stored"] == 5 and len(report["stories"]) == 1
        story_id = report["stories"][0]
        assert store.story(story_id)["story"] == story_id
    listed = [json.loads(line) for line in cli(parallax_bin, "stories", "--db", db, "--json").splitlines()]
    assert [s["story"] for s in listed] == [story_id]
    cli(parallax_bin, "run", "--db", db, "--quiet", seeds)
    with parallax.Store(db) as store:
        assert len(store) == 5
        assert sorted(r["id"] for r in store.articles(story_id)) == sorted(s["article"] for s in store.story(story_id)["sources"])
