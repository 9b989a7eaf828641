import json
import warnings

import pytest

import parallax


def test_read_gives_contract_records_and_warns_about_bad_ones(tmp_path, wire):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "text": wire, "published": "2018-05-13", "source": "Reuters"}) + "\nnot json\n",
        encoding="utf-8",
    )
    with pytest.warns(parallax.ParallaxWarning, match=r"in.jsonl:2"):
        articles = parallax.read(path)
    assert len(articles) == 1
    a = articles[0]
    assert (a["id"], a["source"], a["lang"]) == ("a1", "Reuters", "en")
    assert a["published"].startswith("2018-05-13T00:00:00")
    assert a["text"].startswith("WASHINGTON")
    assert a["origin"].endswith("in.jsonl:1")
    with pytest.raises(FileNotFoundError):
        parallax.read(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="no readable articles"):
            parallax.read(empty)


def test_cluster_puts_the_seeds_in_one_story(seeds):
    articles = parallax.read(seeds)
    assert len(articles) == 5
    stories = parallax.cluster(articles)
    assert len(stories) == 5 and len(set(stories)) == 1


def test_cluster_separates_unrelated_articles(wire, other):
    stories = parallax.cluster([{"id": "a", "text": wire}, {"id": "b", "text": other}])
    assert len(stories) == 2 and stories[0] != stories[1]
    # Every article joins the first story when any overlap is enough.
    loose = parallax.cluster([{"id": "a", "text": wire}, {"id": "b", "text": wire + " Extra."}], threshold=0.0)
    assert loose[0] == loose[1]


def test_cluster_and_brief_reject_bad_input(wire):
    with pytest.raises(ValueError, match=r"articles\[1\]: article b has no `text` or `html`"):
        parallax.cluster([{"id": "a", "text": wire}, {"id": "b"}])
    with pytest.raises(ValueError, match=r"articles\[1\]: duplicate id a, first seen at articles\[0\]"):
        parallax.cluster([{"id": "a", "text": wire}, {"id": "a", "text": wire}])
    with pytest.raises(ValueError, match="threshold"):
        parallax.cluster([{"id": "a", "text": wire}], threshold=1.5)
    with pytest.raises(ValueError, match="no articles"):
        parallax.cluster([])
    with pytest.raises(ValueError, match=r'articles\[0\] \(id "a"\): field "title" is a list'):
        parallax.brief([{"id": "a", "text": wire, "title": ["x"]}])
    with pytest.raises(ValueError, match="words"):
        parallax.brief([{"id": "a", "text": wire}], words=0)
    with pytest.raises(ValueError, match="2 articles but 1 story ids"):
        parallax.briefs([{"id": "a", "text": wire}, {"id": "b", "text": wire + " More."}], ["s"])


def test_brief_of_the_seeds_has_the_contract_fields(seeds):
    articles = parallax.read(seeds)
    brief = parallax.brief(articles, story="zte", words=40)
    assert brief["story"] == "zte"
    assert brief["title"] and len(brief["summary"].split()) <= 40
    for s in brief["sentences"]:
        assert s["text"] and s["sources"]
    assert {a["id"] for a in articles} == {s["article"] for s in brief["sources"]}
    assert any(not f["agree"] for f in brief["facts"])
    for f in brief["facts"]:
        assert f["about"] and f["values"]
    for q in brief["quotes"]:
        assert q["text"] and q["sources"]
    for e in brief["entities"]:
        assert e["name"] and e["kind"] and e["sources"]


def test_briefs_follow_the_assignments(seeds, other):
    articles = parallax.read(seeds) + [{"id": "harbour", "text": other}]
    stories = parallax.cluster(articles)
    out = parallax.briefs(articles, stories)
    assert [b["story"] for b in out] == list(dict.fromkeys(stories))
    assert sorted(len(b["sources"]) for b in out) == [1, 5]
