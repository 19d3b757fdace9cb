"""SEARCH: index the records and query them, in every language.

Engine-independent parts: `text` (folding, plain text), `documents` (a record as the index holds
it), `synonyms` (names that stand for one another), `query_text` (the query language),
`engine` (what a backend implements and returns), `ranking` (one hit per record, facets),
`snippets`, `spelling` ("did you mean"), `upkeep` (keeping build/index in step with the
records) and `service` (a whole search, as `kb search` runs it). The whoosh engine lives in
`backend/`, the only place that imports whoosh.
"""
