"""The shipped JSON Schemas are the contract editors see: whatever `kb validate` accepts, a
standard validator accepts too. Every record front matter of the bundled knowledge base and of
the good fixtures is validated with plain `jsonschema` and the shipped schemas, parsed as a
YAML 1.2 editor parses it, without any of the loader's preprocessing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import referencing
import yaml
from referencing.jsonschema import DRAFT7

from experience_kb.records import schema

from conftest import BUNDLED, FIXTURES


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, as yaml-language-server reads it: dates stay text, and only
    true/false are booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _first in "tTfF":
    Yaml12Loader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))

FENCE = re.compile(r"\A---\r?\n(.*?)^---\s*$", re.DOTALL | re.MULTILINE)


def _registry() -> referencing.Registry:
    resources = [(path.name, DRAFT7.create_resource(json.loads(path.read_text(encoding="utf-8"))))
                 for path in schema.SCHEMA_DIR.glob("*.schema.json")]
    return referencing.Registry().with_resources(resources)


REGISTRY = _registry()


def _records(root: Path) -> list[tuple[Path, str]]:
    found = []
    for collection, type_schema in schema.by_collection().items():
        found += [(path, type_schema.name) for path in sorted((root / collection).glob("*.md"))]
    return found


CASES = _records(BUNDLED) + [item for kb_yaml in sorted((FIXTURES / "good").glob("*/kb.yaml"))
                             for item in _records(kb_yaml.parent)]


def test_there_are_records_to_check():
    assert len(CASES) > 400


@pytest.mark.parametrize("path, type_name", CASES, ids=lambda value: value.name if isinstance(value, Path) else None)
def test_front_matter_passes_a_standard_validator(path, type_name):
    front = FENCE.match(path.read_text(encoding="utf-8"))
    assert front, f"{path} has no front matter"
    data = yaml.load(front.group(1), Loader=Yaml12Loader)
    document = json.loads((schema.SCHEMA_DIR / f"{type_name}.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(document, registry=REGISTRY).iter_errors(data), key=str)
    assert not errors, "\n".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])


def test_a_bare_year_is_a_date_but_other_numbers_are_not():
    document = json.loads((schema.SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(document["definitions"]["partialDate"])
    assert validator.is_valid(2012) and validator.is_valid("2012-05")
    assert not validator.is_valid(12) and not validator.is_valid(20120) and not validator.is_valid("2012-5")
