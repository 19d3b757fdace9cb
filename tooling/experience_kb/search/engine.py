"""What any search backend implements, and what it returns: plain data.

`backend/` (whoosh) is today's engine. Another engine (tantivy, Xapian, SQLite FTS) could
stand behind the same functions: `upkeep` and `service` call the backend only through the
functions of `Engine`, and everything else (the CLI, the console) sees only the data classes
and exceptions defined here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

from .synonyms import Synonyms

Progress = Callable[[int], None]
Words = dict[str, dict[str, list]]  # language -> folded word -> [uses, the word as written]


class IndexUnusable(Exception):
    """The folder holds no index, a damaged one or one written by an older version."""


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


@dataclass
class Filters:
    types: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # inclusive range
    stakeholders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass
class Hit:
    id: str
    lang: str
    type: str
    title: str
    date: str
    path: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]  # character spans of matched words within the snippet
    other_languages: list[str] = field(default_factory=list)


@dataclass
class Results:
    query: str
    total: int  # matching records (a record matching in two languages counts once)
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    seconds: float
    expansions: list[tuple[str, list[str]]] = field(default_factory=list)
    suggestion: str | None = None
    relaxed: bool = False  # no record had every word, so records with some of them are shown


class Engine(Protocol):
    """The functions a backend module provides."""

    FORMAT: int  # changes whenever an index written before can no longer be read as it is

    def create(self, folder: Path, docs: list[dict], languages: Iterable[str], progress: Progress | None = None,
               procs: int | None = None, limitmb: int | None = None) -> int:
        """Write a new index of `docs` (see `documents.document`) into the empty `folder`."""

    def update(self, folder: Path, upserts: list[dict], removals: Iterable[str]) -> None:
        """Replace or add `upserts` (by key) and delete the documents with the `removals` keys."""

    def check(self, folder: Path) -> int:
        """The number of indexed documents; IndexUnusable when the folder holds no usable index."""

    def query(self, folder: Path, text: str, synonyms: Synonyms, default_language: str, lang: str | None = None,
              filters: Filters | None = None, limit: int = 10, words: Words | None = None) -> Results:
        """Run a search; QueryError for a query that cannot be run, IndexUnusable for a broken index."""

    def forget(self, folder: Path) -> None:
        """Close whatever the backend keeps open for `folder`."""
