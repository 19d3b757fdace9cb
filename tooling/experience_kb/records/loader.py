"""Discover record files in a knowledge base and parse them into `Record`s.

Loading only reads: files, YAML, and the type that the collection folder gives. Whatever is
wrong with reading becomes a `Problem` on the `KnowledgeBase`; checking the content is the
`checks` stage's work. Parsed front matter of unchanged files comes from the content-hash
cache (`cache.FileCache`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterable

from ..config import Config
from ..problems import Code, Problem, problem
from . import frontmatter, schema, vocabularies
from .cache import FileCache, digest, paused_gc, problems_from
from .model import KnowledgeBase, Record

_RECORD_NAME = re.compile(r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.md$")
_IGNORED = re.compile(r"^(?:[._].*|README\.md|readme\.md)$")

Progress = Callable[[int], None]


def discover(config: Config) -> tuple[list[tuple[Path, schema.TypeSchema]], list[Problem]]:
    """Every candidate record file with its type, and problems with folders and stray files."""
    problems: list[Problem] = []
    found = [(Path(path), type_schema) for path, type_schema in record_files(config, problems)]
    collections = schema.by_collection()
    skip = {config.root / name for name in collections} | {config.vocabularies_dir, config.build_dir}
    for folder in sorted(config.root.iterdir()):
        if folder in skip or not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        for path in _markdown_paths(str(folder), config, problems):
            problems.append(problem(Code.STRAY_FILE, config.display(Path(path)), 0, 0,
                                    f"this file is not in a collection folder, so it is not checked or "
                                    f"published; collections are: {', '.join(sorted(collections))}"))
    return found, problems


def record_files(config: Config, problems: list[Problem] | None = None) -> list[tuple[str, schema.TypeSchema]]:
    """Every candidate record file (as a string path) with the type of its collection.

    A collection folder that cannot be read, or that is a link out of the knowledge base, adds a
    problem to `problems` (its path is the folder's): its records are not silently dropped."""
    found = []
    for collection, type_schema in schema.by_collection().items():
        folder = os.path.join(config.root, collection)
        if os.path.islink(folder) and not frontmatter.inside(os.path.realpath(folder), config.root):
            if problems is not None:
                problems.append(problem(Code.LINK_OUTSIDE, config.display(Path(folder)), 0, 0,
                                        f"the collection folder is a link to {os.path.realpath(folder)}, outside "
                                        f"the knowledge base; its records are not read"))
            continue
        found += [(path, type_schema) for path in _markdown_paths(folder, config, problems)]
    return found


def _markdown_paths(folder: str, config: Config | None = None, problems: list[Problem] | None = None) -> list[str]:
    """Every `*.md` entry below `folder` (files, and directories named like files), sorted.
    Folders that cannot be listed (other than a missing collection) become problems."""
    found = []

    def unreadable(error: OSError) -> None:
        if problems is not None and config is not None and not isinstance(error, FileNotFoundError):
            problems.append(problem(Code.UNREADABLE, config.display(Path(error.filename or folder)), 0, 0,
                                    f"cannot read this folder ({error.strerror or error}), so its records are "
                                    f"not checked"))

    for parent, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        found += [os.path.join(parent, name) for name in files + dirs
                  if name.endswith(".md") and not _IGNORED.match(name)]
    return sorted(found)


def load(config: Config, cache: FileCache | None = None, progress: Progress | None = None) -> KnowledgeBase:
    """Read the whole knowledge base. Never raises on content: problems go to `kb.problems`."""
    vocab, problems = vocabularies.load(config.vocabularies_dir, config.display, config.default_language,
                                        config.root)
    files, stray = discover(config)
    problems += stray
    kb = KnowledgeBase(config, vocab, files=len(files))
    with paused_gc():
        for index, (path, type_schema) in enumerate(files):
            record, found = load_file(path, type_schema, config, cache)
            problems += found
            if record is not None:
                kb.records.append(record)
            if progress and index % 100 == 99:
                progress(100)
    if progress:
        progress(len(files) % 100)
    kb.problems = problems
    return kb


def load_file(path: Path, type_schema: schema.TypeSchema, config: Config,
              cache: FileCache | None = None) -> tuple[Record | None, list[Problem]]:
    """Read and parse one file on its own."""
    display = config.display(path)
    match = _RECORD_NAME.match(path.name)
    if not match or match["lang"] not in config.languages:
        if path.is_dir():
            return None, [problem(Code.NOT_A_FILE, display, 0, 0,
                                  "this is a directory named like a record; records are files")]
        return None, [problem(Code.BAD_FILENAME, display, 0, 0, _filename_hint(path.name, config.languages))]
    data, problems, signature = frontmatter.read_file(path, display, config.root)
    if data is None:
        return None, problems
    text, problems = frontmatter.decode(data, display)
    if text is None:
        return None, problems
    relpath, content = path.relative_to(config.root).as_posix(), digest(data)
    cached = cache.meta(relpath, content) if cache else None
    parts = frontmatter.split(text) if cached is not None else None
    if parts:
        yaml_text, body, body_line = parts
        fm = frontmatter.FrontMatter(cached[0], body, body_line, 1, yaml_text)
        problems = problems_from(cached[1], display)
    else:
        fm, problems = frontmatter.parse(text, display)
        if fm is None:
            return None, problems
        _years_as_text(fm.meta, type_schema)
        if cache:
            cache.put_meta(relpath, content, fm.meta, problems)
    return Record(match["id"], match["lang"], type_schema, path, display, fm, relpath, content, signature), problems


def _filename_hint(name: str, languages: Iterable[str]) -> str:
    langs = " or ".join(languages)
    return (f"'{name}' is not a record file name: use <id>.<lang>.md, where <id> is lowercase letters, digits "
            f"and hyphens and <lang> is {langs} (e.g. regional-ordinance-2013.es.md)")


def _years_as_text(meta: dict, type_schema: schema.TypeSchema) -> None:
    """`date: 2012` is read by YAML as a number; in a date field it means the year "2012".

    The schemas accept both forms (so editors agree with `kb`); the model holds text."""
    for pattern in type_schema.dates:
        for path, value in schema.iter_values(meta, pattern):
            if type(value) is int and 1000 <= value <= 9999:
                container = meta
                for step in path[:-1]:
                    container = container[step]
                container[path[-1]] = str(value)
