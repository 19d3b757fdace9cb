"""The main job: a pipeline of stages over one `Project`, each writing `build/<stage>/`.

Stages run in order; each reads the project (and what earlier stages produced), never reaches
back, and writes its output atomically. Validation errors stop the pipeline so that nothing is
published from a broken knowledge base. A stage asks the project only for what it needs:
`kb build index` reads the records, not the rules or the graph.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..problems import Report
from .atomic import atomic_dir, clean_leftovers, ensure_build_dir, work_dir
from .lock import build_lock

if TYPE_CHECKING:
    from ..project import Project


@dataclass
class Run:
    """What every stage of one run sees: the project, and whether warnings stop the job."""

    project: Project
    strict: bool = False
    progress: Callable[[str, int, int], None] | None = None  # (step, done, total): long stages report


@dataclass
class StageResult:
    """What one stage did."""

    stage: str
    ok: bool
    seconds: float
    output: Path | None
    count: int = 0  # files, documents or records written
    unit: str = ""  # what `count` counts
    report: Report | None = None  # the validation report, for the validate stage


@dataclass
class Outcome:
    """What a stage function returns: whether to go on, and what it wrote."""

    ok: bool = True
    count: int = 0
    unit: str = ""
    report: Report | None = None
    publish_failed: bool = True  # swap the output in even when not ok (a report of what failed)
    stops: bool = True  # when not ok, the later stages do not run (False: they still do)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def stage_validate(run: Run, out: Path) -> Outcome:
    """Write build/validate/report.json; fail on errors (or warnings when strict)."""
    report = run.project.report
    _write_json(out / "report.json", report.as_dict())
    return Outcome(report.exit_code(run.strict) == 0, len(report.problems), "problems", report)


def stage_stats(run: Run, out: Path) -> Outcome:
    """Write build/stats/stats.json."""
    stats = run.project.stats
    _write_json(out / "stats.json", stats.as_dict())
    return Outcome(True, stats.total.records, "records")


def stage_data(run: Run, out: Path) -> Outcome:
    """Write build/data/: the graph (GraphML, node-link JSON), CSV tables and datapackage.json."""
    from ..graph import export

    return Outcome(True, len(export.export(run.project.graph, out)), "files")


def stage_index(run: Run, out: Path) -> Outcome:
    """Write build/index/: the full-text search index of every record in every language."""
    from ..search import upkeep

    return Outcome(True, upkeep.write_index(out, run.project.kb), "documents")


def stage_site(run: Run, out: Path) -> Outcome:
    """Write build/site/: the static site, a sub-site per language, searchable with Pagefind.
    What is not published (assembled MyST, doctrees, compiled catalogs) goes to build/.site-work/."""
    from ..site import build as site_build

    work = work_dir(run.project.config.build_dir / ".site-work")
    result = site_build.build(run.project, out, work, run.progress)
    report = Report(result.problems, files_checked=len(run.project.kb.records), records_checked=len(run.project.kb.by_id))
    ok = not result.failed and report.exit_code(run.strict) == 0
    return Outcome(ok, result.pages, "pages", report, publish_failed=False)  # a failed site never replaces the last


def stage_booklets(run: Run, out: Path) -> Outcome:
    """Write build/booklets/: a PDF and an imposed PDF per booklet manifest and language, and
    booklets.json (pages and readability). A booklet that fails keeps its previous files."""
    from ..booklets import build as booklets_build

    build_dir = run.project.config.build_dir
    previous = build_dir / "booklets"
    results = booklets_build.build_all(run.project, out, work_dir(build_dir / ".booklets-work"),
                                       previous if previous.is_dir() else None, run.progress)
    report = Report([p for built in results for p in built.problems], files_checked=len(results),
                    records_checked=len(results))
    _write_json(out / "booklets.json", [{"id": b.id, "lang": b.lang, "files": [f.name for f in b.files],
                                         "pages": b.pages, "paper": b.paper, "readability": b.reading.as_dict() if b.reading else None}
                                        for b in results])
    # A booklet that fails keeps its previous files and must not cost readers the website.
    return Outcome(report.exit_code(run.strict) == 0, sum(len(b.files) for b in results), "files", report,
                   stops=False)


def booklet(project: Project, name: str, languages: list[str], fmt: str = "pdf", imposed: bool = False,
            notify: Callable[[str], None] | None = None) -> list:
    """`kb booklet`: build one booklet, in `languages`, into build/booklets/ (beside the stage's
    output), holding the build folder's lock."""
    from ..booklets import build as booklets_build

    build_dir = project.config.build_dir
    ensure_build_dir(build_dir)
    with build_lock(build_dir, exclusive=True, notify=notify):
        out = work_dir(build_dir / "booklets")
        work = work_dir(build_dir / ".booklets-work")
        return [booklets_build.build_one(project, name, lang, out, work, fmt, imposed) for lang in languages]


class _Discard(Exception):
    """A stage failed and its output must not replace what was there."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.unit)
        self.outcome = outcome


Stage = Callable[[Run, Path], Outcome]
# Booklets come before the site: the site publishes their PDFs beside their pages.
STAGES: dict[str, Stage] = {"validate": stage_validate, "stats": stage_stats, "data": stage_data,
                            "index": stage_index, "booklets": stage_booklets, "site": stage_site}


def build(project: Project, only: str | None = None, strict: bool = False,
          on_stage: Callable[[StageResult], None] | None = None,
          notify: Callable[[str], None] | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> list[StageResult]:
    """Run every stage (or only one), stopping after a stage that fails. The build folder is
    locked for the whole run: a second build waits for this one (`notify` says so)."""
    if only is not None and only not in STAGES:
        raise ValueError(f"unknown stage {only!r}; stages are: {', '.join(STAGES)}")
    build_dir = project.config.build_dir
    ensure_build_dir(build_dir)
    with build_lock(build_dir, exclusive=True, notify=notify):
        clean_leftovers(build_dir)
        return _run(Run(project, strict, progress), only, on_stage)


def _run(run: Run, only: str | None, on_stage: Callable[[StageResult], None] | None) -> list[StageResult]:
    project = run.project
    results = []
    for name, stage in STAGES.items():
        if only is not None and name != only:
            continue
        started = time.perf_counter()
        target = project.config.build_dir / name
        try:
            with atomic_dir(target) as tmp:
                outcome = stage(run, tmp)
                if not outcome.ok and not outcome.publish_failed:
                    raise _Discard(outcome)  # leaves the previous output in place
        except _Discard as discarded:
            outcome = discarded.outcome
        result = StageResult(name, outcome.ok, time.perf_counter() - started, target, outcome.count, outcome.unit,
                             outcome.report)
        results.append(result)
        if on_stage:
            on_stage(result)
        if not result.ok and outcome.stops:
            break
    return results
