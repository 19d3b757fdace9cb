"""Analysis and the index schema: how text becomes terms, and which fields a document has.

Per language: words, lowercase, accent folding that keeps ñ (`search.text.fold`), the
language's stop words, then the Snowball stemmer. Folding comes before stemming, and the
stemmer's suffix lists are folded too, so "participacion" and "participación" stem alike.

Private parts of whoosh used here (check them on a whoosh upgrade): `whoosh.lang.snowball.classes`
and the Snowball stemmer classes' suffix tuples (class attributes whose names contain
"suffixes", some name-mangled), which `stemmer()` replaces with folded copies.
"""

from __future__ import annotations

import functools
import re
import struct
from array import array
from typing import Any, Callable, Iterable, Iterator

from whoosh import columns, fields
from whoosh.analysis import Composable, Token
from whoosh.lang import has_stemmer, has_stopwords, snowball, stopwords_for_language

from ..text import fold, strip_accents

# A record's text in one language is two indexed fields: `head_<lang>` (title and names) and
# `text_<lang>` (summary and body). Within a field each part's words weigh as much as the
# part's weight, and phrases cannot run from one part into the next.
HEAD_PARTS = (("title", 1.0), ("names", 1.0))
TEXT_PARTS = (("summary", 2.0), ("body", 1.0), ("notes", 0.3))
_PART_GAP = 100
WORDS = re.compile(r"\w+")
_COUNT = struct.Struct("!I")



@functools.lru_cache(maxsize=None)
def stemmer(lang: str) -> Callable[[str], str]:
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
def stopwords(lang: str) -> frozenset[str]:
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
        stem, stops = stemmer(self.lang), stopwords(self.lang)
        return [stem(word) for word in WORDS.findall(fold(text)) if word not in stops]

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(term, start, end) of every word that is not a stop word."""
        stem, stops = stemmer(self.lang), stopwords(self.lang)
        folded = fold(text)  # same length: folding maps one character to one
        for match in WORDS.finditer(folded):
            if match.group() not in stops:
                yield stem(match.group()), match.start(), match.end()

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        stem, stops = stemmer(self.lang), stopwords(self.lang)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        pos = start_pos
        for match in WORDS.finditer(folded) if tokenize else [re.match(r"(?s).*", folded)]:
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
    `codec.PostingsWriter` stores them flat per block (`flat_positions`), for phrase matching
    over whole posting lists.
    """

    flat_positions = True

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


def fields_of(doc: dict, languages: Iterable[str]) -> dict[str, Any]:
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
                       f"text_{lang}": (doc["summary"], doc["body"], doc.get("notes", "")),
                       f"title_{lang}": doc["title"], f"summary_{lang}": doc["summary"], f"body_{lang}": doc["body"]})
    return values
