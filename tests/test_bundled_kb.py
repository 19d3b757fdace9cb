"""The bundled knowledge base: complete, bilingual, and internally covered.

These tests guard the content itself: a contributor who adds a record without translation,
evidence, glossary entries or links finds out here (and in `kb validate --strict`).
"""

from __future__ import annotations

import re

import pytest

from experience_kb.checks.validate import validate
from experience_kb.records import dates, schema

from conftest import BUNDLED, load


@pytest.fixture(scope="module")
def kb():
    knowledge_base, problems = load(BUNDLED)
    assert problems == []
    return knowledge_base


def records_of(kb, type_name):
    return [versions for versions in kb.by_id.values() if next(iter(versions.values())).type.name == type_name]


def test_strict_validation_is_clean():
    report = validate(BUNDLED)
    assert [str(p) for p in report.problems] == []
    assert report.exit_code(strict=True) == 0


def test_every_record_exists_in_every_language(kb):
    missing = [rid for rid, versions in kb.by_id.items() if set(versions) != set(kb.config.languages)]
    assert missing == []


def test_every_year_from_2007_to_2014_has_milestones(kb):
    years: dict[int, set[str]] = {}
    for versions in records_of(kb, "milestone"):
        record = versions["en"]
        start = dates.earliest(record.meta["date"]).year
        end = dates.latest(record.meta.get("end_date", record.meta["date"])).year
        for year in range(start, end + 1):
            years.setdefault(year, set()).add(record.meta["track"])
    assert [year for year in range(2007, 2015) if year not in years] == []
    assert {"national", "regional"} <= set().union(*years.values())


def referenced_ids(kb) -> set[str]:
    """Every id some record points at, through any x-ref field."""
    found = set()
    for record in kb.records:
        for pattern, _ in record.type.refs:
            found.update(value for _, value in schema.iter_values(record.meta, pattern) if isinstance(value, str))
    return found


def test_every_stakeholder_is_referenced(kb):
    referenced = referenced_ids(kb)
    orphans = [rid for rid in kb.of_type("stakeholder") if rid not in referenced]
    assert orphans == []


def test_every_lesson_has_evidence(kb):
    without = [versions["en"].id for versions in records_of(kb, "lesson")
               if not any(link.get("relation") == "evidence" for link in versions["en"].meta.get("related", []))]
    assert without == []


ACRONYM = re.compile(r"(?<![\w$/.-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\+?(?:-[A-Z]{2,}\+?)?)(?![\w$/]|-\d)")
ROMAN = re.compile(r"^[IVXLC]+$")


def acronyms_in(text: str) -> set[str]:
    text = re.sub(r"\S*\d[\S]*[/-][\S]*", " ", text)  # official numbers such as 018-2012-GRMDD/CR
    text = re.sub(r"https?://\S+", " ", text)
    return {token for token in ACRONYM.findall(text) if not ROMAN.match(token)}


def test_every_acronym_in_a_body_has_a_glossary_entry(kb):
    known = set()
    for versions in records_of(kb, "glossary"):
        for record in versions.values():
            known.add(record.meta["term"])
            known.update(record.meta.get("aliases", []))
    missing: dict[str, set[str]] = {}
    for record in kb.records:
        for token in acronyms_in(record.body):
            if token not in known and token.rstrip("+") not in known:
                missing.setdefault(token, set()).add(record.display)
    assert {token: sorted(paths)[:3] for token, paths in missing.items()} == {}


def test_acronym_detection():
    assert acronyms_in("El GOREMAD y la MSAR-MDD, con REDD+ y COP20 (RO 018-2012-GRMDD/CR), en II fase; US$50") == {
        "GOREMAD", "MSAR-MDD", "REDD+", "COP20", "RO"}


def test_practice_figures_agree_across_languages(kb):
    for versions in records_of(kb, "practice"):
        values = {lang: [(f["value"], f.get("unit") is not None) for f in record.meta.get("figures", [])]
                  for lang, record in versions.items()}
        assert values["es"] == values["en"]
        assert values["en"], "the overview has its context figures"


def test_there_is_one_overview_of_the_practice(kb):
    assert len(records_of(kb, "practice")) == 1
