"""`search(project, request)`: what `kb search` (and later the site's preview) does, without a CLI.

It checks the request (languages, types, years, the query text) before any indexing work,
brings the index up to date, runs the query, and rebuilds the index once if it turns out to be
damaged while searching. The record list is read once per search.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..pipeline.lock import build_lock
from ..records import schema
from . import backend, upkeep
from .engine import Filters, IndexUnusable, Progress, Results
from .query_text import check

if TYPE_CHECKING:
    from ..project import Project

LOWEST_YEAR, HIGHEST_YEAR = 0, 9999


class OptionError(ValueError):
    """A search option that cannot be used; `option` names it (e.g. "--lang")."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass
class Request:
    text: str
    lang: str | None = None
    types: tuple[str, ...] = ()
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    stakeholders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    limit: int = 10


@dataclass
class Outcome:
    results: Results
    status: upkeep.Status
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> language -> title
    lang: str = ""  # the language to show labels in


def filters(project: Project, request: Request) -> Filters:
    """The request's filters, or OptionError for options that cannot be used together or at all."""
    config = project.config
    if request.year is not None and (request.year_from is not None or request.year_to is not None):
        raise OptionError("--year", "use either --year or --from/--to, not both")
    low, high = ((request.year, request.year) if request.year is not None
                 else (request.year_from, request.year_to))
    if low is not None and high is not None and low > high:
        raise OptionError("--from/--to", f"--from {low} is after --to {high}")
    if request.lang is not None and request.lang not in config.languages:
        raise OptionError("--lang", f"'{request.lang}' is not a language of this knowledge base; use one of: "
                                    f"{', '.join(config.languages)}")
    known = sorted(schema.types())
    for kind in request.types:
        if kind not in known:
            raise OptionError("--type", f"unknown type '{kind}'; types are: {', '.join(known)}")
    years = None if low is None and high is None else (
        low if low is not None else LOWEST_YEAR, high if high is not None else HIGHEST_YEAR)
    return Filters(tuple(request.types), years, tuple(request.stakeholders), tuple(request.tags))


def search(project: Project, request: Request, progress: Progress | None = None,
           notify: Callable[[str], None] | None = None) -> Outcome:
    """Check the request, then `run` it. Raises OptionError for options that cannot be used."""
    return run(project, request.text, request.lang, filters(project, request), request.limit, progress, notify)


def run(project: Project, text: str, lang: str | None = None, chosen: Filters | None = None, limit: int = 10,
        progress: Progress | None = None, notify: Callable[[str], None] | None = None) -> Outcome:
    """Refresh the index, then search it. Raises QueryError (a query that cannot be run),
    IndexBusy, or IndexUnusable when the index stays unusable after a rebuild.

    Searches that find the index current read it together, under the build folder's shared
    lock; one that must update or rebuild it takes the lock alone, so no search ever reads a
    half-committed index and no two processes write it at once."""
    check(text)  # report a bad query before any indexing work
    config = project.config
    folder = upkeep.index_dir(config)

    def query(entries: dict[str, dict]) -> Results:
        return backend.query(folder, text, upkeep.synonyms(config, entries), config.default_language,
                             lang, chosen, limit, upkeep.spelling_words(config))

    damage = None
    with build_lock(config.build_dir, exclusive=False):
        found = upkeep.refresh(project, progress, write=False)
        if found is not None:
            status, entries = found
            try:
                return _outcome(project, query(entries), status, entries, lang)
            except IndexUnusable as exc:  # damage that shows only when read
                damage = exc
    with build_lock(config.build_dir, exclusive=True, notify=notify):
        if damage is None:
            status, entries = upkeep.refresh(project, progress)
        try:
            results = query(entries) if damage is None else None
        except IndexUnusable as exc:
            damage = exc
        if damage is not None:
            status = upkeep.rebuild(project, reason=str(damage), progress=progress)
            entries = upkeep.read_entries(config)
            results = query(entries)
    return _outcome(project, results, status, entries, lang)


def _outcome(project: Project, results: Results, status: upkeep.Status, entries: dict[str, dict],
             lang: str | None) -> Outcome:
    """The search's answer, with each hit's path as the person at the terminal would type it."""
    config = project.config
    for hit in results.hits:
        hit.path = config.display(config.root / hit.path)
    return Outcome(results, status, upkeep.titles(entries), lang or config.default_language)
