"""Benchmark full-text search on a synthetic knowledge base: full indexing, query latency and
the incremental update `kb search` runs before every query.

    python -m kb_bench.bench_search [--records 10000] [--runs 3] [--index-runs 1] [--procs N] [--kb PATH]

A corpus of `--records` records (each one id with an es and an en file, ~600-word bodies), with
the vocabularies of the knowledge base `--kb PATH` (default: the one `kb` finds from the current
folder), is generated once into a temporary folder for this run and reused by every part:

1. indexing: `search.upkeep.write_index()` of the loaded knowledge base into an empty folder,
   with one process and with the number `search.backend.default_procs` picks (and `--procs N`
   if given);
2. queries: 60+ queries of 1 to 3 words from the generator's vocabulary (some without accents,
   phrases, prefix*), each run `--runs` times through `search.backend.query(limit=10)`, snippets
   included, after one warm-up pass;
3. incremental update: after one `upkeep.rebuild()`, one record file gets a sentence more and
   `upkeep.refresh()` is timed; it must re-index exactly that one document. Repeated `--runs`
   times, a different record each time.

Targets: indexing >= 500 records/s; query p95 <= 25 ms; refresh after one edit <= 1 s.
`--profile` adds the top functions (cProfile, one extra run of each part) after the table;
`--limitmb N` tries another memory limit for sorting postings (see
`search.backend.store.default_limitmb`).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `kb_bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_bench.corpus import add_kb_option, generate, kb_config  # noqa: E402
from kb_bench.report import Row, finish, markdown, percentile, print_warnings, profile  # noqa: E402
from kb_bench.text import EN_WORDS, ES_WORDS, HEADINGS, PLACES  # noqa: E402

TARGET_RECORDS_PER_S = 500
TARGET_P95_MS = 25.0
TARGET_REFRESH_S = 1.0
DEFAULT_RECORDS = 10_000


def corpus(folder: Path, records: int, seed: int, vocabularies: Path | None = None) -> Path:
    root = folder / "kb"
    started = time.perf_counter()
    counts = generate(root, records, seed=seed, vocabularies=vocabularies)
    print(f"generated {records:,} records ({counts['files']:,} files) in {time.perf_counter() - started:.1f} s",
          flush=True)
    return root


# -- 1. indexing ------------------------------------------------------------------------------

@dataclass
class IndexResult:
    label: str
    procs: list[int]
    documents: int
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def bench_index(kb: Any, records: int, runs: int, force: int | None, work: Path,
                limitmb: int | None = None) -> IndexResult:
    """Time `write_index(empty folder, kb)` `runs` times, with `force` processes (None: automatic)."""
    from experience_kb.search import backend, upkeep

    seconds, documents = [], 0
    label = "automatic" if force is None else f"{force}"
    procs = [force or backend.default_procs(2 * records)]
    for run in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="index-", dir=work))
        try:
            started = time.perf_counter()
            documents = upkeep.write_index(folder, kb, procs=force, limitmb=limitmb)
            seconds.append(time.perf_counter() - started)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"  index, procs {label} ({'/'.join(map(str, procs))}), run {run + 1}/{runs}: {seconds[-1]:.2f} s "
              f"= {records / seconds[-1]:,.0f} records/s", flush=True)
    return IndexResult(label, procs, documents, seconds)


# -- 2. queries -------------------------------------------------------------------------------

def make_queries(seed: int) -> list[str]:
    """At least 60 queries of 1 to 3 words, phrases and prefixes from the generator's words."""
    from experience_kb.search.backend import analysis as search_analysis
    from experience_kb.search.text import fold, strip_accents

    rng = random.Random(seed)
    words = {}
    for lang, pool in (("es", ES_WORDS), ("en", EN_WORDS)):
        stops = search_analysis.stopwords(lang)
        words[lang] = sorted({w for w in pool if len(w) > 4 and fold(w) not in stops})
    queries: list[str] = []
    for lang in ("es", "en"):
        queries += rng.sample(words[lang], 10)  # one word
        queries += [" ".join(rng.sample(words[lang], 2)) for _ in range(7)]  # two words
        queries += [" ".join(rng.sample(words[lang], 3)) for _ in range(5)]  # three words
    accented = [w for w in words["es"] if not w.isascii()]
    queries += [strip_accents(w) for w in rng.sample(accented, 5)]  # accents removed
    queries += [strip_accents(" ".join(rng.sample(accented, 2))) for _ in range(2)]
    queries += ['"sociedad civil"', '"land use"', '"Puerto Esperanza"', f'"{HEADINGS[4][0]}"',
                f'"{HEADINGS[6][1]}"']  # phrases (names and headings exist as such)
    queries += ["particip*", "deforest*", "monitor*", "conserv*", "forest*", "indig* comunid*"]  # prefixes
    queries += [PLACES[1][0], "Nueva Aurora", "Tres Lagunas", "Gobernanza", "institucionalizacion",
                "gobierno regional", "climate finance", "bosqe"]  # rarer words: names, tags; one typo
    return queries


@dataclass
class QueryResult:
    queries: int
    seconds: list[float]  # every timed call
    timings: dict[str, list[float]]  # every timed call of each query
    hits: dict[str, int]
    totals: dict[str, int]
    no_snippet: int
    errors: dict[str, str]

    @property
    def per_query(self) -> dict[str, float]:
        """The median seconds of each query."""
        return {text: statistics.median(values) for text, values in self.timings.items()}

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 0.95) * 1000

    def split(self, records: int, share: float = 0.1) -> tuple[list[str], list[str]]:
        """(selective, broad) queries: those finding at most `share` of the records, and the rest."""
        selective = [text for text, total in self.totals.items() if total <= share * records]
        return selective, [text for text in self.totals if text not in selective]


def bench_queries(config: Any, queries: list[str], runs: int) -> QueryResult:
    """Each query through the engine (`search.backend.query`) on the index in the corpus's build dir."""
    from experience_kb.search import backend, upkeep
    from experience_kb.search.engine import Results
    from experience_kb.search.query_text import QueryError

    folder = upkeep.index_dir(config)
    synonyms = upkeep.synonyms(config, upkeep.read_entries(config))
    words = upkeep.spelling_words(config)

    def run(text: str) -> Results:
        return backend.query(folder, text, synonyms, config.default_language, limit=10, words=words)

    errors: dict[str, str] = {}
    for text in queries:  # warm-up: file cache, whoosh's readers, stemmer caches
        try:
            run(text)
        except QueryError as exc:
            errors[text] = str(exc)
    timed = [text for text in queries if text not in errors]
    seconds: list[float] = []
    per_query: dict[str, list[float]] = {text: [] for text in timed}
    hits, totals, no_snippet = {}, {}, 0
    for _ in range(runs):
        for text in timed:
            started = time.perf_counter()
            results = run(text)
            elapsed = time.perf_counter() - started
            seconds.append(elapsed)
            per_query[text].append(elapsed)
            hits[text], totals[text] = len(results.hits), results.total
            no_snippet += sum(1 for hit in results.hits if not hit.snippet)
    return QueryResult(len(timed), seconds, per_query, hits, totals, no_snippet, errors)


# -- 3. incremental update --------------------------------------------------------------------

def edit_targets(root: Path, runs: int, seed: int) -> list[Path]:
    """`runs` distinct record files spread over the collections, one language each."""
    files = sorted(path for path in root.glob("*/*.md"))
    return random.Random(seed).sample(files, min(runs, len(files)))


def bench_refresh(project: Any, targets: list[Path]) -> tuple[list[float], list[str]]:
    """Append a sentence to each target in turn and time `refresh()`. Returns (seconds, problems)."""
    from experience_kb.search import upkeep

    seconds, problems = [], []
    for run, path in enumerate(targets):
        record_id, lang = path.name[:-3].rsplit(".", 1)
        sentence = ("Se añadió esta frase para medir la actualización del índice." if lang == "es" else
                    "This sentence was added to time the index update.")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{sentence} ({run + 1})\n")
        started = time.perf_counter()
        status, _ = upkeep.refresh(project)
        seconds.append(time.perf_counter() - started)
        expected = [f"{record_id}.{lang}"]
        if status.action != "updated" or status.changed != expected or status.removed:
            problems.append(f"{path.name}: refresh {status.action}, changed {status.changed}, removed "
                            f"{status.removed}, reason {status.reason} (expected changed {expected})")
        print(f"  refresh after editing {path.parent.name}/{path.name}: {seconds[-1]:.3f} s "
              f"({status.action} {', '.join(status.changed)})", flush=True)
    return seconds, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.bench_search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS,
                        help=f"records in the corpus (default {DEFAULT_RECORDS:,}; each is an es and an en file)")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed passes over the queries, and edits timed with refresh (default 3)")
    parser.add_argument("--index-runs", type=int, default=1,
                        help="timed full indexings per process setting (default 1: 15-55 s each at 10,000)")
    parser.add_argument("--procs", type=int, default=None,
                        help="also index with this many processes (besides 1 and the automatic choice)")
    parser.add_argument("--limitmb", type=int, default=None,
                        help="experiment: memory (MB per writer process) whoosh may use to sort postings "
                             "instead of search.backend.store.default_limitmb")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true",
                        help="after the table, profile one more run of each part and print the top functions")
    parser.add_argument("--top", type=int, default=15, help="functions shown per profile (default 15)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus and index, and print where")
    add_kb_option(parser)
    args = parser.parse_args(argv)
    try:
        from experience_kb.project import Project
        from experience_kb.search import upkeep
    except ImportError as exc:
        sys.exit(f"bench_search: cannot import experience_kb's search ({exc}); install the project (make setup).")
    vocabularies = kb_config(parser, args.kb).vocabularies_dir

    cpus = os.cpu_count() or 1
    print(f"machine: {cpus} CPUs (os.cpu_count()), Python {sys.version.split()[0]}, {sys.platform}", flush=True)
    print(f"vocabularies from {vocabularies}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="kb-bench-search-"))
    caught: list[warnings.WarningMessage] = []
    rows: list[Row] = []
    profiles: list[tuple[str, str]] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            root = corpus(work, args.records, args.seed, vocabularies)
            loading = Project(root)
            config = loading.config
            started = time.perf_counter()
            kb = loading.kb  # read and parsed, as `kb build index` does; not checked
            problems = kb.problems
            files = len(kb.records)
            print(f"loaded {files:,} record files in {time.perf_counter() - started:.1f} s "
                  f"({len(problems)} problems)", flush=True)

            # 1. indexing
            settings = [1, None] + ([args.procs] if args.procs and args.procs != 1 else [])
            indexed = [bench_index(kb, args.records, args.index_runs, force, work, args.limitmb) for force in settings]
            single = indexed[0]
            memory = f", limitmb {args.limitmb}" if args.limitmb else ""
            for result in indexed:
                procs = "/".join(map(str, sorted(set(result.procs)))) or "?"
                records_per_s = args.records / result.median
                gain = f", x{single.median / result.median:.2f} vs 1 process" if result is not single else ""
                # The target is for both cores (the automatic choice); other settings are for comparison.
                judged = result.label == "automatic"
                rows.append(Row(f"full index, write_index(), procs {result.label} (= {procs}{memory}): records/s "
                                f"({result.documents / result.median:,.0f} documents/s, {result.median:.1f} s{gain})",
                                f"{records_per_s:,.0f}", f">= {TARGET_RECORDS_PER_S:,}" if judged else "-",
                                records_per_s >= TARGET_RECORDS_PER_S if judged else None))

            # 2. queries, on the index in the corpus's build dir
            started = time.perf_counter()
            project = Project(root)  # a new one: the records are loaded again, as `kb search` would
            status = upkeep.rebuild(project)
            print(f"rebuild(project) into {upkeep.index_dir(config)}: {status.documents:,} documents in "
                  f"{time.perf_counter() - started:.1f} s (load included)", flush=True)
            queried = bench_queries(config, make_queries(args.seed), args.runs)
            rows.append(Row(f"query latency, {queried.queries} queries x {args.runs} runs, limit 10 with snippets: "
                            f"median ms", f"{queried.median_ms:.1f}", "-", None))
            rows.append(Row("query latency: p95 ms", f"{queried.p95_ms:.1f}", f"<= {TARGET_P95_MS:g}",
                            queried.p95_ms <= TARGET_P95_MS))
            for name, group in zip(("selective", "broad"), queried.split(args.records)):
                if group:
                    times = [value for text in group for value in queried.timings[text]]
                    bound = "<=" if name == "selective" else ">"
                    rows.append(Row(f"  of which {len(group)} {name} queries (finding {bound} 10% of records): "
                                    f"median ms (p95 {percentile(times, 0.95) * 1000:.1f})",
                                    f"{statistics.median(times) * 1000:.1f}", "-", None))

            # 3. incremental update
            targets = edit_targets(root, args.runs, args.seed)
            refresh_s, refresh_problems = bench_refresh(project, targets)
            refresh_median = statistics.median(refresh_s)
            rows.append(Row(f"refresh() after editing 1 of {files:,} files ({len(targets)} edits, "
                            f"max {max(refresh_s):.3f} s): s", f"{refresh_median:.3f}",
                            f"<= {TARGET_REFRESH_S:g}", refresh_median <= TARGET_REFRESH_S and not refresh_problems))

            if args.profile:
                def index_once() -> None:
                    folder = Path(tempfile.mkdtemp(prefix="index-", dir=work))
                    try:
                        upkeep.write_index(folder, kb, procs=1, limitmb=args.limitmb)
                    finally:
                        shutil.rmtree(folder, ignore_errors=True)

                def refresh_once() -> None:
                    with targets[0].open("a", encoding="utf-8") as handle:
                        handle.write("\nUna frase más para el perfil.\n")
                    upkeep.refresh(project)

                slowest = sorted(queried.per_query, key=queried.per_query.get, reverse=True)[:5]
                profiles.append(("full index, write_index() with 1 process", profile(index_once, args.top)))
                profiles.append((f"the 5 slowest queries x {args.runs}: {', '.join(slowest)}",
                                 profile(lambda: bench_queries(config, slowest, args.runs), args.top)))
                profiles.append(("refresh() after one edit", profile(refresh_once, args.top)))
    finally:
        finish(work, args.keep, "corpus and index")

    print()
    print(f"search benchmark: {args.records:,} records ({files:,} files) on a machine with {cpus} CPUs; medians")
    print()
    print(markdown(rows))
    print()
    slowest = sorted(queried.per_query.items(), key=lambda item: item[1], reverse=True)[:5]
    print("slowest queries (median ms, records found): "
          + "; ".join(f"{text} {seconds * 1000:.1f} ({queried.totals[text]:,})" for text, seconds in slowest))
    empty = [text for text, total in queried.totals.items() if not total]
    if empty:
        print(f"queries finding nothing: {', '.join(empty)}")
    if queried.errors:
        print("queries refused: " + "; ".join(f"{text}: {message}" for text, message in queried.errors.items()))
    if queried.no_snippet:
        print(f"warning: {queried.no_snippet} hits had an empty snippet")
    for line in refresh_problems:
        print(f"refresh problem: {line}")
    print_warnings(caught)
    for title, text in profiles:
        print()
        print(f"profile: {title}")
        print(text)
    return 1 if refresh_problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
