"""Matching and scoring whole posting lists at once, with numpy.

A query's result is a `Match`: for every document of the index, whether it matches and its
score. Terms become matches straight from their posting lists (`codec.read_postings`), and
`And`, `Or` and `Not` combine them with array operations, so a query costs about the same
whether it finds ten documents or all of them. Scores follow whoosh's BM25F exactly (the tests
compare the two), so ranking does not depend on which path ran.

This module knows nothing of whoosh: `evaluate` reads the postings and the per-document data
and hands them over as bytes and lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

K1, B = 1.2, 0.75  # whoosh's BM25F defaults


@dataclass
class Match:
    mask: np.ndarray  # bool per document
    score: np.ndarray  # float64 per document; 0 where mask is False (every function keeps it so)

    @classmethod
    def none(cls, size: int) -> Match:
        return cls(np.zeros(size, dtype=bool), np.zeros(size))


@dataclass
class Postings:
    """A term's postings over the whole index: global document numbers and weights."""

    ids: np.ndarray  # int64
    weights: np.ndarray  # float32


def postings(parts: Iterable[tuple[int, bytes, bytes]]) -> Postings:
    """Join per-segment postings given as (first document number, ids, weights) bytes."""
    ids, weights = [], []
    for offset, raw_ids, raw_weights in parts:
        if raw_ids:
            ids.append(np.frombuffer(raw_ids, dtype="<u4").astype(np.int64) + offset)
            weights.append(np.frombuffer(raw_weights, dtype="<f4"))
    if not ids:
        return Postings(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
    return Postings(np.concatenate(ids), np.concatenate(weights))


def bm25(found: Postings, size: int, idf: float, lengths: np.ndarray | None, average: float,
         boost: float = 1.0) -> Match:
    """The term's match; scored with BM25F when the field has `lengths`, else by weight."""
    match = Match.none(size)
    if not len(found.ids):
        return match
    weight = found.weights.astype(np.float64)
    if lengths is None:
        score = weight
    else:
        norm = K1 * ((1 - B) + B * lengths[found.ids] / (average or 1))
        score = idf * (weight * (K1 + 1)) / (weight + norm)
    match.mask[found.ids] = True
    match.score[found.ids] = score * boost
    return match


def field_lengths(parts: Iterable[tuple[int, bytes]], size: int, table: Sequence[float]) -> np.ndarray:
    """Every document's length in a field from whoosh's one-byte codes, given per segment as
    (first document number, bytes), decoded through `table` (length of each byte value)."""
    codes = np.zeros(size, dtype=np.uint8)
    for offset, raw in parts:
        codes[offset:offset + len(raw)] = np.frombuffer(raw, dtype=np.uint8)
    return np.asarray(table, dtype=np.float64)[codes]


def positions(parts: Iterable[tuple[int, tuple[bytes, bytes, bytes, bytes]]]
              ) -> tuple[Postings, np.ndarray, np.ndarray]:
    """A term's postings with positions, joined over segments given as (first document number,
    `codec.read_postings(..., positions=True)`): (postings, positions per posting, positions)."""
    parts = list(parts)
    found = postings((offset, ids, weights) for offset, (ids, weights, _, _) in parts)
    counts = [np.frombuffer(raw[2], dtype="<u4") for _, raw in parts]
    flat = [np.frombuffer(raw[3], dtype="<u4") for _, raw in parts]
    return found, np.concatenate(counts), np.concatenate(flat)


def inverse(match: Match, boost: float = 1.0) -> Match:
    """Every document `match` lacks, each scoring `boost`, as whoosh's InverseMatcher."""
    mask = ~match.mask
    return Match(mask, np.where(mask, boost, 0.0))


def maybe(required: Match, optional: Match) -> Match:
    """`required`'s documents, adding `optional`'s score where it matches too."""
    return Match(required.mask, required.score + np.where(required.mask, optional.score, 0.0))


def require(scored: Match, needed: Match) -> Match:
    """`scored`'s documents that `needed` also has, with `scored`'s score."""
    return with_mask(scored, scored.mask & needed.mask)


def with_mask(match: Match, mask: np.ndarray) -> Match:
    """`match` kept to `mask` (which must lie within `match.mask`), scores elsewhere zeroed."""
    return Match(mask, np.where(mask, match.score, 0.0))


def scored(pairs: Iterable[tuple[int, float]], size: int) -> Match:
    """The match of the given (document, score) pairs."""
    match = Match.none(size)
    for doc, score in pairs:
        match.mask[doc] = True
        match.score[doc] = score
    return match


def every(matches: Sequence[Match], size: int) -> Match:
    """Documents in all `matches`, scored by the sum (whoosh's intersection)."""
    if not matches:
        return Match.none(size)
    mask = matches[0].mask.copy()
    score = matches[0].score.copy()
    for match in matches[1:]:
        mask &= match.mask
        score += match.score
    score[~mask] = 0.0
    return Match(mask, score)


def some(matches: Sequence[Match], size: int) -> Match:
    """Documents in any of `matches`, scored by the sum of those that match (whoosh's union)."""
    mask = np.zeros(size, dtype=bool)
    score = np.zeros(size)
    for match in matches:
        mask |= match.mask
        score += match.score  # 0 where the match does not match
    return Match(mask, score)


def without(match: Match, excluded: Match) -> Match:
    return with_mask(match, match.mask & ~excluded.mask)


def boosted(match: Match, boost: float) -> Match:
    return match if boost == 1.0 else Match(match.mask, match.score * boost)


def phrase(words: Sequence[tuple[Postings, np.ndarray, np.ndarray]], size: int) -> np.ndarray:
    """Documents where the words follow one another: a bool mask.

    Each word is (postings, positions per posting, every position), in phrase order. A word at
    position p of document d gives the key (d, p - its place in the phrase): an occurrence of
    the phrase is a key every word has. Postings come in document order and positions in
    order, so the keys come sorted and are looked up by binary search, without sorting.
    """
    keys = None
    for index, (found, counts, flat) in enumerate(words):
        docs = np.repeat(found.ids, counts.astype(np.int64))
        word_keys = (docs << 32) + (flat.astype(np.int64) - index)
        if keys is None:
            keys = word_keys
        else:
            keys = keys[_sorted_contains(word_keys, keys)]
        if not len(keys):
            break
    mask = np.zeros(size, dtype=bool)
    if keys is not None and len(keys):
        mask[keys >> 32] = True
    return mask


def _sorted_contains(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Which `needles` are in the sorted `haystack`."""
    if not len(haystack):
        return np.zeros(len(needles), dtype=bool)
    at = np.minimum(np.searchsorted(haystack, needles), len(haystack) - 1)
    return haystack[at] == needles


@dataclass
class Table:
    """What ranking and facets need per document, as arrays; built once per open index."""

    live: np.ndarray  # bool: not deleted
    record: np.ndarray  # int64 code of the record id
    lang: np.ndarray  # int64 code of the language
    langs: list[str]
    kinds: dict[str, tuple[np.ndarray, np.ndarray, list[str]]]  # facet -> (doc per pair, value code per pair, values)

    @classmethod
    def build(cls, records: Sequence[str], deleted: Iterable[int], langs: Sequence[tuple[str, Postings]],
              facets: dict[str, Sequence[tuple[str, Postings]]]) -> Table:
        """From every document's record id, the deleted documents, each language's documents
        and, per facet, each value's documents (postings, whose weights are not used)."""
        size = len(records)
        live = np.ones(size, dtype=bool)
        live[np.fromiter(deleted, dtype=np.int64)] = False
        names: dict[str, int] = {}
        record_codes = np.fromiter((names.setdefault(value, len(names)) for value in records), dtype=np.int64,
                                   count=size)
        lang_codes = np.full(size, len(langs), dtype=np.int64)  # no language: code past the end
        for code, (_, found) in enumerate(langs):
            lang_codes[found.ids] = code
        kinds = {}
        for name, values in facets.items():
            pair_docs = [found.ids for _, found in values]
            codes = [np.full(len(found.ids), code, dtype=np.int64) for code, (_, found) in enumerate(values)]
            kinds[name] = (np.concatenate(pair_docs or [np.zeros(0, dtype=np.int64)]),
                           np.concatenate(codes or [np.zeros(0, dtype=np.int64)]), [value for value, _ in values])
        return cls(live, record_codes, lang_codes, [lang for lang, _ in langs] + [""], kinds)

    @property
    def size(self) -> int:
        return len(self.live)

    def rank(self, match: Match, first: np.ndarray, lang_order: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """The best document of each matching record, best record first, and every matching
        document sorted the same way (to find a record's other languages).

        Order: documents in `first` (typed official numbers), then language (`lang_order`,
        others last), then score, then document number.
        """
        docs = np.flatnonzero(match.mask & self.live)
        order_of_lang = np.array([lang_order.get(lang, len(lang_order)) for lang in self.langs])
        keys = (docs, -match.score[docs], order_of_lang[self.lang[docs]], ~first[docs])
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
