"""Helpers the benchmarks share for their figures: percentiles, a profile of one call, and a
Markdown table of figures against targets."""

from __future__ import annotations

import cProfile
import io
import pstats
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


@dataclass
class Row:
    """One line of the table."""

    figure: str
    median: str
    target: str
    met: bool | None  # None: shown for information, no target


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 -> p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def profile(call: Callable[[], Any], top: int) -> str:
    """The `top` functions of one call of `call` by own time, then by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "\n".join("    " + line for line in lines)


def markdown(rows: list[Row]) -> str:
    header = ("figure", "median", "target", "met")
    cells = [header] + [(r.figure, r.median, r.target, "-" if r.met is None else "yes" if r.met else "NO")
                        for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def print_warnings(caught: list) -> None:
    """The first five distinct warnings a benchmark caught while running, if any."""
    if not caught:
        return
    print(f"{len(caught)} warning(s) while running, e.g.:")
    for message in list({f"{w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})": w
                         for w in caught})[:5]:
        print(f"  {message}")


def finish(folder, keep: bool, what: str) -> None:
    """Remove a benchmark's work folder, or say where it was kept."""
    if keep:
        print(f"{what} kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
