"""A cache of per-file results, keyed by the file's content hash.

Parsing YAML and checking one file against its schema depends only on the file's bytes, the
schemas, the configured languages and this package's version. When none of those changed, the
front matter and the file's own problems are taken from `build/.cache/` instead of being
computed again. Cross-record rules always run.

The cache is a `marshal` file (fast, and it cannot run code when read); anything unexpected in
it is treated as an empty cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

from . import __version__
from .problems import Code, Problem
from .schema import SCHEMA_DIR

FORMAT = 1


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _salt(languages: tuple[str, ...]) -> str:
    """Everything besides the file's bytes that per-file results depend on."""
    parts = [str(FORMAT), __version__, sys.version, ",".join(languages)]
    parts += [path.name + digest(path.read_bytes()) for path in sorted(SCHEMA_DIR.glob("*.json"))]
    return digest("|".join(parts).encode())


class FileCache:
    """Per-file entries: (meta, problems as (line, column, code, message) tuples)."""

    def __init__(self, path: Path | None, languages: tuple[str, ...]) -> None:
        self.path = path
        self.salt = _salt(languages)
        self.entries: dict[str, tuple[str, dict, list]] = {}
        self.used: dict[str, tuple[str, dict, list]] = {}
        self.changed = False
        if path is not None:
            try:
                salt, entries = marshal.loads(path.read_bytes())
                if salt == self.salt and isinstance(entries, dict):
                    self.entries = entries
            except (OSError, EOFError, ValueError, TypeError):
                pass

    def get(self, key: str, content: str) -> tuple[dict, list[tuple]] | None:
        entry = self.entries.get(key)
        if entry is None or entry[0] != content:
            return None
        self.used[key] = entry
        return entry[1], entry[2]

    def put(self, key: str, content: str, meta: dict, problems: list[Problem]) -> None:
        self.used[key] = (content, meta, [(p.line, p.column, p.code.value, p.message) for p in problems])
        self.changed = True

    def save(self) -> None:
        """Write the entries used in this run, if anything changed (atomically)."""
        if self.path is None or not (self.changed or len(self.used) != len(self.entries)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
            tmp.write_bytes(marshal.dumps((self.salt, self.used)))
            os.replace(tmp, self.path)
        except (OSError, ValueError):  # unwritable, or a value marshal cannot store (e.g. !!timestamp)
            pass  # a cache that cannot be written only costs time


def problems_from(entries: list[tuple], display: str) -> list[Problem]:
    return [Problem(display, line, column, Code(code), message) for line, column, code, message in entries]
