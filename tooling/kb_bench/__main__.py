"""`python -m bench` (`make bench`) runs every benchmark: validation, the graph, then search."""

from bench import bench_graph, bench_search, bench_validate

status = bench_validate.main([]) or bench_graph.main([]) or bench_search.main([])
raise SystemExit(status)
