"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD), as in Open Civic Data.

A partial date stands for a span: "2012" is all of 2012. Comparisons use the span's ends, so
"2012" is not before "2012-05" and an end date only runs backwards when it surely does.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def parse(value: object) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a well-formed partial date, or None when it is not one."""
    if not isinstance(value, str):
        return None
    match = _PARTIAL.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    return year, month, day


def problem_with(value: object) -> str | None:
    """Why a well-formed partial date does not exist on the calendar, or None."""
    parts = parse(value)
    if parts is None:
        return None  # malformed values are the schema's to report
    year, month, day = parts
    if year < 1 or (month is not None and not 1 <= month <= 12):
        return f"{value} has no month {month:02d}; months run from 01 to 12" if month else f"{value} is not a year"
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"{value} does not exist: {calendar.month_name[month]} {year} has {last} days"
    return None


def earliest(value: str) -> dt.date:
    year, month, day = parse(value)  # type: ignore[misc]
    return dt.date(year, month or 1, day or 1)


def latest(value: str) -> dt.date:
    year, month, day = parse(value)  # type: ignore[misc]
    month = month or 12
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def surely_before(end: str, start: str) -> bool:
    """True when every day `end` may stand for precedes every day `start` may stand for."""
    return latest(end) < earliest(start)


def usable(value: object) -> bool:
    """A well-formed partial date that exists on the calendar."""
    return parse(value) is not None and problem_with(value) is None
