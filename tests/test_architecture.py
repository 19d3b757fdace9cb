"""The house rules, as facts anyone can check: one heavy dependency per package, modules of a
readable size, whoosh's private names listed where they are used, and library code that leaves
the process as it found it."""

from __future__ import annotations

import ast
import gc
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "tooling" / "experience_kb"
MODULES = sorted(PACKAGE.rglob("*.py"))
OWNERS = {"networkx": "graph", "whoosh": "search/backend", "numpy": "search", "rapidfuzz": "search",
          "click": "cli", "sphinx": "site/sphinx_ext.py", "myst_parser": "site/sphinx_ext.py", "docutils": "site",
          "pagefind": "site", "pypandoc": "booklets/typeset.py", "typst": "booklets/typeset.py",
          "segno": "booklets/typeset.py", "pikepdf": "booklets/impose.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("dependency, owner", sorted(OWNERS.items()))
def test_a_heavy_dependency_is_imported_only_by_its_package(dependency, owner):
    def owned(path: Path) -> bool:
        relative = path.relative_to(PACKAGE).as_posix()
        return relative == owner or relative.startswith(owner + "/")

    strays = [str(path.relative_to(PACKAGE)) for path in MODULES if dependency in _imports(path) and not owned(path)]
    assert strays == [], f"{dependency} belongs to {owner}/ but is imported by {strays}"


@pytest.mark.parametrize("path", MODULES + sorted((ROOT / "tooling" / "kb_bench").glob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT / "tooling")))
def test_modules_stay_readable(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{path.name} has {lines} lines; split it by job"


def test_no_module_reaches_into_the_networkx_graph():
    """Outside graph/, nobody touches a graph's networkx object (the old public `.g`, now `_g`)."""
    strays = [str(p.relative_to(PACKAGE)) for p in MODULES if "/graph/" not in p.as_posix()
              and any(isinstance(node, ast.Attribute) and node.attr in ("g", "_g")
                      for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert strays == []


BACKEND = sorted((PACKAGE / "search" / "backend").glob("*.py"))


@pytest.mark.parametrize("path", [p for p in BACKEND if "whoosh" in _imports(p)], ids=lambda p: p.name)
def test_every_private_whoosh_name_is_listed_in_its_module_docstring(path):
    """A name starting with _ that this module neither defines nor owns belongs to whoosh; each
    must be named in the module's docstring, so a whoosh upgrade shows at once what to check."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree) or ""
    ours = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    ours |= {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)}
    ours |= {target.attr for init in ast.walk(tree) if isinstance(init, ast.FunctionDef) and init.name == "__init__"
             for node in ast.walk(init) if isinstance(node, (ast.Assign, ast.AnnAssign))
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Attribute)}  # attributes our own constructors create
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr.startswith("_")
            and not node.attr.startswith("__")}
    used |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
             and node.module.startswith("whoosh") for alias in node.names if alias.name.startswith("_")}
    used |= set(re.findall(r"__dict__\[\"(_\w+)\"\]", source))
    missing = sorted(name for name in used - ours if name not in docstring)
    assert missing == [], f"{path.name} uses whoosh's private {missing} without listing them in its docstring"


def test_whoosh_public_api_is_used_for_term_expansion():
    assert not any("_btexts" in p.read_text(encoding="utf-8") for p in MODULES)


def test_loading_leaves_the_garbage_collector_as_it_found_it():
    from experience_kb.project import Project

    gc.disable()
    try:
        Project(ROOT / "kb", use_cache=False).kb
        assert not gc.isenabled()
    finally:
        gc.enable()
    Project(ROOT / "kb", use_cache=False).kb
    assert gc.isenabled()


def test_atomic_writes_use_unique_temporary_names(tmp_path, monkeypatch):
    import os

    from experience_kb.records import cache

    seen = []
    real = os.replace
    monkeypatch.setattr(cache.os, "replace", lambda src, dst: seen.append(src) or real(src, dst))
    cache.atomic_write(tmp_path / "records.marshal", b"one")
    cache.atomic_write(tmp_path / "records.marshal", b"two")
    assert len(set(seen)) == 2 and (tmp_path / "records.marshal").read_bytes() == b"two"

    def failing(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", failing)
    with pytest.raises(OSError):
        cache.atomic_write(tmp_path / "records.marshal", b"three")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.marshal"]
