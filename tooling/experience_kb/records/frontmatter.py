"""Read a record file safely and split it into front matter (YAML), body and a line map.

Nothing here raises on bad content: every defect becomes a `Problem` pointing at a line.
YAML is parsed with PyYAML's C parser. No node tree is kept: when a check asks where a field is
(`FrontMatter.locate`), the YAML text is composed once more and flattened into a plain map of
field paths to lines and columns. Only files with problems pay for that.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import Code, Problem, problem
from .yamlsafe import Lines, screen

MAX_BYTES = 1_000_000
_NONE = (0, 0)  # the signature of a file that could not be read


class _Loader(yaml.CSafeLoader):
    """PyYAML's C loader with YAML 1.2-like scalars.

    - Dates stay strings: `2012-02-30` must reach the date check, not crash the parser. (A bare
      year such as `2012` is an integer here; the loader turns years in date fields into text.)
    - Only true/false are booleans (YAML 1.1 also turns yes/no/on/off into booleans).
    """

    yaml_implicit_resolvers: dict = {}
    _DEFAULTS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}

    # The C parser calls these three for every node. PyYAML's versions also serve path
    # resolvers, which this loader has none of; these do the same work with less of it.
    def descend_resolver(self, current_node, current_index):  # noqa: D102 - PyYAML hook
        pass

    def ascend_resolver(self):  # noqa: D102 - PyYAML hook
        pass

    def resolve(self, kind, value, implicit):  # noqa: D102 - PyYAML hook
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return self._DEFAULTS[kind]


_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _construct(loader: _Loader, node: yaml.Node, duplicates: list) -> Any:
    """Turn a composed node into Python data; the common tags without PyYAML's generic machinery.

    Duplicate keys are collected into `duplicates`. Anything unusual (merge keys, custom tags,
    numbers) goes to PyYAML's own constructor.
    """
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value.lower() == "true"
        try:
            return loader.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value ({exc})",
                                                    node.start_mark) from None
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_construct(loader, item, duplicates) for item in node.value]
    if isinstance(node, yaml.MappingNode) and tag == _MAP:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                return loader.construct_object(node, deep=True)
            key = _construct(loader, key_node, duplicates)
            try:
                if key in result:
                    duplicates.append(key_node)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark)
            result[key] = _construct(loader, value_node, duplicates)
        return result
    return loader.construct_object(node, deep=True)


def _configure_resolvers() -> None:
    resolvers: dict = {}
    for first, items in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in items
                if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
        resolvers[first] = kept
    boolean = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
    for first in "tTfF":
        resolvers.setdefault(first, []).insert(0, ("tag:yaml.org,2002:bool", boolean))
    _Loader.yaml_implicit_resolvers = resolvers


_configure_resolvers()

_HINTS = {
    "mapping values are not allowed": "a value containing ': ' must be put in quotes, e.g. title: \"Booklet: plain language\"",
    "tab character": "use spaces, not tabs, to indent",
    "could not find expected ':'": "each field needs a colon after its name, e.g. 'title: …'",
    "found undefined alias": "a value starting with '*' must be put in quotes",
    "found unknown escape character": "inside double quotes a backslash starts an escape; use single quotes instead",
}


def _hint(what: str) -> str:
    for start, hint in _HINTS.items():
        if start in what:
            return f". Hint: {hint}"
    return ""


Path_ = tuple  # a path into the front matter: keys and list indexes


@dataclass
class FrontMatter:
    """The parsed parts of one record file: plain data."""

    meta: dict[str, Any]
    body: str
    body_line: int  # the file line on which the body starts (1-based)
    offset: int = 1  # file line of the opening fence; YAML line 0 is file line offset + 1
    yaml_text: str = field(repr=False, default="")
    _lines: dict | None = field(repr=False, default=None, compare=False)

    def locate(self, path: Path_ = (), key: bool = False) -> tuple[int, int]:
        """The (line, column) of a value, or of its key when `key` is true. 1-based.

        Falls back to the nearest existing ancestor when the path does not exist (e.g. a
        missing required field is reported at its parent mapping).
        """
        if self._lines is None:
            self._lines = line_map(self.yaml_text, self.offset)
        lines = self._lines
        for end in range(len(path), -1, -1):
            found = lines.get(tuple(path[:end]))
            if found is not None:
                return found[:2] if key and end == len(path) and end else found[2:]
        return self.offset, 1


def line_map(yaml_text: str, offset: int) -> dict[tuple, tuple[int, int, int, int]]:
    """Every field path of a YAML document -> (key line, key column, value line, value column),
    in file coordinates. Sequence items have no key: their "key" is the item itself."""
    if screen(yaml_text, _Loader) is not None:
        return {}  # never compose what the parse refused
    loader = _Loader(yaml_text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    if root is None:
        loader.dispose()
        return {}
    lines = Lines(yaml_text)

    def mark(node) -> tuple[int, int]:
        line, column = lines.mark(node.start_mark)
        return offset + 1 + line, column + 1

    def key_of(node):
        """The key as the parsed data has it (1 for `1:`, None for `~:`), else its text."""
        try:
            key = _construct(loader, node, [])
            hash(key)
            return key
        except (yaml.YAMLError, TypeError, ValueError):
            return node.value

    found: dict[tuple, tuple[int, int, int, int]] = {(): (*mark(root), *mark(root))}
    stack = [((), root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a list or mapping as a key: the parser already complained
                child = path + (key_of(key_node),)
                if child not in found:  # a duplicate key: the first one is where it is
                    found[child] = (*mark(key_node), *mark(value_node))
                    stack.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                found[path + (index,)] = (*mark(item), *mark(item))
                stack.append((path + (index,), item))
    loader.dispose()
    return found


def read_bytes(path: Path | str, display: str, root: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """Read a file's bytes, or explain why it cannot be read (see `read_file`)."""
    data, problems, _ = read_file(path, display, root)
    return data, problems


def read_file(path: Path | str, display: str,
              root: Path | None = None) -> tuple[bytes | None, list[Problem], tuple[int, int]]:
    """A file's bytes, or why they cannot be read, and the file's (modification time, size) as
    they were before reading: a change made while the file was read shows next time.

    Only regular files are read, at most `MAX_BYTES`, and never through a symbolic link that
    leads outside `root` (the knowledge base): a FIFO would hang, /dev/zero never ends, and a
    link to a file elsewhere on the machine would publish it.
    """
    try:
        if root is not None and os.path.islink(path) and not inside(os.path.realpath(path), root):
            return None, [problem(Code.LINK_OUTSIDE, display, 0, 0,
                                  f"this is a link to {os.path.realpath(path)}, outside the knowledge base; "
                                  f"records are read only from inside it: copy the file here instead")], _NONE
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, [problem(Code.UNREADABLE, display, 0, 0, f"cannot read the file: {exc.strerror or exc}")], _NONE
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else \
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file"
            return None, [problem(Code.NOT_A_FILE, display, 0, 0,
                                  f"this is {kind} named like a record; records are regular files")], _NONE
        if info.st_size > MAX_BYTES:
            return None, [problem(Code.FILE_TOO_LARGE, display, 0, 0,
                                  f"the file is {info.st_size:,} bytes; a record may be at most {MAX_BYTES:,} bytes")], _NONE
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(info.st_size + 1)  # asking for MAX_BYTES would allocate that much per file
            if len(data) > info.st_size:  # it grew since fstat: read on, to the limit
                data += stream.read(MAX_BYTES + 1 - len(data))
        if len(data) > MAX_BYTES:  # it grew while being read
            return None, [problem(Code.FILE_TOO_LARGE, display, 0, 0,
                                  f"the file is over {MAX_BYTES:,} bytes; a record may be at most {MAX_BYTES:,} bytes")], _NONE
        return data, [], (info.st_mtime_ns, info.st_size)
    except OSError as exc:
        return None, [problem(Code.UNREADABLE, display, 0, 0, f"cannot read the file: {exc.strerror or exc}")], _NONE
    finally:
        os.close(handle)


def inside(path: str | Path, root: Path) -> bool:
    """Whether `path` (already resolved) is `root` or below it."""
    top = os.path.realpath(root)
    return os.path.commonpath([top, os.path.realpath(path)]) == top


def decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """The bytes as UTF-8 text, or why they are not text."""
    if not data.strip():
        return None, [problem(Code.EMPTY_FILE, display, 1, 1, "the file is empty; a record starts with '---' front matter")]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [problem(Code.BINARY_FILE, display, line, 1, "the file contains binary data (a NUL byte); records are text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [problem(Code.NOT_UTF8, display, line, column,
                              f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")]
    return text.removeprefix("\ufeff"), []


def read_text(path: Path, display: str, root: Path | None = None) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text, or explain why it cannot be read (see `read_bytes`)."""
    data, problems = read_bytes(path, display, root)
    return (None, problems) if data is None else decode(data, display)


_OPENING = re.compile(r"\A---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


def split(text: str) -> tuple[str, str, int] | None:
    """(YAML text, body, body line) of a record, or None when the front matter is not fenced."""
    opening = _OPENING.match(text)
    if not opening:
        return None
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        return None
    body_line = text.count("\n", 0, closing.end()) + 1 + (0 if closing.group().endswith("\n") else 1)
    return text[opening.end():closing.start()], text[closing.end():], body_line


def parse(text: str, display: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Split text into front matter and body and parse the YAML."""
    parts = split(text)
    if parts is None:
        opened = _OPENING.match(text) is not None
        message = ("the front matter opened on line 1 is never closed with a '---' line" if opened else
                   "a record must start with a '---' line, then YAML fields, then another '---' line")
        return None, [problem(Code.NO_FRONT_MATTER, display, 1, 1, message)]
    yaml_text, body, body_line = parts
    fm, problems = parse_yaml(yaml_text, display, offset=1)
    if fm is not None:
        fm.body, fm.body_line = body, body_line
    return fm, problems


def parse_yaml(yaml_text: str, display: str, offset: int = 0) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse a YAML mapping whose first line is file line `offset + 1`. Never raises on content,
    and refuses what could take unbounded time or memory (see `yamlsafe`)."""
    lines = Lines(yaml_text)

    def at(mark) -> tuple[int, int]:
        line, column = lines.mark(mark)
        return offset + 1 + line, column + 1

    refused = screen(yaml_text, _Loader)
    if refused is not None:
        what, mark, message = refused
        code = Code.YAML_ALIAS if what == "alias" else Code.TOO_DEEP
        return None, [problem(code, display, *at(mark), message)]
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        duplicates: list = []
        meta = _construct(loader, node, duplicates) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = at(mark) if mark else (offset + 1, 1)
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            context = f" ({exc.context} that starts on line {at(exc.context_mark)[0]})"
        return None, [problem(Code.YAML_SYNTAX, display, line, column,
                              f"YAML syntax error: {what}{context}{_hint(what)}")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, at a character index
        position = max(0, min(exc.position, len(yaml_text)))
        line = yaml_text.count("\n", 0, position)
        column = position - (yaml_text.rfind("\n", 0, position) + 1) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return None, [problem(Code.CONTROL_CHARACTER, display, offset + 1 + line, column,
                              f"the front matter holds the control character {char}, which YAML does not "
                              f"allow; delete it (or write it as an escape inside double quotes)")]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:  # errors without a mark
        return None, [problem(Code.YAML_SYNTAX, display, offset + 1, 1, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        kind = "empty" if meta is None else f"a {type(meta).__name__}"
        return None, [problem(Code.NOT_A_MAPPING, display, offset + 1, 1,
                              f"the YAML is {kind}; it must be a mapping of fields such as 'id: …'")]
    problems = [problem(Code.DUPLICATE_KEY, display, *at(key.start_mark),
                        f"the key '{key.value}' appears more than once in this mapping; keep one")
                for key in duplicates]
    return FrontMatter(meta, "", offset + 1, offset, yaml_text), problems
