"""The graph: expected answers on the minimal fixture, queries on the bundled base, exports."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from frictionless import validate as frictionless_validate

from experience_kb import graph
from experience_kb.graph import export
from experience_kb.project import Project
from experience_kb.cli import main

from conftest import BUNDLED, FIXTURES, load


@pytest.fixture(scope="module")
def minimal():
    kb, problems = load(FIXTURES / "good" / "minimal")
    assert problems == []
    return graph.build(kb)


@pytest.fixture(scope="module")
def bundled():
    return Project(BUNDLED).graph


def test_nodes_and_typed_edges(minimal):
    assert {n for n in minimal.nodes() if not n.startswith("tag:")} == set(minimal.kb.by_id)
    edges = {(s, d, data["kind"], data["name"]) for s, d, data in minimal.edges() if data["kind"] != "tagged"}
    assert ("ro-001-2012", "forest-roundtable", "role", "issuer") in edges
    assert ("ro-001-2012", "forest-roundtable", "issued_by", "issued_by") in edges
    assert ("river-federation", "forest-roundtable", "member_of", "member") in edges
    assert ("roundtable-recognized", "ro-001-2012", "marks", "marks") in edges
    assert ("plain-language", "safeguards-workshop-2012", "relation", "evidence") in edges
    assert ("plain-language-booklet", "plain-language", "contains", "contains") in edges
    assert ("redd-plus", "tag:redd-plus", "tagged", "tagged") in {
        (s, d, data["kind"], data["name"]) for s, d, data in minimal.edges()}


def test_backlinks_are_computed_with_labels_in_both_languages(minimal):
    groups = minimal.relations("safeguards-workshop-2012")
    evidence = groups["incoming"]["relation:evidence"]
    assert evidence["label"] == {"es": "Evidencia de", "en": "Evidence for"}
    assert [item["id"] for item in evidence["items"]] == ["plain-language"]
    organizer = groups["outgoing"]["role:organizer"]
    assert organizer["label"] == {"es": "Organizador", "en": "Organizer"}
    seen_from_stakeholder = minimal.relations("forest-roundtable")["incoming"]["role:organizer"]
    assert seen_from_stakeholder["label"]["en"] == "Organized"
    member = minimal.relations("forest-roundtable")["incoming"]["member_of:member"]["items"][0]
    assert member == {"id": "river-federation", "type": "stakeholder", "start_date": "2009-03", "end_date": "2014",
                      "title": {"es": "Federación del Río", "en": "River Federation"}}


def test_path_is_explained_in_words(minimal):
    steps = minimal.path("river-federation", "roundtable-recognized", "en")
    assert [s["to"] for s in steps][-1] == "roundtable-recognized"
    assert steps[-1]["text"].startswith("The Roundtable is recognized — milestone of →")
    assert len(steps) == 2


def test_central_and_year_filter(minimal):
    assert [row["id"] for row in minimal.central()] == ["forest-roundtable", "river-federation"]
    assert minimal.central(year=1990) == []
    assert minimal.central(top=1, year=2012)[0]["id"] == "forest-roundtable"


def test_in_force_follows_lifecycle(minimal):
    assert minimal.in_force("2012-05") == []
    [row] = minimal.in_force("2012-06-01")
    assert (row["id"], row["since"]) == ("ro-001-2012", "2012-06-01")


def test_lessons_loop(minimal):
    data = minimal.lessons()
    assert data["lessons"][0]["evidence"] == ["safeguards-workshop-2012"]
    assert data["lessons"][0]["applied_in"] == ["plain-language-booklet"]
    assert data["never_applied"] == []


def test_bundled_timeline_and_in_force(bundled):
    national = bundled.timeline("national")
    assert national[0]["date"] == "2007" and national[-1]["date"] == "2014"
    assert all(row["track"] == "national" for row in national)
    in_2013 = {row["id"] for row in bundled.in_force("2013-12-31")}
    assert {"rer-122-2012", "ro-018-2012", "ro-018-2013"} <= in_2013
    assert "ordinance-proposal-2011" not in in_2013  # a proposal is never in force
    by_id = {row["id"]: row for row in bundled.in_force("2013-12-31")}
    assert by_id["rer-509-2009"]["modified_by"] == []  # ... and modifies nothing
    assert "ro-018-2013" not in {row["id"] for row in bundled.in_force("2013-05-15")}
    assert bundled.central(top=2)[0]["id"] in {"msar", "goremad"}


def test_exports_load_back(copy_fixture, runner):
    root = copy_fixture("good/minimal")
    assert runner.invoke(main, ["--kb", str(root), "build", "data"]).exit_code == 0
    data = root.parent / "build" / "data"
    loaded = export.read_graphml(data / "graph.graphml")
    kg = Project(root).graph
    assert loaded.number_of_nodes() == kg.number_of_nodes()
    assert loaded.number_of_edges() == kg.number_of_edges()
    node_link = json.loads((data / "graph.json").read_text())
    assert nx.node_link_graph(node_link, edges="links").number_of_edges() == kg.number_of_edges()
    report = frictionless_validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((data / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} == {
        "graph.graphml", "graph.json", "records.es.csv", "records.en.csv", "stakeholders.csv",
        "memberships.csv", "relations.csv"}
    assert (data / "records.en.csv").read_text().count("\n") == 1 + len(kg.kb.by_id)


@pytest.mark.parametrize("args", [["show", "msar"], ["path", "aider", "ro-018-2013"], ["central", "--year", "2012"],
                                  ["timeline", "--track", "regional"], ["in-force", "2013"], ["lessons"]])
def test_graph_commands_print_json(runner, args):
    result = runner.invoke(main, ["--kb", str(BUNDLED), "graph", *args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)


def test_graph_usage_errors(runner):
    assert runner.invoke(main, ["--kb", str(BUNDLED), "graph", "show", "no-such-id"]).exit_code == 2
    assert runner.invoke(main, ["--kb", str(BUNDLED), "graph", "in-force", "2013-02-30"]).exit_code == 2
