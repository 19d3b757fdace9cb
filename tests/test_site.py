"""The site stage on small fixture knowledge bases: golden MyST trees and HTML fragments,
reproducible and atomic builds, warnings as problems at the record's line, --strict, and a fork
in three languages. The bundled site's quality gates (vnu, axe, links, a browser) are in
test_site_quality.py; hostile content in test_site_safety.py."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from experience_kb.cli import main
from experience_kb.site import build as site_build
from experience_kb.timestamps import content_year
from test_golden import GOLDEN, compare_tree

EPOCH = "1700000000"  # 2023-11-14


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def build_site(runner, root: Path, *extra: str):
    return runner.invoke(main, ["--kb", str(root), "build", "site", *extra])


def fragments(site: Path) -> str:
    """The key parts of every record page, as golden text: panel, backlinks, language switch."""
    out = []
    for page in sorted(site.glob("*/*/*.html")):
        if "/list/" in page.as_posix() or "/pagefind/" in page.as_posix() or page.relative_to(site).parts[0] == "r":
            continue  # listings, the search bundle, short links (test_every_record_page_has_a_short_link_...)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        out.append(f"=== {page.relative_to(site).as_posix()}")
        out.append(f"<html lang={soup.html.get('lang')}>")
        # the panel, the relation groups (related records and backlinks), the switch, the banner
        for found in soup.select("article > section > dl.kb-fields, section > section > dl.kb-fields, "
                                 "nav.kb-language-switch, .kb-banner"):
            out.append(found.prettify().strip())
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("case", ["minimal", "trilingual"])
def test_assembled_myst_and_html_fragments_match_the_golden_tree(request, runner, copy_fixture, epoch, case):
    root = copy_fixture(f"good/{case}")
    result = build_site(runner, root)
    assert result.exit_code == 0, result.output
    build = root.parent / "build"
    update = request.config.getoption("--update-golden")
    sources = build / ".site-work" / "src"
    myst = build / "golden-myst"
    shutil.copytree(sources, myst, ignore=shutil.ignore_patterns("site.json"))
    compare_tree(myst, GOLDEN / case / "site-myst", update)
    text = fragments(build / "site")
    golden = GOLDEN / case / "site-fragments.html"
    if update:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "HTML fragments differ: run pytest --update-golden and review"


def test_every_language_has_its_sub_site_and_the_root_chooser_links_them(runner, copy_fixture, epoch):
    root = copy_fixture("good/trilingual")
    assert build_site(runner, root).exit_code == 0
    site = root.parent / "build" / "site"
    chooser = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["hreflang"]: a["href"] for a in chooser.select("a.choice")}
    assert links == {lang: f"{lang}/index.html" for lang in ("es", "en", "pt")}
    for lang in links:
        home = BeautifulSoup((site / lang / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert home.html["lang"] == lang
        alternates = {link["hreflang"]: link["href"] for link in home.select('link[rel="alternate"]')}
        assert alternates["x-default"].endswith("/es/index.html")
        assert set(alternates) == {"es", "en", "pt", "x-default"}
        assert home.select_one('link[rel="canonical"]')["href"].endswith(f"/{lang}/index.html")
    assert not list(site.rglob("_sources/*")) and not list(site.rglob(".doctrees")), "sources or doctrees published"
    assert not list(site.rglob("searchindex.js")), "Sphinx's own search index was built"


def test_every_record_page_has_a_short_link_in_every_language(runner, copy_fixture, epoch):
    """r/<code>/index.html (the address booklets print beside their QR codes) leads to the record's
    page in its language: with a meta refresh (no JavaScript needed) and a link, never indexed."""
    from experience_kb.project import Project
    from experience_kb.site import pages

    root = copy_fixture("good/trilingual")
    assert build_site(runner, root).exit_code == 0
    site = root.parent / "build" / "site"
    project = Project(root, use_cache=False)
    languages = project.config.languages
    codes = pages.short_codes((lang, i) for i in project.kb.by_id for lang in languages)
    assert len(codes) == len(project.kb.by_id) * len(languages) == len(set(codes.values()))
    assert len(list((site / "r").glob("*/index.html"))) == len(codes)
    for (lang, record_id), code in codes.items():
        assert len(code) == 7 and not set(code) & set("ilou"), code
        page = site / pages.short_url(code) / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        record = project.kb.get(record_id, lang)
        target = pages.url(lang, pages.record_doc(record.type.collection, record_id))
        assert soup.html["lang"] == lang
        assert soup.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url=../../{target}"
        assert soup.select_one("h1 a")["href"] == f"../../{target}" and soup.select_one("h1 a").text == record.title
        assert (page.parent / f"../../{target}").resolve().is_file(), target
        assert soup.select_one('link[rel="canonical"]')["href"] == project.config.site.base_url + target
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
        # and the record's page shows it, to share or type
        shown = BeautifulSoup((site / target).read_text(encoding="utf-8"), "html.parser").select_one("a.kb-short-link")
        assert shown["href"] == f"../../r/{code}/" and shown.get_text().strip() == f"example.org/trilingual/r/{code}"
    spanish = next(c for (lang, _), c in codes.items() if lang == "es")
    assert "Este enlace corto lleva a:" in (site / "r" / spanish / "index.html").read_text(encoding="utf-8")


def test_a_booklet_page_offers_its_pdfs_once_the_booklets_are_built(runner, copy_fixture, epoch):
    """The booklets stage runs before the site, which publishes each booklet's PDFs beside its page
    with their size and pages; a language without its own version offers the others', saying in
    which language; without build/booklets/ (the site built alone) no page offers anything."""
    root = copy_fixture("good/minimal")
    build = root.parent / "build"
    assert build_site(runner, root).exit_code == 0
    page = build / "site" / "es" / "booklets" / "plain-language-booklet.html"
    assert "kb-downloads" not in page.read_text(encoding="utf-8") and not list((build / "site").rglob("*.pdf"))

    (root / "booklets" / "plain-language-booklet.en.md").unlink()  # English readers get the Spanish PDFs
    manifest = root / "booklets" / "plain-language-booklet.es.md"  # printed on A4: the pages say so
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("audience:", "paper: A4\naudience:"), encoding="utf-8")
    result = runner.invoke(main, ["--kb", str(root), "build"])
    assert result.exit_code == 0, result.output
    assert result.output.index("booklets") < result.output.index("] site")
    for lang, label in (("es", "La cartilla para imprimir: {} páginas A4 (PDF, "), ("en", "The booklet to print: {} A4 pages (PDF, ")):
        html = (build / "site" / lang / "booklets" / "plain-language-booklet.html").read_text(encoding="utf-8")
        links = BeautifulSoup(html, "html.parser").select("ul.kb-downloads a")
        assert [a["href"] for a in links] == ["plain-language-booklet.es.pdf", "plain-language-booklet.es.imposed.pdf"]
        assert all(a["hreflang"] == "es" and a["type"] == "application/pdf" for a in links)
        for a in links:
            published = build / "site" / lang / "booklets" / a["href"]
            assert published.read_bytes() == (build / "booklets" / a["href"]).read_bytes()
        pages = int(json.loads((build / "booklets" / "booklets.json").read_text(encoding="utf-8"))[0]["pages"])
        assert links[0].get_text().strip().startswith(label.format(pages)) and "KB)" in links[0].get_text()
        assert (lang == "en") == ("(Spanish)" in links[0].parent.get_text())


def test_short_codes_are_stable_and_unique_even_when_they_clash(monkeypatch):
    from experience_kb.site import pages

    pairs = [(lang, f"record-{n}") for n in range(3000) for lang in ("es", "en")]
    assert pages.short_codes(pairs) == pages.short_codes(reversed(pairs))  # the order does not matter
    monkeypatch.setattr(pages, "SHORT_LENGTH", 2)  # 1,024 codes for 6,000 pairs: clashes for sure
    codes = pages.short_codes(pairs)
    assert len(set(codes.values())) == len(pairs)
    assert {len(c) for c in codes.values()} >= {2, 3} and all(set(c) <= set(pages.SHORT_ALPHABET) for c in codes.values())
    # a code is the start of the pair's own hash: a pair that never clashed keeps its code when others are added
    alone = [pair for pair, code in codes.items() if len(code) == 2]
    assert alone and all(pages.short_codes([pair])[pair] == codes[pair] for pair in alone)


def test_two_builds_with_the_same_epoch_are_identical(runner, copy_fixture, epoch, tmp_path):
    """Byte for byte, except Pagefind's filter and metadata indexes: Pagefind writes those from
    hash maps in arbitrary order (upstream issue Pagefind/pagefind#638); its fragments, the bulk
    of the index, and every page are compared."""
    root = copy_fixture("good/minimal")
    site = root.parent / "build" / "site"
    assert build_site(runner, root).exit_code == 0
    first = tmp_path / "first"
    shutil.copytree(site, first)
    assert build_site(runner, root).exit_code == 0

    def files(folder: Path) -> dict[str, bytes]:
        unstable = ("/pagefind/filter/", "/pagefind/pagefind.", "/pagefind/pagefind-entry.json")
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and not any(mark in "/" + p.relative_to(folder).as_posix() for mark in unstable)}

    before, after = files(first), files(site)
    assert sorted(before) == sorted(after)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"files differ between two builds: {changed[:10]}"
    assert "© 2023" in (site / "es" / "index.html").read_text(encoding="utf-8") or \
        "©" in (site / "es" / "index.html").read_text(encoding="utf-8")


def test_the_year_comes_from_the_content_not_the_clock(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text("x", encoding="utf-8")
    os.utime(folder / "a.md", (1262304000, 1262304000))  # 2010-01-01
    assert content_year(folder) == "2010"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert content_year(folder) == "2023"


def test_a_failed_build_leaves_the_previous_site_in_place(runner, copy_fixture, epoch, monkeypatch):
    root = copy_fixture("good/minimal")
    site = root.parent / "build" / "site"
    assert build_site(runner, root).exit_code == 0
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    monkeypatch.setattr(site_build, "PAGEFIND", [sys.executable, "-c", "import sys; sys.exit('simulated failure')"])
    result = build_site(runner, root)
    assert result.exit_code == 1, result.output
    assert "[site-failed]" in result.output and "Pagefind failed" in result.output, result.output
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in site.parent.iterdir() if ".tmp-" in p.name], "a temporary folder was left behind"


def test_warnings_are_problems_at_the_record_line_and_strict_fails(runner, copy_fixture, epoch):
    """A heading that skips a level in a body: a [site] warning at that line of the record file.
    Without --strict the site is published; with it, the build fails and keeps the last site."""
    root = copy_fixture("good/minimal")
    record = root / "lessons" / "plain-language.en.md"
    text = record.read_text(encoding="utf-8").rstrip("\n") + "\n\n## Part\n\n#### Too deep\n\nText.\n"
    record.write_text(text, encoding="utf-8")
    line = text.splitlines().index("#### Too deep") + 1
    result = build_site(runner, root)
    assert result.exit_code == 0, result.output
    assert f"plain-language.en.md:{line}" in result.output, result.output
    assert "[site]" in result.output or "site" in result.output
    site = root.parent / "build" / "site"
    marker = (site / "en" / "lessons" / "plain-language.html").read_bytes()
    record.write_text(text.replace("Text.", "Changed text."), encoding="utf-8")
    strict = build_site(runner, root, "--strict")
    assert strict.exit_code == 1, strict.output
    assert (site / "en" / "lessons" / "plain-language.html").read_bytes() == marker, "a failed build replaced the site"


def test_an_untranslated_record_says_so_and_links_the_original(runner, copy_fixture, epoch):
    root = copy_fixture("good/minimal")
    (root / "lessons" / "plain-language.en.md").unlink()
    assert build_site(runner, root).exit_code == 0
    page = root.parent / "build" / "site" / "en" / "lessons" / "plain-language.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    banner = soup.select_one(".kb-banner")
    assert banner is not None and "Spanish" in banner.get_text() or "español" in banner.get_text()
    assert banner.select_one('a[hreflang="es"]')["href"] == "../../es/lessons/plain-language.html"
    original = soup.select_one('div.kb-original[lang="es"]')
    assert original is not None and original.get_text(strip=True), "the Spanish text is not marked as Spanish"
    assert soup.html["lang"] == "en"


def test_the_first_occurrence_of_a_glossary_term_links_to_its_entry(runner, copy_fixture, epoch):
    root = copy_fixture("good/minimal")
    record = root / "lessons" / "plain-language.en.md"
    record.write_text(record.read_text(encoding="utf-8").rstrip("\n")
                      + "\n\nREDD+ needs plain words. REDD+ again, and `REDD+` in code.\n", encoding="utf-8")
    assert build_site(runner, root).exit_code == 0
    page = root.parent / "build" / "site" / "en" / "lessons" / "plain-language.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    marked = soup.select("article a.kb-term")
    forms = [a.get_text() for a in marked]
    assert forms.count("REDD+") == 1, forms
    link = next(a for a in marked if a.get_text() == "REDD+")
    assert link["href"] == "../glossary.html#redd-plus"
    assert link.abbr is not None and link.abbr["title"]
    glossary = BeautifulSoup((page.parent.parent / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    assert glossary.find(id="redd-plus") is not None
    assert not soup.select("dl.kb-fields a.kb-term"), "the panel is not reading text"
