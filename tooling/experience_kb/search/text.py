"""Text as search sees it, whatever the engine: accent folding that keeps ñ, and Markdown reduced
to its words.

`fold()` lowercases and removes accents but keeps ñ, so "indigenas" finds "indígenas" and "año"
is not "ano". Folding maps one character to one, so offsets in folded text are offsets in the
original. `plain()` strips Markdown and HTML marks for indexing and snippets.
"""

from __future__ import annotations

import re
import unicodedata


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


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_LINE = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?)", re.MULTILINE)


def plain(markdown: str) -> str:
    """Body text for indexing and snippets: Markdown and HTML marks removed, words kept."""
    text = _MD_LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    text = _MD_TAG.sub(" ", text) if "<" in text else text
    text = _MD_LINE.sub("", text) if ("#" in text or ">" in text) else text
    return text.replace("*", "").replace("`", "").replace("_", " ")
