"""Running a query with whoosh: parsing per language, filters, then `evaluate` over whole posting
lists, `ranking` for one hit per record and facets, `snippets` for the hits.

Only whoosh's public API is used here."""

from __future__ import annotations

import time
from pathlib import Path

from whoosh import fields, qparser, query

from .. import query_text
from ..engine import Filters, Hit, IndexUnusable, Results, Words
from ..query_text import OPERATORS, QueryError, drop_words
from ..snippets import make_snippet
from ..synonyms import Synonyms
from ..text import fold
from . import vectors
from .analysis import WORDS, stemmer, stopwords
from .evaluate import Prepared, prepared
from .store import DAMAGE, damaged, forget, languages_of, searcher
from .suggest import suggest

BOOSTS = {"numbers": 40.0, "id": 8.0, "head": 4.0, "text": 1.0}
FACETS = ("type", "years", "stakeholders", "tags")


def filter_query(filters: Filters, reader) -> query.Query | None:
    """The query that keeps only documents passing `filters`. A year range becomes the indexed
    years inside it, however wide the range."""
    parts: list[query.Query] = []
    if filters.types:
        parts.append(query.Or([query.Term("type", t) for t in filters.types]))
    if filters.years:
        low, high = filters.years
        years = [term.decode() for term in reader.lexicon("years") if term.isdigit() and low <= int(term) <= high]
        parts.append(query.Or([query.Term("years", year) for year in years]) if years else query.NullQuery)
    parts += [query.Term("stakeholders", s) for s in filters.stakeholders]
    parts += [query.Term("tags", t) for t in filters.tags]
    return query.And(parts) if parts else None


def _parse(schema: fields.Schema, text: str, languages: list[str], group) -> query.Query:
    """The query in each language's fields, OR-ed: a record matches in its own language.

    Each language is parsed on its own so that a stop word of one language (Spanish "la")
    does not become a required word for records in another.
    """
    parts = []
    for lang in languages:
        names = [f"head_{lang}", f"text_{lang}", "numbers", "id"]
        boosts = {name: BOOSTS[name if name in BOOSTS else name.rsplit("_", 1)[0]] for name in names}
        parser = qparser.MultifieldParser(names, schema, fieldboosts=boosts, group=group)
        parser.remove_plugin_class(qparser.FieldsPlugin)  # a colon in a name is text, not a field
        try:
            parsed = parser.parse(drop_words(text, stopwords(lang)))
        except (IndexError, ValueError, TypeError) as exc:  # whoosh's parser fails on some operator runs
            raise QueryError(f"the operators in '{text}' cannot be combined that way ({type(exc).__name__}); "
                             f"write the query more simply, e.g. without repeating AND, OR or NOT") from None
        if parsed is not query.NullQuery:
            parts.append(query.And([parsed, query.Term("lang", lang)]) if len(languages) > 1 else parsed)
    if not parts:
        return query.NullQuery
    return parts[0] if len(parts) == 1 else query.Or(parts)


def query_index(folder: Path, text: str, synonyms: Synonyms, default_language: str, lang: str | None = None,
                filters: Filters | None = None, limit: int = 10, words: Words | None = None) -> Results:
    """Search `folder`. Raises QueryError for queries that cannot be run, IndexUnusable for broken indexes."""
    started = time.perf_counter()
    text = query_text.check(text)
    expanded, expansions = query_text.expand(text, synonyms)
    current = searcher(folder)
    schema = current.schema
    languages = languages_of(schema)
    if lang is not None and lang not in languages:
        raise QueryError(f"the index has no language '{lang}'; it has {', '.join(languages)}")
    rank = _language_rank(default_language, languages)
    searched = [lang] if lang else sorted(languages, key=rank.get)
    keep = filter_query(filters or Filters(), current.reader())
    if lang:
        keep = query.And([keep, query.Term("lang", lang)]) if keep else query.Term("lang", lang)
    common = frozenset().union(*(stopwords(language) for language in searched))
    typed = [fold(word) for word in WORDS.findall(text) if word not in OPERATORS]
    try:
        q = _parse(schema, expanded, searched, qparser.AndGroup)
        if q is query.NullQuery or all(word in common for word in typed):
            raise QueryError(f"'{text}' has only very common words (such as 'de', 'la', 'the', 'of'), "
                             f"which are not indexed: add a more specific word")
        arrays = prepared(current)
        table = arrays.table(FACETS)
        numbered = _numbered(arrays, text)
        best, ordered, match = _collect(arrays, q, keep, rank, numbered)
        relaxed = False
        if not len(best) and len(typed) > 1:
            q = _parse(schema, expanded, searched, qparser.OrGroup)
            (best, ordered, match), relaxed = _collect(arrays, q, keep, rank, numbered), True
        facets = table.facets(best)
        terms = {(name, term.decode("utf-8")) for name, term in q.existing_terms(current.reader(), phrases=True,
                                                                                    expand=True)
                 if isinstance(term, bytes)}
        top = best[:limit]
        hits = [_hit(current, int(docnum), float(match.score[docnum]), others, terms)
                for docnum, others in zip(top, table.others(top, ordered))]
        suggestion = None if hits and not relaxed else suggest(current, text, searched, words or {})
    except (QueryError, IndexUnusable):
        raise
    except DAMAGE as exc:  # a damaged segment shows up only when read
        forget(folder)
        raise damaged(exc) from None
    return Results(text, len(best), hits, facets, time.perf_counter() - started, expansions, suggestion,
                   relaxed and bool(len(best)))


def _language_rank(default_language: str, languages: list[str]) -> dict[str, int]:
    order = [default_language] + [lang for lang in languages if lang != default_language]
    return {lang: index for index, lang in enumerate(order)}


def _numbered(prepared: Prepared, text: str):
    """Documents whose official number is typed in the query: they come first, whatever the score."""
    typed = {token.strip('"()').lower() for token in text.split()}
    found = [prepared.term("numbers", token) for token in typed if token]
    return vectors.some(found, prepared.size).mask


def _collect(prepared: Prepared, q: query.Query, keep: query.Query | None, rank: dict[str, int],
             numbered) -> tuple:
    """(best document of each matching record in order, every matching document in the same
    order, the match), the first two as arrays of document numbers. Each record counts once,
    in its best language. `numbered` is a mask of the documents whose number was typed.

    Order: records whose official number was typed, then by language (the default first), then
    by score.
    """
    match = prepared.run(q)
    if keep is not None:
        match = vectors.require(match, prepared.run(keep))
    best, ordered = prepared.table(FACETS).rank(match.mask, match.score, numbered, rank)
    return best, ordered, match


def _hit(searcher, docnum: int, score: float, others: list[str], terms: set[tuple[str, str]]) -> Hit:
    """A hit with a snippet from the summary, else from the body, around the matched terms."""
    stored = searcher.stored_fields(docnum)
    lang = stored["lang"]
    stem, stops = stemmer(lang), stopwords(lang)
    snippet, spans = "", []
    wanted = {term for fieldname, term in terms if fieldname in (f"head_{lang}", f"text_{lang}")}
    for name in ("summary", "body"):
        snippet, spans = make_snippet(stored.get(f"{name}_{lang}", ""), wanted, stem, stops)
        if spans:
            break
    if not spans:
        snippet, spans = make_snippet(stored.get(f"summary_{lang}", ""), set(), stem, stops)
    return Hit(stored["id"], lang, stored["type"], stored.get(f"title_{lang}", stored["id"]), stored.get("date", ""),
               stored.get("path", ""), round(score, 3), snippet, spans, sorted(set(others)))
