"""What makes a piece of HTML or a web address unsafe to publish, decided by tokenizing it.

`unsafe_html(fragment)` tokenizes tags as the HTML standard's tokenizer does (`tags`: attributes
split the way browsers split them, `<img/src="x"/onerror=...>` included, entities in attribute
values decoded) and lists every tag a reader's browser would act on:

- elements that run code, embed other pages or plug-ins, send readers' input elsewhere, restyle
  or redirect the page: script, iframe, frame, frameset, object, embed, applet, portal, form,
  input, style, link, meta, base, and svg and math (they carry scripts and event handlers of
  their own);
- elements that browsers and sanitizers parse differently, the usual way to smuggle a script
  past a filter: template, noscript (its content is markup or text depending on whether
  scripting is on), xmp, noembed, noframes, plaintext;
- attributes: every event handler (any name starting with "on"), formaction, srcdoc, a style
  with expression(), behavior, -moz-binding or a javascript:/vbscript: url(), and every address
  attribute (href, src, action, srcset items, ...) whose scheme is javascript:, vbscript: or
  data:. data: is refused everywhere, images included: a data: address can hold a whole page.
- an unquoted attribute value that hides an event handler after a slash (`src=x/onerror=...`):
  browsers read it as part of the value, but other HTML readers may not.

Harmless markup passes: <b>, <i>, <br>, <sup>, <a href="https://...">, <img src="pic.png">, and
text that only looks like a tag (`<comunidad>`, `a < b`). End tags alone run nothing and pass.
Tags inside comments and inside <script> or <style> are not skipped: reporting them is the safe
side. A tag longer than MAX_TAG characters is reported as too long to check.

`url_scheme(url)` is the address rule: decode HTML entities, drop every ASCII whitespace and
control character (U+0000-U+0020, U+007F-U+009F) wherever it is, lowercase, and read the scheme
before the first ':'. Percent-decoding is not applied: browsers do not decode a scheme.
`html_tags(text)` lists the tags in front-matter text, where no HTML at all is wanted.
"""

from __future__ import annotations

import html
import re
from typing import Iterator, NamedTuple

DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f]+")

RUNS_CODE = "it can run code in readers' browsers"
FORBIDDEN_ELEMENTS = {
    "script": RUNS_CODE,
    "iframe": "it embeds another page in the site",
    "frame": "it embeds another page in the site",
    "frameset": "it embeds other pages in the site",
    "portal": "it embeds another page in the site",
    "object": "it embeds a plug-in or another page",
    "embed": "it embeds a plug-in or another page",
    "applet": "it embeds a plug-in",
    "form": "it sends what readers type to another address",
    "input": "it is a form field that can send what readers type elsewhere",
    "style": "it restyles the whole site and can hide or fake content",
    "link": "it loads a style sheet or another resource into the page",
    "meta": "it can redirect readers to another address",
    "base": "it changes where every link on the page points",
    "svg": "SVG carries scripts and event handlers of its own",
    "math": "MathML markup is a known way to smuggle script past HTML filters",
    "template": "browsers and filters parse its content differently, a known way to smuggle script",
    "noscript": "its content is read as markup or as text depending on the browser, "
                "a known way to smuggle script",
    "xmp": "browsers and filters parse its content differently, a known way to smuggle script",
    "noembed": "browsers and filters parse its content differently, a known way to smuggle script",
    "noframes": "browsers and filters parse its content differently, a known way to smuggle script",
    "plaintext": "it turns the rest of the page into raw text",
}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                            "srcset", "cite", "lowsrc", "dynsrc", "longdesc", "codebase", "classid", "archive",
                            "manifest", "icon", "ping", "profile", "usemap", "imagesrcset"})
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[\t\n\f\r ]?|\\(.)", re.S)  # \6a is j
_STYLE_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_STYLE_BAD = ("expression(", "behavior:", "-moz-binding", "javascript:", "vbscript:")
_SMUGGLED = re.compile(r"/\s*(on[a-z]+)\s*=", re.IGNORECASE)  # in an unquoted value: src=x/onerror=...

# Every element name of HTML (current and obsolete), SVG's and MathML's roots: front-matter text
# holding one of these as a tag is HTML; `<comunidad>` is not.
HTML_ELEMENTS = frozenset("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
blockquote body br button canvas caption center cite code col colgroup data datalist dd del details
dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3
h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label legend li
link listing main map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed
noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q rb
rp rt rtc ruby s samp script search section select slot small source spacer span strike strong style
sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var
video wbr xmp
""".split())


class Finding(NamedTuple):
    """One unsafe thing in a fragment: 1-based line and 0-based column inside it, the tag's text
    as written (to find it in the file), and what was found, in words."""

    line: int
    column: int
    tag_text: str
    what: str


def url_scheme(url: str) -> str | None:
    """'javascript', 'vbscript' or 'data' when `url` would be read with that scheme, else None."""
    if ":" not in url and "&" not in url:  # no colon, not even an encoded one: no scheme at all
        return None
    scheme, colon, _ = _URL_JUNK.sub("", html.unescape(url)).lower().partition(":")
    return scheme if colon and scheme in DANGEROUS_SCHEMES else None


def scheme_advice(scheme: str) -> str:
    """Why an address with this scheme is refused, and what to write instead."""
    if scheme == "data":
        return ("data: addresses are not allowed anywhere, images included, as they can hold a whole page; "
                "link to an https:// address or add the file to the site")
    return f"{scheme}: addresses run code when clicked; link to an https:// address instead"


REMOVE = "remove it and write the content in Markdown"


_WS = "\t\n\f\r "
# A start or end tag as the HTML standard's tokenizer reads it: the name, then attributes, each
# a name (anything but whitespace, / and >; a quoted value may be followed by the next name
# without a space) with an optional =value, quoted or not; then >. Possessive quantifiers never
# backtrack, so a match attempt is linear, and it fails only where the input (or the window) ends
# inside the tag.
_TAG = re.compile(rf"<(/?)([A-Za-z][^{_WS}/>]*+)((?:[{_WS}/]*+[^{_WS}/>][^{_WS}/=>]*+"
                  rf"(?:[{_WS}]*+=[{_WS}]*+(?:\"[^\"]*+\"|'[^']*+'|[^{_WS}>]*+))?)*+)[{_WS}/]*+>")
_ATTRIBUTE = re.compile(rf"[{_WS}/]*+([^{_WS}/>][^{_WS}/=>]*+)"
                        rf"(?:[{_WS}]*+=[{_WS}]*+(\"[^\"]*+\"|'[^']*+'|[^{_WS}>]*+))?")
_TAG_OPEN = re.compile(r"</?[A-Za-z]")
MAX_TAG = 4096  # characters; a longer tag is reported, not searched further


class Tag(NamedTuple):
    line: int  # 1-based, in the fragment
    column: int  # 0-based
    name: str  # lowercased; "" for a tag too long to read
    end: bool  # an end tag </name>
    attributes: list  # (lowercased name, decoded value, quoted?)
    raw: str  # as written (the first MAX_TAG characters of a tag too long to read)


def tags(text: str) -> Iterator[Tag]:
    """The tags of `text`, in linear time. `html.parser` is not used: before Python 3.11.13 it
    takes quadratic time on unclosed tags (90 KB of `<a ` took 73 s). As in browsers, a tag
    that is still open where the text ends is no tag, and neither is anything after it. A tag
    longer than MAX_TAG is yielded with the name "" so that it is reported, not read; the text
    after it is not read either."""
    position, line, line_start, size = 0, 1, 0, len(text)
    while (start := text.find("<", position)) >= 0:
        if newlines := text.count("\n", position, start):
            line, line_start = line + newlines, text.rfind("\n", position, start) + 1
        if not _TAG_OPEN.match(text, start):
            position = start + 1
            continue
        window = min(size, start + MAX_TAG)
        match = _TAG.match(text, start, window)
        if match is None:  # a tag has begun, so the match can only fail where the window ends
            if window == size:
                return  # open until the end: browsers drop it and read nothing after it as a tag
            yield Tag(line, start - line_start, "", False, [], text[start:window])
            return  # where it ends is unknown, so is what follows
        attributes = [(name.lower(), html.unescape(value[1:-1] if value[:1] in "\"'" and len(value) > 1 else value),
                       value[:1] in "\"'") for name, value in _ATTRIBUTE.findall(match.group(3))]
        yield Tag(line, start - line_start, match.group(2).lower(), bool(match.group(1)), attributes, match.group())
        position = match.end()
        if newlines := text.count("\n", start, position):
            line, line_start = line + newlines, text.rfind("\n", start, position) + 1


def unsafe_html(fragment: str, limit: int = 20, long_tags: bool = True) -> list[Finding]:
    """Every unsafe tag or attribute in an HTML fragment, at most `limit`; a tag too long to
    read is one too, unless `long_tags` is false (for text that is HTML only to other readers)."""
    findings: list[Finding] = []
    for tag in tags(fragment):
        if tag.end or not (tag.name or long_tags):
            continue  # an end tag runs nothing
        if not tag.name:
            findings.append(Finding(tag.line, tag.column, tag.raw[:40], f"an HTML tag longer than {MAX_TAG} "
                                    f"characters, too long to check; shorten it or write it in Markdown"))
        elif tag.name in FORBIDDEN_ELEMENTS:
            findings.append(Finding(tag.line, tag.column, tag.raw,
                                    f"the HTML element <{tag.name}>: {FORBIDDEN_ELEMENTS[tag.name]}; {REMOVE}"))
        else:
            findings += [Finding(tag.line, tag.column, tag.raw, what) for what in _unsafe_attributes(tag)]
        if len(findings) >= limit:
            break
    return findings[:limit]


def _css_character(match: re.Match) -> str:
    return chr(min(int(match.group(1), 16), 0x10FFFF)) if match.group(1) else match.group(2)


def _unsafe_attributes(element: Tag) -> list[str]:
    found, tag = [], element.name
    for name, value, quoted in element.attributes:
        if name.startswith("on"):
            found.append(f"an {name}= event handler on <{tag}>: {RUNS_CODE}; remove the attribute")
        elif name in ("formaction", "srcdoc"):
            what = "sends a form to another address" if name == "formaction" else "holds a whole page of HTML"
            found.append(f"a {name}= attribute on <{tag}>: it {what}; remove the attribute")
        elif name == "style":
            style = _CSS_ESCAPE.sub(_css_character, _CSS_COMMENT.sub("", value))
            style = _STYLE_JUNK.sub("", style).lower()
            bad = next((b for b in _STYLE_BAD if b in style), None)
            if bad:
                found.append(f"a style attribute with {bad.rstrip('(:')} on <{tag}>: {RUNS_CODE}; "
                             f"remove the attribute")
        elif name in URL_ATTRIBUTES:
            items = [part.split()[0] for part in value.split(",") if part.strip()] if "srcset" in name else [value]
            scheme = next(filter(None, map(url_scheme, items)), None)
            if scheme:
                found.append(f"a {scheme}: address in {name}= of <{tag}>: {scheme_advice(scheme)}")
        if not quoted and (smuggled := _SMUGGLED.search(value)):
            found.append(f"an {smuggled.group(1).lower()}= event handler hidden after a slash in the unquoted "
                         f"value of {name}= on <{tag}>: browsers read it as part of the value, but other HTML "
                         f"readers take it as a handler that runs code; quote the value or remove the tag")
    return found


def html_tags(text: str) -> str | None:
    """The first tag in front-matter text that is HTML (a known element, or any tag with
    attributes), as written; None when there is none. `<comunidad>` and `a < b` are text."""
    for tag in tags(text):
        if tag.name in HTML_ELEMENTS or tag.attributes or not tag.name:
            return tag.raw[:60]
    return None
