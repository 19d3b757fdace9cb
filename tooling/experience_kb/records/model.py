"""The in-memory knowledge base: records and their language versions. Plain data only.

A `Record` holds its parsed front matter and body, where it came from and its type's
annotations; no YAML nodes and no validators. Checks, the graph and search read records; none
of them writes to one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..problems import Problem
from .frontmatter import FrontMatter
from .schema import TypeSchema
from .vocabularies import Vocabularies


@dataclass
class Record:
    """One language version of one record: `<collection>/<id>.<lang>.md`."""

    id: str  # from the file name; `meta["id"]` should agree (id-mismatch otherwise)
    lang: str
    type: TypeSchema
    path: Path
    display: str  # the path as shown in messages
    fm: FrontMatter = field(repr=False)
    relpath: str = ""  # the path below the knowledge base root, with / separators
    digest: str = ""  # the file's content hash
    signature: tuple[int, int] = (0, 0)  # the file's (modification time, size) before it was read

    @property
    def meta(self) -> dict[str, Any]:
        return self.fm.meta

    @property
    def body(self) -> str:
        return self.fm.body

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        return title if isinstance(title, str) else self.id

    def locate(self, path: tuple = (), key: bool = False) -> tuple[int, int]:
        return self.fm.locate(path, key)


@dataclass
class KnowledgeBase:
    """Every record that could be parsed, grouped by id and language, and what went wrong reading."""

    config: Config
    vocabularies: Vocabularies
    records: list[Record] = field(default_factory=list)
    files: int = 0  # record files found, parsed or not
    problems: list[Problem] = field(default_factory=list)  # found while reading: files, YAML, vocabularies

    @functools.cached_property
    def by_id(self) -> dict[str, dict[str, Record]]:
        """id -> language -> record. With duplicate ids, the first file found wins."""
        groups: dict[str, dict[str, Record]] = {}
        for record in self.records:
            versions = groups.setdefault(record.id, {})
            if record.lang not in versions and all(r.type is record.type for r in versions.values()):
                versions[record.lang] = record
        return groups

    def get(self, record_id: str, lang: str | None = None) -> Record | None:
        """The record in `lang`, else in the default language, else in any language."""
        versions = self.by_id.get(record_id)
        if not versions:
            return None
        for choice in (lang, self.config.default_language, *versions):
            if choice in versions:
                return versions[choice]
        return None

    @functools.cached_property
    def type_of(self) -> dict[str, str]:
        """id -> type name, for every record id."""
        return {rid: next(iter(versions.values())).type.name for rid, versions in self.by_id.items()}

    def of_type(self, type_name: str) -> list[str]:
        return sorted(rid for rid, name in self.type_of.items() if name == type_name)


def dicts(value: Any) -> list[dict]:
    """The mappings in a list field, skipping items of another shape (the schema reports those)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def strings(value: Any) -> list[str]:
    """The strings in a list field, skipping items of another shape."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
