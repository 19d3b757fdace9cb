"""Controlled vocabularies: `<vocabularies>/<name>.yaml`, each value with labels per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import frontmatter, schema
from .problems import Code, Problem, problem


@dataclass(frozen=True)
class Term:
    value: str
    label: dict[str, str]
    inverse: dict[str, str]
    description: dict[str, str]

    def text(self, lang: str, inverse: bool = False) -> str:
        labels = (self.inverse or self.label) if inverse else self.label
        return labels.get(lang) or next(iter(labels.values()), self.value)


@dataclass(frozen=True)
class Vocabularies:
    """Every vocabulary of a knowledge base, by name."""

    terms: dict[str, dict[str, Term]]
    broken: frozenset[str] = frozenset()  # vocabularies whose file exists but could not be used

    def __contains__(self, name: str) -> bool:
        return name in self.terms

    def values(self, name: str) -> dict[str, Term]:
        return self.terms.get(name, {})

    def label(self, name: str, value: str, lang: str, inverse: bool = False) -> str:
        term = self.terms.get(name, {}).get(value)
        return term.text(lang, inverse) if term else value


def load(folder: Path, display) -> tuple[Vocabularies, list[Problem]]:
    """Read every `*.yaml` in `folder`; malformed files become problems and are left out."""
    terms: dict[str, dict[str, Term]] = {}
    broken: set[str] = set()
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        shown = display(path)
        text, found = frontmatter.read_text(path, shown)
        problems += found
        broken.add(path.stem)
        if text is None:
            continue
        fm, found = frontmatter.parse_yaml(text, shown)
        problems += found
        if fm is None:
            continue
        errors = schema.validate_document(schema.vocabulary_schema(), fm.meta, fm, shown)
        problems += [problem(Code.VOCABULARY, p.path, p.line, p.column, p.message) for p in errors]
        if errors:
            continue
        broken.discard(path.stem)
        terms[path.stem] = {
            str(value): Term(str(value), dict(entry["label"]), dict(entry.get("inverse", {})),
                             dict(entry.get("description", {})))
            for value, entry in fm.meta.items()
        }
    return Vocabularies(terms, frozenset(broken)), problems
