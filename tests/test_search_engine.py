"""The vector query engine (search.evaluate) against whoosh's own matchers.

`evaluate` reads whole posting lists and scores them with numpy instead of walking whoosh's
matchers one document at a time. For every query of tests/fixtures/search/engine-queries.yaml,
on the bundled knowledge base, both must find the same documents with the same scores: on an
index of one segment, and on one of several segments with deleted and replaced documents.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
import yaml
from whoosh import qparser, query
from whoosh.query.terms import MultiTerm

from experience_kb.search import backend, documents
from experience_kb.search.backend import evaluate, querying, store, vectors
from experience_kb.search.ranking import Table
from experience_kb.search.upkeep import write_index

from conftest import BUNDLED, FIXTURES, load

QUERIES = yaml.safe_load((FIXTURES / "search" / "engine-queries.yaml").read_text(encoding="utf-8"))
LANGUAGES = ["es", "en"]


@pytest.fixture(scope="module")
def bundled_kb(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine") / "kb"
    shutil.copytree(BUNDLED, root, ignore=shutil.ignore_patterns(".cache", "build"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_CACHE", "0")
        kb, _ = load(root)
    return kb


@pytest.fixture(scope="module", params=["one-segment", "segments-and-deletions"])
def index(request, bundled_kb, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "one-segment":
        write_index(folder, bundled_kb, procs=1)
    else:
        write_index(folder, bundled_kb, procs=2)  # one segment per process
        docs = [documents.document(record) for record in bundled_kb.records]
        changed = [dict(doc, body=doc["body"] + "\n\nSociedad civil y bosques; civil society and forests.")
                   for doc in docs[::7]]
        backend.update(folder, changed, [doc["key"] for doc in docs[3::29]])
    yield folder
    store.forget(folder)


def _whoosh(searcher, q) -> dict[int, float]:
    # Prefixes and other term expansions are expanded first: whoosh drops the boost of one that
    # expands to a single term, which the engine keeps (as whoosh does for two terms or more).
    # (Rebuilding a query drops an Or's `scale`, so only queries with expansions are rebuilt.)
    reader = searcher.reader()
    if any(isinstance(node, MultiTerm) for node in _nodes(q)):
        q = q.accept(lambda node: node.simplify(reader) if isinstance(node, MultiTerm) else node)
    return dict(searcher.search(q, limit=None).items())


def _nodes(q):
    yield q
    for child in q.children():
        yield from _nodes(child)


def _engine(searcher, q) -> dict[int, float]:
    arrays = evaluate.prepared(searcher)
    found = arrays.run(q)
    live = arrays.table(querying.FACETS).live
    return {int(doc): float(found.score[doc]) for doc in np.flatnonzero(found.mask & live)}


def _same(ours: dict[int, float], theirs: dict[int, float]) -> list[str]:
    problems = [f"only the engine finds {sorted(set(ours) - set(theirs))[:10]}"] if set(ours) - set(theirs) else []
    if set(theirs) - set(ours):
        problems.append(f"only whoosh finds {sorted(set(theirs) - set(ours))[:10]}")
    problems += [f"doc {doc}: engine {ours[doc]:.6f}, whoosh {theirs[doc]:.6f}"
                 for doc in sorted(set(ours) & set(theirs)) if not math.isclose(ours[doc], theirs[doc], rel_tol=1e-6)]
    return problems[:12]


def test_the_index_has_several_segments_and_deletions(index):
    reader = store.searcher(index).reader()
    if "segments" in index.name:
        assert len(reader.leaf_readers()) >= 3 and reader.has_deletions()
    else:
        assert len(reader.leaf_readers()) == 1


@pytest.mark.parametrize("group", ["all-words", "any-word"])
@pytest.mark.parametrize("case", QUERIES, ids=[case["query"] for case in QUERIES])
def test_engine_agrees_with_whoosh(index, case, group, monkeypatch):
    searcher = store.searcher(index)
    q = querying._parse(searcher.schema, case["query"], LANGUAGES,
                        qparser.AndGroup if group == "all-words" else qparser.OrGroup)
    fallbacks = []
    original = evaluate.Prepared.whoosh
    monkeypatch.setattr(evaluate.Prepared, "whoosh", lambda self, sub: fallbacks.append(sub) or original(self, sub))
    ours = _engine(searcher, q)
    theirs = _whoosh(searcher, q)
    assert not _same(ours, theirs), f"{q}\n" + "\n".join(_same(ours, theirs))
    assert bool(fallbacks) == bool(case.get("fallback")), f"whoosh's matcher ran for {fallbacks}"
    assert bool(ours) != bool(case.get("empty")), f"{q} found {len(ours)} documents"


@pytest.mark.parametrize("make", [
    lambda: query.Phrase("text_es", ["socied", "civil"], slop=3),
    lambda: query.DisjunctionMax([query.Term("text_es", "bosqu"), query.Term("text_en", "forest")]),
    lambda: query.Or([query.Term("text_es", "bosqu"), query.Term("text_es", "indigen")], scale=0.9),
], ids=["slop-phrase", "disjunction-max", "scaled-or"])
def test_other_query_types_run_through_whoosh(index, make):
    searcher = store.searcher(index)
    q = make()
    ours, theirs = _engine(searcher, q), _whoosh(searcher, q)
    assert ours and not _same(ours, theirs)


def test_phrases_need_consecutive_positions():
    ids = vectors.Postings(np.array([0, 1, 2]), np.ones(3, dtype=np.float32))
    counts = np.array([2, 1, 1], dtype=np.uint32)
    first = (ids, counts, np.array([0, 5, 3, 9], dtype=np.uint32))  # doc 0: 0 and 5, doc 1: 3, doc 2: 9
    second = (ids, counts, np.array([6, 9, 4, 1], dtype=np.uint32))  # doc 0: 6 and 9, doc 1: 4, doc 2: 1
    assert vectors.phrase([first, second], 3).tolist() == [True, True, False]
    assert vectors.phrase([second, first], 3).tolist() == [False, False, False]


def test_one_hit_per_record_numbers_then_language_then_score():
    # docs: 0 a.es, 1 a.en, 2 b.es, 3 b.en, 4 c.en (deleted), 5 c.en
    def docs(*ids):
        return vectors.Postings(np.array(ids, dtype=np.int64), np.ones(len(ids), dtype=np.float32))

    table = Table.build(["a", "a", "b", "b", "c", "c"], [4], [("es", docs(0, 2).ids), ("en", docs(1, 3, 4, 5).ids)],
                        {"type": [("t", docs(0, 1, 2, 3, 4, 5).ids), ("u", docs(4).ids)]})
    match = vectors.Match(np.array([True, True, False, True, True, True]), np.array([1.0, 9.0, 0, 5.0, 99.0, 2.0]))
    numbered = np.zeros(6, dtype=bool)
    best, ordered = table.rank(match.mask, match.score, numbered, {"es": 0, "en": 1})
    assert best.tolist() == [0, 3, 5]  # a in Spanish though English scores more; b and c only in English
    assert table.others(best, ordered) == [["en"], [], []]
    numbered[5] = True
    best, _ = table.rank(match.mask, match.score, numbered, {"es": 0, "en": 1})
    assert best.tolist() == [5, 0, 3]
    assert table.facets(best) == {"type": {"t": 3}}
