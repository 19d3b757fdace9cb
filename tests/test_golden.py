"""Golden output trees, pelican-style: whole output folders of small fixture knowledge bases are
compared file by file with tests/golden/. After an intended change, regenerate them with
`pytest tests/test_golden.py --update-golden` and review the diff."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from experience_kb.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"


def compare_tree(actual: Path, expected: Path, update: bool) -> None:
    """Assert that `actual` holds exactly the files of `expected`, byte for byte (or replace
    `expected` with `actual` when updating)."""
    if update:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(actual, expected)
        return
    assert expected.is_dir(), f"no golden tree {expected}: run pytest with --update-golden"
    mine = sorted(p.relative_to(actual).as_posix() for p in actual.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file())
    assert mine == theirs, f"files differ: only in the output {sorted(set(mine) - set(theirs))}, " \
                           f"only in the golden tree {sorted(set(theirs) - set(mine))}"
    for name in mine:
        got, want = (actual / name).read_bytes(), (expected / name).read_bytes()
        if got != want:
            diff = difflib.unified_diff(want.decode("utf-8", "replace").splitlines(),
                                        got.decode("utf-8", "replace").splitlines(),
                                        f"golden/{name}", f"output/{name}", lineterm="", n=2)
            pytest.fail(f"{name} differs from the golden tree:\n" + "\n".join(list(diff)[:40]))


@pytest.mark.parametrize("case", ["minimal", "trilingual"])
def test_open_data_matches_the_golden_tree(request, runner, copy_fixture, case):
    root = copy_fixture(f"good/{case}")
    result = runner.invoke(main, ["--kb", str(root), "build", "data"])
    assert result.exit_code == 0, result.output
    compare_tree(root.parent / "build" / "data", GOLDEN / case / "data", request.config.getoption("--update-golden"))
