"""Which records a booklet gathers, in order: its `contents` (explicit ids, in their order),
then the records its `select` matches, sorted by `sort` (date, title or type).

Plain data over the `KnowledgeBase`: validation (checks/booklet_rules) and the booklets stage
both ask here, so a manifest means the same thing to both.

- A record matches `select` when it matches every criterion given: one of `types`, one of
  `tags`, one of `stakeholders` (in its `stakeholders` field), and dates that reach into
  `from`–`to` (a record without dates never matches a date range).
- Booklets are never selected; a record listed in `contents` is not added again by `select`.

`cover_image` says which file a manifest's cover is, when it is one a booklet may print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import dates
from .model import KnowledgeBase, Record, dicts, strings

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
DATE_FIELDS = ("date", "start_date", "end_date", "founding_date", "dissolution_date")
SORTS = ("date", "title", "type")


@dataclass
class Selection:
    """The ids a booklet gathers, and what went wrong with its manifest's selection."""

    ids: list[str] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # indexes in `contents` that repeat an earlier id
    unknown: list[int] = field(default_factory=list)  # indexes in `contents` of ids no record has
    matched: int = 0  # records that `select` matched (before removing those listed in `contents`)


def span(record: Record) -> tuple[dt.date, dt.date] | None:
    """The first and last day a record's dates can stand for, or None when it has none."""
    found = [value for value in (record.meta.get(name) for name in DATE_FIELDS) if dates.usable(_text(value))]
    if not found:
        return None
    return min(dates.earliest(_text(v)) for v in found), max(dates.latest(_text(v)) for v in found)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def matches(record: Record, criteria: dict[str, Any]) -> bool:
    if record.type.name == "booklet":
        return False
    if "types" in criteria and record.type.name not in strings(criteria["types"]):
        return False
    if "tags" in criteria and not set(strings(record.meta.get("tags"))) & set(strings(criteria["tags"])):
        return False
    if "stakeholders" in criteria:
        involved = {item.get("id") for item in dicts(record.meta.get("stakeholders"))}
        if not involved & set(strings(criteria["stakeholders"])):
            return False
    if "from" in criteria or "to" in criteria:
        reach = span(record)
        if reach is None:
            return False
        start, end = _text(criteria.get("from")), _text(criteria.get("to"))
        if dates.usable(start) and reach[1] < dates.earliest(start):
            return False
        if dates.usable(end) and reach[0] > dates.latest(end):
            return False
    return True


def sort_key(record: Record, how: str) -> tuple:
    reach = span(record)
    when = reach[0] if reach else dt.date.max
    if how == "title":
        return (record.title.casefold(), record.id)
    if how == "type":
        return (record.type.name, when, record.id)
    return (when, record.title.casefold(), record.id)


def select(kb: KnowledgeBase, meta: dict[str, Any], lang: str | None = None) -> Selection:
    """The records of the booklet whose front matter is `meta`, in `lang` where it matters
    (titles when sorting by title)."""
    result = Selection()
    seen: set[str] = set()
    contents = meta.get("contents") if isinstance(meta.get("contents"), list) else []
    for index, value in enumerate(contents):
        if not isinstance(value, str):
            continue
        if value in seen:
            result.duplicates.append(index)
        elif value not in kb.by_id:
            result.unknown.append(index)
        else:
            seen.add(value)
            result.ids.append(value)
    criteria = meta.get("select")
    if isinstance(criteria, dict) and criteria:
        how = meta.get("sort") if meta.get("sort") in SORTS else "date"
        found = [record for record_id in kb.by_id
                 if (record := kb.get(record_id, lang)) is not None and matches(record, criteria)]
        result.matched = len(found)
        for record in sorted(found, key=lambda r: sort_key(r, how)):
            if record.id not in seen:
                seen.add(record.id)
                result.ids.append(record.id)
    return result


def cover_image(root: Path, value: Any) -> Path | None:
    """The cover image a manifest names, resolved: a PNG, JPEG or SVG file inside the knowledge
    base (`root`), never through a link out of it; None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    base = root.resolve()
    path = (base / value).resolve()
    if not path.is_relative_to(base) or not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    return path
