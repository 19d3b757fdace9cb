"""The main job: a pipeline of stages over one knowledge base, each writing `build/<stage>/`.

Stages run in order; each reads the loaded knowledge base (and what earlier stages produced),
never reaches back, and writes its output atomically. Validation errors stop the pipeline so
that nothing is published from a broken knowledge base.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import stats
from .model import KnowledgeBase
from .output import atomic_dir, clean_leftovers
from .problems import Report

if TYPE_CHECKING:  # networkx is imported only when a build runs
    from .graph import KnowledgeGraph


@dataclass
class Context:
    kb: KnowledgeBase
    graph: KnowledgeGraph
    report: Report
    strict: bool = False


@dataclass
class StageResult:
    stage: str
    ok: bool
    seconds: float
    output: Path | None
    detail: dict = field(default_factory=dict)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def stage_validate(ctx: Context, out: Path) -> dict:
    """Write build/validate/report.json; fail on errors (or warnings when strict)."""
    from . import render

    (out / "report.json").write_text(render.report(ctx.report, "json") + "\n", encoding="utf-8")
    return {"ok": ctx.report.exit_code(ctx.strict) == 0, "report": ctx.report}


def stage_stats(ctx: Context, out: Path) -> dict:
    """Write build/stats/stats.json."""
    result = stats.compute(ctx.kb)
    _write_json(out / "stats.json", result.as_dict())
    return {"ok": True, "stats": result}


def stage_data(ctx: Context, out: Path) -> dict:
    """Write build/data/: the graph (GraphML, node-link JSON), CSV tables and datapackage.json."""
    from . import opendata

    files = opendata.export(ctx.graph, out)
    return {"ok": True, "files": files}


def stage_index(ctx: Context, out: Path) -> dict:
    """Write build/index/: the full-text search index of every record in every language."""
    from . import searchindex

    return {"ok": True, "documents": searchindex.write_index(out, ctx.kb)}


Stage = Callable[[Context, Path], dict]
STAGES: dict[str, Stage] = {"validate": stage_validate, "stats": stage_stats, "data": stage_data,
                            "index": stage_index}


def build(root: Path | None = None, only: str | None = None, strict: bool = False,
          on_stage: Callable[[StageResult], None] | None = None) -> list[StageResult]:
    """Run every stage (or only one). Raises ConfigError when the knowledge base cannot be read."""
    if only is not None and only not in STAGES:
        raise ValueError(f"unknown stage {only!r}; stages are: {', '.join(STAGES)}")
    from .validate import load_and_check

    started = time.perf_counter()
    kb, problems, kg = load_and_check(root)
    checked = time.perf_counter() - started  # reading and checking every record: the validate stage's work
    cfg = kb.config
    report = Report(sorted(problems), kb.files, len(kb.by_id))
    ctx = Context(kb, kg, report, strict)
    clean_leftovers(cfg.build_dir)
    results = []
    for name, stage in STAGES.items():
        if only is not None and name != only:
            continue
        started = time.perf_counter()
        target = cfg.build_dir / name
        with atomic_dir(target) as tmp:
            detail = stage(ctx, tmp)
        seconds = time.perf_counter() - started + (checked if name == "validate" else 0.0)
        result = StageResult(name, bool(detail.pop("ok")), seconds, target, detail)
        results.append(result)
        if on_stage:
            on_stage(result)
        if not result.ok:
            break
    return results
