"""Did you mean: the closest known words for the words of a query that the index lacks."""

from __future__ import annotations

import re

from whoosh import spelling

from ..searchtext import OPERATORS, fold
from .analysis import WORDS, Analyzer


def suggest(searcher, text: str, languages: list[str], words: dict[str, dict[str, list]]) -> str | None:
    """The query with unknown words replaced by the closest known words, or None.

    Candidates come first from `words` (folded word -> [count, word as written], per language,
    from titles, names and summaries), closest first, the default language first, then the most
    frequent; then from the stems in the index.
    """
    reader = searcher.reader()
    changed, out = False, []
    for token in re.findall(r'"[^"]*"|\S+', text):
        word = token.strip('()*?"')
        replacement = None
        if word and not token.startswith('"') and word.upper() not in OPERATORS and \
                WORDS.fullmatch(fold(word)) and not word.isdigit() and not _known(reader, word, languages):
            replacement = _closest_word(reader, word, languages, words) or _closest_stem(reader, searcher, word,
                                                                                          languages)
        if replacement:
            out.append(token.replace(word, replacement))
            changed = True
        else:
            out.append(token)
    return " ".join(out) if changed else None


def _known(reader, word: str, languages: list[str]) -> bool:
    """Whether `word` is a stop word or an indexed term in any of `languages`."""
    for lang in languages:
        terms = Analyzer(lang).terms(word)
        if not terms or any(reader.doc_frequency(f"{name}_{lang}", terms[0]) for name in ("head", "text")):
            return True
    return False


def _closest_word(reader, word: str, languages: list[str], words: dict[str, dict[str, list]]) -> str | None:
    folded = fold(word)
    best: tuple | None = None
    for order, lang in enumerate(languages):
        known = words.get(lang) or {}
        if not known:
            continue
        corrector = spelling.ListCorrector(sorted(known))
        for negative_distance, candidate in corrector._suggestions(folded, 1 if len(folded) <= 4 else 2, 1):
            count, written = known[candidate]
            key = (-negative_distance, order, -count)
            if (best is None or key < best[0]) and _known(reader, candidate, [lang]):
                best = (key, written)
    return best[1] if best else None


def _closest_stem(reader, searcher, word: str, languages: list[str]) -> str | None:
    """The indexed term closest to the word's stem, written as in a record that has it."""
    best: tuple[int, str, str] | None = None
    for lang in languages:
        stem = Analyzer(lang).terms(word)[0]
        fieldname = f"text_{lang}"
        for candidate in reader.terms_within(fieldname, stem, 1 if len(stem) <= 4 else 2, prefix=1):
            frequency = reader.doc_frequency(fieldname, candidate)
            if best is None or frequency > best[0]:
                best = (frequency, fieldname, candidate)
    return _surface(searcher, best[1], best[2]) if best else None


def _surface(searcher, fieldname: str, stem: str) -> str | None:
    """A word as written in the records whose term is `stem` (the index keeps terms, not words)."""
    postings = searcher.reader().postings(fieldname, stem)
    docnum = postings.id()
    stored = searcher.stored_fields(docnum)
    lang = fieldname.rsplit("_", 1)[1]
    analyzer = Analyzer(lang)
    for name in ("title", "summary", "body"):
        text = stored.get(f"{name}_{lang}", "")
        for term, start, end in analyzer.spans(text):
            if term == stem:
                return text[start:end].lower()
    return None
