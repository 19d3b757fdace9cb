"""The parts of the pages that are not records: home, listings, glossary, timeline, search,
about and not-found. Same rules as `parts`: docutils nodes from the site data, no Sphinx.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from docutils import nodes

from . import pages
from .parts import Parts, make, web_address
from ..words import type_name


def sort_key(text: str) -> str:
    """Alphabetical order that ignores case and accents (Á sorts with A, Ñ after N)."""
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode() + text


class SpecialParts(Parts):
    """Parts of the site's own pages."""

    # -- home --------------------------------------------------------------------------
    def home_intro(self) -> list[nodes.Node]:
        practice = self.data["records"].get(self.data.get("practice") or "")
        if practice is None:
            return [self.para(self.data["organization"])]
        return [make("div", self.para(practice["summary"] or practice["title"]), classes=["kb-summary"]),
                self.para(self.link(practice["id"], self._("Read the whole experience: {title}").format(
                    title=practice["title"])))]

    def home_figures(self) -> list[nodes.Node]:
        practice = self.data["records"].get(self.data.get("practice") or "")
        figures = (practice or {}).get("figures") or []
        items = []
        for figure in figures:
            value = f"{self.formats.number(figure.get('value'))} {figure.get('unit') or ''}".strip()
            items.append([nodes.strong("", value), nodes.Text(f" {figure.get('label') or ''}")])
        return [self.bullets(items, classes=["kb-figures"])] if items else []

    def home_entries(self) -> list[nodes.Node]:
        counts = self.type_counts()
        items: list[list[nodes.Node]] = [
            [nodes.reference("", self._("Timeline"), refuri=self.href(pages.TIMELINE)),
             nodes.Text(" — " + self._("the milestones, year by year"))]]
        for record_type, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            if record_type == "practice":
                continue
            items.append([self.listing_link("type", record_type, type_name(record_type, self._, plural=True)),
                          nodes.Text(f" ({self.formats.number(count)})")])
        items.append([nodes.reference("", self._("Glossary"), refuri=self.href(pages.GLOSSARY)),
                      nodes.Text(" — " + self._("the terms and acronyms, explained"))])
        items.append([nodes.reference("", self._("Search"), refuri=self.href(pages.SEARCH)),
                      nodes.Text(" — " + self._("type words, with or without accents"))])
        items.append([nodes.reference("", self._("All listings"), refuri=self.href(pages.LISTINGS)),
                      nodes.Text(" — " + self._("by type, subject, year and role"))])
        return [self.bullets(items, classes=["kb-entries"])]

    def type_counts(self) -> Counter:
        return Counter(record["type"] for record in self.data["records"].values())

    # -- listings ----------------------------------------------------------------------
    def listing_records(self, kind: str, value: str) -> list[str]:
        found = []
        for record in self.data["records"].values():
            if (kind == "type" and record["type"] == value) or (kind == "tag" and value in record["tags"]) or (
                    kind == "year" and value in map(str, record["years"])) or (
                    kind == "role" and any(s["role"] == value for s in record["stakeholders"])):
                found.append(record["id"])
        return found

    def listing(self, kind: str, value: str) -> list[nodes.Node]:
        found = self.listing_records(kind, value)
        intro = self.para(self.n_("{count} record.", "{count} records.", len(found)).format(
            count=self.formats.number(len(found))))
        if kind == "type" and value == "stakeholder":
            rows = [[self.link(r["id"]), r.get("acronym", ""), self.label("categories", r.get("category", "")) if
                     r.get("category") else "", self.label("levels", r["level"]) if r.get("level") else ""]
                    for r in sorted((self.data["records"][i] for i in found), key=lambda r: sort_key(r["title"]))]
            return [intro, self.table([self._("Name"), self._("Acronym"), self._("Kind"), self._("Level")], rows)]
        if kind == "role":
            def who(record: dict) -> list[nodes.Node]:
                return self.joined([self.link(s["id"]) for s in record["stakeholders"] if s["role"] == value])
            return [intro, self.record_table(found, self._("Who"), lambda r: [who(r)])]
        return [intro, self.record_table(found, with_type=kind != "type")]

    def listings(self, kind: str) -> list[nodes.Node]:
        values = self.data["listings"].get(kind, [])
        names = {"type": lambda v: type_name(v, self._, plural=True), "tag": lambda v: self.label("tags", v),
                 "year": str, "role": lambda v: self.label("roles", v)}[kind]
        items = [(names(v), v) for v in values]
        if kind != "year":
            items.sort(key=lambda item: sort_key(item[0]))
        return [self.bullets([[self.listing_link(kind, v, text),
                               nodes.Text(f" ({self.formats.number(len(self.listing_records(kind, v)))})")]
                              for text, v in items], classes=["kb-columns"])]

    # -- glossary and timeline ---------------------------------------------------------------
    def glossary(self) -> list[nodes.Node]:
        entries = sorted((r for r in self.data["records"].values() if r["type"] == "glossary"),
                         key=lambda r: sort_key(r.get("term") or r["title"]))
        dl = make("dl", classes=["kb-glossary"])
        for entry in entries:
            term = entry.get("term") or entry["title"]
            dl += make("dt", nodes.Text(term), *([nodes.Text(f" — {entry['expansion']}")] if entry.get("expansion") else []),
                       ids=[entry["id"]])
            definition = entry.get("definition") or entry["summary"]
            dl += make("dd", self.para(definition, " ", self.link(entry["id"], self._("More about {term}").format(term=term))))
        return [dl]

    def timeline_year(self, year: str) -> list[nodes.Node]:
        rows = []
        for item in self.data["timeline"]:
            if not str(item.get("date") or "").startswith(year):
                continue
            marks = self.joined([self.link(i) for i in item.get("marks", [])])
            rows.append([self.formats.date(item["date"]), self.label("tracks", item.get("track") or ""),
                         self.link(item["id"]), marks or ""])
        return [self.table([self._("Date"), self._("Track"), self._("Milestone"), self._("Records")], rows,
                           sortable=False)]

    def timeline_undated(self) -> list[nodes.Node]:
        undated = [item for item in self.data["timeline"] if not item.get("date")]
        return [self.bullets([self.link(item["id"]) for item in undated])] if undated else []

    # -- search, about, not found --------------------------------------------------------------
    def search(self) -> list[nodes.Node]:
        """The box Pagefind's interface fills (kb.js), and what readers without it get."""
        fallback = self.sentence(
            self._("Search needs JavaScript and the published site. Meanwhile, browse the {listings} or the "
                   "{glossary}."),
            listings=nodes.reference("", self._("listings"), refuri=self.href(pages.LISTINGS)),
            glossary=nodes.reference("", self._("glossary"), refuri=self.href(pages.GLOSSARY)))
        offline = self.sentence(
            self._("This copy of the site is opened from files, where browsers do not let search run. Search "
                   "works on the published site; here, browse the {listings} or the {glossary}."),
            listings=nodes.reference("", self._("listings"), refuri=self.href(pages.LISTINGS)),
            glossary=nodes.reference("", self._("glossary"), refuri=self.href(pages.GLOSSARY)))
        return [make("div", make("div", fallback, classes=["kb-search-fallback"]),
                     make("div", offline, classes=["kb-search-offline"], hidden="hidden"),
                     ids=["kb-search"], **{"data-kb-bundle": pages.bundle(self.doc)})]

    def about_sources(self) -> list[nodes.Node]:
        counts: Counter = Counter()
        for record in self.data["records"].values():
            counts.update({str(s.get("title")) for s in record["sources"] if s.get("title")})
        intro = self.para(self._("Every page says which sources it comes from, with their pages. These are the "
                                 "sources of the whole site:"))
        return [intro, self.bullets([[nodes.Text(title), nodes.Text(" — " + self.n_(
            "{count} record", "{count} records", count).format(count=self.formats.number(count)))]
            for title, count in counts.most_common()])]

    def about_license(self) -> list[nodes.Node]:
        text = self.data.get("license") or self._("The licence of this content has not been stated yet. "
                                                  "Ask {organization} before you reuse it.").format(
            organization=self.data["organization"])
        return [self.para(text)]

    def about_contribute(self) -> list[nodes.Node]:
        _ = self._
        out = [self.para(_("Each page comes from a record: a text file with a few fields at the top and the "
                           "text below. Anyone can propose a new record or a correction as a pull request; "
                           "the knowledge base checks every file and says, line by line, what to fix."))]
        url = web_address(self.data.get("repository"))
        if url:
            out.append(self.para(_("The records live here:"), " ", nodes.reference("", url, refuri=url)))
        return out

    def about_site(self) -> list[nodes.Node]:
        counts = self.type_counts()
        return [self.para(self._("This site has {records} records in {languages} languages. Its addresses do not "
                                 "change: you can print and share them. It works without a connection once "
                                 "downloaded, except for search.").format(
            records=self.formats.number(sum(counts.values())), languages=len(self.data["languages"])))]

    def not_found(self) -> list[nodes.Node]:
        return [self.para(self._("This page does not exist, or has moved.")),
                self.bullets([nodes.reference("", self._("Home"), refuri=self.href(pages.HOME)),
                              nodes.reference("", self._("Search"), refuri=self.href(pages.SEARCH)),
                              nodes.reference("", self._("All listings"), refuri=self.href(pages.LISTINGS))])]


# The directives of the MyST tree, `kb-<part>`: each places the part of that name.
PARTS = ("panel", "untranslated", "summary", "downloads", "notes", "sources", "related", "backlinks", "profile", "memberships",
         "involvement", "events", "home-intro", "home-figures", "home-entries", "listing", "listings", "glossary",
         "timeline-year", "timeline-undated", "search", "about-sources", "about-license", "about-contribute",
         "about-site", "not-found")


def render(data: dict[str, Any], docname: str, translations: Any, part: str, argument: str = "") -> list[nodes.Node]:
    parts = SpecialParts(data, docname, translations)
    method = getattr(parts, part.removeprefix("kb-").replace("-", "_"))
    if part == "kb-listing":
        kind, _, value = argument.partition(" ")
        return method(kind, value)
    return method(argument) if argument else method()
