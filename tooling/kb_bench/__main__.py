"""`python -m kb_bench [--kb PATH]` (`make bench`) runs every benchmark: validation, the graph, search,
the site, then the booklets.

The synthetic corpora use the vocabularies of the knowledge base `--kb PATH` (default: the one
`kb` finds, from $KB_ROOT or from the current folder upwards; from the repository's root, the
bundled kb/); `kb graph show` is timed on it, and its site is built (on a copy, in a temporary
folder). Each benchmark runs with its default sizes; run one on its own
(`python -m kb_bench.bench_search --help`) for smaller ones.
"""

import argparse

from kb_bench import bench_booklets, bench_graph, bench_search, bench_site, bench_validate
from kb_bench.corpus import add_kb_option, kb_config

parser = argparse.ArgumentParser(prog="python -m kb_bench", description=__doc__.split("\n\n")[0])
add_kb_option(parser)
args = parser.parse_args()
shared = ["--kb", str(kb_config(parser, args.kb).root)]
status = (bench_validate.main(shared) or bench_graph.main(shared) or bench_search.main(shared)
          or bench_site.main(shared) or bench_booklets.main(shared))
raise SystemExit(status)
