"""What a booklet says, in one language: plain data from the `Project` and a manifest.

`compose(project, manifest_id, lang)` returns a `Booklet`: the cover's texts, the introduction
(the manifest's body), one `Chapter` per selected record (metadata line, summary, reading text,
the address of its page on the site), the glossary of the terms it uses, the timeline of its
records, its sources and credits, every interface word in its language, and how it reads.

No pandoc, no typst: `typeset` turns this into documents.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..records import bodies, dates, glossary, readability, selection
from ..records.model import Record, dicts, strings
from ..site import pages
from ..words import Formats, pages_label, type_name

if TYPE_CHECKING:
    from ..project import Project

# Interface words of a booklet, from the same catalogs as the site (kb.po).
WORDS = {"contents": i18n.N_("Contents"), "introduction": i18n.N_("Introduction"), "glossary": i18n.N_("Glossary"),
         "timeline": i18n.N_("Timeline"), "sources": i18n.N_("Sources"), "credits": i18n.N_("Credits"),
         "page": i18n.N_("Page"), "read_online": i18n.N_("Read this record on the website:"),
         "for": i18n.N_("For"), "date": i18n.N_("Date"), "record": i18n.N_("Record"),
         "not_translated": i18n.N_("This chapter has not been translated yet; it is printed in {language}.")}


@dataclass
class Chapter:
    id: str
    lang: str  # the language it is printed in (the booklet's, or the original's where untranslated)
    title: str
    meta: str  # type, date, official number, who took part
    summary: str
    body: str  # Markdown, its headings below the chapter title
    url: str  # the record's page on the site (in the QR code, and the link's target)
    short: str  # its short link, printed to be typed: "example.org/r/x6r36nd" (site.pages.short_address)
    note: str = ""  # e.g. "not translated yet"


@dataclass
class Booklet:
    id: str
    lang: str
    path: Path  # the manifest file
    title: str
    subtitle: str
    audience: list[str]
    organization: str
    year: str
    date: dt.date
    paper: str
    intro: str
    chapters: list[Chapter]
    sections: list[str]
    glossary: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, term, explanation)
    timeline: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, date in words, title)
    sources: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)
    cover_image: Path | None = None
    cover_alt: str = ""
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")  # what straight quotes become (see quotes())
    plain_language: bool = False  # written for readers who read with effort (audiences meaning plain-language)
    reading: readability.Measure | None = None
    base_url: str = ""


@functools.lru_cache(maxsize=4)
def _catalogs(folder: Path) -> Path:
    """The catalogs, compiled once per process into the work folder (never the source tree)."""
    return i18n.compile_catalogs(folder)


def manifests(project: Project) -> dict[str, dict[str, Record]]:
    """booklet id -> language -> manifest record."""
    return {record_id: versions for record_id, versions in project.kb.by_id.items()
            if next(iter(versions.values())).type.name == "booklet"}


def _meta_line(record: Record, lang: str, project: Project, formats: Formats, _: Any) -> str:
    kb, meta = project.kb, record.meta
    parts = [type_name(record.type.name, _)]
    when = next((meta[k] for k in ("date", "start_date", "founding_date") if dates.usable(str(meta.get(k, "")))), None)
    if when is not None:
        parts.append(formats.date(str(when)))
    if isinstance(meta.get("identifier"), str):
        parts.append(meta["identifier"])
    people = []
    for item in dicts(meta.get("stakeholders")):
        other = kb.get(str(item.get("id")), lang)
        if other is not None:
            role = kb.vocabularies.label("roles", str(item.get("role")), lang)
            people.append(f"{other.meta.get('acronym') or other.title} ({role.lower()})")
    if people:
        parts.append(", ".join(people))
    return " · ".join(parts)


@functools.lru_cache(maxsize=4)
def _short_codes(project: Project) -> dict[tuple[str, str], str]:
    """Every record's short-link code in every language, once per project (every booklet and
    language asks; the codes depend on all records, as on the site)."""
    kb = project.kb
    return pages.short_codes((lang, record_id) for record_id in kb.by_id for lang in project.config.languages)


def compose(project: Project, booklet_id: str, lang: str) -> Booklet:
    kb, config = project.kb, project.config
    manifest = kb.get(booklet_id, lang)
    if manifest is None or manifest.type.name != "booklet":
        raise KeyError(booklet_id)
    translations = i18n.translator(lang, _catalogs(project.config.build_dir / ".booklets-work" / "locale"))
    _ = translations.gettext
    formats = Formats(config.site.locale(lang))
    meta = manifest.meta
    chosen = selection.select(kb, meta, lang).ids
    codes = _short_codes(project)
    chapters = []
    for record_id in chosen:
        record = kb.get(record_id, lang)
        note = ""
        if record.lang != lang:
            note = _(WORDS["not_translated"]).format(language=kb.vocabularies.language_name(record.lang, lang).split(" (")[0])
        chapters.append(Chapter(record_id, record.lang, record.title, _meta_line(record, lang, project, formats, _),
                                str(meta_text(record.meta.get("summary"))), bodies.fit(record.body, top=2),
                                config.site.base_url + pages.url(lang, pages.record_doc(record.type.collection, record_id)),
                                pages.short_address(config.site.base_url, codes[(lang, record_id)]), note))
    intro = bodies.fit(manifest.body, top=2)
    texts = [intro] + [c.summary + "\n\n" + c.body for c in chapters]
    used = glossary.used(texts, glossary.matcher(glossary.forms(kb, lang)))
    entries = sorted(((i, kb.get(i, lang).meta.get("term") or kb.get(i, lang).title,
                       meta_text(kb.get(i, lang).meta.get("definition")) or kb.get(i, lang).title) for i in used),
                     key=lambda e: e[1].casefold())
    sentences = readability.markdown_sentences(intro)
    for c in chapters:
        sentences += readability.sentences(c.summary) + readability.markdown_sentences(c.body)
    audiences = strings(meta.get("audience"))
    plain = set(kb.vocabularies.meaning("audiences", "plain-language"))
    year = str(meta.get("date"))[:4]
    booklet = Booklet(
        id=booklet_id, lang=lang, path=manifest.path, title=manifest.title,
        subtitle=str(meta_text(meta.get("subtitle"))), audience=[kb.vocabularies.label("audiences", a, lang) for a in audiences],
        organization=config.site.text("organization", lang, config.default_language), year=year,
        date=dates.earliest(str(meta.get("date"))) if dates.usable(str(meta.get("date"))) else dt.date(1970, 1, 1),
        paper=meta.get("paper") if meta.get("paper") in ("A5", "A4") else "A5", intro=intro, chapters=chapters,
        sections=strings(meta.get("sections")) if "sections" in meta else ["glossary", "sources", "credits"],
        glossary=entries, words={key: _(text) for key, text in WORDS.items()},
        plain_language=bool(set(audiences) & plain), reading=readability.measure(sentences, lang),
        base_url=config.site.base_url)
    booklet.quotes = quotes(project, lang)
    booklet.timeline = _timeline(project, chosen, lang, formats)
    booklet.sources = _sources(project, [booklet_id, *chosen], lang, _)
    booklet.credits = _credits(project, booklet, manifest, _)
    booklet.cover_image = selection.cover_image(config.root, meta.get("cover_image"))  # else booklet-image
    if booklet.cover_image is not None:
        booklet.cover_alt = str(meta_text(meta.get("cover_alt")))
    return booklet


GUILLEMETS, ENGLISH = ("«", "»", "“", "”"), ("“", "”", "‘", "’")


def quotes(project: Project, lang: str) -> tuple[str, str, str, str]:
    """The quotation marks the records of `lang` use (« » then “ ”, or “ ” then ‘ ’), so that a
    straight quote in a text prints like the typed ones around it. (Regions differ: typst gives
    es-ES « » and es-PE “ ”; the content decides, not a guess from the region.)"""
    texts = [record.body + str(record.meta.get("summary", "")) for record in project.kb.records if record.lang == lang]
    guillemets = sum(text.count("«") for text in texts)
    curly = sum(text.count("“") for text in texts)
    return GUILLEMETS if guillemets > curly else ENGLISH


def meta_text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _timeline(project: Project, ids: list[str], lang: str, formats: Formats) -> list[tuple[str, str, str]]:
    dated = []
    for record_id in ids:
        record = project.kb.get(record_id, lang)
        reach = selection.span(record)
        value = next((str(record.meta[k]) for k in ("date", "start_date") if dates.usable(str(record.meta.get(k, "")))), None)
        if reach and value:
            dated.append((reach[0], record_id, formats.date(value), record.title))
    return [(record_id, when, title) for _, record_id, when, title in sorted(dated)]


def _sources(project: Project, ids: list[str], lang: str, _: Any) -> list[str]:
    cited: dict[str, list[str]] = {}
    for record_id in ids:
        for source in dicts(project.kb.get(record_id, lang).meta.get("sources")):
            pages_ = cited.setdefault(str(source.get("title") or ""), [])
            page = str(source.get("page") or "")
            if page and page not in pages_:
                pages_.append(page)
    return [f"{title}, {pages_label(', '.join(found), _)}" if found else title for title, found in cited.items()]


def _credits(project: Project, booklet: Booklet, manifest: Record, _: Any) -> list[str]:
    config = project.config
    licence = config.site.text("license", booklet.lang, config.default_language)
    lines = [
        _("Published by {organization}, {year}.").format(organization=booklet.organization, year=booklet.year),
        _("The texts come from the knowledge base {title}, where every record cites its sources.").format(
            title=config.site.text("title", booklet.lang, config.default_language)),
        _("Read and share it on the website: {url}").format(url=config.site.base_url + booklet.lang + "/"),
        licence or _("The licence of this content has not been stated yet. Ask {organization} before you reuse "
                     "it.").format(organization=booklet.organization),
    ]
    return lines
