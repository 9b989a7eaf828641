import gzip
import json
import threading

import pytest

import parallax

PARAGRAPH = (
    "The council voted on Tuesday to close the old bridge for repairs that will take at least a "
    "year to finish, and drivers will be sent through the north road while the work goes on."
)

PAGE = f"""<html lang="en"><head><title>Bridge closes | Town News</title>
<meta property="article:published_time" content="2019-11-20T13:14:00+02:00">
<meta name="author" content="Ann Reporter"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Bridge closes</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH.replace("Tuesday", "Wednesday")}</p></article>
<footer>Copyright Town News</footer></body></html>"""


def test_extract_str_gives_the_article_and_its_fields():
    page = parallax.extract(PAGE, "https://town.example/bridge")
    assert page["text"].startswith("The council voted on Tuesday")
    assert "Home" not in page["text"] and "Copyright" not in page["text"]
    assert page["title"].startswith("Bridge closes")
    assert page["date"] == "2019-11-20T11:14:00+00:00"
    assert page["author"] == "Ann Reporter"
    assert page["language"] == "en"
    assert set(page) == {"text", "title", "date", "author", "language", "site_name", "url", "description"}


def test_extract_bytes_reads_gzip_and_the_declared_charset():
    latin = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace("old bridge", "old caf\u00e9 bridge")
    page = parallax.extract(gzip.compress(latin.encode("iso-8859-1")))
    assert "old caf\u00e9 bridge" in page["text"]
    # A str is already decoded: its <meta charset> must not re-decode it.
    assert "old caf\u00e9 bridge" in parallax.extract(latin)["text"]


def test_extract_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="binary data"):
        parallax.extract(b"\x7fELF\0\0\0\x01\0\0" * 10)
    with pytest.raises(ValueError, match="bad gzip data"):
        parallax.extract(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ValueError, match="str or bytes"):
        parallax.extract(42)


def test_extract_batch_keeps_order_and_reports_bad_pages_one_by_one():
    pages = [PAGE, b"\x7fELF\0\0\0\x01\0\0" * 10, (PAGE.encode(), "https://town.example/b")]
    out = parallax.extract_batch(pages, jobs=2)
    assert len(out) == 3
    assert out[0]["error"] is None and out[0]["text"] == parallax.extract(PAGE)["text"]
    assert out[1]["error"].startswith("pages[1]") and "binary data" in out[1]["error"]
    assert out[1]["text"] == "" and out[1]["title"] is None
    assert out[2]["error"] is None and out[2]["text"] == out[0]["text"]
    assert parallax.extract_batch([]) == []
    with pytest.raises(ValueError, match="jobs"):
        parallax.extract_batch([PAGE], jobs=0)
    with pytest.raises(ValueError, match=r"pages\[0\]"):
        parallax.extract_batch([(PAGE, "u", "extra")])
    with pytest.raises(ValueError, match=r"pages\[1\]"):
        parallax.extract_batch([PAGE, 3.5])


def test_extract_from_threads_gives_the_same_text():
    want = parallax.extract(PAGE)["text"]
    got = []
    threads = [threading.Thread(target=lambda: got.append(parallax.extract(PAGE)["text"])) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 4


def test_extract_matches_the_cli_on_scrapinghub_pages(shared, parallax_bin, tmp_path):
    import subprocess

    src = shared / "data" / "extraction" / "scrapinghub" / "html"
    names = sorted(p.name for p in src.iterdir())[:12]
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((src / name).read_bytes())
    out = tmp_path / "cli.json"
    subprocess.run([str(parallax_bin), "extract", "--input", str(folder), "--output", str(out), "--quiet"], check=True)
    cli = json.loads(out.read_text())
    pages = [(folder / n).read_bytes() for n in names]
    batch = parallax.extract_batch(pages)
    for name, single, many in zip(names, pages, batch):
        key = name.split(".html")[0]
        assert parallax.extract(single)["text"] == cli[key]["articleBody"], name
        assert many["text"] == cli[key]["articleBody"], name
