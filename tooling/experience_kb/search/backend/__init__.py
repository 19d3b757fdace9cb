"""The whoosh backend of search: the only package that imports whoosh.

It implements `search.engine.Engine`: `create()` writes a new index, `update()` replaces and
removes documents in place, `query()` runs a search and returns plain data, `check()` says
whether a folder holds a usable index and `forget()` closes what is kept open.

Modules: `analysis` (terms and the schema), `codec` (how postings lie on disk), `store` (the
index on disk), `evaluate` (a parsed query over whole posting lists), `vectors` (the numpy side
of it; it imports no whoosh), `querying` (from text to hits) and `suggest` (the engine's side
of "did you mean").

Private parts of whoosh (whoosh-reloaded 2.7.5, pinned) are used only in this package, and
each module's docstring lists the ones it uses, so that a whoosh upgrade shows at once what to
check. The engine tests (`tests/test_search_engine.py`) compare this engine's answers with
whoosh's own on 31 query shapes and fail when any of them changes.
"""

from .querying import query_index as query
from .store import FORMAT, check, create, default_procs, forget, searcher, update

__all__ = ["FORMAT", "check", "create", "default_procs", "forget", "query", "searcher", "update"]
