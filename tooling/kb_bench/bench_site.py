"""Benchmark the site stage (`kb build site`): the bundled knowledge base, a synthetic one against
a plain `sphinx-build` of the same Markdown, and the weight of a page.

    python -m kb_bench.bench_site [--records 1000] [--runs 3] [--kb PATH] [--seed 0] [--keep]

Everything is built in a temporary folder; the repository's build/ is never written.

1. The knowledge base `--kb PATH` (default: the one `kb` finds, from $KB_ROOT or from the
   current folder upwards; from the repository's root, the bundled kb/) is copied, and the whole
   site stage, `pipeline.stages.build(Project(copy), only="site")`, is timed end to end, both
   languages, from an empty build folder each run (no records cache, no doctrees).
2. A synthetic corpus of `--records` records (each one id with an es and an en file, so about
   that many record pages per language, plus listings), with the vocabularies of `--kb`:
   (a) our site stage end to end, as in 1;
   (b) the baseline: a plain `python -m sphinx -E -j2 -b html -q` of the same assembled MyST
       trees that (a) left in `.site-work/src/<lang>/`, one language after the other into fresh
       folders, times summed. Our stage also assembles the trees and runs Pagefind, which the
       baseline does not: its phases (from the stage's progress messages) and the time of
       Pagefind alone (on a copy of each language's pages) are printed beside it.
3. Page weight: a record page's HTML plus the CSS and JS it links (`<link rel=stylesheet>`,
   `<script src>`, relative files), median and largest over the record pages of each language
   of the knowledge base `--kb`; and the size of each language's Pagefind bundle.

Targets: the site of `--kb` in <= 60 s; ours / baseline <= 1.2 (at the default size); a record
page with its CSS and JS <= 150 KB (150,000 bytes) uncompressed. Medians of `--runs` are printed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `kb_bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_bench.corpus import add_kb_option, generate, kb_config, plan_counts  # noqa: E402
from kb_bench.report import Row, finish, markdown, print_warnings  # noqa: E402
from kb_bench.site_runs import (StageRun, copy_kb, folder_bytes, languages, page_weight, record_pages,  # noqa: E402
                                run_baseline, run_pagefind, run_stage, site_folders)

TARGET_KB_S = 60.0
TARGET_RATIO = 1.2
TARGET_PAGE_BYTES = 150_000
DEFAULT_RECORDS = 1000


def default_stakeholders(records: int) -> int:
    """The generator's default (max(20, records // 20)), or fewer for the small corpora of quick runs."""
    return max(20, records // 20) if records >= 60 else max(2, records // 5)


def kb_text(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


# -- the three parts --------------------------------------------------------------------------

class Failed(Exception):
    """A build the benchmark needs failed; the message says which, `problems` what it reported."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def bench_kb(config: Any, work: Path, runs: int, rows: list[Row], notes: list[str]) -> Path:
    """1. The site stage on a copy of the knowledge base of `config`. Returns the copy's root."""
    root = copy_kb(config, work)
    print(f"knowledge base {config.root} copied to {root}", flush=True)
    timed: list[StageRun] = []
    for run in range(runs):
        timed.append(run_stage(root))
        last = timed[-1]
        print(f"  site stage, {config.root.name}, run {run + 1}/{runs}: {last.seconds:.1f} s, {last.pages:,} pages "
              f"({last.pages / last.seconds:,.1f} pages/s)", flush=True)
        if not last.ok:
            raise Failed(f"the site stage failed on {root}", last.problems)
    seconds = statistics.median(item.seconds for item in timed)
    pages = timed[-1].pages
    if timed[-1].problems:
        notes.append(f"the site of {config.root} has {len(timed[-1].problems)} problem(s), e.g. {timed[-1].problems[0]}")
    rows.append(Row(f"site stage end to end, {config.root} ({pages:,} pages, all languages): s", f"{seconds:.1f}",
                    f"<= {TARGET_KB_S:g}", seconds <= TARGET_KB_S))
    rows.append(Row("  the same: pages/s", f"{pages / seconds:,.1f}", "-", None))
    return root


@dataclass
class Comparison:
    """Part 2's medians."""

    ours: float
    baseline: float
    pagefind: float

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline


def bench_synthetic(root: Path, records: int, work: Path, runs: int, rows: list[Row], notes: list[str]) -> Comparison:
    """2. Our stage, then the baseline and Pagefind alone, on the synthetic corpus at `root`."""
    ours: list[StageRun] = []
    baseline: list[float] = []
    pagefind: list[float] = []
    site, site_work = site_folders(root)
    langs: list[str] = []
    for run in range(runs):
        ours.append(run_stage(root))
        last = ours[-1]
        if not last.ok:
            raise Failed(f"the site stage failed on the synthetic corpus {root}", last.problems)
        langs = languages(root, site)
        try:
            baseline.append(run_baseline([site_work / "src" / lang for lang in langs], work / "baseline"))
            pagefind.append(run_pagefind(site, langs, work / "pagefind"))
        except RuntimeError as exc:
            raise Failed(str(exc)) from exc
        print(f"  synthetic, run {run + 1}/{runs}: ours {last.seconds:.1f} s ({last.pages:,} pages), sphinx-build "
              f"-j2 {baseline[-1]:.1f} s, ratio {last.seconds / baseline[-1]:.2f}; Pagefind alone "
              f"{pagefind[-1]:.1f} s", flush=True)
    found = Comparison(statistics.median(item.seconds for item in ours), statistics.median(baseline),
                       statistics.median(pagefind))
    pages = ours[-1].pages
    if ours[-1].problems:
        notes.append(f"the synthetic site has {len(ours[-1].problems)} problem(s), e.g. {ours[-1].problems[0]}")
    record_text = ", ".join(f"{len(record_pages(site, site_work, lang)):,} record pages {lang}" for lang in langs)
    rows.append(Row(f"synthetic, {records:,} records ({pages:,} pages: {record_text}), our site stage end to end: s",
                    f"{found.ours:.1f}", "-", None))
    rows.append(Row("  the same: pages/s", f"{pages / found.ours:,.1f}", "-", None))
    rows.append(Row(f"  baseline, sphinx-build -E -j2 of the same trees, {len(langs)} languages one after the "
                    f"other: s", f"{found.baseline:.1f}", "-", None))
    sized = "" if records == DEFAULT_RECORDS else f" (set for {DEFAULT_RECORDS:,} records)"
    rows.append(Row(f"  ours / baseline{sized}", f"{found.ratio:.2f}", f"<= {TARGET_RATIO:g}",
                    found.ratio <= TARGET_RATIO))
    rows.append(Row(f"  Pagefind alone, {len(langs)} languages one after the other: s", f"{found.pagefind:.1f}",
                    "-", None))
    breakdown = [item.phases for item in ours if item.phases]
    if breakdown and len(breakdown) == len(ours):
        for name in breakdown[0]:
            rows.append(Row(f"  of our stage: {name}: s", f"{statistics.median(item[name] for item in breakdown):.1f}",
                            "-", None))
        notes.append("our stage builds the languages side by side (a process each: Sphinx, then Pagefind), so "
                     "its phases overlap; the baseline builds them one after the other")
    else:
        notes.append("no breakdown of our stage: its progress messages were not the expected ones")
    return found


def bench_weight(root: Path, label: str, rows: list[Row], notes: list[str], pages: bool = True) -> None:
    """3. The weight of the record pages and the size of the Pagefind bundles of the site of `root`."""
    site, site_work = site_folders(root)
    for lang in languages(root, site):
        if pages:
            weights = sorted((page_weight(page) for page in record_pages(site, site_work, lang)),
                             key=lambda weight: weight.total)
            if not weights:
                notes.append(f"{label} {lang}: no record page to weigh")
            for which, weight in ((("median", weights[(len(weights) - 1) // 2]), ("largest", weights[-1]))
                                  if weights else ()):
                name = weight.page.relative_to(site).as_posix()
                rows.append(Row(f"record page + CSS/JS, {label} {lang}, {which} of {len(weights)} ({name}: HTML "
                                f"{kb_text(weight.html)} + {weight.files} files {kb_text(weight.assets)} = "
                                f"{weight.total:,} bytes): KB",
                                f"{weight.total / 1000:,.1f}", f"<= {TARGET_PAGE_BYTES // 1000}",
                                weight.total <= TARGET_PAGE_BYTES))
                if weight.missing:
                    notes.append(f"{name} links files that are not there: {', '.join(weight.missing)}")
        rows.append(Row(f"Pagefind bundle, {label} {lang} ({lang}/pagefind/): MB",
                        f"{folder_bytes(site / lang / 'pagefind') / 1e6:,.2f}", "-", None))


# -- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.bench_site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS,
                        help=f"records in the synthetic corpus (default {DEFAULT_RECORDS:,}; each is an es and an "
                             f"en file, so a record page in each language)")
    parser.add_argument("--stakeholders", type=int, default=None,
                        help="how many of them are stakeholders (default max(20, records // 20); fewer below 60 "
                             "records)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each build (default 3); medians are shown")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the copies, corpus and sites, and print where")
    add_kb_option(parser)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    stakeholders = args.stakeholders if args.stakeholders is not None else default_stakeholders(args.records)
    try:
        plan_counts(args.records, stakeholders)
    except ValueError as exc:
        parser.error(str(exc))
    config = kb_config(parser, args.kb)
    try:
        for module in ("experience_kb.pipeline.stages", "experience_kb.site.build"):
            importlib.import_module(module)
    except ImportError as exc:
        sys.exit(f"bench_site: cannot import experience_kb's site stage ({exc}); install the project (make setup).")

    cpus = os.cpu_count() or 1
    print(f"machine: {cpus} CPUs (os.cpu_count()), Python {sys.version.split()[0]}, {sys.platform}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="kb-bench-site-"))
    rows: list[Row] = []
    weights: list[Row] = []  # part 3, shown last
    notes: list[str] = []
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bundled = bench_kb(config, work / "bundled", args.runs, rows, notes)
            bench_weight(bundled, config.root.name, weights, notes)

            started = time.perf_counter()
            synthetic = work / "synthetic" / "kb"
            try:
                counts = generate(synthetic, args.records, stakeholders, seed=args.seed,
                                  vocabularies=config.vocabularies_dir)
            except ValueError as exc:
                parser.error(str(exc))
            print(f"generated {args.records:,} records ({counts['files']:,} files, {stakeholders} stakeholders) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            found = bench_synthetic(synthetic, args.records, work, args.runs, rows, notes)
            bench_weight(synthetic, "synthetic", weights, notes, pages=False)
    except Failed as exc:
        print(f"bench_site: {exc}", file=sys.stderr)
        for line in exc.problems[:20]:
            print(f"  {line}", file=sys.stderr)
        return 1
    finally:
        finish(work, args.keep, "copies, corpus and sites")

    print()
    print(f"site benchmark: {config.root} and {args.records:,} synthetic records, {args.runs} run(s) each, on a "
          f"machine with {cpus} CPUs; medians")
    print()
    print(markdown(rows + weights))
    print()
    print(f"ratio ours/baseline: {found.ratio:.2f} (ours {found.ours:.1f} s, sphinx-build {found.baseline:.1f} s; "
          f"ours also assembles the trees and runs Pagefind, {found.pagefind:.1f} s of it alone)")
    for line in notes:
        print(f"note: {line}")
    print_warnings(caught)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
