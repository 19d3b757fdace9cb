"""Running a parsed whoosh query over whole posting lists (`vectors`) instead of whoosh's matchers.

whoosh matches and scores one document at a time in Python, 10-20 microseconds each: a word
found in most of 20,000 documents took a quarter of a second. Here each term's posting list is
read in one go (`codec.read_postings`) and scored with array operations. Terms, prefixes and
other term expansions, phrases, And, Or, Not, AndNot, AndMaybe and Require run this way; any
other query type runs through whoosh's own matcher, with the same result, only slower.

Private parts of whoosh used here (check them on a whoosh upgrade):
- `whoosh.codec.whoosh3._lenfield` and `LENGTHS_COLUMN`: where a field's lengths are stored;
- `SegmentReader._perdoc._cached_reader()` and a lengths column reader's `_dbfile`, `_basepos`,
  `_count` and `_fixedlen`: every document's field length read in one go;
- `SegmentReader.deleted_docs_set` (not part of the `IndexReader` interface);
- the searcher's `__dict__`, where the arrays of an open searcher are kept (`_kb_prepared`).
"""

from __future__ import annotations

from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.query.terms import MultiTerm
from whoosh.util.numeric import byte_to_length

import numpy as np

from ..ranking import Table
from . import vectors
from .codec import read_postings
from .vectors import Match

_LENGTH_OF_BYTE = [float(byte_to_length(code)) for code in range(256)]


def prepared(searcher) -> Prepared:
    """The arrays of an open searcher, built on first use and kept with it."""
    found = searcher.__dict__.get("_kb_prepared")
    if found is None:
        found = searcher.__dict__["_kb_prepared"] = Prepared(searcher)
    return found


class Prepared:
    """An open searcher's per-document arrays: field lengths, record and language codes, facets."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.size = self.reader.doc_count_all()
        self._lengths: dict[str, Any] = {}
        self._table: Table | None = None

    def record_ids(self) -> list[str]:
        """Every document's record id, from its column."""
        return [value.decode("utf-8") if isinstance(value, bytes) else value
                for value in self.reader.column_reader("id", translate=False)]

    def table(self, facets: tuple[str, ...]) -> Table:
        """Record ids from their column; languages and facet values from their posting lists,
        which read in a few milliseconds where decoding whoosh's list columns took tenths of a
        second on a large index."""
        if self._table is None:
            deleted = [offset + docnum for leaf, offset in self.leaves for docnum in leaf.deleted_docs_set]
            self._table = Table.build(self.record_ids(), deleted, self.values("lang"),
                                      {name: self.values(name) for name in facets})
        return self._table

    def values(self, fieldname: str) -> list[tuple[str, np.ndarray]]:
        """Each term of a field with the documents holding it."""
        return [(term.decode("utf-8"), self.postings(fieldname, term).ids) for term in self.reader.lexicon(fieldname)]

    def postings(self, fieldname: str, term: bytes) -> vectors.Postings:
        return vectors.postings((offset, *read_postings(leaf, fieldname, term)[:2]) for leaf, offset in self.leaves)

    def lengths(self, fieldname: str):
        """Every document's length in a scorable field, as whoosh stores it (one byte, decoded);
        None for fields without lengths."""
        if fieldname not in self._lengths:
            if not self.reader.schema[fieldname].scorable:
                self._lengths[fieldname] = None
            else:
                parts = []
                for leaf, offset in self.leaves:
                    column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                    if column is not None:
                        parts.append((offset, column._dbfile.get(column._basepos, column._count * column._fixedlen)))
                self._lengths[fieldname] = vectors.field_lengths(parts, self.size, _LENGTH_OF_BYTE)
        return self._lengths[fieldname]

    # -- evaluation ---------------------------------------------------------------------------

    def run(self, q: query.Query) -> Match:
        """Which documents match `q` and their scores (deleted documents may be marked; see
        `vectors.Table.live`)."""
        if q is query.NullQuery:
            return Match.none(self.size)
        if isinstance(q, query.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, MultiTerm):  # prefix, wildcard, range, variations: the terms it stands for
            words = [word for _, word in q.expanded_terms(self.reader) if word]
            return vectors.boosted(vectors.some([self.term(q.fieldname, word) for word in words], self.size), q.boost)
        if isinstance(q, query.Phrase) and q.slop == 1:
            return self.phrase(q)
        if isinstance(q, query.And):
            return vectors.boosted(vectors.every([self.run(sub) for sub in q.subqueries], self.size), q.boost)
        if type(q) in (query.Or, query.DefaultOr) and not q.minmatch and not q.scale:
            return vectors.boosted(vectors.some([self.run(sub) for sub in q.subqueries], self.size), q.boost)
        if isinstance(q, query.Not):  # as whoosh's InverseMatcher: every other document, scoring 1
            return vectors.inverse(self.run(q.query), q.boost)
        if isinstance(q, query.AndNot):
            return vectors.boosted(vectors.without(self.run(q.a), self.run(q.b)), q.boost)
        if isinstance(q, query.AndMaybe):
            return vectors.boosted(vectors.maybe(self.run(q.a), self.run(q.b)), q.boost)
        if isinstance(q, query.Require):
            return vectors.boosted(vectors.require(self.run(q.a), self.run(q.b)), q.boost)
        return self.whoosh(q)

    def term(self, fieldname: str, text: Any, boost: float = 1.0) -> Match:
        schema = self.reader.schema
        if fieldname not in schema:
            return Match.none(self.size)
        try:
            term = schema[fieldname].to_bytes(text)
        except ValueError:
            return Match.none(self.size)
        if (fieldname, term) not in self.reader:
            return Match.none(self.size)
        return self.score(fieldname, term, self.postings(fieldname, term), boost)

    def score(self, fieldname: str, term: bytes, found: vectors.Postings, boost: float = 1.0) -> Match:
        """The match of a term's postings, scored as whoosh's BM25F would."""
        lengths = self.lengths(fieldname)
        average = self.searcher.avg_field_length(fieldname) if lengths is not None else 0.0
        idf = self.searcher.idf(fieldname, term) if lengths is not None else 0.0
        return vectors.bm25(found, self.size, idf, lengths, average, boost)

    def phrase(self, q: query.Phrase) -> Match:
        """Documents with the words in a row; scored like whoosh, by the sum of the words' scores."""
        field = self.reader.schema[q.fieldname] if q.fieldname in self.reader.schema else None
        if field is None or not getattr(field.format, "flat_positions", False):
            return self.whoosh(q)
        try:
            terms = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return Match.none(self.size)
        if not terms or any((q.fieldname, term) not in self.reader for term in terms):
            return Match.none(self.size)
        words = [vectors.positions((offset, read_postings(leaf, q.fieldname, term, positions=True))
                                   for leaf, offset in self.leaves) for term in terms]
        total = vectors.every([self.score(q.fieldname, term, found) for term, (found, _, _) in zip(terms, words)],
                              self.size)
        return vectors.boosted(vectors.with_mask(total, vectors.phrase(words, self.size)), q.boost)

    def whoosh(self, q: query.Query) -> Match:
        """Any other query type, through whoosh's matcher, one document at a time."""
        return vectors.scored(self.searcher.search(q, limit=None).items(), self.size)
