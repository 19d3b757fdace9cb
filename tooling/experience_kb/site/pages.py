"""Which pages the site has, where each one lives, and which page is its counterpart in another
language. Pure data: no Sphinx, no templates.

The URL scheme is a contract (docs/site.md): people print and share these links.

    /index.html                          the language chooser
    /<lang>/index.html                   home
    /<lang>/<collection>/<id>.html       a record (collection as in kb/, e.g. resolutions/ro-018-2013.html)
    /<lang>/list/index.html              every listing
    /<lang>/list/type-<type>.html        the records of a type (stakeholders: type-stakeholder)
    /<lang>/list/tag-<tag>.html          the records of a tag
    /<lang>/list/year-<year>.html        the records of a year
    /<lang>/list/role-<role>.html        who played a role, in which records
    /<lang>/glossary.html                every term, an anchor each (#<record id>)
    /<lang>/timeline.html                milestones by year and track
    /<lang>/search.html                  search (?q=words)
    /<lang>/about.html                   source, licence, how to contribute
    /<lang>/404.html                     not found
    /r/<code>/                           a short link to a record's page in one language (printed
                                         in booklets beside the QR code; see `short_codes`)

A record's page exists in every configured language; where the record has no version in that
language, the page says so and links to the original.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Crockford's base 32: no i, l, o or u, so that a code read from paper is typed without doubt.
SHORT_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
SHORT_LENGTH = 7

HOME, TIMELINE, GLOSSARY, SEARCH, ABOUT, NOT_FOUND, LISTINGS = (
    "index", "timeline", "glossary", "search", "about", "404", "list/index")
SPECIAL = (HOME, TIMELINE, GLOSSARY, SEARCH, ABOUT, NOT_FOUND, LISTINGS)
# The kind of each of those pages (its template and its directive are named after it).
KINDS = {HOME: "home", TIMELINE: "timeline", GLOSSARY: "glossary", SEARCH: "search", ABOUT: "about",
         NOT_FOUND: "not-found", LISTINGS: "listings"}
LISTING_KINDS = ("type", "tag", "year", "role")


def record_doc(collection: str, record_id: str) -> str:
    return f"{collection}/{record_id}"


def listing_doc(kind: str, value: str) -> str:
    """kind: type, tag, year or role."""
    return f"list/{kind}-{value}"


def url(lang: str, docname: str) -> str:
    """The page's path below the site root."""
    return f"{lang}/{docname}.html"


def relative(from_doc: str, to_doc: str) -> str:
    """The link from one page to another of the same language."""
    depth = from_doc.count("/")
    return "../" * depth + f"{to_doc}.html"


def bundle(from_doc: str) -> str:
    """The link from a page to its language's search bundle (Pagefind's files)."""
    return "../" * from_doc.count("/") + "pagefind/"


def short_codes(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(language, record id) -> the code of its short link `r/<code>/`.

    A code is the start of a hash of "<language>/<record id>", so it stays the same from build to
    build and from the site to the booklets. Seven characters make a clash unlikely (an expected
    0.0015 clashes for 10,000 pairs, 0.15 for 100,000); pairs that do clash all get a character
    more, until none does."""
    full = {}
    for lang, record_id in set(pairs):
        number = int.from_bytes(hashlib.sha256(f"{lang}/{record_id}".encode()).digest(), "big")
        digits = []
        while len(digits) < 40:
            number, rest = divmod(number, 32)
            digits.append(SHORT_ALPHABET[rest])
        full[(lang, record_id)] = "".join(digits)
    codes: dict[tuple[str, str], str] = {}
    pending, length = sorted(full), SHORT_LENGTH
    while pending:
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for pair in pending:
            groups[full[pair][:length]].append(pair)
        pending = []
        for code, members in groups.items():
            if len(members) == 1:
                codes[members[0]] = code
            else:
                pending += members
        length += 1
    return codes


def short_url(code: str) -> str:
    """The short link's path below the site root."""
    return f"r/{code}/"


def short_address(base_url: str, code: str) -> str:
    """The short link as people type it, without scheme or final slash: "example.org/r/1jq2fgz"."""
    return base_url.split("://", 1)[-1] + short_url(code).rstrip("/")


def to_language(from_doc: str, lang: str, to_doc: str) -> str:
    """The link from a page to a page of another language (its counterpart, say)."""
    depth = from_doc.count("/") + 1
    return "../" * depth + url(lang, to_doc)


@dataclass(frozen=True)
class Page:
    """One page of one language."""

    docname: str
    kind: str  # record, listing, or one of KINDS
    title: dict[str, str] = field(default_factory=dict, compare=False)  # per language
    record: str | None = None  # the record id of a record page
    available: frozenset[str] = frozenset()  # languages the record is written in (record pages)
