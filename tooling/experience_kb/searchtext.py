"""What search needs from records and queries, independent of the search engine.

- `document()` flattens one language version of a record into the fields the index holds. The
  schemas say how each field is searched (`x-search`: title, summary, name, number, text).
- `Synonyms` holds the names of each record (a stakeholder's name and acronym, a glossary
  term, its aliases and expansion, in every language). In a query, any of them stands for all
  of them: "ARA" also looks for "Autoridad Regional Ambiental" and the other way round.
- `check()` and `expand()` read the query text: clear messages for queries that cannot be
  run, then synonym expansion in the engine's query syntax.
- `fold()` removes accents but keeps ñ, so "indigenas" finds "indígenas" and "año" is not "ano".
"""

from __future__ import annotations

import re
from collections import Counter
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from . import dates, schema
from .cache import digest
from .model import Record


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics -> the bare letter; ñ/Ñ are letters of their own in Spanish."""
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in "ñÑ":
            continue
        bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if bare != char and bare.isascii():
            table[code] = bare
    return table


FOLD = _fold_table()
_FOLD_CHARS = {chr(code): bare for code, bare in FOLD.items()}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(match: re.Match) -> str:
    return _FOLD_CHARS.get(match.group(), match.group())


def strip_accents(text: str) -> str:
    """`text` without accents, except that ñ stays ñ; one character for one, so offsets hold."""
    # str.translate looks up every character; substituting only non-ASCII ones is 4x faster.
    return text if text.isascii() else _NON_ASCII.sub(_fold_char, text)


def fold(text: str) -> str:
    """Lowercase and without accents, except that ñ stays ñ."""
    return strip_accents(text.lower())


# -- documents ----------------------------------------------------------------------------------

TEXT_ROLES = ("title", "summary", "name", "text")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_LINE = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?)", re.MULTILINE)
_NUMBER = re.compile(r"(?<!\d)(0*(\d+)-(\d{4}))(?!\d)")


def plain(markdown: str) -> str:
    """Body text for indexing and snippets: Markdown and HTML marks removed, words kept."""
    text = _MD_LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    text = _MD_TAG.sub(" ", text) if "<" in text else text
    text = _MD_LINE.sub("", text) if ("#" in text or ">" in text) else text
    return text.replace("*", "").replace("`", "").replace("_", " ")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def number_forms(identifier: str) -> list[str]:
    """An official number and the short forms people type: 018-2013-RMDD/CR, 018-2013, 18-2013."""
    full = " ".join(identifier.lower().split())
    forms = [full]
    match = _NUMBER.search(full)
    if match:
        forms += [full[match.start():], match[1], f"{match[2]}-{match[3]}"]
    return list(dict.fromkeys(forms))


def years(meta: dict, date_fields: Iterable[str]) -> list[int]:
    """Every year a record spans, from the earliest to the latest of its top-level dates."""
    found = [dates.parse(meta.get(name)) for name in date_fields]
    found_years = [parts[0] for parts in found if parts]
    if not found_years:
        return []
    return list(range(min(found_years), max(found_years) + 1))


def document(record: Record) -> dict[str, Any]:
    """One language version of a record, as the index stores it."""
    meta, kind = record.meta, record.type
    roles: dict[str, list[str]] = {role: [] for role in (*TEXT_ROLES, "number")}
    for pattern, role in kind.search:
        for _, value in schema.iter_values(meta, pattern):
            roles.setdefault(role, []).extend(s for s in _strings(value) if s.strip())
    stakeholders = [record.id] if kind.name == "stakeholder" else []
    for pattern, target in kind.refs:
        if target == "stakeholder":
            stakeholders += [value for _, value in schema.iter_values(meta, pattern) if isinstance(value, str)]
    top_dates = [pattern[0] for pattern in kind.dates if len(pattern) == 1]
    shown_date = next((meta[name] for name in top_dates if isinstance(meta.get(name), str)), "")
    doc = {
        "key": f"{record.id}.{record.lang}",
        "id": record.id,
        "lang": record.lang,
        "type": kind.name,
        "title": record.title,
        "summary": "\n".join(roles["summary"] + roles["text"]),
        "names": roles["name"],
        "numbers": [form for identifier in roles["number"] for form in number_forms(identifier)],
        "body": plain(record.body),
        "stakeholders": list(dict.fromkeys(stakeholders)),
        "tags": [tag for tag in meta.get("tags") or () if isinstance(tag, str)],
        "years": years(meta, top_dates),
        "date": shown_date,
        "path": record.display,
    }
    # Every value is a string or a list of strings or numbers; \x1f and \x1e cannot occur in them.
    doc["hash"] = digest("\x1e".join(f"{key}\x1f{value if isinstance(value, str) else repr(value)}"
                                      for key, value in doc.items()).encode())
    return doc


def count_words(docs: Iterable[dict], words: dict[str, dict[str, list]] | None = None) -> dict[str, dict[str, list]]:
    """Add the words of `docs` to `words`: language -> folded word -> [uses, the word as written].

    These are the words "did you mean" proposes, from titles, names and summaries. Bodies are
    left out: reading them would cost a fifth of the indexing time. Counting runs over one joined
    text per language, so the per-word work happens in C.
    """
    words = {} if words is None else words
    texts: dict[str, list[str]] = {}
    for doc in docs:
        texts.setdefault(doc["lang"], []).extend((doc["title"], *doc["names"], doc["summary"]))
    for lang, parts in texts.items():
        known = words.setdefault(lang, {})
        for written, uses in Counter(_LETTERS.findall("\n".join(parts).lower())).items():
            if len(written) <= 3:
                continue
            entry = known.setdefault(strip_accents(written), [0, written])
            entry[0] += uses
    return words


_LETTERS = re.compile(r"[^\W\d_]+")


# -- synonyms -------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[-+.&/']\w+)*\+?")


_TRAILING_NOTE = re.compile(r"^(?P<name>.*\S)\s*\((?P<note>[^()]+)\)\s*$")
_INNER_NOTE = re.compile(r"\s*\([^()]*\)")


def name_variants(name: str) -> list[str]:
    """A name and the names inside it: "Ordenanza Regional (Regional Ordinance)" is both; an inner
    aside, as in "Reducing Emissions of GHG (greenhouse gases) caused by ...", is only dropped."""
    match = _TRAILING_NOTE.match(name)
    if match:
        return [*name_variants(match["name"]), *name_variants(match["note"])]
    plain_name = _INNER_NOTE.sub("", name)
    return [plain_name] if plain_name.strip() else []


def phrase_key(text: str) -> str:
    """How a name is compared: folded words separated by single spaces."""
    return " ".join(_WORD.findall(fold(text)))


@dataclass
class Synonyms:
    """Groups of names that stand for one another in queries, keyed by phrase."""

    groups: dict[str, list[str]]  # record id -> its names, as written

    def __post_init__(self) -> None:
        self.table: dict[str, set[str]] = {}
        for names in self.groups.values():
            keys = {phrase_key(variant): variant for name in names for variant in name_variants(name)}
            keys.pop("", None)
            if len(keys) < 2:
                continue
            for key in keys:
                self.table.setdefault(key, set()).update(k for k in keys if k != key)
        self.longest = max((key.count(" ") + 1 for key in self.table), default=0)

    @classmethod
    def from_documents(cls, docs: Iterable[dict]) -> "Synonyms":
        groups: dict[str, list[str]] = {}
        for doc in docs:
            if doc.get("names"):
                groups.setdefault(doc["id"], []).extend(doc["names"])
        return cls({rid: list(dict.fromkeys(names)) for rid, names in groups.items()})

    def alternatives(self, words: list[str]) -> list[str]:
        """Other names for the phrase made of `words` (already folded), longest match only."""
        return sorted(self.table.get(" ".join(words), ()))


# -- query text -----------------------------------------------------------------------------------

class QueryError(ValueError):
    """A query that cannot be run, with a message for the person who typed it."""


OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}  # the query parser's operator words
_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')


def check(query: str) -> str:
    """The query, stripped; QueryError for empty queries and unbalanced quotes or parentheses."""
    text = query.strip()
    if not text:
        raise QueryError("the query is empty: type one or more words to look for")
    if text.count('"') % 2:
        column = text.rfind('"') + 1
        raise QueryError(f'a quotation mark is not closed (column {column}): write phrases as "two words", '
                         f"or remove the stray quotation mark")
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth < 0:
                raise QueryError(f"a closing parenthesis has no opening one (column {match.start() + 1})")
    if depth:
        raise QueryError(f"{depth} opening parenthes{'is is' if depth == 1 else 'es are'} not closed")
    if not any(t not in OPERATORS and t not in "()" for t in _TOKEN.findall(text)):
        raise QueryError("the query has only operators (AND, OR, NOT): add words to look for")
    if not any(re.search(r"\w", token) for token in _TOKEN.findall(text) if token not in OPERATORS):
        raise QueryError("the query has no letters or digits: type a word, or the start of one followed by * "
                         "(salvag*)")
    return text


def _plain_word(token: str) -> bool:
    """A bare word of the query, as opposed to syntax: operators, phrases, fields, wildcards."""
    return (token not in OPERATORS and token not in "()" and not token.startswith('"')
            and not any(mark in token for mark in ":*?~^[]{}"))


def expand(query: str, synonyms: Synonyms) -> tuple[str, list[tuple[str, list[str]]]]:
    """Rewrite runs of bare words that are a name into (name OR "other name" ...).

    Returns the query to parse and the expansions made, as (phrase, alternatives), so that the
    caller can tell the user what was searched for.
    """
    tokens = _TOKEN.findall(query)
    out: list[str] = []
    made: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(tokens):
        if not _plain_word(tokens[i]) or not synonyms.longest:
            out.append(tokens[i])
            i += 1
            continue
        run_end = i
        while run_end < len(tokens) and _plain_word(tokens[run_end]) and run_end - i < synonyms.longest:
            run_end += 1
        for end in range(run_end, i, -1):
            words = [phrase_key(token) for token in tokens[i:end]]
            alternatives = synonyms.alternatives([w for w in words if w])
            if alternatives:
                original = " ".join(tokens[i:end])
                made.append((original, alternatives))
                quoted = " OR ".join(f'"{alt}"' for alt in alternatives)
                out.append(f"(({original}) OR {quoted})")
                i = end
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out), made


def drop_words(query: str, words: frozenset[str]) -> str:
    """The query without the bare words in `words` (folded), and without operators left dangling."""
    kept: list[str] = []
    for token in _TOKEN.findall(query):
        if _plain_word(token) and fold(token) in words:
            if kept and kept[-1] == "NOT":
                kept.pop()  # NOT of a dropped word goes with it
            continue
        kept.append(token)
    changed = True
    while changed:
        changed = False
        for i, token in enumerate(kept):
            before = kept[i - 1] if i else "("
            after = kept[i + 1] if i + 1 < len(kept) else ")"
            dangling = token in OPERATORS and (before in OPERATORS or before == "(" or after in OPERATORS
                                                or after == ")") and not (token == "NOT" and after not in ")")
            empty_group = token == "(" and after == ")"
            if dangling or empty_group:
                del kept[i:i + (2 if empty_group else 1)]
                changed = True
                break
    return " ".join(kept)
