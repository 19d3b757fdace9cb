"""Formatting for readers: dates, numbers, names of record types and page references, in the
page's language and regional format (`site.locales` in kb.yaml, e.g. es_PE writes "setiembre").

The English texts here are gettext message ids; the catalogs in `experience_kb/locale` translate
them. Nothing here chooses words by `if lang == ...`.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from .i18n import N_
from .records import dates

Translate = Callable[[str], str]

# Record types are the tool's own (one schema each): singular and plural message ids.
TYPE_NAMES = {
    "resolution": (N_("Legal instrument"), N_("Legal instruments")),
    "workshop": (N_("Workshop or event"), N_("Workshops and events")),
    "lesson": (N_("Lesson learned"), N_("Lessons learned")),
    "stakeholder": (N_("Stakeholder"), N_("Stakeholders")),
    "milestone": (N_("Milestone"), N_("Milestones")),
    "glossary": (N_("Glossary term"), N_("Glossary terms")),
    "practice": (N_("Practice"), N_("Practices")),
    "booklet": (N_("Booklet"), N_("Booklets")),
    "document": (N_("Document"), N_("Documents")),
}


def type_name(record_type: str, translate: Translate, plural: bool = False) -> str:
    names = TYPE_NAMES.get(record_type)
    if not names:
        return record_type.replace("_", " ").capitalize()
    return translate(names[1] if plural else names[0])


class Formats:
    """Dates in the regional format (`site.locales`, e.g. es_PE writes "setiembre"); numbers in
    the language's own format, grouped with a no-break space where the language would group
    with a point (44 000 ha, 0,04 %): a point between thousands reads as a decimal point to many
    readers, and ISO 31-0 and the RAE advise the space."""

    def __init__(self, locale: str) -> None:
        try:
            self.locale: Locale | None = Locale.parse(locale)
            self.numbers: Locale | None = Locale.parse(self.locale.language)
        except (UnknownLocaleError, ValueError):
            self.locale = self.numbers = None  # an unknown locale: ISO dates, plain numbers

    def date(self, value: object) -> str:
        """A partial date as words: '2013', 'setiembre de 2013', '1 de setiembre de 2013'."""
        parts = dates.parse(value) if isinstance(value, str) else (
            (value, None, None) if isinstance(value, int) and not isinstance(value, bool) else None)
        if parts is None or not dates.usable(str(value) if not isinstance(value, str) else value):
            return str(value) if value is not None else ""
        year, month, day = parts
        if month is None or self.locale is None:
            return str(value)
        when = dt.date(year, month, day or 1)
        if day is None:
            return format_skeleton("yMMMM", when, locale=self.locale)
        return format_date(when, "long", locale=self.locale)

    def span(self, start: object, end: object, translate: Translate) -> str:
        if start and end:
            return translate("{start} to {end}").format(start=self.date(start), end=self.date(end))
        if start:
            return translate("since {start}").format(start=self.date(start))
        if end:
            return translate("until {end}").format(end=self.date(end))
        return ""

    def number(self, value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        if self.numbers is None:
            return str(value)
        # Four-digit numbers take no group separator (2021, 4000), as ISO 31-0 and the RAE advise.
        text = format_decimal(value, locale=self.numbers, group_separator=abs(value) >= 10_000)
        group = self.numbers.number_symbols.get("latn", {}).get("group")
        return text.replace(".", "\u00a0") if group == "." else text


def pages_label(page: object, translate: Translate) -> str:
    """'p. 12' or 'pp. 12-17' for a source's page field."""
    if page is None or page == "":
        return ""
    text = str(page)
    many = any(mark in text for mark in ("-", "–", ","))
    return (translate("pp. {pages}") if many else translate("p. {page}")).format(pages=text, page=text)
