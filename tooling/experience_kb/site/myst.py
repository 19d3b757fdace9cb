"""Writing MyST safely: text from front matter escaped so that Markdown never reads it as syntax,
and a record's body made to sit inside a page.

Bodies are the contributors' Markdown and stay Markdown; what they could do to the page
around them is taken away here: their headings move so that the highest is a level-2 heading
(the page title is the only level-1 heading), and a code fence they leave open is closed, so it
cannot swallow what the page puts after the body.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_FENCE = re.compile(r"^ {0,3}(?P<mark>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)")


def escape(text: str) -> str:
    """`text` as literal MyST inline text: one line, every ASCII punctuation mark escaped."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def body(markdown: str) -> str:
    """A record body ready to sit between the page's parts."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings: list[int] = []  # indexes of heading lines (outside fences)
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match["mark"]
            elif _HEADING.match(line):
                headings.append(index)
        elif match and match["mark"][0] == fence[0] and len(match["mark"]) >= len(fence) and not match["info"].strip():
            fence = None
    if headings:
        shift = 2 - min(len(_HEADING.match(lines[i]).group(1)) for i in headings)
        for index in headings:
            level = len(_HEADING.match(lines[index]).group(1))
            lines[index] = _HEADING.sub("#" * min(6, max(2, level + shift)), lines[index], count=1)
    if fence is not None:
        lines.append(fence)  # close what the body left open
    return "\n".join(lines).strip() + "\n"


def outer_fence(text: str) -> str:
    """A colon fence longer than any in `text`, to wrap it in a directive it cannot close."""
    longest = max((len(m.group(0)) for m in re.finditer(r":{3,}", text)), default=0)
    return ":" * max(4, longest + 1)
