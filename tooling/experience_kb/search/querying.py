"""Running a query: parsing, filters, ranking, one hit per record, facets and snippets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import fields, qparser, query

from .. import searchtext
from ..searchtext import OPERATORS, QueryError, Synonyms, drop_words, fold
from . import vectors
from .analysis import WORDS, Analyzer, stemmer, stopwords
from .evaluate import Prepared, prepared
from .store import DAMAGE, IndexUnusable, damaged, forget, languages_of, searcher
from .suggest import suggest

BOOSTS = {"numbers": 40.0, "id": 8.0, "head": 4.0, "text": 1.0}
FACETS = ("type", "years", "stakeholders", "tags")


@dataclass
class Hit:
    id: str
    lang: str
    type: str
    title: str
    date: str
    path: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]  # character spans of matched words within the snippet
    other_languages: list[str] = field(default_factory=list)


@dataclass
class Results:
    query: str
    total: int  # matching records (a record matching in two languages counts once)
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    seconds: float
    expansions: list[tuple[str, list[str]]] = field(default_factory=list)
    suggestion: str | None = None
    relaxed: bool = False  # no record had every word, so records with some of them are shown


@dataclass
class Filters:
    types: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # inclusive range
    stakeholders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def query(self) -> query.Query | None:
        parts: list[query.Query] = []
        if self.types:
            parts.append(query.Or([query.Term("type", t) for t in self.types]))
        if self.years:
            low, high = self.years
            parts.append(query.Or([query.Term("years", str(y)) for y in range(low, high + 1)]))
        parts += [query.Term("stakeholders", s) for s in self.stakeholders]
        parts += [query.Term("tags", t) for t in self.tags]
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
        parsed = parser.parse(drop_words(text, stopwords(lang)))
        if parsed is not query.NullQuery:
            parts.append(query.And([parsed, query.Term("lang", lang)]) if len(languages) > 1 else parsed)
    if not parts:
        return query.NullQuery
    return parts[0] if len(parts) == 1 else query.Or(parts)


def query_index(folder: Path, text: str, synonyms: Synonyms, default_language: str, lang: str | None = None,
                filters: Filters | None = None, limit: int = 10,
                words: dict[str, dict[str, list]] | None = None) -> Results:
    """Search `folder`. Raises QueryError for queries that cannot be run, IndexUnusable for broken indexes."""
    started = time.perf_counter()
    text = searchtext.check(text)
    expanded, expansions = searchtext.expand(text, synonyms)
    current = searcher(folder)
    schema = current.schema
    languages = languages_of(schema)
    if lang is not None and lang not in languages:
        raise QueryError(f"the index has no language '{lang}'; it has {', '.join(languages)}")
    rank = _language_rank(default_language, languages)
    searched = [lang] if lang else sorted(languages, key=rank.get)
    filter_query = (filters or Filters()).query()
    if lang:
        filter_query = query.And([filter_query, query.Term("lang", lang)]) if filter_query else query.Term("lang", lang)
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
        best, ordered, match = _collect(arrays, q, filter_query, rank, numbered)
        relaxed = False
        if not len(best) and len(typed) > 1:
            q = _parse(schema, expanded, searched, qparser.OrGroup)
            (best, ordered, match), relaxed = _collect(arrays, q, filter_query, rank, numbered), True
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


def _collect(prepared: Prepared, q: query.Query, filter_query: query.Query | None, rank: dict[str, int],
             numbered) -> tuple:
    """(best document of each matching record in order, every matching document in the same
    order, the match), the first two as arrays of document numbers. Each record counts once,
    in its best language. `numbered` is a mask of the documents whose number was typed.

    Order: records whose official number was typed, then by language (the default first), then
    by score.
    """
    match = prepared.run(q)
    if filter_query is not None:
        match = vectors.require(match, prepared.run(filter_query))
    best, ordered = prepared.table(FACETS).rank(match, numbered, rank)
    return best, ordered, match


def _hit(searcher, docnum: int, score: float, others: list[str], terms: set[tuple[str, str]]) -> Hit:
    """A hit with a snippet from the summary, else from the body, around the matched terms."""
    stored = searcher.stored_fields(docnum)
    lang = stored["lang"]
    analyzer = Analyzer(lang)
    snippet, spans = "", []
    wanted = {term for fieldname, term in terms if fieldname in (f"head_{lang}", f"text_{lang}")}
    for name in ("summary", "body"):
        snippet, spans = make_snippet(stored.get(f"{name}_{lang}", ""), wanted, analyzer)
        if spans:
            break
    if not spans:
        snippet, spans = make_snippet(stored.get(f"summary_{lang}", ""), set(), analyzer)
    return Hit(stored["id"], lang, stored["type"], stored.get(f"title_{lang}", stored["id"]), stored.get("date", ""),
               stored.get("path", ""), round(score, 3), snippet, spans, sorted(set(others)))


def make_snippet(text: str, wanted: set[str], analyzer: Analyzer, words: int = 30) -> tuple[str, list[tuple[int, int]]]:
    """The window of about `words` words with the most distinct matches, and the matches' spans in it.

    Words are those the index has (stop words left out); a word matches when its stem is in
    `wanted`. Each distinct word is stemmed once, and character offsets are found only up to
    the end of the window.
    """
    stops = stopwords(analyzer.lang)
    folded = fold(text)  # same length as `text`: folding maps one character to one
    tokens = [word for word in WORDS.findall(folded) if word not in stops]
    if not tokens:
        return " ".join(text.split()[:words]), []
    stem = stemmer(analyzer.lang)
    forms = {word: term for word in set(tokens) if (term := stem(word)) in wanted} if wanted else {}
    matched = [i for i, word in enumerate(tokens) if word in forms] if forms else []
    start = 0
    if matched:
        best = (-1, 0)
        for first in matched:
            inside = {forms[tokens[i]] for i in matched if first <= i < first + words}
            best = max(best, (len(inside), -first))
        start = max(0, -best[1] - 3)
    end = min(len(tokens), start + words)
    spans: list[tuple[int, int]] = []
    for match in WORDS.finditer(folded):
        if match.group() not in stops:
            spans.append(match.span())
            if len(spans) == end:
                break
    begin_char = 0 if start == 0 else spans[start][0]
    end_char = len(text) if end == len(tokens) else spans[end - 1][1]
    raw = text[begin_char:end_char]
    prefix = "… " if begin_char > 0 else ""
    suffix = " …" if end_char < len(text) else ""
    out: list[str] = []
    where = [0] * len(raw)  # raw index -> index in the whitespace-collapsed text
    for index, char in enumerate(raw):
        where[index] = len(out)
        if not char.isspace():
            out.append(char)
        elif out and out[-1] != " ":
            out.append(" ")
    snippet = prefix + "".join(out).rstrip() + suffix
    highlights = [(len(prefix) + where[spans[i][0] - begin_char], len(prefix) + where[spans[i][1] - 1 - begin_char] + 1)
                  for i in matched if start <= i < end]
    return snippet, highlights
