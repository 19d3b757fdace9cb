"""Checks of one record on its own: its type, its schema, its id, its dates, and whether its
content is safe to publish (`content`).

They depend only on the file's content (and the schemas), so their results are cached with the
file (`records.cache`); `check_all` takes cached results where the file is unchanged.
"""

from __future__ import annotations

from ..problems import Code, Problem, problem
from ..records import dates, readability, schema
from ..records.cache import FileCache, problems_from
from ..records.messages import dotted, validate_record
from ..records.model import KnowledgeBase, Record
from .content import check_content


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
    """Type, schema, id, date and content-safety checks of one record."""
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
    problems += check_content(record)  # unsafe HTML, links, directives, control characters
    problems += _check_plain_language(record)
    return problems


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


def _check_plain_language(record: Record) -> list[Problem]:
    """A summary sentence over `readability.LONG_SENTENCE` words: a warning, once per summary."""
    summary = record.meta.get("summary")
    if not isinstance(summary, str):
        return []
    long = [sentence for sentence in readability.sentences(summary)
            if len(readability.words(sentence)) > readability.LONG_SENTENCE]
    if not long:
        return []
    first = long[0]
    more = f" (and {len(long) - 1} more)" if len(long) > 1 else ""
    return [problem(Code.LONG_SENTENCE, record.display, *record.locate(("summary",)),
                    f"a summary sentence has {len(readability.words(first))} words{more}: "
                    f"\"{first[:60]}…\"; split it so that no sentence has more than {readability.LONG_SENTENCE}")]

