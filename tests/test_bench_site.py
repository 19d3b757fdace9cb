"""The site benchmark (tooling/kb_bench/bench_site.py) runs end to end at a tiny size: on a copy of
the minimal fixture and 20 synthetic records, in tmp_path, and prints its figures."""

from __future__ import annotations

import tempfile

from conftest import FIXTURES
from kb_bench import bench_site
from kb_bench.site_runs import page_weight

MINIMAL = FIXTURES / "good" / "minimal"


def _files(folder):
    return {(path, path.stat().st_mtime_ns) for path in folder.rglob("*")} if folder.exists() else set()


def test_bench_site_runs_small_and_prints_the_ratio(tmp_path, monkeypatch, capsys):
    before = _files(MINIMAL.parent / "build")  # the fixture's own build folder: never written
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the benchmark's temporary folder
    status = bench_site.main(["--kb", str(MINIMAL), "--records", "20", "--runs", "1"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "ratio ours/baseline: " in out
    assert "| site stage end to end, " in out and "| record page + CSS/JS, minimal es, largest of " in out
    assert "| Pagefind bundle, synthetic en " in out
    assert "warning(s) while running" not in out
    assert list(tmp_path.iterdir()) == []  # the work folder is removed
    assert _files(MINIMAL.parent / "build") == before


def test_page_weight_follows_relative_stylesheets_and_scripts(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_bytes(b"x" * 100)
    (tmp_path / "_static" / "b.js").write_bytes(b"y" * 10)
    (tmp_path / "list").mkdir()
    page = tmp_path / "list" / "p.html"
    page.write_text('<html><head><link rel="stylesheet" href="../_static/a.css?v=1">'
                    '<link rel="preload stylesheet" href="../_static/a.css#again">'
                    '<link rel="icon" href="../_static/b.js"><link rel="stylesheet" href="https://cdn.example/x.css">'
                    '<script src="../_static/b.js"></script><script>inline()</script>'
                    '<script src="../_static/gone.js"></script></head></html>', encoding="utf-8")
    weight = page_weight(page)
    assert (weight.assets, weight.files, weight.missing) == (110, 3, ["../_static/gone.js"])
    assert weight.total == weight.html + 110 and weight.html == page.stat().st_size
