"""`validate`: the whole validation of a knowledge base, as a `Report`.

`check(project)` runs every step on a loaded project: what went wrong reading, each record on
its own (`record_rules`, cached per file), the rules across records (`rules`) and the rules
over the graph (`graph_rules`). Each step's time and count go into the report.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .. import config as config_module
from ..problems import Problem, Report, StepStats
from ..records.cache import paused_gc
from . import graph_rules, record_rules, rules

if TYPE_CHECKING:
    from ..project import Project

Progress = Callable[[int], None]


def check(project: Project) -> Report:
    """Every problem of a project, sorted, with per-step statistics."""
    report = Report()

    def step(name: str, run: Callable[[], Iterable[Problem]]) -> None:
        started = time.perf_counter()
        found = list(run())
        report.steps.append(StepStats(name, time.perf_counter() - started, len(found)))
        report.extend(found)

    step("load", lambda: project.kb.problems)
    kb = project.kb
    with paused_gc():  # checks build many short-lived containers over a large live heap
        step("records", lambda: record_rules.check_all(kb, project.cache))
        step("rules", lambda: rules.run(kb))
        step("graph", lambda: graph_rules.run(kb, project.graph))
    report.files_checked, report.records_checked = kb.files, len(kb.by_id)
    report.problems.sort()
    return report


def validate(root: Path | None = None, paths: Sequence[Path] = (), progress: Progress | None = None) -> Report:
    """Validate the knowledge base found from `root` (or from each of `paths`).

    With `paths`, the knowledge base around each path is loaded whole, so that links can be
    checked, but only problems inside the given files or folders are reported. Raises
    `NotFoundError` when there is no knowledge base to validate; configuration problems are
    reported like any other.
    """
    from ..project import Project

    report = Report()
    targets: dict[Path | None, list[Path]] = {}
    if paths:
        for path in paths:
            start = path if path.is_dir() else path.parent
            found = config_module.find_root(start)
            targets.setdefault(found, []).append(Path(os.path.abspath(path)))
    else:
        targets[root] = []
    for start, limits in targets.items():
        try:
            project = Project(start, progress)
        except config_module.NotFoundError:
            raise
        except config_module.ConfigError as exc:
            report.extend(exc.problems)
            continue
        found = project.report
        problems = found.problems
        if limits:
            problems = [p for p in problems if _inside(Path(os.path.abspath(p.path)), limits)]
        report.extend(problems)
        report.files_checked += found.files_checked
        report.records_checked += found.records_checked
        report.steps += found.steps
    report.problems.sort()
    return report


def _inside(path: Path, limits: list[Path]) -> bool:
    """Whether `path` is one of `limits` or below one, compared as written (a link is not followed)."""
    return any(path == limit or limit in path.parents for limit in limits)
