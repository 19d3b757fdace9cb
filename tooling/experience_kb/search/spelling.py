"""Did you mean: the closest known words for the words of a query that the index lacks.

Candidates come first from the words of titles, names and summaries (`documents.count_words`):
the closest by edit distance, the default language first, then the most frequent. When none is
close enough, the engine proposes the indexed stem closest to the word's stem. Edit distances
come from rapidfuzz, over only the words that could be close enough (same first letter, a
length within the distance), so a very long word costs nothing.
"""

from __future__ import annotations

import re
from typing import Callable

from .engine import Words
from .query_text import OPERATORS
from .text import fold

LONGEST_WORD = 40  # longer "words" (pasted text, a URL) are not corrected
_WORD = re.compile(r"\w+")
_SHAPES: dict[int, tuple[dict, dict[tuple[str, int], list[str]]]] = {}  # id(words) -> (words, by shape)

Known = Callable[[str, list[str]], bool]  # whether a word is indexed (or a stop word) in these languages
ClosestStem = Callable[[str, list[str]], "str | None"]


def max_distance(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def suggest(text: str, languages: list[str], words: Words, known: Known, closest_stem: ClosestStem) -> str | None:
    """The query with unknown words replaced by the closest known words, or None."""
    changed, out = False, []
    for token in re.findall(r'"[^"]*"|\S+', text):
        word = token.strip('()*?"')
        replacement = None
        if word and not token.startswith('"') and word.upper() not in OPERATORS and len(word) <= LONGEST_WORD \
                and _WORD.fullmatch(fold(word)) and not word.isdigit() and not known(word, languages):
            replacement = closest_word(word, languages, words, known) or closest_stem(word, languages)
        if replacement:
            out.append(token.replace(word, replacement))
            changed = True
        else:
            out.append(token)
    return " ".join(out) if changed else None


def closest_word(word: str, languages: list[str], words: Words, known: Known) -> str | None:
    """The closest written word, by (distance, language order, fewest uses last)."""
    from rapidfuzz import process  # only when a word needs correcting
    from rapidfuzz.distance import Levenshtein

    folded = fold(word)
    limit = max_distance(folded)
    best: tuple | None = None
    for order, lang in enumerate(languages):
        vocabulary = words.get(lang) or {}
        if not vocabulary:
            continue
        found = process.extract(folded, _candidates(vocabulary, folded, limit), scorer=Levenshtein.distance,
                                score_cutoff=limit, limit=None)
        for candidate, distance, _ in found:
            if candidate == folded:
                continue
            count, written = vocabulary[candidate]
            key = (distance, order, -count, candidate)
            if (best is None or key < best[0]) and known(candidate, [lang]):
                best = (key, written)
    return best[1] if best else None


def _candidates(vocabulary: dict[str, list], folded: str, limit: int) -> list[str]:
    """The words sharing `folded`'s first letter whose length is within `limit` of it."""
    cached = _SHAPES.get(id(vocabulary))
    if cached is None or cached[0] is not vocabulary:
        shapes: dict[tuple[str, int], list[str]] = {}
        for candidate in vocabulary:
            shapes.setdefault((candidate[:1], len(candidate)), []).append(candidate)
        cached = _SHAPES[id(vocabulary)] = (vocabulary, shapes)
    shapes = cached[1]
    return [candidate for length in range(len(folded) - limit, len(folded) + limit + 1)
            for candidate in shapes.get((folded[:1], length), ())]
