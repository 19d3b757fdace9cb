"""Names that stand for one another in queries.

`Synonyms` holds the names of each record (a stakeholder's name and acronym, a glossary term,
its aliases and expansion, in every language). In a query, any of them stands for all of them:
"ARA" also looks for "Autoridad Regional Ambiental" and the other way round. The table is
built once per index (see `upkeep.synonyms`), not per query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .text import fold


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
