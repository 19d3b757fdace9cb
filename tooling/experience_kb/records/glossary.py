"""Finding glossary terms in text: the site marks their first occurrence on a page, a booklet
lists the terms it uses.

The forms of an entry are its `term` and its `aliases`. Acronyms (forms written in capitals,
like ARA or REDD+) match only as written; other forms match in any case. A form matches as a
whole word, never inside another word or inside an official number such as 018-2013-RMDD/CR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .model import KnowledgeBase, strings


@dataclass(frozen=True)
class Form:
    text: str
    entry: str  # the glossary record's id
    explanation: str  # what the form stands for: the expansion, else the definition, else the title


@dataclass(frozen=True)
class Matcher:
    acronyms: re.Pattern | None
    terms: re.Pattern | None
    lookup: dict[str, Form]

    def find(self, text: str) -> Iterator[tuple[re.Match, Form]]:
        """Every match in `text`, left to right (the longest form where two start together)."""
        position = 0
        while True:
            found = [m for m in (p.search(text, position) for p in (self.acronyms, self.terms) if p) if m]
            if not found:
                return
            match = min(found, key=lambda m: (m.start(), -len(m.group(0))))
            position = match.end()
            form = self.lookup.get(match.group(0)) or self.lookup.get(match.group(0).casefold())
            if form is not None:
                yield match, form


def is_acronym(text: str) -> bool:
    return text.upper() == text and any(ch.isalpha() for ch in text)


def forms(kb: KnowledgeBase, lang: str) -> list[Form]:
    """The forms of every glossary entry, in `lang` (else the default language), longest first."""
    found: dict[str, Form] = {}
    for record_id in kb.of_type("glossary"):
        record = kb.get(record_id, lang)
        meta = record.meta
        explanation = next((meta[k] for k in ("expansion", "definition") if isinstance(meta.get(k), str)), record.title)
        term = meta.get("term") if isinstance(meta.get("term"), str) else None
        for text in [term, *strings(meta.get("aliases"))]:
            if text and len(text) >= 2 and text not in found:
                found[text] = Form(text, record_id, " ".join(explanation.split()))
    return sorted(found.values(), key=lambda form: (-len(form.text), form.text))


def matcher(found: list[Form]) -> Matcher:
    acronyms = [f.text for f in found if is_acronym(f.text)]
    others = [f.text for f in found if not is_acronym(f.text)]

    def pattern(texts: list[str], flags: int) -> re.Pattern | None:
        if not texts:
            return None
        alternatives = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
        return re.compile(rf"(?<![\w/.-])(?:{alternatives})(?![\w/-])", flags)

    lookup = {f.text.casefold(): f for f in found if not is_acronym(f.text)}
    lookup.update({f.text: f for f in found})
    return Matcher(pattern(acronyms, 0), pattern(others, re.IGNORECASE), lookup)


def used(texts: list[str], match: Matcher) -> list[str]:
    """The glossary ids whose forms occur in `texts`, in order of first occurrence."""
    seen: dict[str, None] = {}
    for text in texts:
        for _, form in match.find(text):
            seen.setdefault(form.entry)
    return list(seen)
