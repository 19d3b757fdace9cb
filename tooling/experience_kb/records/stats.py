"""Counts per type and language, and translation coverage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from . import schema
from .model import KnowledgeBase


@dataclass
class TypeStats:
    type: str
    records: int = 0
    per_language: dict[str, int] = field(default_factory=dict)
    complete: int = 0  # records present in every configured language

    @property
    def coverage(self) -> float:
        return self.complete / self.records if self.records else 1.0


@dataclass
class Stats:
    languages: tuple[str, ...]
    types: list[TypeStats]

    @property
    def total(self) -> TypeStats:
        total = TypeStats("total", per_language={lang: 0 for lang in self.languages})
        for item in self.types:
            total.records += item.records
            total.complete += item.complete
            for lang, count in item.per_language.items():
                total.per_language[lang] += count
        return total

    def as_dict(self) -> dict:
        rows = [*self.types, self.total]
        return {"languages": list(self.languages),
                "types": [{**asdict(row), "coverage": round(row.coverage, 4)} for row in rows]}


def compute(kb: KnowledgeBase) -> Stats:
    languages = kb.config.languages
    rows = {name: TypeStats(name, per_language={lang: 0 for lang in languages}) for name in schema.types()}
    for versions in kb.by_id.values():
        row = rows[next(iter(versions.values())).type.name]
        row.records += 1
        row.complete += all(lang in versions for lang in languages)
        for lang in versions:
            row.per_language[lang] = row.per_language.get(lang, 0) + 1
    return Stats(languages, list(rows.values()))

