"""Checks of one record on its own: its type, its schema, its id, its dates and its body.

They depend only on the file's content (and the schemas), so their results are cached with the
file (`records.cache`); `check_all` takes cached results where the file is unchanged.
"""

from __future__ import annotations

import re

from ..problems import Code, Problem, problem
from ..records import dates, schema
from ..records.cache import FileCache, problems_from
from ..records.messages import dotted, validate_record
from ..records.model import KnowledgeBase, Record


def check_all(kb: KnowledgeBase, cache: FileCache | None = None) -> list[Problem]:
    """The per-file problems of every record, from the cache where the file is unchanged."""
    problems: list[Problem] = []
    for record in kb.records:
        cached = cache.problems(record.relpath, record.digest) if cache else None
        if cached is not None:
            problems += problems_from(cached, record.display)
            continue
        found = check_record(record)
        problems += found
        if cache:
            cache.put_problems(record.relpath, record.digest, found)
    return problems


def check_record(record: Record) -> list[Problem]:
    """Type, schema, id and date checks of one record."""
    meta, display, expected = record.meta, record.display, record.type
    problems: list[Problem] = []
    skip: tuple = ()
    declared = meta.get("type")
    if declared is not None and declared != expected.name:
        skip = ("type",)
        line, col = record.locate(("type",))
        known = schema.types()
        if isinstance(declared, str) and declared in known:
            message = (f"type '{declared}' records belong in {known[declared].collection}/, but this file is in "
                       f"{expected.collection}/; move the file or set 'type: {expected.name}'")
        else:
            message = f"unknown type {declared!r}; files in {expected.collection}/ have 'type: {expected.name}'"
        problems.append(problem(Code.UNKNOWN_TYPE, display, line, col, message))
    schema_problems = validate_record(expected.name, meta, record.fm, display, skip)
    problems += schema_problems
    declared_id = meta.get("id")
    if isinstance(declared_id, str) and declared_id != record.id:  # locating costs a parse: only on a problem
        id_line = record.locate(("id",))
        if not any((p.line, p.column) == id_line for p in schema_problems):
            problems.append(problem(Code.ID_MISMATCH, display, *id_line,
                                    f"id '{declared_id}' does not match the file name, which gives '{record.id}'; "
                                    f"rename the file or set 'id: {record.id}'"))
    problems += _check_dates(record)
    problems += _check_body(record)
    return problems


_UNSAFE_TAG = re.compile(
    r"<\s*(script|iframe|object|embed|form|style|meta|link|base)\b"
    r"|<[a-z][^<>]*\s(on[a-z]+)\s*="
    r"|(?:href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


def _check_body(record: Record) -> list[Problem]:
    """Raw HTML that would act in a reader's browser. Markdown and harmless tags are fine."""
    body = record.body
    # Cheap tests first: most bodies hold no '<' at all, and the tag pattern is the costly one.
    match = ("<" in body and _UNSAFE_TAG.search(body)) or ("](" in body and _UNSAFE_LINK.search(body))
    if not match:
        return []
    line = record.fm.body_line + body.count("\n", 0, match.start())
    column = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
    groups = match.groups() + (None,) * (3 - len(match.groups()))
    if match.re is _UNSAFE_LINK:
        groups = (None, None, groups[0])
    what = groups[0] and f"a <{groups[0].lower()}> tag" or (
        groups[1] and f"an {groups[1].lower()}= event handler") or f"a {groups[2].lower()}: link"
    return [problem(Code.UNSAFE_HTML, record.display, line, column,
                    f"the body contains {what}, which is not allowed: it could run code in readers' browsers; "
                    f"write the content in Markdown instead")]


def _check_dates(record: Record) -> list[Problem]:
    problems = []
    for pattern in record.type.dates:
        for path, value in schema.iter_values(record.meta, pattern):
            why = dates.problem_with(value)
            if why:
                problems.append(problem(Code.INVALID_DATE, record.display, *record.locate(path),
                                        f"{dotted(path)}: {why}"))
    for pattern, first, second in record.type.date_orders:
        for path, container in schema.iter_values(record.meta, pattern):
            if not isinstance(container, dict):
                continue
            start, end = container.get(first), container.get(second)
            if dates.usable(start) and dates.usable(end) and dates.surely_before(end, start):
                problems.append(problem(Code.DATE_ORDER, record.display, *record.locate(path + (second,)),
                                        f"{dotted(path + (second,))} {end} is before "
                                        f"{dotted(path + (first,))} {start}"))
    return problems
