"""Good knowledge bases validate cleanly and load into the same data as their snapshots."""

from __future__ import annotations

import pytest

from experience_kb.checks.validate import validate
from experience_kb.records import stats

from conftest import BUNDLED, FIXTURES, load

GOOD = sorted(p.parent.name for p in (FIXTURES / "good").glob("*/kb.yaml"))


@pytest.mark.parametrize("case", GOOD)
def test_good_fixture_is_clean(case):
    report = validate(FIXTURES / "good" / case)
    assert report.problems == []
    assert report.files_checked > 0


@pytest.mark.parametrize("case", GOOD)
def test_good_fixture_matches_snapshot(case, snapshot):
    kb, problems = load(FIXTURES / "good" / case)
    assert problems == []
    loaded = {
        f"{r.type.collection}/{r.id}.{r.lang}": {"meta": r.meta, "body_line": r.fm.body_line, "body": r.body}
        for r in kb.records
    }
    assert {"records": loaded, "stats": stats.compute(kb).as_dict()} == snapshot


def test_bundled_knowledge_base_is_clean_even_strict():
    report = validate(BUNDLED)
    assert [str(p) for p in report.problems] == []
    assert report.exit_code(strict=True) == 0
