"""The synthetic corpus generator (tooling/kb_bench/corpus.py) makes valid, realistic, repeatable corpora."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from experience_kb.checks.validate import validate
from experience_kb.project import Project
from experience_kb.records import frontmatter, schema
from kb_bench.corpus import COLLECTIONS, generate

VOCABULARIES = Path(__file__).resolve().parents[1] / "kb" / "vocabularies"  # the bundled knowledge base's


def _read(path: Path) -> tuple[dict, str]:
    fm, problems = frontmatter.parse(path.read_text(encoding="utf-8"), str(path))
    assert fm is not None and problems == []
    return fm.meta, fm.body


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("corpus") / "kb"
    return root, generate(root, 200, seed=0, vocabularies=VOCABULARIES)


def test_generated_corpus_is_valid(corpus: tuple[Path, dict[str, int]]) -> None:
    root, _ = corpus
    report = validate(root)
    assert [str(p) for p in report.problems] == []
    assert report.records_checked == 200 and report.files_checked == 400


def test_counts_and_files(corpus: tuple[Path, dict[str, int]]) -> None:
    root, counts = corpus
    assert counts["records"] == 200
    assert counts["files"] == 400
    assert sum(counts[kind] for kind in COLLECTIONS) == 200
    assert counts["stakeholder"] == 20  # max(20, 200 // 20)
    for kind, collection in COLLECTIONS.items():
        es = sorted(p.name.removesuffix(".es.md") for p in (root / collection).glob("*.es.md"))
        en = sorted(p.name.removesuffix(".en.md") for p in (root / collection).glob("*.en.md"))
        assert es == en and len(es) == counts[kind] > 0
    assert sorted(p.name for p in (root / "vocabularies").iterdir()) == sorted(
        p.name for p in VOCABULARIES.glob("*.yaml"))


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    def snapshot(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    generate(tmp_path / "a", 60, seed=7, body_words=50, vocabularies=VOCABULARIES)
    generate(tmp_path / "b", 60, seed=7, body_words=50, vocabularies=VOCABULARIES)
    generate(tmp_path / "c", 60, seed=8, body_words=50, vocabularies=VOCABULARIES)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "c")


def test_every_schema_field_is_used(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    generate(root, 4000, seed=0, body_words=10, vocabularies=VOCABULARIES)
    for collection, info in schema.by_collection().items():
        used: Counter[str] = Counter()
        for path in (root / collection).glob("*.es.md"):
            used.update(_read(path)[0].keys())
        assert set(info.fields) <= set(used), collection


def test_bodies_have_about_the_requested_words(corpus: tuple[Path, dict[str, int]]) -> None:
    root, _ = corpus
    words = [len(_read(p)[1].split()) for p in sorted((root / "lessons").glob("*.md"))]
    assert 450 <= sum(words) / len(words) <= 750


def test_too_few_records_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="too few"):
        generate(tmp_path / "kb", 10, vocabularies=VOCABULARIES)


def test_kb_yaml_is_a_valid_configuration(corpus: tuple[Path, dict[str, int]]) -> None:
    root, _ = corpus
    project = Project(root, use_cache=False)
    cfg = project.config
    assert cfg.languages == ("es", "en") and cfg.default_language == "es"
    kb, problems = project.kb, project.report.problems
    assert problems == [] and len(kb.by_id) == 200
