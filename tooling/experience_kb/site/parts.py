"""The parts of a record page, as docutils nodes built from the site data.

Each part is a method of `Parts`, named after the `{kb-...}` directive that places it in the
MyST tree. Text from records enters nodes as text (docutils escapes it when writing HTML);
links are relative paths computed from `pages`, never URLs from content, except a source's or a
stakeholder's web address, which must be http(s). HTML elements that docutils has no node for
(`<details>`, `<dl>` with attributes, `<div lang>`) are `element` nodes whose tag and attributes
only this code sets; the Sphinx extension writes them.

docutils only: no Sphinx here (see `sphinx_ext`).
"""

from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import urlsplit

from docutils import nodes

from ..records import dates
from . import downloads, pages
from ..words import Formats, Translate, pages_label, type_name


class element(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """An HTML element made by the site code: `tag` and `html` attributes, never from content."""


def make(tag: str, *children: nodes.Node, classes: list[str] | None = None, **html: str) -> element:
    return element("", *children, tag=tag, html=html, classes=classes or [])


def web_address(value: object) -> str | None:
    """`value` when it is a plain http(s) address, else None."""
    if not isinstance(value, str) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def related_skip(record: dict) -> set[str]:
    """Link kinds the "related" part leaves to others: roles, issuer and parent are in the panel,
    memberships in their own part."""
    return {"tagged", "role", "issued_by", "parent"} | ({"member_of"} if record["type"] == "stakeholder" else set())


def backlinks_skip(record: dict) -> set[str]:
    return {"tagged"} | ({"member_of", "role", "issued_by"} if record["type"] == "stakeholder" else set())


def shows(record: dict) -> dict[str, bool]:
    """Which optional parts a record page has (so that no heading stands over nothing)."""
    groups = record["relations"]
    incoming = groups["incoming"].values()
    return {
        "related": any(g["kind"] not in related_skip(record) for g in groups["outgoing"].values()),
        "backlinks": any(g["kind"] not in backlinks_skip(record) for g in incoming),
        "memberships": any(g["kind"] == "member_of" for side in groups.values() for g in side.values()),
        "involvement": any(g["kind"] in ("role", "issued_by") for g in incoming),
    }


class Parts:
    """The parts of one page of one language."""

    def __init__(self, data: dict[str, Any], docname: str, translations: Any) -> None:
        self.data = data
        self.doc = docname
        self._: Translate = translations.gettext
        self.n_ = translations.ngettext
        self.labels = data["labels"]
        self.formats = Formats(data.get("locale") or data["lang"])
        self.page = data["pages"].get(docname, {})
        self.record = data["records"].get(self.page.get("record") or "")

    # -- building blocks ------------------------------------------------------------------
    def href(self, doc: str, anchor: str = "") -> str:
        return pages.relative(self.doc, doc) + (f"#{anchor}" if anchor else "")

    def link(self, record_id: str, text: str | None = None) -> nodes.Node:
        record = self.data["records"].get(record_id)
        if record is None:  # a node of the graph without a page (cannot happen in a valid base)
            return nodes.Text(text or record_id)
        label = text or record["title"]
        ref = nodes.reference("", label, internal=True, refuri=self.href(record["doc"]))
        if record["lang"] != self.data["lang"]:
            ref["classes"].append("kb-other-language")
            return nodes.inline("", "", ref, nodes.Text(" "),
                                nodes.inline("", f"({self.labels['languages'].get(record['lang'], record['lang'])})",
                                             classes=["kb-language-note"]))
        return ref

    def label(self, vocabulary: str, value: object) -> str:
        return self.labels.get(vocabulary, {}).get(str(value), str(value).replace("_", " "))

    def listing_link(self, kind: str, value: str, text: str) -> nodes.reference:
        return nodes.reference("", text, internal=True, refuri=self.href(pages.listing_doc(kind, value)))

    @staticmethod
    def para(*children: nodes.Node | str, classes: list[str] | None = None) -> nodes.paragraph:
        return nodes.paragraph("", "", *[nodes.Text(c) if isinstance(c, str) else c for c in children],
                               classes=classes or [])

    @staticmethod
    def bullets(items: list[nodes.Node | list], classes: list[str] | None = None) -> nodes.bullet_list:
        out = nodes.bullet_list(classes=classes or [])
        for item in items:
            children = item if isinstance(item, list) else [item]
            out += nodes.list_item("", Parts.para(*children))
        return out

    def sentence(self, message: str, **links: nodes.Node) -> nodes.paragraph:
        """A translated sentence whose {placeholders} are links (translators move them freely)."""
        children: list[nodes.Node] = []
        for piece in re.split(r"(\{\w+\})", message):
            name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
            if name in links:
                children.append(links[name])
            elif piece:
                children.append(nodes.Text(piece))
        return self.para(*children)

    def joined(self, items: list[nodes.Node]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for index, item in enumerate(items):
            if index:
                out.append(nodes.Text(", "))
            out.append(item)
        return out

    def fields(self, rows: list[tuple[str, list[nodes.Node] | nodes.Node]], indexed: tuple[str, ...] = (),
               **html: str) -> element:
        """A description list: a <dt> per label, a <dd> per value. Search indexes only the values
        whose label is in `indexed` (the rest would fill result excerpts with labels and dates)."""
        dl = make("dl", classes=["kb-fields"], **html)
        for label, value in rows:
            dl += make("dt", nodes.Text(label), **{"data-pagefind-ignore": ""})
            children = value if isinstance(value, list) else [value]
            if all(isinstance(child, (nodes.Text, nodes.Inline, element)) for child in children):
                children = [self.para(*children)]  # links must sit in a text element
            dl += make("dd", *children, **({} if label in indexed else {"data-pagefind-ignore": ""}))
        return dl

    def table(self, headers: list[str], rows: list[list[nodes.Node | str]], caption: str = "",
              sortable: bool = True) -> nodes.table:
        """A plain HTML table (scripts may add sorting; it reads without them). A column that
        is empty in every row is left out."""
        keep = [i for i in range(len(headers)) if any(row[i] not in ("", None, []) for row in rows)] or [0]
        headers = [headers[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
        table = nodes.table(classes=["kb-table"] + (["kb-sortable"] if sortable else []))
        if caption:
            table += nodes.title("", caption)
        group = nodes.tgroup(cols=len(headers))
        table += group
        for _ in headers:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += nodes.row("", *[nodes.entry("", self.para(h)) for h in headers])
        body = nodes.tbody()
        group += body
        for row in rows:
            body += nodes.row("", *[nodes.entry("", self.para(cell) if isinstance(cell, str) else
                                                self.para(*cell) if isinstance(cell, list) else self.para(cell))
                                    for cell in row])
        return table

    def when(self, record: dict) -> str:
        if record.get("date"):
            return self.formats.date(record["date"]) + (
                f" – {self.formats.date(record['end_date'])}" if record.get("end_date") else "")
        if record.get("start_date") or record.get("end_date"):
            return self.formats.span(record.get("start_date"), record.get("end_date"), self._)
        if record.get("founding_date"):
            return self.formats.date(record["founding_date"])
        return ""

    def rows(self, record_ids: list[str], extra: Callable[[dict], list[nodes.Node | str]] | None = None,
             with_type: bool = True) -> list[list[nodes.Node | str]]:
        records = sorted((self.data["records"][i] for i in record_ids if i in self.data["records"]),
                         key=lambda r: (r["sort"], r["title"].casefold()))
        return [[self.link(r["id"])] + ([type_name(r["type"], self._)] if with_type else [])
                + [self.time(r), r.get("identifier", "")] + (extra(r) if extra else []) for r in records]

    def time(self, record: dict) -> nodes.Node | str:
        """The record's date in words, with its machine-readable form for sorting."""
        text = self.when(record)
        value = record.get("date") or record.get("start_date") or record.get("founding_date")
        if not text or not dates.usable(value):
            return text
        return make("time", nodes.Text(text), datetime=value)

    def record_table(self, record_ids: list[str], extra_header: str = "",
                     extra: Callable[[dict], list[nodes.Node | str]] | None = None, with_type: bool = True) -> nodes.table:
        headers = [self._("Title")] + ([self._("Type")] if with_type else []) + [self._("Date"), self._("Number")]
        return self.table(headers + ([extra_header] if extra_header else []), self.rows(record_ids, extra, with_type))

    # -- record pages -------------------------------------------------------------------
    def panel(self) -> list[nodes.Node]:
        r, _ = self.record, self._
        rows: list[tuple[str, Any]] = [
            (_("Type"), self.listing_link("type", r["type"], type_name(r["type"], _)))]
        for field, vocabulary in (("instrument_kind", "instrument_kinds"), ("event_kind", "event_kinds"),
                                  ("lesson_kind", "lesson_kinds"), ("document_kind", "document_kinds"),
                                  ("category", "categories")):
            if r.get(field):
                rows.append((_("Kind"), nodes.Text(self.label(vocabulary, r[field]))))
        if self.when(r):
            rows.append((_("Date"), nodes.Text(self.when(r))))
        if r.get("identifier"):
            rows.append((_("Official number"), make("span", nodes.Text(r["identifier"]),
                                                    **{"data-pagefind-weight": "5"})))  # found by its number
        if r.get("issuer"):
            rows.append((_("Issued by"), self.link(r["issuer"])))
        if r["lifecycle"]:
            rows.append((_("Lifecycle"), self.bullets([self.lifecycle_item(item) for item in r["lifecycle"]])))
        if r.get("status"):
            rows.append((_("Status"), nodes.Text(self.label("statuses", r["status"]))))
        if r.get("level"):
            rows.append((_("Level"), nodes.Text(self.label("levels", r["level"]))))
        if r.get("track"):
            rows.append((_("Track"), nodes.Text(self.label("tracks", r["track"]))))
        if r.get("place") or r.get("location"):
            rows.append((_("Place"), nodes.Text(r.get("place") or r.get("location"))))
        if r["stakeholders"]:
            rows.append((_("Stakeholders"), self.bullets(
                [[self.link(s["id"]), nodes.Text(f" — {self.label('roles', s['role'])}")] for s in r["stakeholders"]])))
        if r["tags"]:
            rows.append((_("Subjects"), self.joined(
                [self.listing_link("tag", tag, self.label("tags", tag)) for tag in r["tags"]])))
        if r.get("audience"):
            rows.append((_("Audience"), nodes.Text(", ".join(self.label("audiences", a) for a in r["audience"]))))
        languages = ", ".join(self.labels["languages"].get(lang, lang) for lang in r["langs"])
        rows.append((_("Written in"), nodes.Text(languages)))
        if r.get("short"):  # the address printed in booklets, to share or type (root_pages.short_links)
            printed = pages.short_address(self.data["base_url"], r["short"])
            rows.append((_("Short link"), make("a", nodes.Text(printed), classes=["kb-short-link"],
                                               href="../" * (self.doc.count("/") + 1) + pages.short_url(r["short"]))))
        return [self.fields(rows, indexed=(_("Official number"),), **{"aria-label": _("About this record")})]

    def lifecycle_item(self, item: dict) -> list[nodes.Node]:
        text = self.label("lifecycle_events", item.get("event"))
        if item.get("date"):
            text += f": {self.formats.date(item['date'])}"
        if item.get("planned"):
            text += " (" + self._("planned") + ")"
        if item.get("publication"):
            text += f" — {item['publication']}"
        return [nodes.Text(text)]

    def summary(self) -> list[nodes.Node]:
        return [make("div", self.para(self.record["summary"]), classes=["kb-summary"],
                     **{"data-pagefind-weight": "3"})]

    def untranslated(self) -> list[nodes.Node]:
        r, _ = self.record, self._
        original = self.labels["languages"].get(r["lang"], r["lang"])
        here = self.labels["languages"].get(self.data["lang"], self.data["lang"])
        target = pages.to_language(self.doc, r["lang"], r["doc"])
        text = _("This record has not been translated into {language} yet. It is shown in its original "
                 "language, {original}.").format(language=here, original=original)
        link = make("a", nodes.Text(_("Read the original")), href=target, hreflang=r["lang"])
        return [make("div", self.para(text, " ", link), classes=["kb-banner"], role="note")]

    def downloads(self) -> list[nodes.Node]:
        """A booklet's PDFs, beside its page (site/downloads.py): to print at home, and for the
        print shop; with their size, for readers on a slow connection."""
        _, n_ = self._, self.n_
        items = []
        for item in self.record["downloads"]:
            size = downloads.size_label(item["bytes"], self.formats.number)
            if item["kind"] == "print":
                paper = item.get("paper") or "A5"
                text = _("The booklet to print: {paper} pages (PDF, {size})").format(paper=paper, size=size)
                if item.get("pages"):
                    text = n_("The booklet to print: {count} {paper} page (PDF, {size})",
                              "The booklet to print: {count} {paper} pages (PDF, {size})", item["pages"]).format(
                        count=self.formats.number(item["pages"]), paper=paper, size=size)
            else:
                text = _("For the print shop: two pages on each side of an A4 sheet, in the order for folding "
                         "and stapling (PDF, {size})").format(size=size)
            children: list[nodes.Node] = [make("a", nodes.Text(text), href=item["file"], type="application/pdf",
                                               hreflang=item["lang"])]
            if item["lang"] != self.data["lang"]:
                children.append(nodes.Text(f" ({self.labels['languages'].get(item['lang'], item['lang'])})"))
            items.append(children)
        return [self.bullets(items, classes=["kb-downloads"])]

    def sources(self) -> list[nodes.Node]:
        """Each source once, with every page the record cites from it."""
        merged: dict[tuple[str, str], list[object]] = {}
        for source in self.record["sources"]:
            key = (str(source.get("title") or ""), web_address(source.get("url")) or "")
            pages_ = merged.setdefault(key, [])
            if source.get("page") not in (None, "") and source.get("page") not in pages_:
                pages_.append(source.get("page"))
        items = []
        for (title, url), cited in merged.items():
            parts: list[nodes.Node] = [nodes.reference("", title, refuri=url) if url else nodes.Text(title)]
            where = pages_label(", ".join(str(p) for p in cited), self._) if cited else ""
            if where:
                parts.append(nodes.Text(f", {where}"))
            items.append(parts)
        return [self.bullets(items, classes=["kb-sources"])]

    def groups(self, side: str, skip: set[str]) -> list[nodes.Node]:
        rows = []
        for group in self.record["relations"][side].values():
            if group["kind"] in skip:
                continue
            items = []
            for item in group["items"]:
                parts = [self.link(item["id"])]
                span = self.formats.span(item.get("start_date"), item.get("end_date"), self._)
                if span:
                    parts.append(nodes.Text(f" ({span})"))
                if item.get("editorial"):
                    note = self._("link added by the editors")
                    parts.append(nodes.inline("", f" — {note}", classes=["kb-editorial"]))
                items.append(parts)
            label = group["label"].get(self.data["lang"]) or next(iter(group["label"].values()), group["name"])
            rows.append((label, self.bullets(items)))
        return [self.fields(rows)] if rows else []

    def related(self) -> list[nodes.Node]:
        return self.groups("outgoing", related_skip(self.record))

    def backlinks(self) -> list[nodes.Node]:
        return self.groups("incoming", backlinks_skip(self.record))

    # -- stakeholder pages ----------------------------------------------------------------
    def profile(self) -> list[nodes.Node]:
        r, _ = self.record, self._
        rows: list[tuple[str, Any]] = []
        if r.get("name"):
            rows.append((_("Name"), nodes.Text(r["name"])))
        if r.get("acronym"):
            rows.append((_("Acronym"), nodes.Text(r["acronym"])))
        if r.get("other_names"):
            rows.append((_("Also known as"), nodes.Text(", ".join(r["other_names"]))))
        if r.get("parent"):
            rows.append((_("Part of"), self.link(r["parent"])))
        if r.get("founding_date") or r.get("dissolution_date"):
            rows.append((_("Active"), nodes.Text(self.formats.span(r.get("founding_date"), r.get("dissolution_date"), _))))
        url = web_address(r.get("website"))
        if url:
            rows.append((_("Website"), nodes.reference("", url, refuri=url)))
        return [self.fields(rows)] if rows else []

    def memberships(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for side, heading in (("outgoing", self._("Member of")), ("incoming", self._("Members"))):
            rows = []
            for group in self.record["relations"][side].values():
                if group["kind"] != "member_of":
                    continue
                for item in group["items"]:
                    role = self.label("roles", group["name"])
                    span = self.formats.span(item.get("start_date"), item.get("end_date"), self._)
                    rows.append([self.link(item["id"]), role, span])
            if rows:
                out.append(self.table([heading, self._("Role"), self._("When")], rows))
        return out

    def involvement(self) -> list[nodes.Node]:
        roles: dict[str, list[str]] = {}
        for group in self.record["relations"]["incoming"].values():
            if group["kind"] in ("role", "issued_by"):
                for item in group["items"]:
                    roles.setdefault(item["id"], []).append(self.label("roles", group["name"]))
        if not roles:
            return []
        return [self.record_table(sorted(roles), self._("Role"), lambda r: [", ".join(sorted(set(roles[r["id"]])))])]

    def events(self) -> list[nodes.Node]:
        items = []
        for group in self.record["relations"]["incoming"].values():
            if group["kind"] in ("role", "issued_by"):
                items.extend(item["id"] for item in group["items"])
        dated = sorted({i for i in items if self.data["records"][i]["sort"] != "9999"},
                       key=lambda i: (self.data["records"][i]["sort"], i))
        return [self.bullets([[nodes.strong("", self.when(self.data["records"][i])), nodes.Text(" — "), self.link(i)]
                              for i in dated], classes=["kb-events"])] if dated else []
