"""Record bodies fitted into a larger document (a site page, a booklet chapter).

A body is the contributor's Markdown and stays Markdown; what it could do to the document
around it is taken away: its headings move so that the highest sits at the level the document
gives it (the document's own title is above), and a code fence it leaves open is closed, so it
cannot swallow what follows.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(?P<mark>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)")


def fit(markdown: str, top: int = 2) -> str:
    """`markdown` with its highest heading at level `top` and every code fence closed."""
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
        shift = top - min(len(_HEADING.match(lines[i]).group(1)) for i in headings)
        for index in headings:
            level = len(_HEADING.match(lines[index]).group(1))
            lines[index] = _HEADING.sub("#" * min(6, max(top, level + shift)), lines[index], count=1)
    if fence is not None:
        lines.append(fence)  # close what the body left open
    return "\n".join(lines).strip() + "\n"
