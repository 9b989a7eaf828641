import dataclasses
import datetime
import re
import subprocess

import pytest

import parallax


def degraded(text):
    return re.sub(r"[^\w\s]", " ", text.lower())


def test_dedup_finds_the_copy_and_its_original(wire, other):
    articles = [
        {"id": "copy", "text": degraded(wire), "published": "2018-05-14T12:00:00Z"},
        {"id": "other", "text": other},
        {"id": "wire", "text": wire, "published": "2018-05-13"},
    ]
    copies = parallax.dedup(articles)
    assert len(copies) == 1
    pair = copies[0]
    assert (pair.copy, pair.original, pair.relation) == ("copy", "wire", "duplicate")
    assert 0.0 < pair.score <= 1.0
    assert copies.to_records() == [{"copy": "copy", "original": "wire", "relation": "duplicate", "score": pair.score}]
    assert "Copy(copy=\"copy\"" in repr(pair)


def test_dedup_reads_objects_html_and_datetimes(wire, other):
    @dataclasses.dataclass
    class Art:
        id: str
        text: str | None = None
        html: str | None = None
        published: datetime.datetime | None = None

    articles = [
        Art("a", text=wire, published=datetime.datetime(2018, 5, 13, tzinfo=datetime.timezone.utc)),
        Art("b", html="<html><body><p>" + wire + "</p></body></html>", published=datetime.datetime(2018, 5, 15)),
        Art("c", text=other),
    ]
    copies = parallax.dedup(articles)
    assert [(c.copy, c.original) for c in copies] == [("b", "a")]
    assert parallax.dedup(iter([])) == []


def test_dedup_names_the_bad_record(wire):
    with pytest.raises(ValueError, match=r'articles\[1\]: record has no "id" string'):
        parallax.dedup([{"id": "a", "text": wire}, {"text": wire}])
    with pytest.raises(ValueError, match=r'articles\[1\] \(id "a"\): its id repeats'):
        parallax.dedup([{"id": "a", "text": wire}, {"id": "a", "text": wire}])
    with pytest.raises(ValueError, match=r'articles\[0\] \(id "a"\): article has no "text" or "html"'):
        parallax.dedup([{"id": "a", "text": "   "}])
    with pytest.raises(ValueError, match=r'articles\[0\] \(id "a"\): field "text" is a int'):
        parallax.dedup([{"id": "a", "text": 5}])
    with pytest.raises(ValueError, match=r"articles\[0\]: expected a dict"):
        parallax.dedup(["just a string"])
    with pytest.raises(ValueError, match="bad id"):
        parallax.dedup([{"id": "a\tb", "text": wire}])
    with pytest.raises(ValueError, match=r'articles\[1\] \(id "deep"\): elements nest'):
        parallax.dedup([{"id": "a", "text": wire}, {"id": "deep", "html": "<div>" * 100_000}])
    with pytest.raises(TypeError):
        parallax.dedup(5)


def test_copy_index_is_incremental(wire, other):
    index = parallax.CopyIndex()
    assert index.add({"id": "wire", "text": wire}) == []
    assert index.add({"id": "other", "text": other}) == []
    pairs = index.add({"id": "repost", "text": wire + " READ MORE: other stories"})
    assert [(p.copy, p.original) for p in pairs] == [("repost", "wire")]
    assert pairs[0].relation in {"duplicate", "near-duplicate"}
    assert len(index) == 3 and "wire" in index and "nope" not in index
    # An id already indexed adds nothing.
    assert index.add({"id": "wire", "text": wire}) == []
    assert len(index) == 3
    with pytest.raises(ValueError, match="no \"text\" or \"html\""):
        index.add({"id": "x"})
    assert len(index) == 3


def test_dedup_matches_the_cli(shared, parallax_bin, tmp_path):
    # The dev data's ECB+ articles as Article JSONL: the same pairs both ways.
    import json

    source = shared / "data" / "stories" / "ecbplus-dev.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines()[:400]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.tsv"
    subprocess.run([str(parallax_bin), "dedup", "--input", str(path), "--output", str(out)], check=True, capture_output=True)
    cli = [line.split("\t") for line in out.read_text().splitlines()]
    records = [json.loads(line) for line in lines if line.strip()]
    ours = parallax.dedup(records)
    assert [(c.copy, c.original, c.relation, f"{c.score:.4f}") for c in ours] == [tuple(row) for row in cli]
