"""The engine's side of "did you mean": which words the index knows, and the indexed stem
closest to a word's stem (`spelling` does the rest). Only whoosh's public API is used here."""

from __future__ import annotations

from .. import spelling
from ..engine import Words
from .analysis import Analyzer


def suggest(searcher, text: str, languages: list[str], words: Words) -> str | None:
    reader = searcher.reader()

    def known(word: str, langs: list[str]) -> bool:
        """Whether `word` is a stop word or an indexed term in any of `langs`."""
        for lang in langs:
            terms = Analyzer(lang).terms(word)
            if not terms or any(reader.doc_frequency(f"{name}_{lang}", terms[0]) for name in ("head", "text")):
                return True
        return False

    def closest_stem(word: str, langs: list[str]) -> str | None:
        """The indexed term closest to the word's stem, written as in a record that has it."""
        best: tuple[int, str, str] | None = None
        for lang in langs:
            stem = Analyzer(lang).terms(word)[0]
            fieldname = f"text_{lang}"
            for candidate in reader.terms_within(fieldname, stem, spelling.max_distance(stem), prefix=1):
                frequency = reader.doc_frequency(fieldname, candidate)
                if best is None or frequency > best[0]:
                    best = (frequency, fieldname, candidate)
        return _surface(searcher, best[1], best[2]) if best else None

    return spelling.suggest(text, languages, words, known, closest_stem)


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
