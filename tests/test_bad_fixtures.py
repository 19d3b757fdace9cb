"""Every bad fixture gives exactly its expected problem, at its path and line, and no traceback."""

from __future__ import annotations

import importlib

import json
import os
from pathlib import Path

import pytest
import yaml

from experience_kb.cli import main
from experience_kb.problems import Code
from experience_kb.checks.validate import validate

from conftest import FIXTURES

BAD = FIXTURES / "bad"
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def found(root: Path, report) -> set[tuple[str, int, str]]:
    return {(Path(os.path.abspath(p.path)).relative_to(root.resolve()).as_posix(), p.line, p.code.value)
            for p in report.problems}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_knowledge_base_gives_one_problem_per_defect(case):
    report = validate(BAD / case)
    expected = {(path, line, code) for path, line, code in EXPECTED[case]}
    assert found(BAD, report) == expected
    assert len(report.problems) == len(expected)  # no defect reported twice


def test_every_code_is_known():
    codes = {code for entries in EXPECTED.values() for _, _, code in entries}
    assert codes <= {c.value for c in Code}


# Codes whose defect cannot be committed as a file (a file over the size limit) are made by a test.
# Codes that no fixture file can give, and the test ("module::function") that makes them.
GENERATED = {"file-too-large": "test_bad_fixtures::test_a_10_mb_file_is_a_problem_not_a_crash",
             "site": "test_site::test_warnings_are_problems_at_the_record_line_and_strict_fails",
             "site-failed": "test_site::test_a_failed_build_leaves_the_previous_site_in_place",
             "image": "test_site_safety::test_the_stage_refuses_to_publish_and_says_where",
             "booklet-failed": "test_booklets::test_a_chapter_typst_cannot_set_fails_naming_the_record_and_keeps_the_previous_pdf",
             "hard-to-read": "test_booklets::test_hard_sentences_for_grassroots_warn_and_plain_ones_do_not"}


def _generated(code: str) -> bool:
    module, _, function = GENERATED.get(code, "::").partition("::")
    return bool(module) and hasattr(importlib.import_module(module), function)


@pytest.mark.parametrize("code", [c.value for c in Code])
def test_every_code_has_a_bad_fixture(code):
    """Every problem code is shown by a bad fixture (or a test that makes one) and documented."""
    fixtures = {found for entries in EXPECTED.values() for _, _, found in entries}
    for hostile in (FIXTURES / "hostile").glob("*.yaml"):  # the hostile corpus counts too
        for case in yaml.safe_load(hostile.read_text(encoding="utf-8")) or []:
            fixtures |= {found for _, _, found in case["expect"].get("problems", [])}
    assert code in fixtures or _generated(code), f"no bad fixture gives [{code}]"
    documented = (Path(__file__).resolve().parent.parent / "docs" / "problems.md").read_text(encoding="utf-8")
    assert f"| `{code}` |" in documented


def test_bad_fixtures_cover_the_issue_checklist():
    codes = {code for entries in EXPECTED.values() for _, _, code in entries}
    required = {"yaml-syntax", "schema", "unknown-field", "id-mismatch", "duplicate-id", "unknown-reference",
                "unknown-stakeholder", "unknown-tag", "unknown-role", "unknown-relation", "invalid-date",
                "date-order", "translation-mismatch", "missing-translation", "empty-file", "binary-file",
                "not-utf8", "no-front-matter", "not-a-mapping", "not-a-file", "unsafe-html"}
    assert required <= codes


def test_cli_exits_1_without_traceback(runner):
    result = runner.invoke(main, ["--kb", str(BAD / "kb"), "validate"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "[unknown-field]" in result.output


def test_a_10_mb_file_is_a_problem_not_a_crash(copy_fixture):
    root = copy_fixture("good/minimal")
    big = root / "lessons" / "huge.en.md"
    big.write_bytes(b"---\nid: huge\n---\n" + b"x" * 10_000_000)
    report = validate(root)
    assert [(p.code, Path(p.path).name) for p in report.problems if p.code is not Code.MISSING_TRANSLATION] == [
        (Code.FILE_TOO_LARGE, "huge.en.md")]


def test_unclosed_front_matter(copy_fixture):
    root = copy_fixture("good/minimal")
    (root / "lessons" / "open.es.md").write_text("---\nid: open\ntitle: x\n", encoding="utf-8")
    (root / "lessons" / "open.en.md").write_text("---\nid: open\ntitle: x\n", encoding="utf-8")
    report = validate(root)
    assert sorted((p.code.value, Path(p.path).name) for p in report.problems) == [
        ("no-front-matter", "open.en.md"), ("no-front-matter", "open.es.md")]


def test_json_format_lists_problems(runner):
    result = runner.invoke(main, ["--kb", str(BAD / "translations"), "validate", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["summary"] == {"errors": 1, "warnings": 1, "files": 3, "records": 2}
    assert {p["code"] for p in data["problems"]} == {"translation-mismatch", "missing-translation"}
    assert all({"path", "line", "column", "code", "severity", "message"} <= set(p) for p in data["problems"])


def test_github_format_prints_annotations(runner):
    result = runner.invoke(main, ["--kb", str(BAD / "translations"), "validate", "--format", "github"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert len(lines) == 2
    assert lines[0].startswith("::warning file=") and ",line=1,col=1,title=missing-translation::" in lines[0]
    assert lines[1].startswith("::error file=") and ",line=6," in lines[1]


def test_translation_mismatch_names_both_lines():
    report = validate(BAD / "translations")
    mismatch = next(p for p in report.problems if p.code is Code.TRANSLATION_MISMATCH)
    assert mismatch.path.endswith("translation-mismatch.en.md") and mismatch.line == 6
    assert "translation-mismatch.es.md:6" in mismatch.message


def test_strict_turns_warnings_into_failure(runner, copy_fixture):
    root = copy_fixture("good/minimal")
    (root / "glossary" / "redd-plus.en.md").unlink()
    assert runner.invoke(main, ["--kb", str(root), "validate"]).exit_code == 0
    assert runner.invoke(main, ["--kb", str(root), "validate", "--strict"]).exit_code == 1


def test_did_you_mean_suggestions():
    report = validate(BAD / "kb")
    messages = {p.code.value: p.message for p in report.problems}
    assert "did you mean 'tags'?" in messages["unknown-field"]
    assert "did you mean 'acme'?" in messages["unknown-stakeholder"]
    assert "did you mean 'organizer'?" in messages["unknown-role"]


def test_config_errors_are_reported_together(runner):
    result = runner.invoke(main, ["--kb", str(BAD / "config"), "stats"])
    assert result.exit_code == 1
    assert result.output.count("[config]") == 2 and "[unknown-field]" in result.output
