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
