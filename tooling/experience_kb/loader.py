"""Discover record files in a knowledge base and turn them into `Record`s plus `Problem`s.

Per-file checks happen here, while the file is at hand: reading, YAML, type, schema, id and
dates. Checks that need other records live in `rules`.
"""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path
from typing import Callable, Iterable

from . import dates, frontmatter, schema, vocabularies
from .cache import FileCache, digest, problems_from
from .config import Config
from .model import KnowledgeBase, Record
from .problems import Code, Problem, problem

_RECORD_NAME = re.compile(r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.md$")
_IGNORED = re.compile(r"^(?:[._].*|README\.md|readme\.md)$")

Progress = Callable[[int], None]


def discover(config: Config) -> tuple[list[tuple[Path, schema.TypeSchema]], list[Problem]]:
    """Every candidate record file with its type, and problems with stray files."""
    found = [(Path(path), type_schema) for path, type_schema in record_files(config)]
    problems = []
    collections = schema.by_collection()
    skip = {config.root / name for name in collections} | {config.vocabularies_dir, config.build_dir}
    for folder in sorted(config.root.iterdir()):
        if folder in skip or not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        for path in _markdown_files(folder):
            problems.append(problem(Code.STRAY_FILE, config.display(path), 0, 0,
                                    f"this file is not in a collection folder, so it is not checked or "
                                    f"published; collections are: {', '.join(sorted(collections))}"))
    return found, problems


def record_files(config: Config) -> list[tuple[str, schema.TypeSchema]]:
    """Every candidate record file (as a string path) with the type of its collection."""
    found = []
    for collection, type_schema in schema.by_collection().items():
        found += [(path, type_schema) for path in _markdown_paths(os.path.join(config.root, collection))]
    return found


def _markdown_paths(folder: str) -> list[str]:
    """Every `*.md` entry below `folder` (files, and directories named like files), sorted."""
    found = []
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        found += [os.path.join(parent, name) for name in files + dirs
                  if name.endswith(".md") and not _IGNORED.match(name)]
    return sorted(found)


def _markdown_files(folder: Path) -> list[Path]:
    return [Path(path) for path in _markdown_paths(str(folder))]


def load(config: Config, progress: Progress | None = None,
         use_cache: bool = True) -> tuple[KnowledgeBase, list[Problem]]:
    """Read the whole knowledge base. Never raises on content.

    With `use_cache` (and unless $KB_CACHE is 0), per-file results of unchanged files come from
    build/.cache/.
    """
    use_cache = use_cache and os.environ.get("KB_CACHE", "1") != "0"
    vocab, problems = vocabularies.load(config.vocabularies_dir, config.display)
    files, stray = discover(config)
    problems += stray
    kb = KnowledgeBase(config, vocab, files=len(files))
    cache = FileCache(config.build_dir / ".cache" / "records.marshal" if use_cache else None, config.languages)
    gc.disable()  # loading allocates many small containers and frees none: nothing to collect
    try:
        for index, (path, type_schema) in enumerate(files):
            record, found = load_file(path, type_schema, config, cache)
            problems += found
            if record is not None:
                kb.records.append(record)
            if progress and index % 100 == 99:
                progress(100)
        if progress:
            progress(len(files) % 100)
    finally:
        gc.enable()
    cache.save()
    return kb, problems


def load_file(path: Path, type_schema: schema.TypeSchema, config: Config,
              cache: FileCache | None = None) -> tuple[Record | None, list[Problem]]:
    """Read and check one file on its own."""
    display = config.display(path)
    match = _RECORD_NAME.match(path.name)
    if not match or match["lang"] not in config.languages:
        if path.is_dir():
            return None, [problem(Code.NOT_A_FILE, display, 0, 0,
                                  "this is a directory named like a record; records are files")]
        return None, [problem(Code.BAD_FILENAME, display, 0, 0, _filename_hint(path.name, config.languages))]
    data, problems = frontmatter.read_bytes(path, display)
    if data is None:
        return None, problems
    text, problems = frontmatter.decode(data, display)
    if text is None:
        return None, problems
    key, content = str(path)[len(str(config.root)) + 1:], digest(data)
    cached = cache.get(key, content) if cache else None
    parts = frontmatter.split(text) if cached else None
    if cached and parts:
        yaml_text, body, body_line = parts
        fm = frontmatter.FrontMatter(cached[0], body, body_line, None, 1, yaml_text)
        return Record(match["id"], match["lang"], type_schema, path, display, fm), problems_from(cached[1], display)
    fm, problems = frontmatter.parse(text, display)
    if fm is None:
        return None, problems
    record = Record(match["id"], match["lang"], type_schema, path, display, fm)
    problems += check_record(record)
    fm.node = None  # thousands of kept node trees slow the garbage collector; locate() recomposes
    if cache:
        cache.put(key, content, fm.meta, problems)
    return record, problems


def _filename_hint(name: str, languages: Iterable[str]) -> str:
    langs = " or ".join(languages)
    return (f"'{name}' is not a record file name: use <id>.<lang>.md, where <id> is lowercase letters, digits "
            f"and hyphens and <lang> is {langs} (e.g. regional-ordinance-2013.es.md)")


def check_record(record: Record) -> list[Problem]:
    """Type, schema, id and date checks of one record."""
    meta, display, expected = record.meta, record.display, record.type
    problems: list[Problem] = []
    skip: tuple = ()
    _years_as_text(record)
    declared = meta.get("type")
    if declared is not None and declared != expected.name:
        skip = ("type",)
        line, col = record.locate(("type",))
        known = schema.types()
        if isinstance(declared, str) and declared in known:
            message = (f"type '{declared}' records belong in {known[declared].collection}/, but this file is in "
                       f"{expected.collection}/; move the file or set 'type: {expected.name}'")
        else:
            message = f"unknown type {declared!r}; files in {expected.collection}/ have 'type: {expected.name}'"
        problems.append(problem(Code.UNKNOWN_TYPE, display, line, col, message))
    schema_problems = schema.validate_record(expected, meta, record.fm, display, skip)
    problems += schema_problems
    declared_id = meta.get("id")
    id_line = record.locate(("id",))
    if isinstance(declared_id, str) and declared_id != record.id and not any(
            (p.line, p.column) == id_line for p in schema_problems):
        problems.append(problem(Code.ID_MISMATCH, display, *id_line,
                                f"id '{declared_id}' does not match the file name, which gives '{record.id}'; "
                                f"rename the file or set 'id: {record.id}'"))
    problems += _check_dates(record)
    problems += _check_body(record)
    return problems


_UNSAFE_TAG = re.compile(
    r"<\s*(script|iframe|object|embed|form|style|meta|link|base)\b"
    r"|<[a-z][^<>]*\s(on[a-z]+)\s*="
    r"|(?:href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


def _check_body(record: Record) -> list[Problem]:
    """Raw HTML that would act in a reader's browser. Markdown and harmless tags are fine."""
    body = record.body
    # Cheap tests first: most bodies hold no '<' at all, and the tag pattern is the costly one.
    match = ("<" in body and _UNSAFE_TAG.search(body)) or ("](" in body and _UNSAFE_LINK.search(body))
    if not match:
        return []
    line = record.fm.body_line + body.count("\n", 0, match.start())
    column = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
    groups = match.groups() + (None,) * (3 - len(match.groups()))
    if match.re is _UNSAFE_LINK:
        groups = (None, None, groups[0])
    what = groups[0] and f"a <{groups[0].lower()}> tag" or (
        groups[1] and f"an {groups[1].lower()}= event handler") or f"a {groups[2].lower()}: link"
    return [problem(Code.UNSAFE_HTML, record.display, line, column,
                    f"the body contains {what}, which is not allowed: it could run code in readers' browsers; "
                    f"write the content in Markdown instead")]


def _years_as_text(record: Record) -> None:
    """`date: 2012` is read by YAML as a number; in a date field it means the year "2012"."""
    for pattern in record.type.dates:
        for path, value in schema.iter_values(record.meta, pattern):
            if type(value) is int and 1000 <= value <= 9999:
                container = record.meta
                for step in path[:-1]:
                    container = container[step]
                container[path[-1]] = str(value)


def _check_dates(record: Record) -> list[Problem]:
    problems = []
    for pattern in record.type.dates:
        for path, value in schema.iter_values(record.meta, pattern):
            why = dates.problem_with(value)
            if why:
                problems.append(problem(Code.INVALID_DATE, record.display, *record.locate(path),
                                        f"{schema.dotted(path)}: {why}"))
    for pattern, first, second in record.type.date_orders:
        for path, container in schema.iter_values(record.meta, pattern):
            if not isinstance(container, dict):
                continue
            start, end = container.get(first), container.get(second)
            if dates.usable(start) and dates.usable(end) and dates.surely_before(end, start):
                problems.append(problem(Code.DATE_ORDER, record.display, *record.locate(path + (second,)),
                                        f"{schema.dotted(path + (second,))} {end} is before "
                                        f"{schema.dotted(path + (first,))} {start}"))
    return problems
