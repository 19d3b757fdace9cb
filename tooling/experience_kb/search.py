"""The full-text search backend: the only module that imports whoosh.

Its interface is small so that another engine could stand behind it: `create()` writes a new
index from documents (see `searchtext.document`), `update()` replaces and removes documents in
place, `query()` runs a search and returns plain data, and `check()` says whether a folder holds
a usable index. Everything else (when to rebuild, what changed) lives in `searchindex`.

Analysis, per language: words, lowercase, accent folding that keeps ñ (`searchtext.fold`),
the language's stop words, then the Snowball stemmer. Folding comes before stemming, and the
stemmer's suffix lists are folded too, so "participacion" and "participación" stem alike.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import re
import struct
import time
import traceback
import warnings
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import whoosh.index
from whoosh import columns, fields, qparser, query, spelling
from whoosh.analysis import Composable, Token
from whoosh.codec.whoosh3 import W3Codec
from whoosh.lang import has_stemmer, has_stopwords, stopwords_for_language
from whoosh.lang import snowball

from .searchtext import QueryError, Synonyms, drop_words, fold, strip_accents

FORMAT = 6  # bump when the fields or the analysis change: older indexes are then rebuilt
INDEX_NAME = "kb"
BOOSTS = {"numbers": 40.0, "id": 8.0, "head": 4.0, "text": 1.0}
# A record's text in one language is two indexed fields: `head_<lang>` (title and names) and
# `text_<lang>` (summary and body). Within a field each part's words weigh as much as the
# part's weight, and phrases cannot run from one part into the next.
HEAD_PARTS = (("title", 1.0), ("names", 1.0))
TEXT_PARTS = (("summary", 2.0), ("body", 1.0))
_PART_GAP = 100
FACETS = ("type", "years", "stakeholders", "tags")
_WORDS = re.compile(r"\w+")
_COUNT = struct.Struct("!I")


class IndexUnusable(Exception):
    """The folder holds no index, a damaged one or one written by an older version."""


# What reading damaged index files raises inside whoosh; other exceptions are bugs and propagate.
_DAMAGE = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, ValueError, KeyError, IndexError)


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


# -- analysis -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _stemmer(lang: str) -> Callable[[str], str]:
    """The language's Snowball stemmer with folded suffix lists, cached per word; or no stemming."""
    if not has_stemmer(lang) or lang not in snowball.classes:
        return lambda word: word
    base = snowball.classes[lang]
    attrs = {}
    for klass in base.__mro__:
        for name, value in vars(klass).items():
            if "suffixes" in name and isinstance(value, tuple) and name not in attrs:
                attrs[name] = tuple(dict.fromkeys(strip_accents(suffix) for suffix in value))
    stemmer = type(f"Folded{base.__name__}", (base,), attrs)()
    return functools.lru_cache(maxsize=200_000)(stemmer.stem)


@functools.lru_cache(maxsize=None)
def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(fold(word) for word in stopwords_for_language(lang)) if has_stopwords(lang) else frozenset()


class Analyzer(Composable):
    """One pass per text: tokenize, fold, drop stop words, stem. Pickled into the index by language only."""

    is_morph = True

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getstate__(self) -> dict:
        return {"lang": self.lang}

    def __setstate__(self, state: dict) -> None:
        self.lang = state["lang"]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.lang == self.lang

    def __hash__(self) -> int:
        return hash((type(self), self.lang))

    def terms(self, text: str) -> list[str]:
        """The index terms of `text`, in order (stop words removed)."""
        stem, stops = _stemmer(self.lang), _stopwords(self.lang)
        return [stem(word) for word in _WORDS.findall(fold(text)) if word not in stops]

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(term, start, end) of every word that is not a stop word."""
        stem, stops = _stemmer(self.lang), _stopwords(self.lang)
        folded = fold(text)  # same length: folding maps one character to one
        for match in _WORDS.finditer(folded):
            if match.group() not in stops:
                yield stem(match.group()), match.start(), match.end()

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        stem, stops = _stemmer(self.lang), _stopwords(self.lang)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        pos = start_pos
        for match in _WORDS.finditer(folded) if tokenize else [re.match(r"(?s).*", folded)]:
            word = match.group()
            stopped = word in stops
            if stopped and removestops:
                continue
            token.text = word if (no_morph or stopped) else stem(word)
            token.stopped = stopped
            token.boost = 1.0
            if keeporiginal:
                token.original = value[match.start():match.end()]
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            pos += 1
            yield token


class FastPositions(fields.formats.Positions):
    """Positions encoded as a count then 32-bit integers.

    whoosh pickles a list of deltas per posting, which costs more than the rest of writing it.
    """

    def encode(self, poslist: list[int]) -> bytes:
        return _COUNT.pack(len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = array("I")
        positions.frombytes(valuestring[_COUNT.size:])
        return positions.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return _COUNT.unpack_from(valuestring)[0]


class WeightedText(fields.TEXT):
    """Several parts of a record (say title and names) indexed as one field, each word weighted by
    its part. Postings come straight from `Analyzer.terms`, without a Token per word.

    Two fields instead of four halve the matchers per query word and the postings to write,
    which is most of the time whoosh spends.
    """

    def __init__(self, lang: str, weights: tuple[float, ...]) -> None:
        super().__init__(analyzer=Analyzer(lang), stored=False, multitoken_query="phrase")
        self.format = FastPositions()
        self.weights = weights

    def index(self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        parts = [value] if isinstance(value, str) else value
        poses: dict[str, list[int]] = {}
        weights: dict[str, float] = {}
        base = 0
        for text, weight in zip(parts, self.weights):
            terms = self.analyzer.terms(text)
            for pos, term in enumerate(terms, base):
                found = poses.get(term)
                if found is None:
                    poses[term] = [pos]
                    weights[term] = weight
                else:
                    found.append(pos)
                    weights[term] += weight
            base += len(terms) + _PART_GAP
        pack = _COUNT.pack
        return [(word.encode("utf-8"), len(found), weights[word], pack(len(found)) + array("I", found).tobytes())
                for word, found in poses.items()]


class Codec(W3Codec):
    """whoosh's codec without per-term length statistics, which cost a disk read per posting to
    write and only serve top-k skipping, which collecting every match for facets cannot use."""

    length_stats = False

    def __init__(self, blocklimit: int = 128, compression: int = 1, inlinelimit: int = 1) -> None:
        # zlib level 1 instead of 3: a tenth of the writing time was compression; reading is alike.
        super().__init__(blocklimit, compression, inlinelimit)


class ListField(fields.KEYWORD):
    """Comma-separated values, kept per document in a list column for fast facet counts."""

    def __init__(self) -> None:
        super().__init__(stored=True, commas=True, scorable=False)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value: str) -> list[bytes]:
        return [item.encode("utf-8") for item in value.split(",") if item]


def make_schema(languages: Iterable[str]) -> fields.Schema:
    spec: dict[str, fields.FieldType] = {
        "key": fields.ID(unique=True, stored=True),
        "id": fields.ID(stored=True, sortable=True),
        "lang": fields.ID(stored=True, sortable=True),
        "type": fields.ID(stored=True, sortable=True),
        "numbers": fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        "years": ListField(),
        "stakeholders": ListField(),
        "tags": ListField(),
        "date": fields.STORED(),
        "path": fields.STORED(),
        "hash": fields.STORED(),
    }
    for lang in languages:
        spec[f"head_{lang}"] = WeightedText(lang, tuple(weight for _, weight in HEAD_PARTS))
        spec[f"text_{lang}"] = WeightedText(lang, tuple(weight for _, weight in TEXT_PARTS))
        for name in ("title", "summary", "body"):  # kept for hits and snippets
            spec[f"{name}_{lang}"] = fields.STORED()
    return fields.Schema(**spec)


def _fields_of(doc: dict, languages: Iterable[str]) -> dict[str, Any]:
    lang = doc["lang"]
    values = {
        "key": doc["key"], "id": doc["id"], "lang": lang, "type": doc["type"],
        "numbers": ",".join(doc["numbers"]),
        "years": ",".join(str(year) for year in doc["years"]),
        "stakeholders": ",".join(doc["stakeholders"]), "tags": ",".join(doc["tags"]),
        "date": doc["date"], "path": doc["path"], "hash": doc["hash"],
    }
    if lang in languages:
        values.update({f"head_{lang}": (doc["title"], "\n".join(doc["names"])),
                       f"text_{lang}": (doc["summary"], doc["body"]),
                       f"title_{lang}": doc["title"], f"summary_{lang}": doc["summary"], f"body_{lang}": doc["body"]})
    return values


# -- writing ---------------------------------------------------------------------------------------

def create(folder: Path, docs: list[dict], languages: Iterable[str], procs: int | None = None,
           progress: Callable[[int], None] | None = None) -> int:
    """Write a new index of `docs` into the empty `folder`. Returns the number of documents."""
    languages = tuple(languages)
    ix = whoosh.index.create_in(str(folder), make_schema(languages), indexname=INDEX_NAME)
    if procs is None:
        procs = min(os.cpu_count() or 1, 4) if len(docs) >= 2000 else 1
    # Postings are sorted in memory up to `limitmb` per process, else spilled to disk and merged,
    # which costs 40% more time at 10,000 records; ~770 MB per process is enough for 20,000 documents.
    limitmb = min(768, max(64, len(docs) // 25))
    writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=limitmb, codec=Codec())
    for count, doc in enumerate(docs, 1):
        writer.add_document(**_fields_of(doc, languages))
        if progress and count % 200 == 0:
            progress(200)
    writer.commit()
    if progress:
        progress(len(docs) % 200)
    return len(docs)


def update(folder: Path, upserts: list[dict], removals: Iterable[str]) -> None:
    """Replace or add `upserts` (by key) and delete the documents with the `removals` keys."""
    ix = _open(folder)
    languages = tuple(_languages(ix.schema))
    try:
        writer = ix.writer(timeout=10.0, codec=Codec())
    except whoosh.index.LockError as exc:
        raise IndexBusy("another kb process is writing the index; try again in a moment") from exc
    try:
        for key in removals:
            writer.delete_by_term("key", key)
        for doc in upserts:
            writer.update_document(**_fields_of(doc, languages))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _languages(schema: fields.Schema) -> list[str]:
    return [name.split("_", 1)[1] for name in schema.names() if name.startswith("text_")]


def _open(folder: Path):
    if not whoosh.index.exists_in(str(folder), indexname=INDEX_NAME):
        raise IndexUnusable("there is no index yet")
    try:
        return whoosh.index.open_dir(str(folder), indexname=INDEX_NAME)
    except (*_DAMAGE, whoosh.index.IndexError) as exc:
        raise _damaged(exc, "the index cannot be read") from None


def _damaged(exc: BaseException, what: str = "the index is damaged") -> IndexUnusable:
    """IndexUnusable for `exc`, after closing the files whoosh left open while failing.

    Those files are held by the failed frames; clearing the frames closes them now, quietly,
    instead of with a ResourceWarning whenever the garbage collector gets to them.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    return IndexUnusable(f"{what} ({type(exc).__name__}: {exc})")


_OPEN: dict[str, tuple[tuple, Any]] = {}  # folder -> (its identity, an open searcher)
_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")


def _identity(folder: Path) -> tuple:
    """What changes when the index in `folder` is rewritten: the folder itself (a rebuild swaps
    in a new one) and the newest table of contents (an update commits a new generation)."""
    info = os.stat(folder)
    generations = [int(m[1]) for m in map(_TOC.match, os.listdir(folder)) if m]
    return info.st_ino, info.st_mtime_ns, max(generations, default=-1)


def searcher(folder: Path):
    """An open whoosh searcher of `folder`, kept for later calls while the index is unchanged.

    Opening costs tens of milliseconds on a large index (whoosh maps and copies every segment
    part), more than a query; a site or a benchmark making many queries pays it once.
    """
    key = str(folder)
    try:
        identity = _identity(folder)
    except OSError:
        raise IndexUnusable("there is no index yet") from None
    cached = _OPEN.get(key)
    if cached is not None:
        if cached[0] == identity:
            return cached[1]
        forget(folder)
    ix = _open(folder)
    try:
        opened = ix.searcher()
    except _DAMAGE as exc:
        raise _damaged(exc) from None
    _OPEN[key] = (identity, opened)
    return opened


def forget(folder: Path) -> None:
    """Close the kept searcher of `folder`, if any."""
    cached = _OPEN.pop(str(folder), None)
    if cached is not None:
        cached[1].close()


def check(folder: Path) -> int:
    """The number of indexed documents. Raises IndexUnusable."""
    try:
        return searcher(folder).doc_count()
    except _DAMAGE as exc:
        forget(folder)
        raise _damaged(exc) from None


# -- querying -------------------------------------------------------------------------------------

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
        parsed = parser.parse(drop_words(text, _stopwords(lang)))
        if parsed is not query.NullQuery:
            parts.append(query.And([parsed, query.Term("lang", lang)]) if len(languages) > 1 else parsed)
    if not parts:
        return query.NullQuery
    return parts[0] if len(parts) == 1 else query.Or(parts)


def query_index(folder: Path, text: str, synonyms: Synonyms, default_language: str, lang: str | None = None,
                filters: Filters | None = None, limit: int = 10,
                words: dict[str, dict[str, list]] | None = None) -> Results:
    """Search `folder`. Raises QueryError for queries that cannot be run, IndexUnusable for broken indexes."""
    from . import searchtext

    started = time.perf_counter()
    text = searchtext.check(text)
    expanded, expansions = searchtext.expand(text, synonyms)
    current = searcher(folder)
    schema = current.schema
    languages = _languages(schema)
    if lang is not None and lang not in languages:
        raise QueryError(f"the index has no language '{lang}'; it has {', '.join(languages)}")
    rank = _language_rank(default_language, languages)
    searched = [lang] if lang else sorted(languages, key=rank.get)
    filter_query = (filters or Filters()).query()
    if lang:
        filter_query = query.And([filter_query, query.Term("lang", lang)]) if filter_query else query.Term("lang", lang)
    common = frozenset().union(*(_stopwords(language) for language in searched))
    typed = [fold(word) for word in _WORDS.findall(text) if word not in ("AND", "OR", "NOT")]
    try:
        q = _parse(schema, expanded, searched, qparser.AndGroup)
        if q is query.NullQuery or all(word in common for word in typed):
            raise QueryError(f"'{text}' has only very common words (such as 'de', 'la', 'the', 'of'), "
                             f"which are not indexed: add a more specific word")
        numbered = _numbered(current, text)
        found = _collect(current, q, filter_query, rank, numbered)
        relaxed = False
        if not found and len(typed) > 1:
            q = _parse(schema, expanded, searched, qparser.OrGroup)
            found, relaxed = _collect(current, q, filter_query, rank, numbered), True
        facets = _facets(current, found)
        terms = {(name, term.decode("utf-8")) for name, term in q.existing_terms(current.reader(), phrases=True,
                                                                                    expand=True)
                 if isinstance(term, bytes)}
        hits = [_hit(current, docnum, score, others, terms, languages)
                for docnum, score, others in found[:limit]]
        suggestion = None if hits and not relaxed else _suggest(current, text, searched, words or {})
    except (QueryError, IndexUnusable):
        raise
    except _DAMAGE as exc:  # a damaged segment shows up only when read
        forget(folder)
        raise _damaged(exc) from None
    return Results(text, len(found), hits, facets, time.perf_counter() - started, expansions, suggestion,
                   relaxed and bool(found))


def _language_rank(default_language: str, languages: list[str]) -> dict[str, int]:
    order = [default_language] + [lang for lang in languages if lang != default_language]
    return {lang: index for index, lang in enumerate(order)}


def _numbered(searcher, text: str) -> set[int]:
    """Documents whose official number is typed in the query: they come first, whatever the score."""
    reader = searcher.reader()
    typed = {token.strip('"()').lower() for token in text.split()}
    terms = [query.Term("numbers", token) for token in typed if token and reader.doc_frequency("numbers", token)]
    return set(searcher.docs_for_query(query.Or(terms))) if terms else set()


def _collect(searcher, q, filter_query, rank: dict[str, int],
             numbered: set[int]) -> list[tuple[int, float, list[str]]]:
    """(docnum, score, other matching languages) per record, each record once in its best language.

    Order: records whose official number was typed, then by language (the default first), then
    by score.
    """
    results = searcher.search(q, filter=filter_query, limit=None)
    ids, langs = _column(searcher, "id"), _column(searcher, "lang")
    best: dict[str, list] = {}
    for docnum, score in results.items():
        record_id, lang = ids[docnum], langs[docnum]
        entry = best.get(record_id)
        key = (docnum not in numbered, rank.get(lang, len(rank)), -score)
        if entry is None:
            best[record_id] = [key, docnum, score, []]
        elif key < entry[0]:
            entry[3].append(langs[entry[1]])
            entry[0:3] = [key, docnum, score]
        else:
            entry[3].append(lang)
    ordered = sorted(best.values(), key=lambda entry: entry[0])
    return [(docnum, score, others) for _, docnum, score, others in ordered]


def _column(searcher, name: str) -> list:
    """A column's values for every document, decoded: a string, or a tuple for list fields.

    Read whole once per open searcher (whoosh's per-document column access costs a few
    microseconds, which adds up over thousands of matches), then kept with it.
    """
    cache = searcher.__dict__.setdefault("_kb_columns", {})
    if name not in cache:
        values = []
        for value in searcher.reader().column_reader(name, translate=False):
            if isinstance(value, list):
                values.append(tuple(item.decode("utf-8") for item in value))
            else:
                values.append(value.decode("utf-8") if isinstance(value, bytes) else value)
        cache[name] = values
    return cache[name]


def _facets(searcher, found: list[tuple[int, float, list[str]]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    docnums = [docnum for docnum, _, _ in found]
    for name in FACETS:
        column = _column(searcher, name)
        if name == "type":
            tally = Counter(column[docnum] for docnum in docnums)
        else:
            tally = Counter(value for docnum in docnums for value in column[docnum])
        tally.pop("", None)
        counts[name] = dict(sorted(tally.items(), key=lambda item: (-item[1], item[0])))
    return counts


def _hit(searcher, docnum: int, score: float, others: list[str], terms: set[tuple[str, str]],
         languages: list[str]) -> Hit:
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
    """The window of about `words` words with the most distinct matches, and the matches' spans in it."""
    spans = list(analyzer.spans(text))
    if not spans:
        return " ".join(text.split()[:words]), []
    matched = [i for i, (term, _, _) in enumerate(spans) if term in wanted]
    start = 0
    if matched:
        best = (-1, 0)
        for first in matched:
            inside = {spans[i][0] for i in matched if first <= i < first + words}
            best = max(best, (len(inside), -first))
        start = max(0, -best[1] - 3)
    end = min(len(spans), start + words)
    begin_char, end_char = spans[start][1], spans[end - 1][2]
    if start == 0:
        begin_char = 0
    if end == len(spans):
        end_char = len(text)
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
    highlights = [(len(prefix) + where[spans[i][1] - begin_char], len(prefix) + where[spans[i][2] - 1 - begin_char] + 1)
                  for i in matched if start <= i < end]
    return snippet, highlights


def _suggest(searcher, text: str, languages: list[str], words: dict[str, dict[str, list]]) -> str | None:
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
        if word and not token.startswith('"') and word.upper() not in {"AND", "OR", "NOT"} and \
                _WORDS.fullmatch(fold(word)) and not word.isdigit() and not _known(reader, word, languages):
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
