"""Front matter parsing: scalars, line map, hostile input."""

from __future__ import annotations

from experience_kb.records import dates, frontmatter
from experience_kb.problems import Code

from conftest import load


def parse(text: str):
    return frontmatter.parse(text, "t.md")


def test_dates_stay_strings():
    fm, problems = parse("---\ndate: 2012-02-30\nyear: 2012\nmonth: 2012-05\npage: 18\n---\nbody\n")
    assert problems == []
    assert fm.meta == {"date": "2012-02-30", "year": 2012, "month": "2012-05", "page": 18}


def test_years_in_date_fields_become_text_and_other_numbers_stay(copy_fixture):

    root = copy_fixture("good/minimal")
    path = root / "milestones" / "roundtable-recognized.en.md"
    path.write_text(path.read_text().replace("date: 2012-06", "date: 2012\nend_date: 2013"))
    (root / "milestones" / "roundtable-recognized.es.md").write_text(path.read_text())
    kb, problems = load(root)
    record = kb.get("roundtable-recognized", "en")
    assert (record.meta["date"], record.meta["end_date"]) == ("2012", "2013")
    assert [p for p in problems if "roundtable" in p.path] == []


def test_only_true_and_false_are_booleans():
    fm, _ = parse("---\na: yes\nb: no\nc: on\nd: true\ne: False\n---\n")
    assert fm.meta == {"a": "yes", "b": "no", "c": "on", "d": True, "e": False}


def test_locate_points_at_values_and_keys():
    fm, _ = parse("---\nid: x\nstakeholders:\n  - id: a\n    role: member\n---\nbody\n")
    assert fm.locate(("stakeholders", 0, "role")) == (5, 11)
    assert fm.locate(("stakeholders",), key=True) == (3, 1)
    assert fm.locate(("missing",)) == (2, 1)  # falls back to the nearest existing node
    assert fm.body == "body\n" and fm.body_line == 7


def test_duplicate_keys_are_found():
    fm, problems = parse("---\na: 1\nb:\n  c: 1\n  c: 2\n---\n")
    assert [(p.code, p.line) for p in problems] == [(Code.DUPLICATE_KEY, 5)]


def test_yaml_error_has_line_column_and_hint():
    _, problems = parse("---\nid: x\ntitle: Booklet: plain\n---\n")
    [item] = problems
    assert (item.code, item.line, item.column) == (Code.YAML_SYNTAX, 3, 15)
    assert "quotes" in item.message


def test_crlf_and_bom_are_accepted(tmp_path):
    path = tmp_path / "x.es.md"
    path.write_bytes("\ufeff---\r\nid: x\r\n---\r\nbody\r\n".encode())
    text, problems = frontmatter.read_text(path, "x")
    fm, problems2 = parse(text)
    assert problems == problems2 == [] and fm.meta == {"id": "x"}


def test_unhashable_key_is_a_problem():
    _, problems = parse("---\n? [a, b]\n: 1\n---\n")
    assert [p.code for p in problems] == [Code.YAML_SYNTAX]


def test_partial_dates():
    assert dates.problem_with("2012-02-30")
    assert dates.problem_with("2012-13")
    assert dates.problem_with("2012-02-29") is None
    assert not dates.surely_before("2012", "2012-05")
    assert dates.surely_before("2012-04-30", "2012-05")
