"""Bounds and honest line numbers for YAML that anyone can send by pull request.

- `screen()` refuses anchors and aliases (a few hundred bytes of aliases expand to gigabytes,
  and records never need them) and nesting deeper than `MAX_DEPTH` (which would exhaust the
  stack), before the document is composed. It reads the event stream only when the text could
  hold either: most records have no `&`, no `*` and no deep structure, and pay nothing.
- `Lines` turns libyaml's line numbers into file lines. libyaml also breaks lines at U+0085,
  U+2028, U+2029 and a lone carriage return; a file's lines are separated by line feeds only,
  so without this every problem after such a character would point at the wrong line.
"""

from __future__ import annotations

import bisect
import re

import yaml

MAX_DEPTH = 32
_EXTRA_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
# An anchor (&a) or an alias (*a) where a node starts: "Services & REDD+" or "**bold**" inside a
# value is text, and costs no scan. The cheap substring tests run first; most files stop there.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}*]", re.MULTILINE)
_DEEP = " " * (MAX_DEPTH - 1)  # block nesting that deep needs that much indentation


class Lines:
    """libyaml (line, column) -> file (line, column), both 0-based."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None  # libyaml line -> index of its first character
        if not ("\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text) \
                or _EXTRA_BREAKS.search(text) is None:  # substring tests first: most texts stop there
            return
        starts, index, size = [0], 0, len(text)
        while index < size:
            char = text[index]
            if char == "\r" and index + 1 < size and text[index + 1] == "\n":
                index += 1  # CR LF is one break
            elif char not in "\n\r\x85\u2028\u2029":
                index += 1
                continue
            index += 1
            starts.append(index)
        self.starts = starts
        self.newlines = [i for i, char in enumerate(text) if char == "\n"]

    def line(self, yaml_line: int) -> int:
        if self.starts is None:
            return yaml_line
        start = self.starts[min(yaml_line, len(self.starts) - 1)]
        return bisect.bisect_left(self.newlines, start)

    def mark(self, mark) -> tuple[int, int]:
        """A libyaml mark as a 0-based (file line, column)."""
        return self.line(mark.line), mark.column


def _could_be_unbounded(text: str) -> bool:
    return (("&" in text or "*" in text) and _ANCHOR.search(text) is not None
            or text.count("[") + text.count("{") > MAX_DEPTH
            or _DEEP in text or "- -" in text or "-\t" in text)  # deep, or "- - x": nested on one line


def screen(text: str, loader_class) -> tuple[str, object, str] | None:
    """(what, libyaml mark, message) for an anchor, an alias or too deep a nesting; else None.

    Syntax errors are left to the parse that follows, which explains them better."""
    if not _could_be_unbounded(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, yaml.AliasEvent):
                return ("alias", event.start_mark,
                        f"'*{event.anchor}' refers to an anchor; records may not use YAML aliases: "
                        f"write the value out (a value that starts with '*' must be put in quotes)")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                return ("alias", event.start_mark,
                        f"'&{anchor}' defines a YAML anchor; records may not use anchors or aliases: "
                        f"write each value out (a value that starts with '&' must be put in quotes)")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return ("deep", event.start_mark,
                            f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                            f"records need only a few levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:  # libyaml's own limit
            return ("deep", exc.problem_mark, f"lists and mappings are nested more than {MAX_DEPTH} levels deep "
                                              f"here; records need only a few levels")
        return None
    except yaml.YAMLError:
        return None
    return None
