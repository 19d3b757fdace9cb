"""Unsafe content in one record, found by parsing the record the way the site will read it.

Records come from untrusted contributors and are published by Sphinx with MyST-Parser, which
reads Markdown with markdown-it-py. `check_content(record)` parses the body with the same parser
and plugins (CommonMark, tables, strikethrough, colon fences, MyST roles and blocks) and judges
each token; `validateLink` accepts every address, so that the check sees each link the author
wrote (markdown-it would otherwise turn a `javascript:` link into text silently) and judges it
with `html_rules.url_scheme`. What is flagged:

- unsafe-html: raw HTML (html_block and html_inline tokens, and text that only fails to be HTML
  here, such as `<img/src=x/onerror=...>`, which other Markdown readers may pass through) with a
  dangerous element or attribute (see `html_rules`); Markdown links, images, autolinks and
  reference definitions whose address is javascript:, vbscript: or data:; link-like text
  `[x](java<TAB>script:...)` that this parser does not link but others may.
- unsafe-directive: fences and colon fences whose MyST directive inserts raw HTML or reads a
  file ({raw}, {include}, {literalinclude}); any directive option :file: or :url:; inside
  {eval-rst} (and, in case they hand it to reStructuredText, inside other directives' bodies)
  the rST directives raw, include and literalinclude, :file:/:url: options, a role derived from
  raw, and javascript:/vbscript:/data: addresses; the roles {raw-html}, {raw} and {eval-rst}.
  Directive bodies are MyST Markdown themselves, so they are parsed again (to MAX_DEPTH).
  Ordinary code fences (```python) and code directives are shown, never run: they pass.
- front matter (every string, however deeply nested): control-character for C0 controls except
  tab, LF and CR, DEL, C1 controls and the invisible direction controls U+202A-U+202E and
  U+2066-U+2069; control-character for a line break in a single-line field (title, name, term,
  acronym, addresses and list items); unsafe-html for HTML (a known element or a tag with
  attributes; `<comunidad>` and `a < b` are text) and for an address field (a key ending in
  url or website) with a javascript:, vbscript: or data: scheme.

Each finding has its line and column; at most MAX_FINDINGS per file are reported. A body with
more than MAX_MARKUP '[' or '<' is reported as too dense to check (parsing it could take
minutes; no real record comes near). A body with
none of `<`, `](`, `]:`, `{`, `&#` cannot hold any of this, and is not parsed at all: that is
most bodies, and it keeps `kb validate` fast (markdown-it is imported only when needed).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from typing import Any, Iterator

from ..problems import Code, Problem, problem
from ..records.messages import dotted
from ..records.model import Record
from .html_rules import html_tags, scheme_advice, unsafe_html, url_scheme

MAX_FINDINGS = 20  # per file
MAX_DEPTH = 8  # directives nested in directive bodies that are parsed again
# markdown-it spends up to 90 us on each '[' of some bracket-heavy inputs (and more per '<' past
# this many): a body with more of either is reported as too dense to check, not parsed.
MAX_MARKUP = 20_000
MAX_REPARSED = 200_000  # characters of directive bodies parsed again, however deeply nested
# A body without these cannot hold raw HTML, a link, a reference definition, a directive or a role,
# so it is not parsed. A scheme word alone ("data: shows...") is harmless prose: without one of
# these markers nothing in it becomes a link, so it does not force a parse either.
_MARKERS = ("<", "](", "]:", "{", "&#")
_NEWLINE = re.compile(r"\r\n?|\n")  # as markdown-it counts lines

UNSAFE_DIRECTIVES = {"raw": "inserts raw HTML into the page", "include": "reads another file into the page",
                     "literalinclude": "reads another file into the page"}
UNSAFE_ROLES = {"raw-html": "inserts raw HTML", "raw": "inserts raw HTML",
                "eval-rst": "runs reStructuredText, which can insert raw HTML or read files"}
# Directives whose body is shown as code or read as data, not parsed as Markdown or rST.
LITERAL_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "code-cell", "math", "highlight",
                                "mermaid", "graphviz", "literal"})
_DIRECTIVE = re.compile(r"\{\s*([^{}\s]+)\s*\}")
_RST_DIRECTIVE = re.compile(r"\s*\.\.\s+(raw|include|literalinclude)\s*::", re.IGNORECASE)
_RST_ROLE_RAW = re.compile(r"\s*\.\.\s+role\s*::.*\(\s*raw\s*\)", re.IGNORECASE)
_FILE_OPTION = re.compile(r"\s*:(file|url)\s*:", re.IGNORECASE)
_YAML_FILE_OPTION = re.compile(r"\s*(file|url)\s*:", re.IGNORECASE)
_RST_URI = re.compile(r"<([^<>]+)>|(?:^\s*\.\.\s+_[^:]*:|::|^\s*:[\w-]+:)\s*(\S+)")
_LINK_LIKE = re.compile(r"\]\(\s*<?([^)>]*)")
_FIX_DIRECTIVE = "paste the content into the record as Markdown instead"

_SUSPECT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f<\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")
SINGLE_LINE = frozenset({"title", "name", "term", "acronym"})
_ADDRESS_KEYS = ("url", "website")  # a field whose key ends so holds a web address
_C0_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0A: "LINE FEED", 0x0B: "VERTICAL TAB",
             0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE"}


def check_content(record: Record) -> list[Problem]:
    """Every unsafe thing in the record's front matter and body, at most MAX_FINDINGS, in file order."""
    found, body = _front_matter(record), record.body
    if _may_be_unsafe(body):
        dense = max(body.count("["), body.count("<"))
        if dense > MAX_MARKUP:
            found.append(problem(Code.UNSAFE_HTML, record.display, record.fm.body_line, 1,
                                 f"the body holds {dense:,} '[' or '<' characters, more than the {MAX_MARKUP:,} "
                                 f"that can be checked for unsafe content in reasonable time; split the record"))
        else:
            scan = _BodyScan(record)
            scan.markdown(body, 0, 0)
            found += scan.found
    unique: dict[tuple, Problem] = {}
    for item in sorted(found):
        unique.setdefault((item.line, item.column, item.code), item)
    return list(unique.values())[:MAX_FINDINGS]


def _may_be_unsafe(body: str) -> bool:
    """The cheap pre-test: substring tests run at memory speed (a regular expression over every
    body cost 20 ms on the bundled knowledge base)."""
    return any(marker in body for marker in _MARKERS)


@functools.cache
def _parser():
    """markdown-it as MyST-Parser sets it up, with every link kept (imported on first use)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.use(colon_fence_plugin).use(myst_role_plugin).use(myst_block_plugin)
    parser.inline.ruler.at("myst_role", _myst_role)
    parser.disable("text_join")  # keep `&lt;` and `\<` (text_special tokens) apart from literal text
    parser.validateLink = lambda url: True  # see every link; `_link_scheme` judges it
    return parser


_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9_\-+:]+)\}")  # as mdit_py_plugins.myst_role reads it


def _myst_role(state: Any, silent: bool) -> bool:
    """mdit_py_plugins' myst_role rule, token for token, without its copy of the rest of the
    paragraph at every position it is tried (quadratic: 1 MB of `](` took 6 s in it)."""
    src, start = state.src, state.pos
    if src[start] != "{" or not (match := _ROLE_NAME.match(src, start)):
        return False
    position = match.end()
    while position < len(src) and src[position] == "`":
        position += 1
    ticks = position - match.end()
    if not ticks or position >= len(src):
        return False
    close = src.find("`" * ticks, position + 1)
    if close < 0:
        return False
    if not silent:
        token = state.push("myst_role", "", 0)
        token.meta = {"name": match.group(1)}
        token.content = src[position:close].replace("\n", " ")
    state.pos = close + ticks
    return True


def _link_scheme(href: str) -> str | None:
    """The dangerous scheme of a Markdown link's address. markdown-it percent-encodes what the
    author wrote (`jav&#x09;ascript:` becomes `jav%09ascript:`), so the decoded form is judged too."""
    return url_scheme(href) or (url_scheme(urllib.parse.unquote(href)) if "%" in href else None)


class _BodyScan:
    """One walk over a body's tokens; `found` collects the problems."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.lines = _NEWLINE.split(record.body)
        self.found: list[Problem] = []
        self.reference_hrefs: set[str] = set()
        self.reparsed = 0  # characters of directive bodies parsed again

    def add(self, code: Code, line: int, column: int, message: str) -> None:
        """A finding at a body line (0-based) and column (1-based)."""
        self.found.append(problem(code, self.record.display, self.record.fm.body_line + line, column, message))

    @property
    def full(self) -> bool:
        return len(self.found) >= 2 * MAX_FINDINGS  # some may be duplicates; the rest are cut later

    def find(self, start: int, end: int, needles: list[str], cursor: list[int]) -> tuple[int, int]:
        """(line, column) of the first needle found from `cursor` within lines start..end; the
        cursor moves there, so that findings of one paragraph are placed in order."""
        end = min(end, len(self.lines))
        for needle in filter(None, needles):
            for line in range(cursor[0], end):
                column = self.lines[line].find(needle, cursor[1] if line == cursor[0] else 0)
                if column >= 0:
                    cursor[:] = [line, column + 1]
                    return line, column + 1
        return cursor[0], 1

    def markdown(self, text: str, offset: int, depth: int) -> None:
        """Parse `text`, whose first line is body line `offset`, and judge every token."""
        env: dict = {}
        tokens = _parser().parse(text, env)
        for label, reference in (env.get("references") or {}).items():
            scheme = _link_scheme(reference.get("href", ""))
            if scheme and reference.get("map"):
                line = offset + reference["map"][0]
                self.reference_hrefs.add(reference["href"])
                self.add(Code.UNSAFE_HTML, *self.find(line, line + 1, ["]:"], [line, 0]),
                         f"the link definition [{label.lower()}] points to a {scheme}: address; "
                         f"{scheme_advice(scheme)}")
        for token in tokens:
            if self.full:
                return
            if token.map is None:
                continue
            start, end = offset + token.map[0], offset + token.map[1]
            if token.type == "inline":
                self.inline(token.children or [], start, end)
            elif token.type == "html_block":
                self.html_block(token.content, start)
            elif token.type in ("fence", "colon_fence"):
                self.fence(token, start, depth)

    def html_block(self, content: str, start: int) -> None:
        for finding in unsafe_html(content, MAX_FINDINGS):
            line = start + finding.line - 1
            column = self.lines[line].find(finding.tag_text.split("\n")[0]) if line < len(self.lines) else -1
            self.add(Code.UNSAFE_HTML, line, column + 1 if column >= 0 else finding.column + 1,
                     f"the body contains {finding.what}")

    def inline(self, children: list, start: int, end: int) -> None:
        cursor = [start, 0]
        for child in children:
            if self.full:
                return
            kind, content = child.type, child.content
            if kind == "html_inline" or (kind == "text" and "<" in content):
                for finding in unsafe_html(content, MAX_FINDINGS, long_tags=kind == "html_inline"):
                    where = self.find(start, end, [finding.tag_text.split("\n")[0]], cursor)
                    self.add(Code.UNSAFE_HTML, *where, f"the body contains {finding.what}")
            if kind == "text" and "](" in content:
                for match in _LINK_LIKE.finditer(content):
                    scheme = url_scheme(match.group(1))
                    if scheme:
                        self.add(Code.UNSAFE_HTML, *self.find(start, end, ["]("], cursor),
                                 f"the body contains link-like text to a {scheme}: address; this parser shows "
                                 f"it as text, but other Markdown readers may make it a link; "
                                 f"{scheme_advice(scheme)}")
            elif kind in ("link_open", "image"):
                href = str(child.attrs.get("href" if kind == "link_open" else "src") or "")
                scheme = _link_scheme(href)
                if scheme and not (kind == "link_open" and href in self.reference_hrefs):
                    what = "a link to" if kind == "link_open" else "an image from"
                    where = self.find(start, end, [href, urllib.parse.unquote(href), "](", "<"], cursor)
                    self.add(Code.UNSAFE_HTML, *where, f"the body contains {what} a {scheme}: address; "
                                                       f"{scheme_advice(scheme)}")
            elif kind == "myst_role":
                name = str(child.meta.get("name", "")).lower()
                if name in UNSAFE_ROLES:
                    where = self.find(start, end, ["{" + str(child.meta.get("name")) + "}", "{"], cursor)
                    self.add(Code.UNSAFE_DIRECTIVE, *where,
                             f"the role {{{name}}} {UNSAFE_ROLES[name]}; {_FIX_DIRECTIVE}")

    def fence(self, token: Any, start: int, depth: int) -> None:
        match = _DIRECTIVE.match(token.info.strip())
        if not match:
            return  # a code block: shown to readers, never run
        name = match.group(1).lower()
        column = max(self.lines[start].find(token.markup), 0) + 1 if start < len(self.lines) else 1
        if name in UNSAFE_DIRECTIVES:
            self.add(Code.UNSAFE_DIRECTIVE, start, column,
                     f"the directive {{{name}}} {UNSAFE_DIRECTIVES[name]}; {_FIX_DIRECTIVE}")
            return
        lines = _NEWLINE.split(token.content)
        self.options(lines, start + 1, name)
        if name not in LITERAL_DIRECTIVES:
            self.rst(lines, start + 1, evaluated=name == "eval-rst")
            if name == "eval-rst":
                return
            self.reparsed += len(token.content)
            if depth < MAX_DEPTH and self.reparsed <= MAX_REPARSED:
                self.markdown(token.content, start + 1, depth + 1)
            else:
                self.add(Code.UNSAFE_DIRECTIVE, start, column,
                         f"directive bodies nested more than {MAX_DEPTH} deep, or over {MAX_REPARSED:,} characters "
                         f"of them, cannot be checked for unsafe content; nest them less or split the record")

    def column(self, line: int, needle: str) -> int:
        """The 1-based column of `needle` on a body line, or 1."""
        found = self.lines[line].lower().find(needle.lower()) if line < len(self.lines) else -1
        return found + 1 if found >= 0 else 1

    def options(self, lines: list[str], first: int, name: str) -> None:
        """:file: and :url: options of a MyST directive, as `:key: value` lines or a `---` YAML block."""
        yaml_block = bool(lines) and lines[0].strip() == "---"
        for i, text in enumerate(lines[1:] if yaml_block else lines, 1 if yaml_block else 0):
            if yaml_block and text.strip() == "---" or not yaml_block and not re.match(r"\s*:[\w-]+:", text):
                break
            if match := (_YAML_FILE_OPTION if yaml_block else _FILE_OPTION).match(text):
                self.file_option(first + i, match.group(1).lower(), f"{{{name}}}")

    def file_option(self, line: int, option: str, name: str) -> None:
        reads = "reads a file from the machine that builds the site" if option == "file" else \
            "downloads content from another address"
        self.add(Code.UNSAFE_DIRECTIVE, line, self.column(line, option),
                 f"the :{option}: option of the directive {name} {reads}; {_FIX_DIRECTIVE}")

    def rst(self, lines: list[str], first: int, evaluated: bool) -> None:
        """reStructuredText in a directive body: raw and include directives, file options, raw
        roles, and (where it is run, in {eval-rst}) javascript:, vbscript: and data: addresses."""
        for i, text in enumerate(lines):
            line = first + i
            if self.full:
                return
            if match := _RST_DIRECTIVE.match(text):
                name = match.group(1).lower()
                self.add(Code.UNSAFE_DIRECTIVE, line, self.column(line, ".."),
                         f"the reStructuredText directive '.. {name}::' "
                         f"{UNSAFE_DIRECTIVES[name]}; {_FIX_DIRECTIVE}")
            elif match := _FILE_OPTION.match(text):
                self.file_option(line, match.group(1).lower(), "above it")
            elif _RST_ROLE_RAW.match(text):
                self.add(Code.UNSAFE_DIRECTIVE, line, self.column(line, ".."),
                         f"a reStructuredText role derived from raw inserts raw HTML; {_FIX_DIRECTIVE}")
            elif evaluated and (":" in text or "&" in text):
                for uri in _RST_URI.finditer(text):
                    scheme = url_scheme(uri.group(1) or uri.group(2))
                    if scheme:
                        self.add(Code.UNSAFE_HTML, line, self.column(line, uri.group().strip()[:20]),
                                 f"the reStructuredText links to a {scheme}: address; {scheme_advice(scheme)}")
                        break


def _strings(meta: Any) -> Iterator[tuple[tuple, str]]:
    """(path, value) of every string in the front matter, however deeply nested."""
    stack: list[tuple[tuple, Any]] = [((), meta)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack += [(path + (key,), item) for key, item in reversed(value.items())]
        elif isinstance(value, list):
            stack += [(path + (index,), item) for index, item in reversed(list(enumerate(value)))]


def _character(char: str) -> str:
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"an invisible direction control (U+{code:04X} {unicodedata.name(char)})"
    name = _C0_NAMES.get(code) or unicodedata.name(char, "")
    return f"a control character (U+{code:04X}{' ' + name if name else ''})"


def _gather(meta: Any, texts: list[str], addresses: list[str]) -> None:
    """Every string of the front matter into `texts`, those of address fields also into
    `addresses`; iterative, as it runs on every record."""
    stack: list[tuple[str, Any]] = [("", meta)]
    while stack:
        key, value = stack.pop()
        kind = type(value)
        if kind is str:
            texts.append(value)
            if key.lower().endswith(_ADDRESS_KEYS):
                addresses.append(value)
        elif kind is dict:
            stack += [(item_key if type(item_key) is str else "", item) for item_key, item in value.items()]
        elif kind is list:
            stack += [(key, item) for item in value]


def _front_matter(record: Record) -> list[Problem]:
    texts: list[str] = []
    addresses: list[str] = []
    _gather(record.meta, texts, addresses)  # a quick pass first: most front matter is clean
    if not _SUSPECT.search("\t".join(texts)) and not any(map(url_scheme, addresses)):
        return []
    found: list[Problem] = []
    for path, value in _strings(record.meta):
        key = next((step for step in reversed(path) if isinstance(step, str)), "")
        is_url = key.lower().endswith(_ADDRESS_KEYS)
        if not (_SUSPECT.search(value) or is_url):
            continue
        field, messages = dotted(path), []
        if control := _CONTROL.search(value):
            messages.append((Code.CONTROL_CHARACTER,
                             f"{field} holds {_character(control.group())}, which readers cannot see and which "
                             f"can change how the text shows in terminals and exports; delete it"))
        single = is_url or key in SINGLE_LINE or isinstance(path[-1], int)
        if single and (line_break := _LINE_BREAK.search(value)):
            messages.append((Code.CONTROL_CHARACTER,
                             f"{field} is one line of text but holds a line break "
                             f"(U+{ord(line_break.group()):04X}); write it on one line"))
        if "<" in value and (tag := html_tags(value)):
            messages.append((Code.UNSAFE_HTML, f"{field} holds HTML ({tag[:60]}); front-matter text is shown as "
                                               f"plain text; write it without HTML"))
        if is_url and (scheme := url_scheme(value)):
            messages.append((Code.UNSAFE_HTML, f"{field} is a {scheme}: address; {scheme_advice(scheme)}"))
        if messages:
            line, column = record.locate(path)
            found += [problem(code, record.display, line, column, message) for code, message in messages]
            if len(found) >= MAX_FINDINGS:  # the walk is in file order: later ones would be cut anyway
                break
    return found
