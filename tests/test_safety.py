"""Safe with hostile pull requests and unlucky operators: kb deletes only what it created,
nothing under build/ can run code or change a verdict, damage heals, and the operating
system's refusals are messages. Every case runs on copies in tmp_path."""

from __future__ import annotations

import errno
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from experience_kb.cli import main
from experience_kb.pipeline import atomic
from experience_kb.project import Project
from experience_kb.records import cache as cache_module
from experience_kb.search import upkeep

from conftest import FIXTURES


@pytest.fixture
def minimal(copy_fixture):
    return copy_fixture("good/minimal")


def _kb(args, cwd, **env):
    return subprocess.run([sys.executable, "-m", "experience_kb", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})


# -- 1. kb deletes only what it created ---------------------------------------------------------

def test_a_foreign_build_folder_is_left_alone(runner, minimal):
    build = minimal.parent / "build"
    (build / "data").mkdir(parents=True)
    (build / "data" / "thesis.txt").write_text("four years of work")
    result = runner.invoke(main, ["--kb", str(minimal), "build"])
    assert result.exit_code == 1 and "was not made by kb" in result.output
    assert (build / "data" / "thesis.txt").read_text() == "four years of work"
    assert sorted(p.name for p in build.iterdir()) == ["data"]


def test_a_stage_folder_kb_did_not_make_is_not_replaced(runner, minimal):
    assert runner.invoke(main, ["--kb", str(minimal), "build", "stats"]).exit_code == 0
    build = minimal.parent / "build"
    (build / "data").mkdir()
    (build / "data" / "thesis.txt").write_text("mine")
    result = runner.invoke(main, ["--kb", str(minimal), "build", "data"])
    assert result.exit_code == 1 and "delete it, else move it away" in result.output
    assert (build / "data" / "thesis.txt").read_text() == "mine"


def test_a_knowledge_base_named_index_survives_search(runner, tmp_path):
    """Once, a knowledge base in a folder named `index` with build_dir: .. was wiped by kb search."""
    root = tmp_path / "index"
    import shutil

    shutil.copytree(FIXTURES / "hostile" / "base", root)
    shutil.copytree(FIXTURES / "vocabularies", root / "vocabularies")
    (root / "kb.yaml").write_text((root / "kb.yaml").read_text() + "build_dir: ..\n")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = runner.invoke(main, ["--kb", str(root), "search", "listen"])
    assert result.exit_code == 1 and "contains the knowledge base" in result.output
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_clean_up_removes_only_marked_leftovers(runner, minimal):
    assert runner.invoke(main, ["--kb", str(minimal), "build", "stats"]).exit_code == 0
    build = minimal.parent / "build"
    theirs = build / ".notes.tmp-2019"  # a user's folder whose name looks like ours
    theirs.mkdir()
    ours = build / ".data.tmp-abc123"
    ours.mkdir()
    (ours / atomic.STAGE_MARKER).write_text("x")
    assert runner.invoke(main, ["--kb", str(minimal), "build", "stats"]).exit_code == 0
    assert theirs.is_dir() and not ours.exists()


def test_a_kill_between_two_renames_loses_no_stage(runner, minimal, monkeypatch):
    """Without an atomic exchange, a kill after the first rename leaves `.data.old-*`; the next
    run puts it back instead of deleting it."""
    assert runner.invoke(main, ["--kb", str(minimal), "build", "data"]).exit_code == 0
    build = minimal.parent / "build"
    data = build / "data"
    os.rename(data, build / ".data.old-killed")  # the state a kill leaves
    atomic.clean_leftovers(build)
    assert (data / "graph.json").is_file() and not (build / ".data.old-killed").exists()
    monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)  # the two-rename path
    assert runner.invoke(main, ["--kb", str(minimal), "build", "data"]).exit_code == 0
    assert (data / "graph.json").is_file() and not [p for p in build.iterdir() if ".old-" in p.name]


def test_stages_swap_in_with_one_exchange(minimal):
    build = minimal.parent / "build"
    atomic.ensure_build_dir(build)
    with atomic.atomic_dir(build / "stage") as tmp:
        (tmp / "one").write_text("1")
    with atomic.atomic_dir(build / "stage") as tmp:
        (tmp / "two").write_text("2")
    assert sorted(p.name for p in (build / "stage").iterdir()) == [atomic.STAGE_MARKER, "two"]
    assert atomic._exchange(build / "stage", build / "stage")  # renameat2 is available here


# -- 2. nothing under build/ runs code or changes a verdict -------------------------------------

def _plant_toc(index: Path, sentinel: Path) -> None:
    """Overwrite the newest table of contents with one whose pickled schema runs a command."""
    import whoosh.fields
    import whoosh.index
    from whoosh.filedb.filestore import FileStorage

    class Payload(whoosh.fields.Schema):
        def __reduce__(self):
            return (os.system, (f"touch {sentinel}",))

    generation = max(int(p.name.split("_")[2].split(".")[0]) for p in index.glob("_kb_*.toc"))
    toc = whoosh.index.TOC.read(FileStorage(str(index)), "kb", generation)
    (index / f"_kb_{generation}.toc").unlink()
    whoosh.index.TOC(Payload(), toc.segments, generation).write(FileStorage(str(index)), "kb")


def test_a_planted_index_never_runs(minimal, tmp_path):
    assert _kb(["--kb", str(minimal), "build", "index"], tmp_path).returncode == 0
    sentinel = tmp_path / "pwned"
    _plant_toc(minimal.parent / "build" / "index", sentinel)
    result = _kb(["--kb", str(minimal), "search", "federación"], tmp_path)
    assert not sentinel.exists(), "the planted table of contents ran a command"
    assert result.returncode == 0 and "Search index rebuilt because" in result.stderr
    assert "not the one kb wrote" in result.stderr


def test_a_planted_cache_cannot_vouch_for_a_script(runner, minimal, monkeypatch):
    monkeypatch.setenv("KB_CACHE", "1")
    lesson = minimal / "lessons" / "plain-language.en.md"
    lesson.write_text(lesson.read_text() + "\n<script>alert(1)</script>\n")
    project = Project(minimal)
    record = next(r for r in project.kb.records if r.path == lesson)
    salt = cache_module.FileCache(None, project.config.languages).salt
    forged = {record.relpath: [record.digest, record.meta, [], []]}  # "no problems"
    payload = marshal.dumps((salt, forged))
    (minimal.parent / "build" / ".cache").mkdir(parents=True, exist_ok=True)
    (minimal.parent / "build" / ".cache" / "records.marshal").write_bytes(bytes(32) + payload)
    result = runner.invoke(main, ["--kb", str(minimal), "validate", "--strict"])
    assert result.exit_code == 1 and "[unsafe-html]" in result.output


# -- 6. damage heals; bugs are bugs --------------------------------------------------------------

@pytest.mark.parametrize("garbage", [b"", b"not a table of contents", os.urandom(64)], ids=["empty", "text", "random"])
def test_a_damaged_table_of_contents_is_rebuilt_with_a_message(minimal, tmp_path, garbage):
    assert _kb(["--kb", str(minimal), "build", "index"], tmp_path).returncode == 0
    for toc in (minimal.parent / "build" / "index").glob("_kb_*.toc"):
        toc.write_bytes(garbage)
    result = _kb(["--kb", str(minimal), "search", "federación"], tmp_path)
    assert result.returncode == 0 and "Search index rebuilt because" in result.stderr, result.stderr
    again = _kb(["--kb", str(minimal), "search", "federación"], tmp_path)
    assert again.returncode == 0 and "rebuilt" not in again.stderr


def test_a_bug_is_not_taken_for_damage(minimal, monkeypatch):
    from experience_kb.search import service
    from experience_kb.search.backend import evaluate

    service.run(Project(minimal), "federación")
    monkeypatch.setattr(evaluate.Prepared, "run", lambda self, q: [][1])
    with pytest.raises(IndexError):
        service.run(Project(minimal), "federación")


# -- 7. every failure is a message and an exit code ----------------------------------------------

def test_a_full_disk_is_a_message_and_leaves_no_partial_file(runner, minimal, monkeypatch):
    monkeypatch.setenv("KB_CACHE", "1")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module.os, "fdopen", lambda handle, mode="r", **kw: Full(real_fdopen(handle, mode))
                        if "w" in mode else real_fdopen(handle, mode, **kw))
    result = runner.invoke(main, ["--kb", str(minimal), "validate"])
    assert result.exit_code == 0  # validation itself does not need the cache
    leftovers = [p for p in (minimal.parent / "build").rglob("*") if p.is_file() and ".tmp" in p.name]
    assert leftovers == []
    monkeypatch.setattr(atomic.tempfile, "mkdtemp",
                        lambda **kw: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device", "x")))
    result = runner.invoke(main, ["--kb", str(minimal), "build", "stats"])
    assert result.exit_code == 1 and "the disk is full" in result.output and "Traceback" not in result.output


def test_a_read_only_build_folder_is_a_message(runner, minimal, monkeypatch):
    monkeypatch.setattr(atomic.tempfile, "mkdtemp",
                        lambda **kw: (_ for _ in ()).throw(PermissionError(errno.EACCES, "Permission denied",
                                                                           str(kw.get("dir")))))
    result = runner.invoke(main, ["--kb", str(minimal), "build", "stats"])
    assert result.exit_code == 1 and "make the build folder writable" in result.output


def test_an_unreadable_collection_folder_is_a_problem_and_keeps_its_records(runner, minimal, monkeypatch):
    from experience_kb.search import service

    service.run(Project(minimal), "federación")  # index everything first
    real_scandir = os.scandir
    blocked = str(minimal / "stakeholders")

    def scandir(path="."):
        if os.fspath(path) == blocked:
            raise PermissionError(errno.EACCES, "Permission denied", blocked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = runner.invoke(main, ["--kb", str(minimal), "validate"])
    assert result.exit_code == 1 and "[unreadable]" in result.output and "stakeholders" in result.output
    outcome = service.run(Project(minimal), "federación")
    assert [hit.id for hit in outcome.results.hits] == ["river-federation"]
    assert outcome.status.removed == []


def test_an_edit_during_a_build_is_seen_next_time(minimal, monkeypatch):
    """The size and time recorded for a file are those from before it was read."""
    from experience_kb.records import frontmatter

    target = minimal / "lessons" / "plain-language.en.md"
    real = frontmatter.read_file

    def read_then_edit(path, display, root=None):
        found = real(path, display, root)
        if Path(path) == target:
            os.utime(target, ns=(found[2][0] + 10**9, found[2][0] + 10**9))  # an editor saves meanwhile
        return found

    monkeypatch.setattr(frontmatter, "read_file", read_then_edit)
    upkeep.rebuild(Project(minimal))
    monkeypatch.undo()
    status, _ = upkeep.refresh(Project(minimal))
    assert status.action in ("current", "updated") and "plain-language.en" not in status.removed
    entries = upkeep.read_entries(Project(minimal).config)
    assert entries["plain-language.en"]["sig"][0] == os.stat(target).st_mtime_ns
