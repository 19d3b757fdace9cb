"""`validate`: the whole validation of one or more knowledge bases, as a `Report`."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from typing import TYPE_CHECKING

from . import config as config_module
from . import loader, rules
from .loader import Progress
from .model import KnowledgeBase
from .problems import Report

if TYPE_CHECKING:
    from .graph import KnowledgeGraph


def validate(root: Path | None = None, paths: Sequence[Path] = (), progress: Progress | None = None) -> Report:
    """Validate the knowledge base found from `root` (or from each of `paths`).

    With `paths`, the knowledge base around each path is loaded whole, so that links can be
    checked, but only problems inside the given files or folders are reported. Raises
    `NotFoundError` when there is no knowledge base to validate.
    """
    report = Report()
    targets: dict[Path | None, list[Path]] = {}
    if paths:
        for path in paths:
            start = path if path.is_dir() else path.parent
            found = config_module.find_root(start)
            targets.setdefault(found, []).append(path.resolve())
    else:
        targets[root] = []
    for start, limits in targets.items():
        try:
            kb, problems, _ = load_and_check(start, progress)
        except config_module.NotFoundError:
            raise
        except config_module.ConfigError as exc:
            report.extend(exc.problems)
            continue
        if limits:
            problems = [p for p in problems if _inside(Path(p.path).resolve(), limits)]
        report.extend(problems)
        report.files_checked += kb.files
        report.records_checked += len(kb.by_id)
    report.problems.sort()
    return report


def load_and_check(root: Path | None = None, progress: Progress | None = None,
                   ) -> tuple[KnowledgeBase, list, KnowledgeGraph]:
    """Load a knowledge base, build its graph and run every rule.

    Raises ConfigError when the configuration is broken.
    """
    from . import graph, graph_rules  # networkx: imported only when validation runs

    cfg = config_module.load(root)
    kb, problems = loader.load(cfg, progress)
    problems += rules.run(kb)
    kg = graph.build(kb)
    problems += graph_rules.run(kb, kg)
    return kb, problems, kg


def _inside(path: Path, limits: list[Path]) -> bool:
    return any(path == limit or limit in path.parents for limit in limits)
