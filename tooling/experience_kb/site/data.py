"""The site's data, per language: every record as its page shows it, the labels of every
vocabulary value, the pages, the glossary forms to mark up and the timeline. Plain JSON-able
data, built once from the `Project` (records and graph); the assembler writes it beside the
MyST tree, and the Sphinx extension reads it to render panels, links, listings and tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..records import dates, glossary
from ..records.model import Record, dicts, strings
from ..records.vocabularies import LINKS
from . import downloads, pages

if TYPE_CHECKING:
    from ..project import Project

# The vocabularies a page labels values from (the schemas' x-vocabulary names and the tool's own).
VOCABULARIES = ("tags", "roles", "relations", "statuses", "levels", "lifecycle_events", "tracks", "categories",
                "event_kinds", "instrument_kinds", "lesson_kinds", "document_kinds", "audiences", LINKS)


def build(project: Project) -> dict[str, dict[str, Any]]:
    """language -> that language's site data."""
    kb = project.kb
    config = project.config
    relations = {record_id: project.graph.relations(record_id) for record_id in kb.by_id}
    site_pages = page_list(project)
    booklets = {booklet_id: sorted(kb.by_id[booklet_id]) for booklet_id in kb.of_type("booklet")}
    offered = downloads.find(config.build_dir / "booklets", booklets, list(config.languages))
    per_language = {lang: _language(project, lang, relations, site_pages) for lang in config.languages}
    codes = pages.short_codes((lang, record_id) for lang in config.languages for record_id in kb.by_id)
    for lang, data in per_language.items():
        for record_id, record in data["records"].items():
            record["short"] = codes[(lang, record_id)]
        for booklet_id, files in offered.get(lang, {}).items():
            data["records"][booklet_id]["downloads"] = files
    return per_language


def page_list(project: Project) -> dict[str, pages.Page]:
    """docname -> Page, the same in every language."""
    kb = project.kb
    found: dict[str, pages.Page] = {}
    for record_id, versions in sorted(kb.by_id.items()):
        first = next(iter(versions.values()))
        doc = pages.record_doc(first.type.collection, record_id)
        found[doc] = pages.Page(doc, "record", {lang: kb.get(record_id, lang).title for lang in project.config.languages},
                                record_id, frozenset(versions))
    for kind, values in listing_values(project).items():
        for value in values:
            doc = pages.listing_doc(kind, value)
            found[doc] = pages.Page(doc, "listing")
    for doc in pages.SPECIAL:
        found[doc] = pages.Page(doc, pages.KINDS[doc])
    return found


def listing_values(project: Project) -> dict[str, list[str]]:
    """The values that get a listing page: types, tags, years and roles in use."""
    kb = project.kb
    types, tags, years, roles = set(), set(), set(), set()
    for versions in kb.by_id.values():
        record = next(iter(versions.values()))
        types.add(record.type.name)
        tags.update(strings(record.meta.get("tags")))
        years.update(str(year) for year in _years(record))
        roles.update(item.get("role") for item in dicts(record.meta.get("stakeholders")) if isinstance(item.get("role"), str))
    return {"type": sorted(types), "tag": sorted(tags), "year": sorted(years), "role": sorted(roles)}


def _years(record: Record) -> list[int]:
    found = [dates.parse(record.meta.get(name)) for name in ("date", "start_date", "end_date")]
    spans = [parts[0] for parts in found if parts]
    return list(range(min(spans), max(spans) + 1)) if spans else []


def _labels(project: Project, lang: str) -> dict[str, dict[str, str]]:
    vocab = project.kb.vocabularies
    labels = {name: {value: vocab.label(name, value, lang) for value in vocab.values(name)} for name in VOCABULARIES}
    labels["inverse"] = {f"{name}:{value}": vocab.label(name, value, lang, inverse=True)
                         for name in ("roles", "relations", LINKS) for value in vocab.values(name)}
    labels["languages"] = {code: vocab.language_name(code, lang).split(" (")[0] for code in project.config.languages}
    labels["endonyms"] = {code: vocab.language_name(code, code).split(" (")[0] for code in project.config.languages}
    return labels


def _record(project: Project, record_id: str, lang: str, relations: dict) -> dict[str, Any]:
    kb = project.kb
    shown = kb.get(record_id, lang)  # this language's version, else the default language's
    meta = shown.meta
    years = _years(shown)
    data: dict[str, Any] = {
        "id": record_id, "type": shown.type.name, "collection": shown.type.collection,
        "doc": pages.record_doc(shown.type.collection, record_id),
        "lang": shown.lang, "langs": [code for code in project.config.languages if code in kb.by_id[record_id]], "title": shown.title,
        "summary": meta.get("summary") if isinstance(meta.get("summary"), str) else "",
        "body": shown.body, "notes": meta.get("notes") if isinstance(meta.get("notes"), str) else "",
        "years": years, "sort": _sort_date(meta),
        "tags": strings(meta.get("tags")),
        "stakeholders": [{"id": item["id"], "role": item["role"]} for item in dicts(meta.get("stakeholders"))
                         if isinstance(item.get("id"), str) and isinstance(item.get("role"), str)],
        "lifecycle": [{"event": item.get("event"), "date": item.get("date"), "planned": item.get("planned") is True,
                       "publication": item.get("publication")} for item in dicts(meta.get("lifecycle"))],
        "sources": [{"title": item.get("title"), "page": item.get("page"), "url": item.get("url")}
                    for item in dicts(meta.get("sources"))],
        "relations": relations[record_id],
    }
    for name in ("date", "end_date", "start_date", "identifier", "status", "level", "issuer", "parent", "track",
                 "instrument_kind", "event_kind", "lesson_kind", "document_kind", "category", "acronym", "name",
                 "term", "expansion", "definition", "place", "location", "founding_date", "dissolution_date",
                 "website"):
        value = meta.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            data[name] = str(value)
    for name in ("other_names", "aliases", "objectives", "outcomes", "audience", "marks", "contents"):
        if strings(meta.get(name)):
            data[name] = strings(meta.get(name))
    if dicts(meta.get("figures")):
        data["figures"] = dicts(meta.get("figures"))
    if dicts(meta.get("memberships")):
        data["memberships"] = dicts(meta.get("memberships"))
    return data


def _sort_date(meta: dict) -> str:
    for name in ("date", "start_date", "founding_date"):
        value = meta.get(name)
        if dates.usable(value):
            return dates.earliest(value).isoformat()
    return "9999"


def _language(project: Project, lang: str, relations: dict, site_pages: dict[str, pages.Page]) -> dict[str, Any]:
    config = project.config
    kb = project.kb
    records = {record_id: _record(project, record_id, lang, relations) for record_id in sorted(kb.by_id)}
    practice = next(iter(kb.of_type("practice")), None)
    return {
        "lang": lang, "languages": list(config.languages), "default": config.default_language,
        "title": config.site.text("title", lang, config.default_language),
        "organization": config.site.text("organization", lang, config.default_language),
        "license": config.site.text("license", lang, config.default_language),
        "repository": config.site.repository,
        "locale": config.site.locale(lang),
        "base_url": config.site.base_url,
        "labels": _labels(project, lang),
        "records": records,
        "pages": {doc: {"kind": page.kind, "record": page.record, "title": page.title.get(lang, ""),
                        "available": sorted(page.available)} for doc, page in site_pages.items()},
        "listings": listing_values(project),
        # [form, glossary id, explanation] to mark in pages, longest first (records.glossary)
        "abbreviations": [[f.text, f.entry, f.explanation] for f in glossary.forms(kb, lang)],
        "timeline": project.graph.timeline(),
        "practice": practice,
        "build": {},  # filled in by the build: the compiled catalogs and the content's year
    }
