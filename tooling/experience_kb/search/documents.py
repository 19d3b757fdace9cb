"""A record as the index holds it, whatever the engine.

`document()` flattens one language version of a record into the fields the index holds. The
schemas say how each field is searched (`x-search`: title, summary, name, number, text), so no
field or record name appears here. `number_forms()` gives the short forms people type for an
official number, and `count_words()` collects the words "did you mean" may propose.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Iterator

from ..records import dates, schema
from ..records.cache import digest
from ..records.model import Record
from .text import plain, strip_accents


TEXT_ROLES = ("title", "summary", "name", "text", "note")
_NUMBER = re.compile(r"(?<!\d)(0*(\d+)-(\d{4}))(?!\d)")


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
        "notes": "\n".join(roles["note"]),  # editorial notes: searched, weighted low
        "names": roles["name"],
        "numbers": [form for identifier in roles["number"] for form in number_forms(identifier)],
        "body": plain(record.body),
        "stakeholders": list(dict.fromkeys(stakeholders)),
        "tags": [tag for tag in meta.get("tags") or () if isinstance(tag, str)],
        "years": years(meta, top_dates),
        "date": shown_date,
        "path": record.relpath,  # below the knowledge base root: the index is the same from any folder
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
