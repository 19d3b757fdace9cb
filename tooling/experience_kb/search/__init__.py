"""The full-text search backend: the only package that imports whoosh (and numpy).

Its interface is small so that another engine could stand behind it: `create()` writes a new
index from documents (see `searchtext.document`), `update()` replaces and removes documents in
place, `query_index()` runs a search and returns plain data, and `check()` says whether a
folder holds a usable index. Everything else (when to rebuild, what changed) lives in
`searchindex`.

Modules: `analysis` (terms and the schema), `codec` (how postings lie on disk), `store` (the
index on disk), `evaluate` (a parsed query over whole posting lists), `vectors` (the numpy side
of it: scores, one hit per record, facets; it imports no whoosh), `querying` (a search from
text to hits) and `suggest` ("did you mean").
"""

from .analysis import Analyzer
from .querying import Filters, Hit, Results, make_snippet, query_index
from .store import FORMAT, IndexBusy, IndexUnusable, check, create, default_procs, forget, searcher, update

__all__ = ["FORMAT", "Analyzer", "Filters", "Hit", "IndexBusy", "IndexUnusable", "Results", "check", "create",
           "default_procs", "forget", "make_snippet", "query_index", "searcher", "update"]
