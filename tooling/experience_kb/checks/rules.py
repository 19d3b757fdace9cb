"""Checks across records, one function each, listed in `RULES`: duplicate ids, references,
vocabulary values and translations.

Each rule takes the loaded `KnowledgeBase` and yields `Problem`s. Rules are robust to records
that failed their schema: they look only at values of the expected shape.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from ..problems import Code, Problem, problem
from . import booklet_rules
from ..records import schema
from ..records.messages import did_you_mean, dotted
from ..records.model import KnowledgeBase, Record

Rule = Callable[[KnowledgeBase], Iterable[Problem]]

_VOCABULARY_CODES = {"tags": Code.UNKNOWN_TAG, "roles": Code.UNKNOWN_ROLE, "relations": Code.UNKNOWN_RELATION}


def duplicate_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    """The same id in two files of one language, or in two collections."""
    first: dict[str, Record] = {}  # the first file of each id
    seen: set[tuple[str, str]] = set()
    for record in kb.records:
        earlier = first.setdefault(record.id, record)
        key = (record.id, record.lang)
        if earlier is not record and (earlier.type is not record.type or key in seen):
            if earlier.type is record.type:  # same collection: name the file of the same language
                earlier = next(r for r in kb.records if (r.id, r.lang) == key)
            line, col = record.locate(("id",))
            yield problem(Code.DUPLICATE_ID, record.display, line, col,
                          f"id '{record.id}' is already used by {earlier.display}:{earlier.locate(('id',))[0]}; "
                          f"ids must be unique across the knowledge base")
            continue
        seen.add(key)


def references(kb: KnowledgeBase) -> Iterator[Problem]:
    """Every x-ref value names an existing record of the expected type."""
    by_type: dict[str, list[str]] = {}
    type_of = kb.type_of
    for record in kb.records:
        for pattern, target in record.type.refs:
            for path, value in schema.iter_values(record.meta, pattern):
                if not isinstance(value, str):
                    continue
                found = type_of.get(value)
                if found is None:
                    code = Code.UNKNOWN_STAKEHOLDER if target == "stakeholder" else Code.UNKNOWN_REFERENCE
                    candidates = by_type.setdefault(target, list(kb.by_id) if target == "any" else kb.of_type(target))
                    noun = "stakeholder" if target == "stakeholder" else ("record" if target == "any" else f"{target} record")
                    yield problem(code, record.display, *record.locate(path),
                                  f"{dotted(path)}: no {noun} has the id '{value}'"
                                  f"{did_you_mean(value, candidates)}")
                elif target != "any" and found != target:
                    yield problem(Code.WRONG_REFERENCE_TYPE, record.display, *record.locate(path),
                                  f"{dotted(path)}: '{value}' is a {found}, not a {target}")


def vocabulary_values(kb: KnowledgeBase) -> Iterator[Problem]:
    """Every x-vocabulary value is in its vocabulary file. A missing vocabulary file is reported
    once, at the first value that needs it."""
    reported_missing: set[str] = set()
    for record in kb.records:
        for pattern, name in record.type.vocabularies:
            values = [(path, value) for path, value in schema.iter_values(record.meta, pattern) if isinstance(value, str)]
            if not values:
                continue
            if name not in kb.vocabularies:
                if name not in reported_missing and name not in kb.vocabularies.broken:
                    reported_missing.add(name)
                    shown = kb.config.display(kb.config.vocabularies_dir / f"{name}.yaml")
                    yield problem(Code.VOCABULARY, record.display, *record.locate(values[0][0]),
                                  f"{dotted(values[0][0])} needs the {name} vocabulary, but {shown} is missing")
                continue
            allowed = kb.vocabularies.values(name)
            for path, value in values:
                if value not in allowed:
                    code = _VOCABULARY_CODES.get(name, Code.UNKNOWN_VALUE)
                    yield problem(code, record.display, *record.locate(path),
                                  f"{dotted(path)}: '{value}' is not in the {name} vocabulary"
                                  f"{did_you_mean(value, allowed)} (see {name}.yaml)")


def translations(kb: KnowledgeBase) -> Iterator[Problem]:
    """Language-neutral fields agree across language files; every language exists."""
    languages = kb.config.languages
    for record_id, versions in kb.by_id.items():
        base = versions.get(kb.config.default_language) or next(iter(versions.values()))
        for lang, other in versions.items():
            if other is base:
                continue
            for name in base.type.neutral_fields:
                mine, theirs = base.meta.get(name), other.meta.get(name)
                if mine == theirs:
                    continue
                base_line = base.locate((name,), key=True)[0] if name in base.meta else None
                line, col = other.locate((name,), key=True) if name in other.meta else other.locate(())
                there = f"{base.display}:{base_line}" if base_line else f"{base.display} (where it is absent)"
                shown = "absent" if theirs is None else repr(theirs)
                yield problem(Code.TRANSLATION_MISMATCH, other.display, line, col,
                              f"'{name}' must be the same in every language, but here it is {_short(shown)} and in "
                              f"{there} it is {_short('absent' if mine is None else repr(mine))}")
        for lang in languages:
            if lang not in versions:
                expected = base.path.with_name(f"{record_id}.{lang}.md")
                yield problem(Code.MISSING_TRANSLATION, base.display, 1, 1,
                              f"no {kb.vocabularies.language_name(lang, 'en')} version of '{record_id}': expected "
                              f"{expected.name} beside this file")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


RULES: tuple[Rule, ...] = (duplicate_ids, references, vocabulary_values, translations, booklet_rules.booklets)


def run(kb: KnowledgeBase, rules: Iterable[Rule] = RULES) -> list[Problem]:
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(rule(kb))
    return problems
