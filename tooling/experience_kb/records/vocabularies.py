"""Controlled vocabularies: `<vocabularies>/<name>.yaml`, each value with labels per language.

Vocabularies hold every domain word the tool shows or reasons with, so that a fork in other
languages, or with other institutions, needs no code change:

- the values of fields marked `x-vocabulary` in the schemas (tags, roles, relations…);
- `links`: labels of the structural links the graph draws from fields (member of, issued by…);
- `languages`: the name of each content language, in every language;
- `means` (optional on any term): what the tool may infer from a value, e.g. that a lifecycle
  event `takes-effect` or that a relation `modifies` an instrument. `rank` orders terms of the
  same meaning (lowest first).

A label missing in one language falls back to the default language, then to any label, then
to the value itself, so a third language shows something readable before it is translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Code, Problem, problem
from . import frontmatter, schema
from .messages import check_document

# The vocabularies the tool itself reads, beside those the schemas name.
LINKS = "links"
LANGUAGES = "languages"


@dataclass(frozen=True)
class Term:
    value: str
    label: dict[str, str]
    inverse: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    means: tuple[str, ...] = ()
    rank: int = 0

    def text(self, lang: str, inverse: bool = False, fallback: str | None = None) -> str:
        labels = (self.inverse or self.label) if inverse else self.label
        for choice in (lang, fallback):
            if choice and labels.get(choice):
                return labels[choice]
        return next(iter(labels.values()), self.value)


@dataclass(frozen=True)
class Vocabularies:
    """Every vocabulary of a knowledge base, by name."""

    terms: dict[str, dict[str, Term]]
    broken: frozenset[str] = frozenset()  # vocabularies whose file exists but could not be used
    default_language: str | None = None  # where a missing label falls back to first

    def __contains__(self, name: str) -> bool:
        return name in self.terms

    def values(self, name: str) -> dict[str, Term]:
        return self.terms.get(name, {})

    def label(self, name: str, value: str, lang: str, inverse: bool = False) -> str:
        term = self.terms.get(name, {}).get(value)
        if term is None:
            return value.replace("_", " ")
        return term.text(lang, inverse, self.default_language)

    def meaning(self, name: str, means: str) -> list[str]:
        """The values of vocabulary `name` that mean `means`, by rank then file order."""
        found = [term for term in self.values(name).values() if means in term.means]
        return [term.value for term in sorted(found, key=lambda term: term.rank)]

    def language_name(self, code: str, lang: str) -> str:
        """A language's name in `lang`, e.g. "Spanish (es)"; the bare code when none is known."""
        term = self.values(LANGUAGES).get(code)
        return f"{term.text(lang, fallback=self.default_language)} ({code})" if term else code


def load(folder: Path, display, default_language: str | None = None,
         root: Path | None = None) -> tuple[Vocabularies, list[Problem]]:
    """Read every `*.yaml` in `folder`; malformed files become problems and are left out."""
    terms: dict[str, dict[str, Term]] = {}
    broken: set[str] = set()
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        shown = display(path)
        text, found = frontmatter.read_text(path, shown, root)
        problems += found
        broken.add(path.stem)
        if text is None:
            continue
        fm, found = frontmatter.parse_yaml(text, shown)
        problems += found
        if fm is None:
            continue
        errors = check_document(schema.vocabulary_fast(), schema.vocabulary_schema, fm.meta, fm, shown)
        problems += [problem(Code.VOCABULARY, p.path, p.line, p.column, p.message) for p in errors]
        if errors:
            continue
        broken.discard(path.stem)
        terms[path.stem] = {
            str(value): Term(str(value), dict(entry["label"]), dict(entry.get("inverse", {})),
                             dict(entry.get("description", {})), _as_tuple(entry.get("means")),
                             int(entry.get("rank", 0)))
            for value, entry in fm.meta.items()
        }
    return Vocabularies(terms, frozenset(broken), default_language), problems


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
