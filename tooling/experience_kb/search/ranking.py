"""Ranking and facets, whatever the engine: one hit per record, the default language first, and
counts by type, year, stakeholder and tag.

An engine hands over, per document, whether it matches and its score (numpy arrays); `Table`
holds what ranking and facets need per document, built once per open index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np


@dataclass
class Table:
    """What ranking and facets need per document, as arrays; built once per open index."""

    live: np.ndarray  # bool: not deleted
    record: np.ndarray  # int64 code of the record id
    lang: np.ndarray  # int64 code of the language
    langs: list[str]
    kinds: dict[str, tuple[np.ndarray, np.ndarray, list[str]]]  # facet -> (doc per pair, value code per pair, values)

    @classmethod
    def build(cls, records: Sequence[str], deleted: Iterable[int], langs: Sequence[tuple[str, np.ndarray]],
              facets: dict[str, Sequence[tuple[str, np.ndarray]]]) -> Table:
        """From every document's record id, the deleted documents, each language's documents
        and, per facet, each value's documents (arrays of document numbers)."""
        size = len(records)
        live = np.ones(size, dtype=bool)
        live[np.fromiter(deleted, dtype=np.int64)] = False
        names: dict[str, int] = {}
        record_codes = np.fromiter((names.setdefault(value, len(names)) for value in records), dtype=np.int64,
                                   count=size)
        lang_codes = np.full(size, len(langs), dtype=np.int64)  # no language: code past the end
        for code, (_, ids) in enumerate(langs):
            lang_codes[ids] = code
        kinds = {}
        for name, values in facets.items():
            pair_docs = [ids for _, ids in values]
            codes = [np.full(len(ids), code, dtype=np.int64) for code, (_, ids) in enumerate(values)]
            kinds[name] = (np.concatenate(pair_docs or [np.zeros(0, dtype=np.int64)]),
                           np.concatenate(codes or [np.zeros(0, dtype=np.int64)]), [value for value, _ in values])
        return cls(live, record_codes, lang_codes, [lang for lang, _ in langs] + [""], kinds)

    @property
    def size(self) -> int:
        return len(self.live)

    def rank(self, mask: np.ndarray, score: np.ndarray, first: np.ndarray,
             lang_order: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """The best document of each matching record, best record first, and every matching
        document sorted the same way (to find a record's other languages).

        Order: documents in `first` (typed official numbers), then language (`lang_order`,
        others last), then score, then document number.
        """
        docs = np.flatnonzero(mask & self.live)
        order_of_lang = np.array([lang_order.get(lang, len(lang_order)) for lang in self.langs])
        keys = (docs, -score[docs], order_of_lang[self.lang[docs]], ~first[docs])
        ordered = docs[np.lexsort(keys)]
        _, firsts = np.unique(self.record[ordered], return_index=True)
        return ordered[np.sort(firsts)], ordered

    def others(self, best: np.ndarray, ordered: np.ndarray) -> list[list[str]]:
        """For each document in `best`, the other languages its record matched in (`ordered`)."""
        where = {int(self.record[doc]): index for index, doc in enumerate(best)}
        chosen = set(best.tolist())
        others: list[list[str]] = [[] for _ in best]
        for doc in ordered[np.isin(self.record[ordered], list(where))].tolist():
            if doc not in chosen:
                others[where[int(self.record[doc])]].append(self.langs[self.lang[doc]])
        return others

    def facets(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        """Value counts of each facet over `docs`, most frequent first, then by value."""
        chosen = np.zeros(self.size, dtype=bool)
        chosen[docs] = True
        out = {}
        for name, (pair_docs, codes, names) in self.kinds.items():
            counts = np.bincount(codes[chosen[pair_docs]], minlength=len(names))
            tally = {names[code]: int(counts[code]) for code in np.flatnonzero(counts)}
            tally.pop("", None)
            out[name] = dict(sorted(tally.items(), key=lambda item: (-item[1], item[0])))
        return out
