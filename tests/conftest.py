"""Shared fixtures: paths to the fixture knowledge bases and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "kb"

# Tests read fixtures in place; they must not leave build/.cache folders beside them. Set for the
# whole session, before any fixture (module-scoped ones included) loads a knowledge base; tests
# that exercise the cache turn it on for themselves, on copies in tmp_path.
os.environ["KB_CACHE"] = "0"


def _ignored_files() -> set[str] | None:
    """Files git ignores under tests/, except Python's and pytest's own caches; None without git."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "tests"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line[3:] for line in out.splitlines()
            if line.startswith("!! ") and "__pycache__" not in line and ".pytest_cache" not in line}


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output instead of comparing with it")


def pytest_sessionstart(session):
    session.config.stash[_BEFORE] = _ignored_files()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when the tests left files in the source tree (they must write to tmp_path)."""
    before = session.config.stash.get(_BEFORE, None)
    after = _ignored_files()
    if before is None or after is None:
        return
    new = sorted(after - before)
    if new:
        session.config.get_terminal_writer().line(
            f"tests wrote into the source tree (write to tmp_path instead): {', '.join(new[:5])}", red=True)
        session.exitstatus = 1


_BEFORE = pytest.StashKey[set]()


@pytest.fixture(autouse=True)
def no_cache_in_the_source_tree(monkeypatch):
    """Each test starts with the cache off, whatever an earlier test set."""
    monkeypatch.setenv("KB_CACHE", "0")


def load(root: Path, use_cache: bool = False):
    """(knowledge base, every problem) of the knowledge base at `root`."""
    from experience_kb.project import Project

    project = Project(root, use_cache=use_cache)
    return project.kb, project.report.problems


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def copy_fixture(tmp_path):
    """Copy a fixture knowledge base (and the shared vocabularies) into tmp_path."""

    def copy(relative: str) -> Path:
        shutil.copytree(FIXTURES / "vocabularies", tmp_path / "fixtures" / "vocabularies")
        target = tmp_path / "fixtures" / relative
        shutil.copytree(FIXTURES / relative, target, symlinks=True)  # bad fixtures hold a looping link
        return target

    return copy
