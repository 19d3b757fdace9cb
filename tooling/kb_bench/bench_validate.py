"""Benchmark `experience_kb.checks.validate.validate` on synthetic knowledge bases.

    python -m kb_bench.bench_validate [--sizes 1000 10000] [--runs 5] [--kb PATH]

For each size, a corpus is generated once into a temporary folder for this run (and reused by
every repetition), with the vocabularies of the knowledge base `--kb PATH` (default: the one
`kb` finds from the current folder), then `validate(root)` is timed `--runs` times. The table shows the median
(and min/max) wall-clock time; throughput columns are computed from the median time.
The target is 5,000 records/s at the largest size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

if __package__ in (None, ""):  # run as a script: make `kb_bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_bench.corpus import add_kb_option, generate, kb_config  # noqa: E402
from kb_bench.report import finish  # noqa: E402

TARGET_RECORDS_PER_S = 5000
DEFAULT_SIZES = (1000, 10000)


@dataclass
class Result:
    """The timings of one corpus size."""

    records: int
    files: int
    seconds: list[float]
    problems: int
    mode: str = "cold"

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def records_per_s(self) -> float:
        return self.records / self.median

    @property
    def files_per_s(self) -> float:
        return self.files / self.median


def load_validate() -> Callable[[Path], Any]:
    """The library's `validate`, or exit with a clear message when it is not there yet."""
    try:
        from experience_kb.checks.validate import validate
    except ImportError as exc:
        missing = getattr(exc, "name", None) or ""
        if missing and not missing.startswith("experience_kb"):
            hint = (f"the library imports '{missing}', which is not installed here; install the project "
                    f"(make setup, or pip install -e .) and run again.")
        else:
            hint = ("the library is not written yet or not importable: run from tooling/ (or with "
                    "PYTHONPATH=tooling) once experience_kb/checks/validate.py defines validate(kb_root).")
        sys.exit(f"bench_validate: cannot import experience_kb.checks.validate.validate ({exc}).\n{hint}")
    return validate


def corpus(cache: Path, generated: dict[int, tuple[Path, int]], size: int, seed: int,
           vocabularies: Path | None = None) -> tuple[Path, int]:
    """(root, files) of the knowledge base of `size` records for this run, generated on first use."""
    if size not in generated:
        root = cache / f"kb-{size}"
        started = time.perf_counter()
        counts = generate(root, size, seed=seed, vocabularies=vocabularies)
        print(f"generated {size:,} records ({counts['files']:,} files) in {time.perf_counter() - started:.1f} s",
              flush=True)
        generated[size] = (root, counts["files"])
    return generated[size]


MODES = {
    "cold": "every file parsed and checked (KB_CACHE=0)",
    "warm": "unchanged files taken from the content-hash cache in build/.cache/",
}


def run_size(validate: Callable[[Path], Any], root: Path, size: int, files: int, runs: int,
             mode: str = "cold") -> Result:
    """Time `runs` validations. Cold runs bypass the per-file cache; warm runs fill it first."""
    os.environ["KB_CACHE"] = "0" if mode == "cold" else "1"
    if mode == "warm":
        validate(root)  # fill the cache; not timed
    seconds: list[float] = []
    problems = 0
    for run in range(runs):
        started = time.perf_counter()
        report = validate(root)
        seconds.append(time.perf_counter() - started)
        problems = len(report.problems)
        print(f"  {size:>7,} records, {mode}, run {run + 1}/{runs}: {seconds[-1]:.3f} s", flush=True)
        if run == 0 and problems:
            # The corpus is valid by construction (tests/test_corpus.py), so any problem is the library's.
            print(f"  warning: validate reported {problems} problem(s) on a valid corpus, e.g.:")
            for item in report.problems[:5]:
                print(f"    {item}")
    return Result(size, files, seconds, problems, mode)


def table(results: list[Result], runs: int) -> str:
    header = ("mode", "records", "files", "median s", "median records/s", "median files/s", "min s", "max s", "problems")
    rows = [header] + [(r.mode, f"{r.records:,}", f"{r.files:,}", f"{r.median:.3f}", f"{r.records_per_s:,.0f}",
                        f"{r.files_per_s:,.0f}", f"{min(r.seconds):.3f}", f"{max(r.seconds):.3f}", str(r.problems))
                       for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    legend = "\n".join(f"  {mode}: {text}" for mode, text in MODES.items())
    return (f"validate(): median of {runs} runs per size and mode (min/max shown); a record is one id "
            f"with its es and en files\n{legend}\n" + "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.bench_validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="records per corpus")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per size (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and print where")
    add_kb_option(parser)
    args = parser.parse_args(argv)
    validate = load_validate()
    vocabularies = kb_config(parser, args.kb).vocabularies_dir
    print(f"vocabularies from {vocabularies}", flush=True)
    cache = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        results, generated = [], {}
        for size in args.sizes:
            root, files = corpus(cache, generated, size, args.seed, vocabularies)
            for mode in MODES:
                results.append(run_size(validate, root, size, files, args.runs, mode))
    finally:
        finish(cache, args.keep, "corpora")
    print()
    print(table(results, args.runs))
    size = max(r.records for r in results)
    for largest in (r for r in results if r.records == size):
        verdict = "met" if largest.records_per_s >= TARGET_RECORDS_PER_S else "NOT met"
        print(f"target >= {TARGET_RECORDS_PER_S:,} records/s, {largest.mode}: median {largest.records_per_s:,.0f} "
              f"records/s ({largest.files_per_s:,.0f} files/s) at {largest.records:,} records -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
