"""Snippets: the window of a text with the most matched words, and where they are in it.

Engine-independent: the engine says which terms matched and how its analysis stems words and
which words it leaves out.
"""

from __future__ import annotations

import re
from typing import Callable

from .text import fold

WORDS = re.compile(r"\w+")


def make_snippet(text: str, wanted: set[str], stem: Callable[[str], str], stops: frozenset[str],
                 words: int = 30) -> tuple[str, list[tuple[int, int]]]:
    """The window of about `words` words with the most distinct matches, and the matches' spans in it.

    Words are those the index has (`stops` left out); a word matches when its `stem` is in
    `wanted`. Each distinct word is stemmed once, and character offsets are found only up to
    the end of the window.
    """
    folded = fold(text)  # same length as `text`: folding maps one character to one
    tokens = [word for word in WORDS.findall(folded) if word not in stops]
    if not tokens:
        return " ".join(text.split()[:words]), []
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
