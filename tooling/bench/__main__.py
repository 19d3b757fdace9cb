"""`python -m bench` (`make bench`) runs every benchmark: validation, then the graph."""

from bench import bench_graph, bench_validate

status = bench_validate.main([]) or bench_graph.main([])
raise SystemExit(status)
