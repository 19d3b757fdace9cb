"""The site's Sphinx extension: the one module of the tool that imports Sphinx.

- Directives `{kb-<part>}` place the parts of `parts`/`special`, rendered from `site.json`.
- `Sanitize` (a read transform, before Sphinx collects images and downloads) takes out of
  content what could run in a reader's browser or read a file of the build machine: raw
  output, `javascript:`/`vbscript:`/`data:` and other non-web links, images, downloads, meta
  tags and toctrees. The configuration (`conf.settings`) already turns off MyST's HTML and
  docutils' raw and file insertion; this is the second lock.
- `Abbreviations` marks the first occurrence of each glossary term on a record page with a
  link to its glossary entry (an `<abbr>` for acronyms): a transform on the document tree.
- `page_context` gives the templates what they show (language switch, alternates, Pagefind
  filters, navigation) and removes `toctree`, so no page renders the global tree.

Warnings carry `type="kb"` and a problem code as subtype (`kb.unsafe-html`, `kb.image`...), so `suppress_warnings`
works and `kb build --strict` fails on them.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import re
import traceback
import warnings
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import i18n
from ..records import glossary
from . import pages, special
from .parts import element, make
from ..words import type_name

logger = logging.getLogger(__name__)
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_LANG = re.compile(r"^[a-z]{2,3}$")
UNUSED_SCRIPTS = ("doctools.js", "sphinx_highlight.js", "documentation_options.js", "translations.js")


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def site_data(config: Any) -> dict[str, Any]:
    return _load(config.kb_site_data)


@functools.lru_cache(maxsize=16)
def translator(locale_dir: str, lang: str) -> Any:
    return i18n.translator(lang, Path(locale_dir), "kb") if locale_dir else i18n.translator(lang, Path("/nonexistent"))


def translations_for(data: dict[str, Any], lang: str | None = None) -> Any:
    return translator(data.get("build", {}).get("locale", ""), lang or data["lang"])


def gettext_for(data: dict[str, Any], lang: str | None = None) -> Any:
    return translations_for(data, lang).gettext


def warn(message: str, subtype: str, node: nodes.Node | None = None, location: Any = None) -> None:
    logger.warning(message, type="kb", subtype=subtype, location=location or node)


# -- directives ---------------------------------------------------------------------------
class PartDirective(SphinxDirective):
    """`{kb-<part>} [argument]`: the part of that name, from the site data."""

    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        data = site_data(self.config)
        argument = self.arguments[0] if self.arguments else ""
        if self.name == "kb-notes":
            return self.notes(data)
        try:
            return special.render(data, self.env.docname, translations_for(data), self.name, argument)
        except (KeyError, TypeError, ValueError) as exc:  # a part used where it has no data
            warn(f"{{{self.name}}} cannot be shown on this page ({type(exc).__name__}: {exc})", "part",
                 location=self.get_location())
            return []


    def notes(self, data: dict[str, Any]) -> list[nodes.Node]:
        """Editorial and source notes: Markdown, folded in a <details>."""
        record = data["records"].get(data["pages"].get(self.env.docname, {}).get("record") or "")
        if not record or not record.get("notes"):
            return []
        children = self.parse_text_to_nodes(record["notes"])
        _ = gettext_for(data)
        summary = make("summary", nodes.Text(_("Notes from the editors and on the sources")))
        return [make("details", summary, *children, classes=["kb-notes"], **{"data-pagefind-ignore": "all"})]


class LangDirective(SphinxDirective):
    """`{kb-lang} es`: content in another language than the page's (`<div lang="es">`)."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        lang = self.arguments[0].strip()
        children = self.parse_content_to_nodes(allow_section_headings=True)
        if not _LANG.match(lang):
            warn(f"{{kb-lang}} needs a language code such as 'es', not {lang[:40]!r}", "lang",
                 location=self.get_location())
            return children
        return [make("div", *children, classes=["kb-original"], lang=lang)]


def visit_element(translator: Any, node: element) -> None:
    translator.body.append(translator.starttag(node, node["tag"], **node["html"]))


def depart_element(translator: Any, node: element) -> None:
    translator.body.append(f"</{node['tag']}>")


# -- transforms ---------------------------------------------------------------------------
def unsafe_url(uri: str) -> bool:
    """A link target that is not a web, mail or phone address, nor a path on this site."""
    cleaned = _INVISIBLE.sub("", html.unescape(uri))
    match = _SCHEME.match(cleaned)
    if match:
        return match.group(1).lower() not in SAFE_SCHEMES
    return cleaned.startswith("//") or cleaned.startswith("\\")  # another host, without a scheme


class Sanitize(SphinxTransform):
    """Take out of every page what content may not do (see the module's docstring)."""

    default_priority = 100  # early: before any other transform copies or resolves these nodes

    def apply(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.raw)):
            warn("raw output is not allowed in records; it was left out", "unsafe-directive", node)
            node.parent.remove(node)
        for kind in (nodes.meta, addnodes.toctree):
            for node in list(self.document.findall(kind)):
                warn(f"{node.tagname} is not allowed in records; it was left out", "unsafe-directive", node)
                node.parent.remove(node)
        for node in list(self.document.findall(addnodes.download_reference)):
            warn("links to files are not published; the text is kept", "unsafe-directive", node)
            node.replace_self(nodes.inline("", node.astext()))
        for node in list(self.document.findall(nodes.image)):
            uri = node.get("uri", "")
            alt = node.get("alt") or uri
            warn("images in records are not published; a link to it is shown instead", "image", node)
            keep: nodes.Node = (nodes.reference("", alt, refuri=uri) if _SCHEME.match(uri) and not unsafe_url(uri)
                                else nodes.inline("", alt))
            if not isinstance(node.parent, nodes.TextElement):
                keep = nodes.paragraph("", "", keep)  # an image on its own line: a paragraph with its link
            node.replace_self(keep)
        for node in list(self.document.findall(nodes.Element)):
            for attribute in ("refuri", "uri"):
                value = node.get(attribute)
                if isinstance(value, str) and unsafe_url(value):
                    warn(f"the link {value[:60]!r} is not a web, mail or phone address; it was made plain text",
                         "unsafe-html", node)
                    if isinstance(node, nodes.reference):
                        plain = nodes.inline("", "", *node.children)
                        node.replace_self(plain if isinstance(node.parent, nodes.TextElement)
                                          else nodes.paragraph("", "", plain))
                    else:
                        del node[attribute]


class Abbreviations(SphinxTransform):
    """On record pages, the first occurrence of each glossary term links to its entry."""

    default_priority = 880  # after MyST's and docutils' own transforms
    SKIP = (nodes.title, nodes.reference, nodes.abbreviation, nodes.literal, nodes.literal_block,
            nodes.FixedTextElement, nodes.raw, nodes.comment, nodes.target)
    READING = ("kb-summary", "kb-original")

    def apply(self, **kwargs: Any) -> None:
        data = site_data(self.config)
        page = data["pages"].get(self.env.docname, {})
        if page.get("kind") != "record" or not data.get("abbreviations"):
            return
        finder = _finder(self.config.kb_site_data)
        href = pages.relative(self.env.docname, pages.GLOSSARY)
        done = {page.get("record")}
        for text in list(self.document.findall(nodes.Text)):
            if self._skipped(text):
                continue
            pieces = _mark(str(text), finder, done, href)
            if pieces:
                text.parent.replace(text, pieces)

    def _skipped(self, text: nodes.Text) -> bool:
        """Only the reading text is marked: the summary and the body, not the page's own parts
        (every part carries a `kb-` class) nor headings, links or code."""
        node = text.parent
        while node is not None:
            if isinstance(node, self.SKIP) or any(
                    c.startswith("kb-") and c not in self.READING for c in node.get("classes", ())):
                return True
            node = node.parent
        return False


@functools.lru_cache(maxsize=4)
def _finder(path: str) -> glossary.Matcher:
    return glossary.matcher([glossary.Form(*entry) for entry in _load(path)["abbreviations"]])


def _mark(text: str, finder: glossary.Matcher, done: set, href: str) -> list[nodes.Node]:
    """`text` as nodes with each glossary term not yet marked on the page made a link."""
    out: list[nodes.Node] = []
    last = 0
    for match, form in finder.find(text):
        if form.entry in done:
            continue
        done.add(form.entry)
        if match.start() > last:
            out.append(nodes.Text(text[last:match.start()]))
        written = match.group(0)
        inner = (nodes.abbreviation(written, written, explanation=form.explanation) if glossary.is_acronym(written)
                 else nodes.Text(written))
        out.append(nodes.reference("", "", inner, refuri=f"{href}#{form.entry}", reftitle=form.explanation,
                                   classes=["kb-term"], internal=True))
        last = match.end()
    if out and last < len(text):
        out.append(nodes.Text(text[last:]))
    return out


# -- events -------------------------------------------------------------------------------
def lock_down(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """docutils may neither insert files nor pass raw output, whatever a record asks."""
    env.settings["file_insertion_enabled"] = False
    env.settings["raw_enabled"] = False


def builder_inited(app: Sphinx) -> None:
    if hasattr(app.builder, "search"):
        app.builder.search = False  # Pagefind searches the site; no searchindex.js


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """What the templates show. Runs before furo's handler, which then finds no toctree."""
    context.pop("toctree", None)
    # Sphinx's own scripts serve its search and its highlighting of search words: neither is used.
    context["script_files"] = [s for s in context.get("script_files", []) if not str(getattr(s, "filename", s)).endswith(
        UNUSED_SCRIPTS)]
    if 'class="highlight' not in context.get("body", ""):  # no code on the page: no colours for code (20 KB)
        context["css_files"] = [c for c in context.get("css_files", [])
                                if not str(getattr(c, "filename", c)).endswith("pygments.css")]
    data = site_data(app.config)
    lang = data["lang"]
    _ = gettext_for(data)
    page = data["pages"].get(pagename, {"kind": "other"})
    record = data["records"].get(page.get("record") or "")
    alternates = []
    for other in data["languages"]:
        gettext = gettext_for(data, other)  # the switch speaks the language it leads to
        switch = gettext("Read in {language}").format(language=data["labels"]["endonyms"].get(other, other))
        alternates.append({"lang": other, "current": other == lang, "switch": switch,
                           "href": pages.to_language(pagename, other, pagename),
                           "url": data["base_url"] + pages.url(other, pagename)})
    nav = [(pages.HOME, _("Home")), (pages.TIMELINE, _("Timeline")), (pages.LISTINGS, _("Listings")),
           (pages.GLOSSARY, _("Glossary")), (pages.SEARCH, _("Search")), (pages.ABOUT, _("About this site"))]
    context["kb_"] = _
    context["kb"] = {
        "page": page, "alternates": alternates if pagename in data["pages"] else [],
        "default_url": data["base_url"] + pages.url(data["default"], pagename) if pagename in data["pages"] else "",
        "description": (record or {}).get("summary", "")[:300],
        "type_label": type_name(record["type"], _) if record else "",
        "years": (record or {}).get("years", [])[:1],
        "year": data.get("build", {}).get("year", ""), "organization": data["organization"],
        "bundle": pages.bundle(pagename),
        "navigation": [{"text": text, "href": pages.relative(pagename, doc), "current": doc == pagename}
                       for doc, text in nav],
    }


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("kb_site_data", "", "env", types=[str])
    app.add_node(element, html=(visit_element, depart_element))
    for name in special.PARTS:
        app.add_directive(f"kb-{name}", PartDirective)
    app.add_directive("kb-lang", LangDirective)
    app.add_transform(Sanitize)
    app.add_transform(Abbreviations)
    app.connect("env-before-read-docs", lock_down)
    app.connect("builder-inited", builder_inited)
    app.connect("html-page-context", page_context, priority=400)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}


# -- running a build ------------------------------------------------------------------------
def run(source: Path, out: Path, doctrees: Path, progress: Any, jobs: int = 1) -> tuple[list[str], bool]:
    """One Sphinx HTML build of the tree in `source` (its conf.py) into `out`, through the
    application API. Returns (warning lines, failed); `progress(step, done)` counts pages."""
    import io

    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.console import nocolor

    nocolor()
    stream = io.StringIO()
    counts = {"reading": 0, "writing": 0}

    def tick(step: str) -> None:
        counts[step] += 1
        if counts[step] % 50 == 0:
            progress(step, counts[step])

    try:
        with warnings.catch_warnings():
            # Deprecations inside Sphinx's extensions (myst-parser on Sphinx 11's removals) are
            # for their maintainers, not for the people who build a site.
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            app = Sphinx(str(source), str(source), str(out), str(doctrees), "html", status=None, warning=stream,
                         freshenv=True, parallel=jobs, keep_going=True)
            app.connect("doctree-read", lambda _app, _doctree: tick("reading"))
            app.connect("html-page-context", lambda *_args: tick("writing"))
            app.build(force_all=True)
        failed = app.statuscode != 0 and not stream.getvalue()
    except (SphinxError, OSError, ValueError) as exc:  # a broken tree or an unwritable folder
        stream.write(f"ERROR: Sphinx stopped: {type(exc).__name__}: {exc}\n")
        failed = True
    except Exception as exc:  # noqa: BLE001 (a bug in Sphinx, an extension or ours: a problem, not a traceback)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        stream.write(f"ERROR: Sphinx stopped on an internal error: {type(exc).__name__}: {exc} "
                     f"(at {Path(where.filename).name}:{where.lineno})\n")
        failed = True
    (out / ".buildinfo").unlink(missing_ok=True)  # Sphinx's own bookkeeping, not for readers
    with contextlib.suppress(OSError):
        (out / "_sources").rmdir()  # created even when no source is copied; removed only if empty
    return _warning_lines(stream.getvalue()), failed


_START = re.compile(r"^(?:.*?:\d*:? ?)?(?:WARNING|ERROR|CRITICAL): ")


def _warning_lines(text: str) -> list[str]:
    """One line per warning. Sphinx continues a message on the next lines (docutils echoes the
    directive it refused); those are joined to it, and a message is cut at 400 characters."""
    lines: list[str] = []
    for line in text.splitlines():
        if _START.match(line) or not lines:
            if line.strip():
                lines.append(line.rstrip())
        elif line.strip() and len(lines[-1]) < 400:
            lines[-1] = (lines[-1] + " " + line.strip())[:400]
    return lines
