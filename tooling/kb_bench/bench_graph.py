"""Benchmark the graph: building it for 10,000 synthetic records plus 500 stakeholders, and
`kb graph show` end to end (a new process each time) on a knowledge base.

    python -m kb_bench.bench_graph [--runs 5] [--kb PATH] [--records 10000] [--stakeholders 500]

The knowledge base is `--kb PATH` (default: the one `kb` finds, from $KB_ROOT or from the
current folder upwards; from the repository's root, the bundled kb/). The synthetic corpus uses
its vocabularies, and `kb graph show` shows its most connected stakeholder.

Targets: build <= 2 s (at the default sizes); `kb graph show` <= 0.5 s. Medians are printed.
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

from kb_bench.corpus import add_kb_option, generate, kb_config  # noqa: E402

RECORDS, STAKEHOLDERS = 10_000, 500  # the sizes the build target is set for


def bench_build(runs: int, vocabularies: Path, records: int = RECORDS,
                stakeholders: int = STAKEHOLDERS) -> tuple[float, int, int]:
    """Median seconds of `graph.build(kb)` on a synthetic corpus, and its nodes and edges."""
    from experience_kb import graph
    from experience_kb.project import Project

    folder = Path(tempfile.mkdtemp(prefix="kb-bench-graph-"))
    try:
        # `records` records besides the stakeholders
        generate(folder / "kb", records + stakeholders, n_stakeholders=stakeholders, vocabularies=vocabularies)
        kb = Project(folder / "kb").kb
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            kg = graph.build(kb)
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds), kg.number_of_nodes(), kg.number_of_edges()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def central_node(root: Path) -> dict | None:
    """The most connected stakeholder of the knowledge base at `root` ({id, links, title}), if any."""
    from experience_kb.project import Project

    top = Project(root).graph.central(1)
    return top[0] if top else None


def kb_command() -> list[str]:
    """The `kb` command of this Python environment."""
    beside = Path(sys.executable).with_name("kb")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kb")
    return [found] if found else [sys.executable, "-c", "from experience_kb.cli import main; main()"]


def bench_show(runs: int, root: Path, node: str) -> float:
    command = [*kb_command(), "--kb", str(root), "graph", "show", node]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache and build/.cache
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.bench_graph", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--records", type=int, default=RECORDS,
                        help=f"synthetic records besides the stakeholders (default {RECORDS:,})")
    parser.add_argument("--stakeholders", type=int, default=STAKEHOLDERS,
                        help=f"synthetic stakeholders (default {STAKEHOLDERS:,})")
    add_kb_option(parser)
    args = parser.parse_args(argv)
    config = kb_config(parser, args.kb)
    try:
        build_s, nodes, edges = bench_build(args.runs, config.vocabularies_dir, args.records, args.stakeholders)
    except ValueError as exc:
        parser.error(str(exc))
    total = args.records + args.stakeholders
    sizes = "" if (args.records, args.stakeholders) == (RECORDS, STAKEHOLDERS) else (
        f" (set for {RECORDS:,} records + {STAKEHOLDERS:,} stakeholders)")
    print(f"graph build, {args.records:,} records + {args.stakeholders:,} stakeholders ({nodes:,} nodes, "
          f"{edges:,} edges): median {build_s:.3f} s = {total / build_s:,.0f} records/s, {edges / build_s:,.0f} "
          f"edges/s -> target <= 2 s{sizes} {'met' if build_s <= 2 else 'NOT met'}")
    central = central_node(config.root)
    if central is None:
        print(f"kb graph show: not timed, the knowledge base {config.root} has no linked stakeholder")
        return 0
    node = central["id"]
    print(f"kb graph show: node '{node}', the most connected stakeholder of {config.root} ({central['links']} links)")
    show_s = bench_show(args.runs, config.root, node)
    print(f"kb graph show {node}, end to end on {config.root}: median {show_s:.3f} s "
          f"({1 / show_s:.1f} calls/s) -> target <= 0.5 s {'met' if show_s <= 0.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
