"""Shared fixtures: paths to the fixture knowledge bases and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "kb"


@pytest.fixture(autouse=True)
def no_cache_in_the_source_tree(monkeypatch):
    """Tests read fixtures in place; they must not leave build/.cache folders beside them."""
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
        shutil.copytree(FIXTURES / relative, target)
        return target

    return copy
