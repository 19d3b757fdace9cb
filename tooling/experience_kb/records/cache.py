"""A cache of per-file results, keyed by the file's content hash.

Parsing YAML and checking one file against its schema depends only on the file's bytes, the
schemas, the configured languages and this package's version. When none of those changed, the
front matter and the file's own problems are taken from `build/.cache/` instead of being
computed again. Loading and checking use the cache apart (`meta`, `problems`): a command that
only loads (kb search) never checks. Cross-record rules always run.

`atomic_write` is the one helper every atomic file write in the package goes through.

The cache is a `marshal` file (fast, and it cannot run code when read), preceded by a keyed hash
made with this machine's key (`trust`): a cache a pull request committed cannot vouch for its
own content, because its hash does not verify. Anything unexpected is an empty cache.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator

from .. import __version__, trust
from ..problems import Code, Problem
from .schema import SCHEMA_DIR

FORMAT = 3  # 3: keyed hash first; 2: entries are [hash, meta, parse problems, check problems or None], by path below the root


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_CODE_DIRS = ("records", "checks")  # the code that parses and checks one file


def _salt(languages: tuple[str, ...]) -> str:
    """Everything besides the file's bytes that per-file results depend on: the schemas and the
    code that parses and checks a file (so an upgrade, or an edit during development, never
    serves results of other code)."""
    parts = [str(FORMAT), __version__, sys.version, ",".join(languages)]
    package = SCHEMA_DIR.parent
    sources = sorted(SCHEMA_DIR.glob("*.json")) + sorted(p for d in _CODE_DIRS for p in (package / d).glob("*.py"))
    parts += [path.name + digest(path.read_bytes()) for path in sources]
    return digest("|".join(parts).encode())


class FileCache:
    """Per-file entries, keyed by the file's path below the root: [content hash, parsed front
    matter, problems found while parsing, the file's own check problems (None when the file was
    only loaded, not checked)], problems as (line, column, code, message) tuples."""

    def __init__(self, path: Path | None, languages: tuple[str, ...]) -> None:
        self.path = path
        self.languages = languages
        self.used: dict[str, list] = {}
        self.changed = False

    @functools.cached_property
    def salt(self) -> str:
        return _salt(self.languages)

    @functools.cached_property
    def entries(self) -> dict[str, list]:
        """The entries on disk, read on first use (a command that never loads never reads them)."""
        if self.path is None:
            return {}
        try:
            data = self.path.read_bytes()
            mac, payload = data[:32], data[32:]
            if len(mac) != 32 or not trust.sound(mac, payload):
                return {}  # not written by kb on this machine (e.g. committed by a pull request)
            with paused_gc():
                salt, entries = marshal.loads(payload)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return entries if salt == self.salt and isinstance(entries, dict) else {}

    def _entry(self, key: str, content: str) -> list | None:
        entry = self.entries.get(key)
        if not isinstance(entry, list) or len(entry) != 4 or entry[0] != content:
            return None
        self.used[key] = entry
        return entry

    def meta(self, key: str, content: str) -> tuple[dict, list[tuple]] | None:
        """(front matter, problems found while parsing) of an unchanged file."""
        entry = self._entry(key, content)
        return (entry[1], entry[2]) if entry is not None and isinstance(entry[1], dict) else None

    def problems(self, key: str, content: str) -> list[tuple] | None:
        """The check problems of an unchanged file, if it was checked."""
        entry = self._entry(key, content)
        return entry[3] if entry is not None else None

    def put_meta(self, key: str, content: str, meta: dict, problems: list[Problem]) -> None:
        self.entries[key] = self.used[key] = [content, meta, _rows(problems), None]
        self.changed = True

    def put_problems(self, key: str, content: str, problems: list[Problem]) -> None:
        entry = self.entries.get(key)
        if entry is None or entry[0] != content:
            return  # only files loaded in this run are checked
        entry[3] = _rows(problems)
        self.used[key] = entry
        self.changed = True

    def save(self) -> None:
        """Write the entries used in this run, if anything changed (atomically)."""
        if self.path is None or not (self.changed or len(self.used) != len(self.entries)):
            return
        try:
            payload = marshal.dumps((self.salt, self.used))
            atomic_write(self.path, trust.seal(payload) + payload)
        except (OSError, ValueError):  # unwritable, or a value marshal cannot store (e.g. !!timestamp)
            return  # a cache that cannot be written only costs time
        self.entries = dict(self.used)
        self.changed = False


def _rows(problems: list[Problem]) -> list[tuple]:
    return [(p.line, p.column, p.code.value, p.message) for p in problems]


def problems_from(entries: list[tuple], display: str) -> list[Problem]:
    return [Problem(display, line, column, Code(code), message) for line, column, code, message in entries]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while bulk data is built, then restore it as it was.

    Reading thousands of records (or a cache of them) allocates many containers and frees none;
    each collection would walk them all again, which made loading 10,000 records twice as slow.
    The pause is scoped: a host that turned the collector off finds it off afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file with a unique name in the same folder,
    swapped in with one rename: readers see the old file or the new one, never half of one,
    and two writers never share a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
