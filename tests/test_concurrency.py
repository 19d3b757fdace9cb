"""Several kb processes at once: builds and searches while records change. None crashes, none
waits forever, and afterwards the index is the one a fresh build makes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from experience_kb.project import Project
from experience_kb.search import upkeep
from kb_bench.corpus import generate

from conftest import BUNDLED

BOUND_SECONDS = 120


def _start(args, cwd):
    return subprocess.Popen([sys.executable, "-m", "experience_kb", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "KB_CACHE": "1"})


def test_builds_and_searches_at_once_while_records_change(tmp_path):
    root = tmp_path / "kb"
    generate(root, 120, seed=7, body_words=80, vocabularies=BUNDLED / "vocabularies")
    kb = ["--kb", str(root)]
    started = time.monotonic()
    processes = [_start([*kb, "build"], tmp_path), _start([*kb, "build", "index"], tmp_path)]
    processes += [_start([*kb, "search", word], tmp_path) for word in ("bosque", "forest", "mesa", "gobernanza")]
    lessons = sorted((root / "lessons").glob("*.es.md"))
    for number, path in enumerate(lessons[:6]):  # edits while they run
        time.sleep(0.05)
        path.write_text(path.read_text(encoding="utf-8") + f"\nEdición {number}: ñandú concurrente.\n",
                        encoding="utf-8")
    lessons[6].unlink()
    processes += [_start([*kb, "search", "concurrente"], tmp_path), _start([*kb, "build", "index"], tmp_path)]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=max(1.0, BOUND_SECONDS - (time.monotonic() - started)))
        outputs.append((process.args[4:], process.returncode, out + err))
    for args, code, output in outputs:
        assert "Traceback" not in output, f"{args}: {output[-2000:]}"
        assert code in (0, 1), f"{args} exited {code}: {output[-2000:]}"
        if args[0] == "build":
            assert code == 0, f"{args}: {output[-2000:]}"
    final = _start([*kb, "search", "concurrente"], tmp_path)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0 and "Traceback" not in err, err
    indexed = upkeep.read_entries(Project(root).config)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    upkeep.write_index(fresh, Project(root, use_cache=False).kb)
    expected = upkeep.read_entries_at(fresh, Project(root).config)
    assert {key: entry["hash"] for key, entry in indexed.items()} == \
        {key: entry["hash"] for key, entry in expected.items()}
    assert time.monotonic() - started < BOUND_SECONDS
