"""Parallax: news articles to stories, with what every source said.

The Rust core of Parallax as a Python package (the same library calls as the
``parallax`` command):

- ``extract(html, url=None)`` / ``extract_batch(pages)``: the article in a web page;
- ``dedup(articles)`` / ``CopyIndex().add(article)``: duplicate, near-duplicate
  and syndicated pairs;
- ``read(path)``: articles from files or folders (JSONL, .txt, HTML, feeds, WARC);
- ``cluster(articles, threshold=None)``: a story id per article;
- ``brief(articles)`` / ``briefs(articles, stories)``: the cited brief of a story;
- ``Store(path_or_postgres_url)``: the store ``parallax run`` and ``parallax serve`` use.

Articles are dicts (or objects) with the contract's fields: ``id``, ``text``
or ``html``, and optionally ``title``, ``url``, ``source``, ``published``
(RFC 3339 / ``YYYY-MM-DD`` text, or a ``datetime``/``date``) and ``lang``.
A bad record raises ``ValueError`` naming it (``articles[3] (id "a4"): ...``);
``Store.add`` and ``extract_batch`` report bad records one by one instead.
"""

from __future__ import annotations

from typing import Any, Iterable

from . import _native
from ._native import (
    Copy,
    CopyIndex,
    ParallaxError,
    ParallaxWarning,
    Store,
    StoreError,
    __version__,
    brief,
    briefs,
    cluster,
    extract,
    extract_batch,
    read,
)

__all__ = [
    "Copies",
    "Copy",
    "CopyIndex",
    "ParallaxError",
    "ParallaxWarning",
    "Store",
    "StoreError",
    "__version__",
    "brief",
    "briefs",
    "cluster",
    "dedup",
    "extract",
    "extract_batch",
    "read",
]


class Copies(list):
    """A list of ``Copy`` pairs, with ``to_records()`` for a table."""

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per pair (``copy``, ``original``, ``relation``,
        ``score``): ``pandas.DataFrame(copies.to_records())``."""
        return [pair.to_dict() for pair in self]


def dedup(articles: Iterable[Any]) -> Copies:
    return Copies(_native.dedup(articles))


dedup.__doc__ = _native.dedup.__doc__
