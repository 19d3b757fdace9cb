"""Search: analysis, query messages, the index's upkeep (incremental, atomic, self-healing) and the CLI."""

from __future__ import annotations

import json
import marshal
import os
import shutil
from pathlib import Path

import pytest
import yaml

from experience_kb import config
from experience_kb.cli import main
from experience_kb.project import Project
from experience_kb.search import backend, documents, query_text, service, upkeep
from experience_kb.search import text as search_text
from experience_kb.search.backend.analysis import Analyzer, stemmer, stopwords
from experience_kb.search.engine import Filters, IndexUnusable
from experience_kb.search.snippets import make_snippet
from experience_kb.search.synonyms import Synonyms

from conftest import FIXTURES, load

BAD_QUERIES = yaml.safe_load((FIXTURES / "search" / "bad-queries.yaml").read_text(encoding="utf-8"))


# -- analysis ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, typed, written", [
    ("es", "amazonica", "Amazónica"),
    ("es", "indigenas", "indígenas"),
    ("es", "salvaguardas", "salvaguarda"),
    ("es", "participacion", "participaciones"),
    ("es", "politica", "Políticas"),
    ("es", "GESTION", "gestión"),
    ("en", "safeguard", "Safeguards"),
    ("en", "indigenous", "Indigenous"),
])
def test_accents_case_and_inflection_do_not_matter(lang, typed, written):
    analyzer = Analyzer(lang)
    assert analyzer.terms(typed) == analyzer.terms(written)


@pytest.mark.parametrize("one, other", [("año", "ano"), ("años", "anos"), ("caña", "cana"), ("Ñandú", "nandu")])
def test_enye_stays_distinct_from_n(one, other):
    analyzer = Analyzer("es")
    assert analyzer.terms(one) != analyzer.terms(other)
    assert search_text.fold(one) != search_text.fold(other)


def test_stop_words_are_not_indexed():
    assert Analyzer("es").terms("la mesa de los bosques") == Analyzer("es").terms("mesa bosques")
    assert Analyzer("en").terms("the roundtable of the forest") == Analyzer("en").terms("roundtable forest")


def test_folding_keeps_offsets_for_snippets():
    text = "Ñandú y Amazonía: pueblos indígenas"
    assert len(search_text.fold(text)) == len(text)
    snippet, spans = make_snippet(text, set(Analyzer("es").terms("indigenas amazonia")), stemmer("es"),
                                  stopwords("es"))
    assert [snippet[s:e] for s, e in spans] == ["Amazonía", "indígenas"]


def test_snippet_window_and_ellipses():
    words = " ".join(f"palabra{i}" for i in range(100))
    text = f"{words} salvaguardas sociales {words}"
    snippet, spans = make_snippet(text, {"salvaguard"}, stemmer("es"), stopwords("es"), words=10)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert [snippet[s:e] for s, e in spans] == ["salvaguardas"]


def test_official_number_forms():
    assert documents.number_forms("018-2013-RMDD/CR") == ["018-2013-rmdd/cr", "018-2013", "18-2013"]
    assert documents.number_forms("RO 001-2012") == ["ro 001-2012", "001-2012", "1-2012"]


def test_markdown_marks_are_not_indexed():
    assert search_text.plain("## Título\n\nUn **texto** con [enlace](https://x.org) y <b>HTML</b>.") == \
        "Título\n\nUn texto con enlace y  HTML ."


# -- query text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [c for c in BAD_QUERIES if "common words" not in c["message"]],
                         ids=lambda c: repr(c["query"]))
def test_bad_query_text(case):
    with pytest.raises(query_text.QueryError, match=case["message"].replace("(", r"\(").replace(")", r"\)")):
        query_text.check(case["query"])


def test_synonym_expansion_both_ways():
    synonyms = Synonyms({"ara": ["ARA", "Autoridad Regional Ambiental", "Regional Environmental Authority"]})
    query, made = query_text.expand("ARA 2011", synonyms)
    assert made == [("ARA", ["autoridad regional ambiental", "regional environmental authority"])]
    assert query == '((ARA) OR "autoridad regional ambiental" OR "regional environmental authority") 2011'
    query, made = query_text.expand("autoridad regional ambiental", synonyms)
    assert made[0][1] == ["ara", "regional environmental authority"]
    # Phrases, fields, prefixes and operators are left alone.
    assert query_text.expand('"ARA" ARA* NOT x', synonyms) == ('"ARA" ARA* NOT x', [])


# -- the index on a copy of the minimal fixture -------------------------------------------------------

@pytest.fixture
def kb_copy(copy_fixture):
    root = copy_fixture("good/minimal")
    return config.load(root)


def _search(cfg, text, lang=None, filters=None, limit=10):
    """A search as one `kb search` runs it: a fresh project, refresh, query."""
    outcome = service.run(Project(cfg.root), text, lang, filters, limit)
    return outcome.results, outcome.status


def test_first_search_builds_then_reuses_the_index(kb_copy):
    results, status = _search(kb_copy, "federación")
    assert status.action == "built" and status.documents == 16
    assert results.hits[0].id == "river-federation" and results.hits[0].lang == "es"
    _, status = _search(kb_copy, "federación")
    assert status.action == "current" and status.changed == [] and status.removed == []


def test_editing_one_record_reindexes_only_it(kb_copy):
    upkeep.rebuild(Project(kb_copy.root))
    path = kb_copy.root / "lessons" / "plain-language.en.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nFacilitators used cassowary drawings.\n", encoding="utf-8")
    results, status = _search(kb_copy, "cassowary")
    assert status.action == "updated" and status.changed == ["plain-language.en"] and status.removed == []
    assert [hit.id for hit in results.hits] == ["plain-language"]
    # Touching a file without changing it re-reads it but re-indexes nothing.
    os.utime(path, ns=(1, 1))
    _, status = _search(kb_copy, "cassowary")
    assert status.action == "current" and status.changed == []


def test_deleted_records_leave_the_index(kb_copy):
    upkeep.rebuild(Project(kb_copy.root))
    (kb_copy.root / "glossary" / "redd-plus.en.md").unlink()
    results, status = _search(kb_copy, "REDD+", lang="en")
    assert status.removed == ["redd-plus.en"]
    assert "redd-plus" not in [hit.id for hit in results.hits]


def test_an_unreadable_record_keeps_its_last_good_version(kb_copy):
    upkeep.rebuild(Project(kb_copy.root))
    path = kb_copy.root / "stakeholders" / "river-federation.es.md"
    path.write_text("---\nid: river-federation\ntitle: [unclosed\n---\n", encoding="utf-8")
    results, status = _search(kb_copy, "federación")
    assert status.unreadable == [kb_copy.display(path)]
    assert results.hits[0].id == "river-federation"


def _segment_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.suffix in (".seg", ".toc") or p.name.endswith((".pst", ".trm"))]


@pytest.mark.parametrize("damage", ["truncate-segments", "delete-toc", "garble-records", "older-format",
                                    "other-languages"])
def test_a_damaged_or_outdated_index_is_rebuilt(kb_copy, damage):
    upkeep.rebuild(Project(kb_copy.root))
    folder = upkeep.index_dir(kb_copy)
    meta = folder / upkeep.META
    if damage == "truncate-segments":
        for path in folder.glob("*.seg"):
            path.write_bytes(path.read_bytes()[:20])
    elif damage == "delete-toc":
        for path in folder.glob("*.toc"):
            path.unlink()
    elif damage == "garble-records":
        meta.write_bytes(b"{not marshal")
    else:
        data = marshal.loads(meta.read_bytes())
        if damage == "older-format":
            data["format"] = backend.FORMAT - 1
        else:
            data["languages"] = ["es"]
        meta.write_bytes(marshal.dumps(data))
    results, status = _search(kb_copy, "federación")
    assert status.action == "rebuilt", status
    assert status.reason
    assert results.hits[0].id == "river-federation"


def test_a_failed_rebuild_leaves_the_previous_index(kb_copy, monkeypatch):
    upkeep.rebuild(Project(kb_copy.root))
    folder = upkeep.index_dir(kb_copy)
    before = sorted(p.name for p in folder.iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(backend, "create", broken)
    with pytest.raises(RuntimeError):
        upkeep.rebuild(Project(kb_copy.root))
    assert sorted(p.name for p in folder.iterdir()) == before
    assert not [p for p in folder.parent.iterdir() if ".tmp-" in p.name]
    monkeypatch.undo()
    results, status = _search(kb_copy, "federación")
    assert status.action == "current" and results.hits


def test_filters_and_facets(kb_copy):
    results, _ = _search(kb_copy, "forest OR bosque OR roundtable OR mesa")
    assert set(results.facets) == {"type", "years", "stakeholders", "tags"}
    assert sum(results.facets["type"].values()) == results.total
    only, _ = _search(kb_copy, "forest OR bosque OR roundtable OR mesa", filters=Filters(types=("resolution",)))
    assert [hit.type for hit in only.hits] == ["resolution"] * len(only.hits) and only.hits
    dated, _ = _search(kb_copy, "forest OR bosque OR roundtable OR mesa", filters=Filters(years=(2012, 2012)))
    assert dated.hits and all("2012" in dated.facets["years"] for _ in dated.hits)
    by_stakeholder, _ = _search(kb_copy, "federación OR federation OR ordenanza OR ordinance",
                                filters=Filters(stakeholders=("river-federation",)))
    assert {hit.id for hit in by_stakeholder.hits} >= {"river-federation", "ro-001-2012"}


def test_languages_default_first_and_one_hit_per_record(kb_copy):
    results, _ = _search(kb_copy, "federación OR federation")
    ids = [hit.id for hit in results.hits]
    assert len(ids) == len(set(ids))
    assert results.hits[0].lang == "es" and results.hits[0].other_languages == ["en"]
    english, _ = _search(kb_copy, "federation", lang="en")
    assert {hit.lang for hit in english.hits} == {"en"}


def test_official_number_and_stakeholder_acronym(kb_copy):
    results, _ = _search(kb_copy, "001-2012")
    assert results.hits[0].id == "ro-001-2012"
    results, _ = _search(kb_copy, "RF")
    assert results.hits[0].id == "river-federation"


def test_misspelling_gets_a_suggestion(kb_copy):
    results, _ = _search(kb_copy, "federacion roundtabel")
    assert results.suggestion and "roundtable" in results.suggestion


# -- the command ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", BAD_QUERIES, ids=lambda c: repr(c["query"]))
def test_cli_bad_queries_exit_2_with_a_message(runner, kb_copy, case):
    result = runner.invoke(main, ["--kb", str(kb_copy.root), "search", case["query"]])
    assert result.exit_code == 2, result.output
    assert case["message"] in result.output
    assert "Traceback" not in result.output


def test_cli_text_and_json(runner, kb_copy):
    result = runner.invoke(main, ["--kb", str(kb_copy.root), "search", "federación"])
    assert result.exit_code == 0, result.output
    assert "Federación del Río" in result.output and "river-federation" in result.output
    assert "Types: " in result.output
    result = runner.invoke(main, ["--kb", str(kb_copy.root), "search", "--json", "federation", "--lang", "en"])
    data = json.loads(result.output)
    assert data["hits"][0]["id"] == "river-federation" and data["hits"][0]["lang"] == "en"
    assert data["hits"][0]["path"].endswith("river-federation.en.md")
    assert {"type", "years", "stakeholders", "tags"} <= set(data["facets"])
    hit = data["hits"][0]
    assert all(hit["snippet"][s:e] for s, e in hit["highlights"])


@pytest.mark.parametrize("args, message", [
    (["x", "--year", "2012", "--from", "2010"], "either --year or --from/--to"),
    (["x", "--from", "2013", "--to", "2010"], "is after --to"),
    (["x", "--type", "resolutions"], "unknown type 'resolutions'"),
    (["x", "--lang", "fr"], "'fr' is not a language"),
])
def test_cli_usage_errors(runner, kb_copy, args, message):
    result = runner.invoke(main, ["--kb", str(kb_copy.root), "search", *args])
    assert result.exit_code == 2 and message in result.output


def test_cli_no_hits_exit_1(runner, kb_copy):
    result = runner.invoke(main, ["--kb", str(kb_copy.root), "search", "zzzzqqq"])
    assert result.exit_code == 1 and "0 records match" in result.output


def test_documents_of_the_minimal_fixture(snapshot):
    kb, _ = load(FIXTURES / "good" / "minimal")
    docs = sorted((documents.document(record) for record in kb.records), key=lambda doc: doc["key"])
    assert docs == snapshot


def test_build_stage_writes_the_index(kb_copy, tmp_path):
    from experience_kb.pipeline import stages

    results = stages.build(Project(kb_copy.root), only="index")
    assert results[0].ok and results[0].count == 16
    folder = upkeep.index_dir(kb_copy)
    assert (folder / upkeep.META).is_file()
    _, status = _search(kb_copy, "federación")
    assert status.action == "current"
    shutil.rmtree(folder)


def test_cli_index_unusable_even_after_a_rebuild(runner, kb_copy, monkeypatch):
    def broken(*args, **kwargs):
        raise IndexUnusable("the index is damaged (EOFError: truncated)")

    monkeypatch.setattr(backend, "query", broken)
    result = runner.invoke(main, ["--kb", str(kb_copy.root), "search", "federación"])
    assert result.exit_code == 1
    assert "cannot be used (the index is damaged (EOFError: truncated))" in result.output
    assert "Traceback" not in result.output
