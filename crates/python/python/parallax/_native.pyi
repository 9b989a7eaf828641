"""Type stubs for the Rust extension module ``parallax._native`` (re-exported as ``parallax``)."""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Literal, Mapping, Sequence, TypedDict

__version__: str

class ParallaxError(Exception): ...
class StoreError(ParallaxError): ...
class ParallaxWarning(UserWarning): ...

class Page(TypedDict):
    text: str
    title: str | None
    date: str | None
    author: str | None
    language: str | None
    site_name: str | None
    url: str | None
    description: str | None

class BatchPage(Page):
    error: str | None

class ArticleRow(TypedDict):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    lang: str | None
    text: str
    origin: str

class StoredArticleRow(ArticleRow):
    story: str
    seq: int

class StoryRow(TypedDict):
    story: str
    title: str
    summary: str
    articles: list[str]
    outlets: list[str]
    first_published: str | None
    last_published: str | None
    updated_at: str

class AddReport(TypedDict):
    stored: int
    unchanged: int
    conflicts: int
    rejected: int
    errors: list[str]
    stories: list[str]
    founded: int
    merged: list[tuple[str, str]]
    copies: int

# An article: a mapping with the contract's fields (id, text or html, title,
# url, source, published, lang) or an object with those attributes.
Article = Mapping[str, Any] | Any

def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    fast: bool = False,
    charset: str | None = None,
) -> Page: ...
def extract_batch(
    pages: Iterable[str | bytes | tuple[str | bytes, str | None]],
    *,
    fast: bool = False,
    jobs: int | None = None,
) -> list[BatchPage]: ...
def dedup(articles: Iterable[Article]) -> list[Copy]: ...
def read(path: str | os.PathLike[str]) -> list[ArticleRow]: ...
def cluster(articles: Iterable[Article], threshold: float | None = None) -> list[str]: ...
def brief(articles: Iterable[Article], *, story: str = "story", words: int = 60) -> dict[str, Any]: ...
def briefs(
    articles: Iterable[Article], stories: Sequence[str], *, words: int = 60
) -> list[dict[str, Any]]: ...

class Copy:
    @property
    def copy(self) -> str: ...
    @property
    def original(self) -> str: ...
    @property
    def relation(self) -> Literal["duplicate", "near-duplicate", "syndicated"]: ...
    @property
    def score(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...

class CopyIndex:
    def __init__(self) -> None: ...
    def add(self, article: Article) -> list[Copy]: ...
    def __len__(self) -> int: ...
    def __contains__(self, id: str) -> bool: ...

class StoryIter(Iterator[StoryRow]):
    def __iter__(self) -> StoryIter: ...
    def __next__(self) -> StoryRow: ...

class ArticleIter(Iterator[StoredArticleRow]):
    def __iter__(self) -> ArticleIter: ...
    def __next__(self) -> StoredArticleRow: ...
    def __len__(self) -> int: ...

class Store:
    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None: ...
    def add(self, articles: Iterable[Article]) -> AddReport: ...
    def stories(self, q: str | None = None) -> StoryIter: ...
    def story(self, id: str) -> dict[str, Any]: ...
    def articles(self, id: str) -> ArticleIter: ...
    def close(self) -> None: ...
    def __len__(self) -> int: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *args: object) -> bool: ...
