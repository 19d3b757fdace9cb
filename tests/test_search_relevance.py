"""Search relevance on the bundled knowledge base, driven by tests/fixtures/search/relevance.yaml.

Every entry of the table is one test: its query must put the expected records in the top 3
(the first of them first, with `top: true`), or offer a "did you mean" suggestion holding a
given word. Entries the engine does not satisfy yet carry `xfail: <reason>` and run as strict
xfails, so that a fix shows up as an unexpected pass. The index is built once per session in a
copy of kb/, so the real build/ folder is never touched.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from experience_kb.project import Project
from experience_kb.search import service, upkeep
from experience_kb.search.engine import Filters
from experience_kb.search.text import fold

from conftest import BUNDLED, FIXTURES

TABLE_PATH = FIXTURES / "search" / "relevance.yaml"
TABLE = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))
TOP_N = 3  # expected ids must be within the first TOP_N hits
SHOWN = 5  # hits listed in failure messages
KEYS = {"query", "lang", "type", "year", "from", "to", "stakeholder", "tag", "expect", "top", "suggest",
        "xfail", "why"}


def _case_id(index: int, case: dict) -> str:
    parts = [f"{index:02d}", case.get("lang") or "any"]
    parts += [f"{key}={case[key]}" for key in ("type", "year", "from", "to", "stakeholder", "tag") if key in case]
    words = re.sub(r"\W+", "_", fold(str(case["query"]))).strip("_") or "query"
    return "-".join(parts + [words])


def _params() -> list:
    params = []
    for index, case in enumerate(TABLE, 1):
        marks = [pytest.mark.xfail(strict=True, reason=str(case["xfail"]))] if case.get("xfail") else []
        params.append(pytest.param(case, id=_case_id(index, case), marks=marks))
    return params


def _filters(case: dict) -> Filters | None:
    years = None
    if "year" in case:
        years = (int(case["year"]), int(case["year"]))
    elif "from" in case or "to" in case:
        years = (int(case.get("from", 0)), int(case.get("to", 9999)))
    filters = Filters(
        types=(case["type"],) if "type" in case else (),
        years=years,
        stakeholders=(case["stakeholder"],) if "stakeholder" in case else (),
        tags=(case["tag"],) if "tag" in case else (),
    )
    return filters if filters != Filters() else None


@pytest.fixture(scope="session")
def bundled_copy(tmp_path_factory) -> Project:
    """A copy of kb/ with its index built once; build/ sits beside the copy, in the temporary folder."""
    root = tmp_path_factory.mktemp("relevance") / "kb"
    shutil.copytree(BUNDLED, root, ignore=shutil.ignore_patterns(".cache", "build"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_CACHE", "0")
        project = Project(root)
        assert project.config.build_dir == root.parent / "build"
        upkeep.rebuild(project)
    return project


def test_the_table_is_well_formed():
    """The table has enough entries, known keys only, and every expected id names a bundled record."""
    known_ids = {path.name.split(".", 1)[0] for path in BUNDLED.rglob("*.md")}
    assert len(TABLE) >= 36
    problems = []
    for index, case in enumerate(TABLE, 1):
        where = f"entry {index} ({case.get('query')!r})"
        if set(case) - KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(case) - KEYS)}")
        if not case.get("query") or not case.get("why"):
            problems.append(f"{where}: needs a query and a why")
        expect = case.get("expect")
        if not isinstance(expect, list) or (not expect and not case.get("suggest")):
            problems.append(f"{where}: expect must list ids (it may be empty only with suggest)")
            continue
        if len(expect) > TOP_N:
            problems.append(f"{where}: expects more ids than the top {TOP_N} can hold")
        if case.get("top") and not expect:
            problems.append(f"{where}: top needs an expected id")
        problems += [f"{where}: no record has the id {rid!r}" for rid in expect if rid not in known_ids]
        if case.get("lang") not in (None, "es", "en"):
            problems.append(f"{where}: lang must be es or en")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", _params())
def test_relevance(bundled_copy, case):
    results = service.run(bundled_copy, str(case["query"]), case.get("lang"), _filters(case), SHOWN).results
    ranked = [hit.id for hit in results.hits]
    shown = "\n".join(f"  {rank}. {hit.id} [{hit.lang}, {hit.type}] {hit.title}"
                      for rank, hit in enumerate(results.hits, 1)) or "  (no hits)"
    report = (f"query {case['query']!r} (lang={case.get('lang')}, filters={_filters(case)}) - {case['why']}\n"
              f"expected in the top {TOP_N}: {case['expect']}"
              f"{' with the first one ranked 1' if case.get('top') else ''}\n"
              f"total {results.total}, relaxed={results.relaxed}, suggestion={results.suggestion!r}, "
              f"expansions={results.expansions}\nactual top {SHOWN}:\n{shown}")
    missing = [rid for rid in case["expect"] if rid not in ranked[:TOP_N]]
    assert not missing, f"{missing} not in the top {TOP_N}\n{report}"
    if case.get("top"):
        assert ranked[0] == case["expect"][0], f"{case['expect'][0]} is not ranked first\n{report}"
    if case.get("suggest"):
        wanted = fold(str(case["suggest"]))
        offered = re.findall(r"\w+", fold(results.suggestion or ""))
        assert wanted in offered, f"no suggestion with {case['suggest']!r}\n{report}"
