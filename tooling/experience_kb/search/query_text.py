"""The query language, before any engine sees it.

`check()` gives a clear message for a query that cannot be run (empty, unbalanced quotes or
parentheses, only operators or punctuation); `expand()` rewrites names into their synonyms in
the engine's query syntax; `drop_words()` removes a language's stop words without leaving
operators dangling.
"""

from __future__ import annotations

import re

from .synonyms import Synonyms, phrase_key
from .text import fold


class QueryError(ValueError):
    """A query that cannot be run, with a message for the person who typed it."""


OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
MAX_QUERY = 1000  # characters: pasted pages are not queries, and each word costs
MAX_WORDS = 64  # the query parser's operator words
_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')


def check(query: str) -> str:
    """The query, stripped; QueryError for empty queries and unbalanced quotes or parentheses."""
    text = query.strip()
    if not text:
        raise QueryError("the query is empty: type one or more words to look for")
    if len(text) > MAX_QUERY:
        raise QueryError(f"the query is {len(text):,} characters long; a search takes at most {MAX_QUERY:,}: "
                         f"type the few words that matter")
    words = len(_TOKEN.findall(text))
    if words > MAX_WORDS:
        raise QueryError(f"the query has {words:,} words and operators; a search takes at most {MAX_WORDS}: "
                         f"type the few words that matter")
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
            if token == "NOT" and i + 1 < len(kept) and kept[i + 1] == "NOT":  # NOT NOT x is x
                del kept[i:i + 2]
                changed = True
                break
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
