"""Benchmark the graph: building it for 10,000 synthetic records plus 500 stakeholders, and
`kb graph show` end to end (a new process each time) on the bundled knowledge base.

    python -m bench.bench_graph [--runs 5]

Targets: build <= 2 s; `kb graph show` <= 0.5 s. Medians are printed.
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

from bench.corpus import generate

REPO = Path(__file__).resolve().parents[2]


def bench_build(runs: int) -> tuple[float, int, int]:
    from experience_kb import config, graph, loader

    folder = Path(tempfile.mkdtemp(prefix="kb-bench-graph-"))
    try:
        generate(folder / "kb", 10_500, n_stakeholders=500)  # 10,000 records besides the stakeholders
        kb, _ = loader.load(config.load(folder / "kb"))
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            kg = graph.build(kb)
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds), kg.g.number_of_nodes(), kg.g.number_of_edges()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_show(runs: int) -> float:
    kb_command = Path(sys.executable).with_name("kb")
    command = [str(kb_command), "--kb", str(REPO / "kb"), "graph", "show", "msar"]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache and build/.cache
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_graph", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    build_s, nodes, edges = bench_build(args.runs)
    show_s = bench_show(args.runs)
    print(f"graph build, 10,000 records + 500 stakeholders ({nodes:,} nodes, {edges:,} edges): "
          f"median {build_s:.3f} s = {10_500 / build_s:,.0f} records/s, {edges / build_s:,.0f} edges/s "
          f"-> target <= 2 s {'met' if build_s <= 2 else 'NOT met'}")
    print(f"kb graph show msar, end to end on the bundled knowledge base: median {show_s:.3f} s "
          f"({1 / show_s:.1f} calls/s) -> target <= 0.5 s {'met' if show_s <= 0.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
