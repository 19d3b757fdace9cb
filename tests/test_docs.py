"""Generated docs are current; every schema field is documented; schemas are valid."""

from __future__ import annotations

import json

import jsonschema
import pytest

from experience_kb import docgen
from experience_kb.records import schema, vocabularies

from conftest import ROOT


@pytest.mark.parametrize("name", sorted(docgen.PAGES))
def test_generated_docs_are_current(name):
    assert (ROOT / "docs" / name).read_text(encoding="utf-8") == docgen.PAGES[name](), (
        f"docs/{name} is out of date: run python -m experience_kb.docgen")


@pytest.mark.parametrize("path", sorted(schema.SCHEMA_DIR.glob("*.schema.json")), ids=lambda p: p.name)
def test_schema_files_are_valid_draft7(path):
    jsonschema.Draft7Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(schema.types()))
def test_every_field_has_a_description_and_common_fields_are_shared(name):
    item = schema.types()[name]
    for field, node in item.schema["properties"].items():
        resolved, _ = schema.resolve(node, {})
        assert node.get("description") or resolved.get("description"), f"{name}.{field} has no description"
    common = {"id", "type", "title", "summary", "date", "level", "tags", "stakeholders", "related", "sources"}
    assert common <= set(item.fields)
    assert {"title", "summary"} <= item.translatable


TOOL_VOCABULARIES = {vocabularies.LINKS, vocabularies.LANGUAGES}  # read by the tool itself, not by a field


def _schema_vocabularies() -> set[str]:
    return {name for item in schema.types().values() for _, name in item.vocabularies}


@pytest.mark.parametrize("path", sorted((ROOT / "kb" / "vocabularies").glob("*.yaml")), ids=lambda p: p.name)
def test_every_vocabulary_is_used(path):
    """Each bundled vocabulary is named by some schema field (x-vocabulary) or read by the tool."""
    assert path.stem in _schema_vocabularies() | TOOL_VOCABULARIES, f"{path.name} is used by no schema"


@pytest.mark.parametrize("name", sorted(_schema_vocabularies() | TOOL_VOCABULARIES))
def test_every_vocabulary_a_schema_names_is_bundled(name):
    assert (ROOT / "kb" / "vocabularies" / f"{name}.yaml").is_file()
