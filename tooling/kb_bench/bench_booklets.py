"""Benchmark the booklets: every booklet of a knowledge base, cold and end to end, and the
rebuild after one record changes.

    python -m kb_bench.bench_booklets [--runs 3] [--kb PATH]

The knowledge base `--kb PATH` (default: the one `kb` finds; from the repository's root, the
bundled kb/) is copied into a temporary folder; nothing is written into the repository.

1. Each booklet and language, end to end: `kb booklet NAME --lang L` in a new process, with the
   conversion cache emptied first (cold: every chapter through pandoc, then typst). Pages and
   seconds, and the seconds for 40 pages at that rate.
2. Rebuild after one record changes: the first chapter's record gets one more sentence; the
   booklet is built again in-process, and the pandoc calls are counted (target: 1, the changed
   chapter) and timed.

Targets: a 40-page A5 booklet in <= 5 s end to end; a rebuild after one change converts one
chapter. Medians of `--runs` are printed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `kb_bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_bench.corpus import add_kb_option, kb_config  # noqa: E402
from kb_bench.report import Row, markdown  # noqa: E402

TARGET_40_PAGES = 5.0


def _copy(root: Path, into: Path) -> Path:
    target = into / "kb"
    shutil.copytree(root, target)
    config = (target / "kb.yaml").read_text(encoding="utf-8")
    lines = [line for line in config.splitlines() if not line.startswith(("build_dir:", "vocabularies:"))]
    vocabularies = (root / "vocabularies").resolve()
    lines.append(f"vocabularies: {vocabularies if not (target / 'vocabularies').is_dir() else 'vocabularies'}")
    lines.append("build_dir: ../build")
    (target / "kb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _cold(copy: Path, name: str, lang: str) -> tuple[float, int]:
    shutil.rmtree(copy.parent / "build" / ".booklets-work" / "typst", ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "experience_kb", "--kb", str(copy), "booklet", name, "--lang", lang],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1) or ", " not in done.stdout:
        raise SystemExit(f"kb booklet {name} --lang {lang} failed:\n{done.stdout}\n{done.stderr}")
    pages = int(done.stdout.split(" pages")[0].rsplit(", ", 1)[1])
    return seconds, pages


def _rebuild(copy: Path, name: str, lang: str) -> tuple[float, int]:
    from experience_kb.booklets import build as booklets_build
    from experience_kb.booklets import compose, typeset
    from experience_kb.project import Project

    project = Project(copy)
    first = compose.compose(project, name, lang).chapters[0]
    record = project.kb.get(first.id, lang)
    record.path.write_text(record.path.read_text(encoding="utf-8").rstrip("\n") + "\n\nUna frase más.\n",
                           encoding="utf-8")
    calls = []
    original = typeset._pandoc

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    typeset._pandoc = counted
    try:
        project = Project(copy)
        build_dir = project.config.build_dir
        started = time.perf_counter()
        booklets_build.build_one(project, name, lang, build_dir / "booklets", build_dir / ".booklets-work")
        return time.perf_counter() - started, len(calls)
    finally:
        typeset._pandoc = original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.bench_booklets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    add_kb_option(parser)
    args = parser.parse_args(argv)
    config = kb_config(parser, args.kb)
    folder = Path(tempfile.mkdtemp(prefix="kb-bench-booklets-"))
    try:
        copy = _copy(config.root, folder)
        from experience_kb.booklets import compose
        from experience_kb.project import Project

        jobs = [(name, lang) for name, versions in sorted(compose.manifests(Project(copy)).items())
                for lang in config.languages if lang in versions]
        if not jobs:
            print("no booklet manifests in this knowledge base")
            return 0
        rows = []
        worst = 0.0
        for name, lang in jobs:
            times, pages = [], 0
            for _ in range(args.runs):
                seconds, pages = _cold(copy, name, lang)
                times.append(seconds)
            median = statistics.median(times)
            per_40 = median * 40 / max(pages, 1)
            worst = max(worst, per_40)
            rows.append(Row(f"{name}.{lang} ({pages} pages), cold, end to end: s", f"{median:.2f}", "-", None))
            rows.append(Row("  the same, for 40 pages at that rate: s", f"{per_40:.2f}", f"<= {TARGET_40_PAGES:g}",
                            per_40 <= TARGET_40_PAGES))
        name, lang = jobs[0]
        seconds, calls = _rebuild(copy, name, lang)
        rows.append(Row(f"rebuild of {name}.{lang} after one record changed: s", f"{seconds:.2f}", "-", None))
        rows.append(Row("  pandoc calls in that rebuild", str(calls), "1", calls == 1))
        print(f"\nbooklets of {config.root}: medians of {args.runs} run(s)\n")
        print(markdown(rows))
        print(f"slowest, per 40 pages: {worst:.2f} s (target <= {TARGET_40_PAGES:g} s)")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
