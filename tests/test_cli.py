"""The kb command: help everywhere, exit codes, formats, build output and its atomicity."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from experience_kb.pipeline import stages as build_module
from experience_kb.project import Project
from experience_kb.cli import commands, main

from conftest import FIXTURES, ROOT


def all_commands(group: click.Group, prefix=()):
    return commands(group, prefix)


@pytest.mark.parametrize("path", [p for p, _ in all_commands(main)], ids=lambda p: " ".join(p) or "kb")
def test_every_command_has_help(runner, path):
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    command = dict(all_commands(main))[path]
    assert command.help and len(command.help.strip()) > 20


def test_readme_cli_section_matches_help(runner):
    """The README shows each command's --help output verbatim."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, _ in all_commands(main):
        help_text = runner.invoke(main, [*path, "--help"], prog_name="kb", terminal_width=100).output.strip()
        assert help_text in readme, f"README is missing the help of: kb {' '.join(path)}"


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["validate", "--format", "xml"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2
    assert runner.invoke(main, ["validate", "no/such/path.md"]).exit_code == 2
    assert runner.invoke(main, ["build", "no-such-stage"]).exit_code == 2


def test_validate_paths_limit_the_report(runner):
    bad = FIXTURES / "bad" / "kb"
    result = runner.invoke(main, ["validate", str(bad / "lessons" / "unknown-tag.en.md")])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1 and "[unknown-tag]" in result.output
    result = runner.invoke(main, ["validate", str(bad / "stakeholders")])
    assert result.exit_code == 0, result.output


def test_kb_is_found_from_a_subfolder(runner, monkeypatch):
    monkeypatch.chdir(FIXTURES / "good" / "minimal" / "lessons")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0 and "0 errors" in result.output


def test_no_knowledge_base_found(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KB_ROOT", raising=False)
    for args in (["stats"], ["validate"], ["build"], ["validate", str(tmp_path)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and "no knowledge base found" in result.output, args


def test_stats_json(runner):
    result = runner.invoke(main, ["--kb", str(FIXTURES / "good" / "minimal"), "stats", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    total = data["types"][-1]
    assert total == {"type": "total", "records": 8, "per_language": {"es": 8, "en": 8}, "complete": 8,
                     "coverage": 1.0}


def test_stats_table(runner):
    result = runner.invoke(main, ["--kb", str(FIXTURES / "good" / "minimal"), "stats"])
    assert re.search(r"stakeholder\s+2\s+2\s+2\s+100%", result.output)


def test_build_writes_every_stage(runner, copy_fixture):
    root = copy_fixture("good/minimal")
    result = runner.invoke(main, ["--kb", str(root), "build"])
    assert result.exit_code == 0, result.output
    build_dir = root.parent / "build"
    report = json.loads((build_dir / "validate" / "report.json").read_text())
    assert report["summary"]["errors"] == 0
    assert json.loads((build_dir / "stats" / "stats.json").read_text())["types"][-1]["records"] == 8
    assert sorted(p.name for p in build_dir.iterdir() if not p.name.startswith(".")) == sorted(build_module.STAGES)


def test_build_stops_on_validation_errors(runner, copy_fixture):
    root = copy_fixture("good/minimal")
    (root / "lessons" / "plain-language.en.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    result = runner.invoke(main, ["--kb", str(root), "build"])
    assert result.exit_code == 1
    assert "yaml-syntax" in result.output and not (root.parent / "build" / "stats").exists()


def test_failed_stage_keeps_previous_output(copy_fixture, monkeypatch):
    root = copy_fixture("good/minimal")
    assert all(r.ok for r in build_module.build(Project(root)))
    stats_file = root.parent / "build" / "stats" / "stats.json"
    before = stats_file.read_text()

    def broken(ctx, out: Path):
        (out / "stats.json").write_text("half-written")
        raise RuntimeError("disk full")

    monkeypatch.setitem(build_module.STAGES, "stats", broken)
    with pytest.raises(RuntimeError):
        build_module.build(Project(root), only="stats")
    assert stats_file.read_text() == before
    assert [p.name for p in stats_file.parent.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []


def test_cache_gives_the_same_problems_and_notices_edits(copy_fixture, monkeypatch):
    from experience_kb.checks.validate import validate

    monkeypatch.setenv("KB_CACHE", "1")
    root = copy_fixture("bad/kb")
    cold = validate(root)
    cache_file = root.parent / "build" / ".cache" / "records.marshal"
    assert cache_file.is_file()
    warm = validate(root)
    assert warm.problems == cold.problems and [p.message for p in warm.problems] == [p.message for p in cold.problems]
    target = root / "lessons" / "unknown-tag.en.md"
    target.write_text(target.read_text().replace("deforestaton", "deforestation"))
    edited = validate(root)
    assert len(edited.problems) == len(cold.problems) - 1
    cache_file.write_bytes(b"garbage")  # a broken cache is ignored, not fatal
    assert validate(root).problems == edited.problems


def _options():
    for path, command in commands(main):
        for param in command.params:
            if isinstance(param, click.Option):
                yield pytest.param(path, param.opts[0], id=f"kb {' '.join(path)} {param.opts[0]}".replace("  ", " "))


@pytest.mark.parametrize("path, option", list(_options()))
def test_every_option_is_in_the_readme(path, option):
    """Each command's section of the README names every one of its options."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = f"### `kb{' ' + ' '.join(path) if path else ''}`"
    assert head in readme, f"the README has no section {head}"
    section = readme[readme.index(head):].split("\n### ", 1)[0]
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section), f"{head} does not mention {option}"
