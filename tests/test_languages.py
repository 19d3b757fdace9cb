"""Any knowledge base, in any languages: a fork in three languages (es, en, pt) runs every
command without an error, and labels the vocabularies lack in Portuguese fall back to the
default language instead of failing."""

from __future__ import annotations

import json

import pytest

from experience_kb.cli import main


@pytest.fixture
def trilingual(copy_fixture):
    return copy_fixture("good/trilingual")


GRAPH_COMMANDS = [
    ["graph", "show", "forest-roundtable"],
    ["graph", "show", "tag:safeguards"],
    ["graph", "path", "river-federation", "roundtable-recognized"],
    ["graph", "central"],
    ["graph", "central", "--year", "2012"],
    ["graph", "timeline"],
    ["graph", "timeline", "--track", "regional"],
    ["graph", "in-force", "2013"],
    ["graph", "lessons"],
]


@pytest.mark.parametrize("lang", [None, "es", "en", "pt"])
@pytest.mark.parametrize("command", GRAPH_COMMANDS, ids=lambda c: " ".join(c))
def test_every_graph_command_in_every_language(runner, trilingual, command, lang):
    args = ["--kb", str(trilingual), *command, *(["--lang", lang] if lang else [])]
    for extra in ([], ["--json"]):
        result = runner.invoke(main, args + extra)
        assert result.exit_code == 0, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_portuguese_titles_and_fallback_labels(runner, trilingual):
    result = runner.invoke(main, ["--kb", str(trilingual), "graph", "show", "forest-roundtable", "--lang", "pt"])
    assert "Mesa da Floresta [forest-roundtable]" in result.output
    assert "Oficina de salvaguardas" in result.output  # a Portuguese title
    assert "Organizó" in result.output  # no Portuguese label: the default language's
    data = json.loads(runner.invoke(main, ["--kb", str(trilingual), "graph", "show", "forest-roundtable",
                                           "--json"]).output)
    organized = data["incoming"]["role:organizer"]["label"]
    assert organized == {"es": "Organizó", "en": "Organized", "pt": "Organizó"}


def test_validate_search_and_build(runner, trilingual):
    assert runner.invoke(main, ["--kb", str(trilingual), "validate", "--strict"]).exit_code == 0
    result = runner.invoke(main, ["--kb", str(trilingual), "search", "floresta", "--lang", "pt"])
    assert result.exit_code == 0, result.output
    assert "forest-roundtable" in result.output
    result = runner.invoke(main, ["--kb", str(trilingual), "search", "salvaguardas"])
    assert result.exit_code == 0 and "also matches in" in result.output
    result = runner.invoke(main, ["--kb", str(trilingual), "build"])
    assert result.exit_code == 0, result.output
    build = trilingual.parent / "build"
    assert (build / "data" / "records.pt.csv").is_file()
    assert json.loads((build / "stats" / "stats.json").read_text())["languages"] == ["es", "en", "pt"]


def test_a_missing_translation_names_the_language(runner, trilingual):
    (trilingual / "glossary" / "redd-plus.pt.md").unlink()
    result = runner.invoke(main, ["--kb", str(trilingual), "validate"])
    assert result.exit_code == 0
    assert "no Portuguese (pt) version of 'redd-plus'" in result.output


def test_an_unknown_language_or_track_is_a_usage_error(runner, trilingual):
    for args in (["graph", "show", "forest-roundtable", "--lang", "xx"], ["graph", "timeline", "--track", "moon"],
                 ["search", "mesa", "--lang", "xx"]):
        result = runner.invoke(main, ["--kb", str(trilingual), *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
