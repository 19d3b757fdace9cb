"""The JSON Schemas of the record types: the single source of truth for fields.

The schema files live in the package's `schemas/` folder, one per type plus `common.schema.json`.
Besides standard JSON Schema (draft-07, which yaml-language-server understands), they carry
annotations that this module compiles into per-type lookup tables:

- `x-collection` (type level): the folder under the knowledge base that holds the type.
- `x-translatable`: the top-level field is written per language; all others are language-neutral.
- `x-ref`: the value is a record id, of the named type or of `any` type.
- `x-vocabulary`: the value comes from `<vocabularies>/<name>.yaml`.
- `x-date`: the value is a partial date (YYYY, YYYY-MM, YYYY-MM-DD).
- `x-date-order` (object level): pairs of date fields where the second may not precede the first.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# jsonschema, fastjsonschema and referencing are imported where validators are compiled: a
# command that only reads annotations (kb search) does not pay for them.


SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
COMMON = "common.schema.json"
NON_TYPES = {"common", "config", "vocabulary"}

Pattern = tuple  # field names and "*" for any list item


@dataclass(frozen=True)
class TypeSchema:
    """One record type with its compiled annotations."""

    name: str
    collection: str
    schema: dict = field(repr=False)
    fields: tuple[str, ...]
    translatable: frozenset[str]
    refs: tuple[tuple[Pattern, str], ...]
    vocabularies: tuple[tuple[Pattern, str], ...]
    dates: tuple[Pattern, ...]
    date_orders: tuple[tuple[Pattern, str, str], ...]
    search: tuple[tuple[Pattern, str], ...]  # x-search: how a field is searched (title, summary, name, number, text)
    neutral_fields: tuple[str, ...]  # every field that must agree across languages


def _read(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    import referencing
    from referencing.jsonschema import DRAFT7

    resources = [(path.name, DRAFT7.create_resource(_read(path.name))) for path in SCHEMA_DIR.glob("*.schema.json")]
    return referencing.Registry().with_resources(resources)


def _validator(schema: dict) -> Any:
    import jsonschema

    return jsonschema.Draft7Validator(schema, registry=_registry())


@functools.lru_cache(maxsize=1)
def types() -> dict[str, TypeSchema]:
    """Every record type, keyed by type name, in a stable order."""
    result = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        name = path.name.removesuffix(".schema.json")
        if name in NON_TYPES:
            continue
        result[name] = _compile(name, _read(path.name))
    return result


def by_collection() -> dict[str, TypeSchema]:
    return {t.collection: t for t in types().values()}


# Validators are compiled on first use and kept here, not in the (plain data) TypeSchema:
# commands that only need the annotations (kb search) never pay for them.
@functools.lru_cache(maxsize=None)
def validator(type_name: str) -> Any:
    """jsonschema for a record type: every error, with its path."""
    return _validator(types()[type_name].schema)


@functools.lru_cache(maxsize=None)
def fast(type_name: str) -> Any:
    """fastjsonschema for a record type: a quick yes/no for the common, valid case."""
    return _fast(types()[type_name].schema)


@functools.lru_cache(maxsize=None)
def config_fast() -> Any:
    """fastjsonschema for kb.yaml: the quick yes/no every command asks."""
    return _fast(_read("config.schema.json"))


@functools.lru_cache(maxsize=None)
def config_schema() -> Any:
    return _validator(_read("config.schema.json"))


@functools.lru_cache(maxsize=None)
def vocabulary_fast() -> Any:
    """fastjsonschema for a vocabulary file: the quick yes/no."""
    return _fast(_read("vocabulary.schema.json"))


@functools.lru_cache(maxsize=None)
def vocabulary_schema() -> Any:
    return _validator(_read("vocabulary.schema.json"))


def resolve(node: dict, document: dict) -> tuple[dict, dict]:
    """Follow `$ref`s (local or into another schema file) to the definition they name."""
    while "$ref" in node:
        ref = node["$ref"]
        target, _, pointer = ref.partition("#")
        if target:
            document = _read(target)
        node = document
        for part in filter(None, pointer.split("/")):
            node = node[part]
    return node, document


def _inline(node: Any, document: dict) -> Any:
    """A copy of a schema with every $ref replaced by what it names (the schemas have no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target, target_document = resolve(node, document)
            return _inline(target, target_document)
        return {key: _inline(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, document) for value in node]
    return node


def _fast(schema: dict) -> Any:
    """A compiled validator for the yes/no question. Formats are left to jsonschema, as there."""
    import fastjsonschema

    return fastjsonschema.compile(_inline(schema, schema), formats={"uri": lambda value: True})


def _compile(name: str, schema: dict) -> TypeSchema:
    refs, vocabs, dates, orders, search, translatable = [], [], [], [], [], set()

    def walk(node: dict, document: dict, pattern: Pattern) -> None:
        role = node.get("x-search")  # may sit beside a $ref
        node, document = resolve(node, document)
        role = role or node.get("x-search")
        if role:
            search.append((pattern, role))
        if "x-ref" in node:
            refs.append((pattern, node["x-ref"]))
        if "x-vocabulary" in node:
            vocabs.append((pattern, node["x-vocabulary"]))
        if node.get("x-date"):
            dates.append(pattern)
        if node.get("x-translatable") and len(pattern) == 1:
            translatable.add(pattern[0])
        for first, second in node.get("x-date-order", ()):
            orders.append((pattern, first, second))
        for key, child in node.get("properties", {}).items():
            walk(child, document, pattern + (key,))
        if isinstance(node.get("items"), dict):
            walk(node["items"], document, pattern + ("*",))

    walk(schema, schema, ())
    return TypeSchema(
        name=name,
        collection=schema["x-collection"],
        schema=schema,
        fields=tuple(schema["properties"]),
        translatable=frozenset(translatable),
        refs=tuple(refs),
        vocabularies=tuple(vocabs),
        dates=tuple(dates),
        date_orders=tuple(orders),
        search=tuple(search),
        neutral_fields=tuple(f for f in schema["properties"] if f not in translatable),
    )


def iter_values(data: Any, pattern: Pattern) -> list[tuple[tuple, Any]]:
    """Every (path, value) in `data` that `pattern` matches, breadth first."""
    items: list[tuple[tuple, Any]] = [((), data)]
    for step in pattern:
        found: list[tuple[tuple, Any]] = []
        if step == "*":
            for path, value in items:
                if isinstance(value, list):
                    found.extend((path + (index,), item) for index, item in enumerate(value))
        else:
            for path, value in items:
                if isinstance(value, dict) and step in value:
                    found.append((path + (step,), value[step]))
        if not found:
            return found
        items = found
    return items
