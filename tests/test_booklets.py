"""Booklets (experience_kb.booklets), checked on the files they make, with real tools: poppler
(pdffonts, pdftotext, pdfinfo, pdftoppm) reads the PDFs, zxing-cpp decodes the QR codes from
rendered pages, pikepdf lists the links, zipfile opens the docx and epub.

The fixture knowledge base is tests/fixtures/good/minimal (with the shared vocabularies) plus
tests/fixtures/booklets/: a booklet of six chapters, two chosen by `contents` and four by `select`,
with every section, in Spanish and English. It is copied into a temporary folder (not a git
repository, so the PDF's time comes from SOURCE_DATE_EPOCH) and built once per language for the
module; tests that change the knowledge base work on copies of their own.

A missing tool fails the test that needs it, naming the tool and `.ci/install-tools`: nothing is
skipped.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from click.testing import CliRunner

from experience_kb.cli import main
from experience_kb.problems import Code, Severity
from experience_kb.project import Project
from experience_kb.records import selection

from conftest import FIXTURES
from sitetools import INSTALL

BOOKLET = "forest-monitoring-booklet"
LANGUAGES = ("es", "en")
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH for every build here
A5 = (419.528, 595.276)  # points
A4 = (595.276, 841.89)
A4_LANDSCAPE = (841.89, 595.276)
MM = 72 / 25.4
MARGIN = 18 * MM  # the template's top and bottom margins (A5): the running header and the page number sit there
# The chapters `select` adds (types lesson or workshop, tags mrv or participation), by date.
SELECTED = ["monitoring-starts-at-home", "monitoring-workshop-2013", "women-in-patrols", "radio-workshop-2014"]
WORDS = {"es": {"contents": "Contenido", "introduction": "Introducción", "glossary": "Glosario",
                "timeline": "Línea de tiempo", "sources": "Fuentes", "credits": "Créditos", "page": "Página",
                "read_online": "Lea esta ficha en el sitio web:"},
         "en": {"contents": "Contents", "introduction": "Introduction", "glossary": "Glossary",
                "timeline": "Timeline", "sources": "Sources", "credits": "Credits", "page": "Page",
                "read_online": "Read this record on the website:"}}


# -- tools ---------------------------------------------------------------------------------------------

def tool(name: str) -> str:
    """A poppler tool: on the PATH, else in /usr/bin; a clear failure when it is missing."""
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
    if found is None:
        pytest.fail(f"{name} is missing (poppler-utils); install it with `{INSTALL}` (`make test` runs it)",
                    pytrace=False)
    return found


def poppler(name: str, *args: str | Path) -> str:
    done = subprocess.run([tool(name), *map(str, args)], capture_output=True, check=False)
    assert done.returncode == 0, f"{name} {' '.join(map(str, args))} failed: {done.stderr.decode(errors='replace')}"
    return done.stdout.decode("utf-8")


def zxing():
    try:
        import zxingcpp
        from PIL import Image
    except ImportError as error:  # pragma: no cover - the dev extra installs both
        pytest.fail(f"{error.name} is missing: install the dev extra (zxing-cpp, pillow)", pytrace=False)
    return zxingcpp, Image


def decode(png: Path | bytes) -> list[str]:
    """The texts of the QR codes in an image."""
    import io

    zxingcpp, image_module = zxing()
    image = image_module.open(io.BytesIO(png) if isinstance(png, bytes) else png)
    return [found.text for found in zxingcpp.read_barcodes(image) if found.format == zxingcpp.BarcodeFormat.QRCode]


def render(pdfs: list[Path], folder: Path) -> list[list[Path]]:
    """Every page of each PDF as a 150 dpi PNG (pdftoppm, the PDFs in parallel)."""
    running = []
    for index, pdf in enumerate(pdfs):
        prefix = folder / f"r{index}"
        running.append((subprocess.Popen([tool("pdftoppm"), "-r", "150", "-png", str(pdf), str(prefix)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), index))
    out = []
    for process, index in running:
        _, error = process.communicate()
        assert process.returncode == 0, f"pdftoppm failed: {error.decode(errors='replace')}"
        out.append(sorted(folder.glob(f"r{index}-*.png")))
    return out


# -- reading a PDF -------------------------------------------------------------------------------------

@dataclass
class Line:
    y0: float
    y1: float
    words: list[tuple[float, float, float, float, str]]

    @property
    def text(self) -> str:
        return " ".join(w[4] for w in self.words).replace("\u2060", "")


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    def _zone(self, line: Line) -> str:
        middle = (line.y0 + line.y1) / 2
        return "header" if middle < MARGIN else "footer" if middle > self.height - MARGIN else "body"

    @property
    def header(self) -> str:
        return " ".join(line.text for line in self.lines if self._zone(line) == "header")

    @property
    def footer(self) -> str:
        return " ".join(line.text for line in self.lines if self._zone(line) == "footer")

    @property
    def body_lines(self) -> list[str]:
        return [line.text for line in self.lines if self._zone(line) == "body"]

    @property
    def body(self) -> str:
        return flat(self.body_lines)

    @property
    def words(self) -> list[tuple[float, float, float, float, str]]:
        return [word for line in self.lines for word in line.words]


def flat(lines: list[str]) -> str:
    """Lines as one string: words broken by hyphenation (a hyphen or a soft hyphen at the end of a
    line, a letter on both sides) joined again, all white space one space."""
    text = "\n".join(lines)
    text = re.sub(r"(?<=\w)[\u00ad-]\n(?=\w)", "", text)
    return " ".join(text.replace("\u00ad", "").split())


def pages(pdf: Path) -> list[Page]:
    """Every page of `pdf` with its lines and word boxes (pdftotext -bbox-layout)."""
    xhtml = poppler("pdftotext", "-bbox-layout", pdf, "-")
    root = ElementTree.fromstring(xhtml)
    found = []
    for number, element in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), 1):
        page = Page(number, float(element.get("width")), float(element.get("height")))
        for line in element.iter("{http://www.w3.org/1999/xhtml}line"):
            words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")),
                      w.text or "") for w in line.iter("{http://www.w3.org/1999/xhtml}word")]
            if words:
                page.lines.append(Line(float(line.get("yMin")), float(line.get("yMax")), words))
        page.lines.sort(key=lambda l: (round(l.y0, 1), l.words[0][0]))
        found.append(page)
    return found


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", pdf), re.M).group(1))


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = poppler("pdfinfo", "-f", "1", "-l", str(page_count(pdf)), pdf)
    return [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def contains_words(text: str, words: list[str]) -> bool:
    """`words` occur in `text` one after the other."""
    have, n = words_of(text), len(words)
    return any(have[i:i + n] == words for i in range(len(have) - n + 1))


def same_size(size: tuple[float, float], expected: tuple[float, float]) -> bool:
    return abs(size[0] - expected[0]) < 0.5 and abs(size[1] - expected[1]) < 0.5


# -- the fixture knowledge base -------------------------------------------------------------------------

def make_kb(base: Path) -> Path:
    """tests/fixtures/good/minimal (and the shared vocabularies) with tests/fixtures/booklets/ on top,
    under `base` as copy_fixture lays it out; its build folder is base/fixtures/good/build."""
    shutil.copytree(FIXTURES / "vocabularies", base / "fixtures" / "vocabularies")
    root = base / "fixtures" / "good" / "minimal"
    shutil.copytree(FIXTURES / "good" / "minimal", root)
    shutil.copytree(FIXTURES / "booklets", root, dirs_exist_ok=True)
    return root


def kb(root: Path, *args: str) -> tuple[int, str]:
    """`kb --kb root ARGS` in this process: (exit code, stdout and stderr)."""
    result = CliRunner().invoke(main, ["--kb", str(root), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def write_record(path: Path, front: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n\n{body.strip()}\n", encoding="utf-8")


@dataclass
class Built:
    root: Path
    out: Path  # build/booklets

    def pdf(self, lang: str) -> Path:
        return self.out / f"{BOOKLET}.{lang}.pdf"

    def imposed(self, lang: str) -> Path:
        return self.out / f"{BOOKLET}.{lang}.imposed.pdf"

    @cached_property
    def project(self) -> Project:
        return Project(self.root, use_cache=False)

    @cached_property
    def _pages(self) -> dict[str, list[Page]]:
        return {lang: pages(self.pdf(lang)) for lang in LANGUAGES}

    def pages(self, lang: str) -> list[Page]:
        return self._pages[lang]

    def ids(self, lang: str) -> list[str]:
        manifest = self.project.kb.get(BOOKLET, lang)
        return selection.select(self.project.kb, manifest.meta, lang).ids

    def short(self, record_id: str, lang: str) -> str:
        """The short link printed for a record: the site's r/<code>/ page for it, without the scheme."""
        from experience_kb.site import pages as site_pages

        kb_ = self.project.kb
        codes = site_pages.short_codes((language, i) for i in kb_.by_id for language in self.project.config.languages)
        return "example.org/minimal/" + site_pages.short_url(codes[(lang, record_id)]).rstrip("/")

    def titles(self, lang: str) -> list[str]:
        return [self.project.kb.get(i, lang).title for i in self.ids(lang)]

    def first_pages(self, lang: str) -> dict[str, int]:
        """Heading (chapter title or section name) -> the page it opens, read from the contents page."""
        contents = next(p for p in self.pages(lang) if p.body.startswith(WORDS[lang]["contents"]))
        text = contents.body[len(WORDS[lang]["contents"]):]
        parts = re.split(r"\s*(?:\.\s*){3,}(\d+)\s*", text)
        return {parts[i].strip(): int(parts[i + 1]) for i in range(0, len(parts) - 1, 2)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """The fixture booklet built once, in both languages, with its imposed PDFs."""
    root = make_kb(tmp_path_factory.mktemp("booklets"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, output = kb(root, "booklet", BOOKLET, "--imposed")
    assert code == 0, output
    book = Built(root, root.parent / "build" / "booklets")
    for lang in LANGUAGES:
        assert book.pdf(lang).is_file() and book.imposed(lang).is_file(), output
    return book


@pytest.fixture(scope="module")
def qr_pages(built, tmp_path_factory) -> dict[str, list[list[str]]]:
    """lang -> the QR codes decoded on each page (index 0 is page 1)."""
    folder = tmp_path_factory.mktemp("rendered")
    images = render([built.pdf(lang) for lang in LANGUAGES], folder)
    return {lang: [decode(png) for png in found] for lang, found in zip(LANGUAGES, images)}


# -- the fixture -----------------------------------------------------------------------------------------

def test_the_fixture_knowledge_base_is_valid(tmp_path):
    root = make_kb(tmp_path)
    code, output = kb(root, "validate", "--strict")
    assert code == 0, output


def test_the_fixture_booklet_selects_by_contents_then_by_select_in_date_order(built):
    for lang in LANGUAGES:
        assert built.ids(lang) == ["plain-language", "ro-001-2012", *SELECTED]


# -- 1. fonts --------------------------------------------------------------------------------------------

def test_every_font_is_embedded_and_atkinson_hyperlegible(built):
    for lang in LANGUAGES:
        for pdf in (built.pdf(lang), built.imposed(lang)):
            rows = poppler("pdffonts", pdf).splitlines()[2:]
            assert rows, f"{pdf.name}: pdffonts lists no font"
            for row in rows:
                # name type encoding emb sub uni object ID: the type may hold a space ("CID TrueType")
                columns = row.split()
                name, emb = columns[0], columns[-5]
                assert emb == "yes", f"{pdf.name}: {name} is not embedded ({row})"
                family = name.split("+", 1)[-1]
                assert family.startswith("AtkinsonHyperlegible"), f"{pdf.name}: font {family} is not Atkinson Hyperlegible"
    # the fixture sets text in regular, bold (titles) and italic (an emphasis): each is the real face
    used = {row.split()[0].split("+", 1)[-1] for row in poppler("pdffonts", built.pdf("es")).splitlines()[2:]}
    assert {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold", "AtkinsonHyperlegible-Italic"} <= used, used


def test_code_in_a_body_is_set_in_atkinson_hyperlegible_too(tmp_path):
    """Backticks around an official number (`001-2012-TEST/CR`) or a fenced block: still one family.
    (typst's raw text defaults to its own embedded DejaVu Sans Mono.)"""
    root = make_kb(tmp_path)
    lesson = root / "lessons" / "plain-language.es.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nLa ordenanza `001-2012-TEST/CR` lo dice.\n\n"
                      "```\nArtículo 1.- Reconocer la Mesa.\n```\n", encoding="utf-8")
    code, output = kb(root, "booklet", "plain-language-booklet", "--lang", "es")
    assert code == 0, output
    pdf = root.parent / "build" / "booklets" / "plain-language-booklet.es.pdf"
    assert "001-2012-TEST/CR" in poppler("pdftotext", pdf, "-")
    families = {row.split()[0].split("+", 1)[-1] for row in poppler("pdffonts", pdf).splitlines()[2:]}
    assert families and all(f.startswith("AtkinsonHyperlegible") for f in families), families


# -- 2. Spanish text --------------------------------------------------------------------------------------

SPANISH = ["señora Juana Mamani", "Boca Pariamanu", "compañeros", "acompañar", "doña Ñusta Huamán", "Ñaupari",
           "vergüenza", "institucionalización", "¿Quién entra a nuestro territorio sin permiso?",
           "¡Nunca antes habían visto su bosque dibujado con sus propias observaciones!", "¡Cuéntenos!",
           "«el bosque es nuestra casa, y una casa se cuida mirándola todos los días»",
           "«no pensábamos que alguien nos escuchaba»", "¿Cómo usar esta cartilla?", "¡Escríbanos!"]


def test_spanish_text_survives_with_accents_and_marks(built):
    text = flat([line for page in built.pages("es") for line in page.body_lines])
    for phrase in SPANISH:
        assert phrase in text, f"{phrase!r} is not in the Spanish PDF's text"
    # a straight quote in a Spanish body prints as the guillemets the Spanish records use
    assert "«ronda»" in text and '"ronda"' not in text


def test_english_quotes_follow_the_english_records(built):
    text = flat([line for page in built.pages("en") for line in page.body_lines])
    assert "“the forest is our home, and you look after a home by looking at it every day”" in text
    assert "“round”" in text and "«" not in text


# -- 3. contents and order ---------------------------------------------------------------------------------

def test_the_contents_list_every_chapter_and_the_body_follows_the_selection_order(built):
    for lang in LANGUAGES:
        words = WORDS[lang]
        listed = built.first_pages(lang)
        titles = built.titles(lang)
        sections = [words[s] for s in ("glossary", "timeline", "sources", "credits")]
        assert list(listed) == [words["introduction"], *titles, *sections], f"{lang}: contents {list(listed)}"
        assert built.pages(lang)[1].body.startswith(words["contents"]), "the contents are not on page 2"
        # each chapter opens at the page the contents give, with its title, in the selection's order
        opened = []
        for title, number in listed.items():
            page = built.pages(lang)[number - 1]
            assert page.body.startswith(title), f"{lang}: page {number} should open with {title!r}: {page.body[:80]!r}"
            opened.append(number)
        assert opened == sorted(opened) and len(set(opened)) == len(opened)


# -- 4. pages and paper --------------------------------------------------------------------------------------

def test_the_page_count_fits_the_word_count_and_pages_are_a5(built):
    for lang in LANGUAGES:
        booklet_kb = built.project.kb
        manifest = booklet_kb.get(BOOKLET, lang)
        texts = [manifest.body] + [booklet_kb.get(i, lang).body + " " + str(booklet_kb.get(i, lang).meta["summary"])
                                   for i in built.ids(lang)]
        words = sum(len(words_of(t)) for t in texts)
        chapters = len(built.ids(lang))
        fixed = 2 + len(manifest.meta["sections"])  # cover, contents and one page per section
        low = fixed + max(chapters + 1, math.ceil(words / 400))  # the introduction and each chapter open a page
        high = fixed + chapters + 1 + math.ceil(words / 150)
        count = page_count(built.pdf(lang))
        assert low <= count <= high, f"{lang}: {count} pages for {words} words, expected {low}..{high}"
        sizes = page_sizes(built.pdf(lang))
        assert len(sizes) == count and all(same_size(s, A5) for s in sizes), f"{lang}: {set(sizes)}"


def test_paper_a4_gives_a4_pages(tmp_path):
    root = make_kb(tmp_path)
    manifest = root / "booklets" / "plain-language-booklet.es.md"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("audience:", "paper: A4\naudience:"),
                        encoding="utf-8")
    code, output = kb(root, "booklet", "plain-language-booklet", "--lang", "es")
    assert code == 0, output
    sizes = page_sizes(root.parent / "build" / "booklets" / "plain-language-booklet.es.pdf")
    assert sizes and all(same_size(s, A4) for s in sizes), set(sizes)


# -- 5. nothing runs off the page ------------------------------------------------------------------------------

def off_page(pdf: Path, safe: float = 5 * MM, tolerance: float = 0.5) -> list[str]:
    """Words whose box leaves the page, or comes within `safe` of its edge (where the printer trims)."""
    bad = []
    for page in pages(pdf):
        for x0, y0, x1, y1, text in page.words:
            inside = -tolerance <= x0 and x1 <= page.width + tolerance and -tolerance <= y0 and y1 <= page.height + tolerance
            clear = x0 >= safe and y0 >= safe and x1 <= page.width - safe and y1 <= page.height - safe
            if not (inside and clear):
                bad.append(f"page {page.number}: {text!r} at ({x0:.1f}, {y0:.1f})-({x1:.1f}, {y1:.1f}) "
                           f"on {page.width:.1f} x {page.height:.1f}")
    return bad


def test_no_text_runs_off_the_page(built):
    for lang in LANGUAGES:
        for pdf in (built.pdf(lang), built.imposed(lang)):
            assert off_page(pdf) == [], pdf.name


def test_a_long_unbreakable_word_stays_on_the_page(tmp_path):
    """A file name with underscores (no hyphen, no space, not a URL) in a record's body: typst finds
    no place to break it, and it must still not run off the page."""
    root = make_kb(tmp_path)
    lesson = root / "lessons" / "plain-language.es.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nEl acta está en el archivo "
                      "Acta_de_la_asamblea_general_extraordinaria_de_la_Federacion_del_Rio_2012_version_final.pdf "
                      "de la oficina.\n", encoding="utf-8")
    code, output = kb(root, "booklet", "plain-language-booklet", "--lang", "es")
    assert code == 0, output
    pdf = root.parent / "build" / "booklets" / "plain-language-booklet.es.pdf"
    assert off_page(pdf) == []


# -- 6. imposition ---------------------------------------------------------------------------------------------

def saddle_stitch(count: int) -> list[tuple[int | None, int | None]]:
    """(left, right) pages (from 1, None for a blank) of each printed side, written from the rule:
    blanks go before the last page; sheet k has n-2k | 2k+1 on its front, 2k+2 | n-2k-1 on its back."""
    blanks = -count % 4
    order: list[int | None] = list(range(1, count)) + [None] * blanks + [count]
    n = len(order)
    sides = []
    for k in range(n // 4):
        sides.append((order[n - 1 - 2 * k], order[2 * k]))
        sides.append((order[2 * k + 1], order[n - 2 - 2 * k]))
    return sides


def half_text(pdf: Path, side: int, half: int) -> str:
    width, height = A4_LANDSCAPE
    x = 0 if half == 0 else math.ceil(width / 2)
    text = poppler("pdftotext", "-f", str(side), "-l", str(side), "-x", str(x), "-y", "0",
                   "-W", str(math.floor(width / 2)), "-H", str(math.ceil(height)), pdf, "-")
    return " ".join(text.split())


def test_the_imposed_pdf_has_its_sides_in_saddle_stitch_order(built):
    assert saddle_stitch(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]  # the textbook order, to check the helper
    assert saddle_stitch(5) == [(5, 1), (2, None), (None, 3), (4, None)]
    for lang in LANGUAGES:
        single, imposed = built.pdf(lang), built.imposed(lang)
        count = page_count(single)
        sides = page_sizes(imposed)
        assert len(sides) == 2 * math.ceil(count / 4), f"{lang}: {len(sides)} sides for {count} pages"
        assert all(same_size(s, A4_LANDSCAPE) for s in sides), set(sides)
        source = [" ".join(poppler("pdftotext", "-f", str(n), "-l", str(n), single, "-").split())
                  for n in range(1, count + 1)]
        assert len(set(source)) == count, "two pages of the source have the same text: the check would be blind"
        for side, pair in enumerate(saddle_stitch(count), 1):
            for half, number in enumerate(pair):
                found = half_text(imposed, side, half)
                expected = "" if number is None else source[number - 1]
                assert found == expected, (f"{lang}: side {side}, {'left' if half == 0 else 'right'} half should be "
                                           f"{'blank' if number is None else f'page {number}'}: {found[:80]!r}")


# -- 7. QR codes ----------------------------------------------------------------------------------------------

def chapter_url(built: Built, record_id: str, lang: str) -> str:
    record = built.project.kb.get(record_id, lang)
    return f"{built.project.config.site.base_url}{lang}/{record.type.collection}/{record_id}.html"


def last_words(markdown: str, n: int = 4) -> list[str]:
    return words_of(markdown)[-n:]


def test_every_chapter_has_a_qr_code_to_its_page_beside_its_last_lines(built, qr_pages):
    for lang in LANGUAGES:
        found: dict[str, list[int]] = {}
        for number, codes in enumerate(qr_pages[lang], 1):
            for text in codes:
                found.setdefault(text, []).append(number)
        expected = {chapter_url(built, i, lang): i for i in built.ids(lang)}
        assert set(found) == set(expected), f"{lang}: decoded {sorted(found)}"
        for url, record_id in expected.items():
            assert len(found[url]) == 1, f"{lang}: {url} on pages {found[url]}"
            page = built.pages(lang)[found[url][0] - 1]
            ending = last_words(built.project.kb.get(record_id, lang).body)
            assert contains_words(page.body, ending), (
                f"{lang}: the QR code of {record_id} is on page {page.number}, without its chapter's last words "
                f"{' '.join(ending)!r}: {page.body[:200]!r}")
            # beside it, the short link to type (the site's r/<code>/ page leads to the same URL)
            short = built.short(record_id, lang)
            assert re.fullmatch(r"example\.org/minimal/r/[0-9a-hjkmnp-tv-z]{7}", short), short
            assert short in page.body.replace("\u200b", ""), f"{lang}: {short} is not printed beside the QR code of {url}"


def qr_alone(pdf: Path, lang: str) -> list[int]:
    """Pages whose only content (besides the running header and the page number) is a QR code's caption."""
    label = WORDS[lang]["read_online"]
    alone = []
    for page in pages(pdf):
        if label in page.body:
            rest = page.body.split(label)[0].strip()
            if not rest:
                alone.append(page.number)
    return alone


def test_a_qr_code_is_never_alone_on_a_page(built, tmp_path):
    for lang in LANGUAGES:
        assert qr_alone(built.pdf(lang), lang) == []
    # A sweep: chapters whose last block (a paragraph, a list, a quotation) ends a little lower each
    # time, so that somewhere the QR code no longer fits under it.
    root = make_kb(tmp_path)
    ids = []
    endings = {"paragraph": "Al final, la comunidad revisa los cuadernos y decide qué hacer con lo que vio durante el "
                            "mes, y lo cuenta en la asamblea para que todos lo sepan.",
               "list": "- Revisar los cuadernos.\n- Contar en la asamblea.\n- Decidir qué hacer.",
               "quote": "> «El bosque es nuestra casa», dijo la promotora al cerrar la reunión de la comunidad."}
    for kind, ending in endings.items():
        for lines in range(14, 34):
            record_id = f"sweep-{kind}-{lines:02d}"
            ids.append(record_id)
            body = "\n\n".join(f"Línea {k} de la ficha: el río crece y la comunidad vigila." for k in range(lines))
            write_record(root / "lessons" / f"{record_id}.es.md", f"""
id: {record_id}
title: Ficha {kind} {lines}
summary: Una ficha de prueba.
type: lesson
level: local
lesson_kind: lesson
related:
  - {{id: plain-language, relation: see_also}}
sources:
  - {{title: Fixture source, page: "3"}}
""", body + "\n\n" + ending)
    write_record(root / "booklets" / "sweep.es.md", f"""
id: sweep
type: booklet
title: Barrido
summary: Una cartilla de prueba.
date: '2014'
level: local
audience: [civil_society]
contents: [{', '.join(ids)}]
sections: []
sources:
  - {{title: Fixture source, page: "3"}}
""", "Una cartilla de prueba.")
    code, output = kb(root, "booklet", "sweep", "--lang", "es")
    assert code == 0, output
    pdf = root.parent / "build" / "booklets" / "sweep.es.pdf"
    assert qr_alone(pdf, "es") == []
    assert sum(WORDS["es"]["read_online"] in p.body for p in pages(pdf)) == len(ids)


# -- 8. interface words and running headers ---------------------------------------------------------------------

def test_interface_words_are_in_the_booklets_language(built):
    for lang, other in (("es", "en"), ("en", "es")):
        every = [p for p in built.pages(lang)]
        text = " ".join(p.body for p in every)
        for key in ("contents", "glossary", "sources"):
            assert WORDS[lang][key] in text, f"{lang}: no {WORDS[lang][key]!r}"
        for key in ("contents", "glossary", "timeline", "credits", "read_online"):
            assert WORDS[other][key] not in text, f"{lang}: {WORDS[other][key]!r} is in the other language"
        # every page after the contents carries its number, in words of the booklet's language
        for page in every[2:]:
            assert page.footer == f"{WORDS[lang]['page']} {page.number}", f"{lang}: page {page.number}: {page.footer!r}"
        assert every[0].footer == "" and every[1].footer == "", "the cover and the contents carry no number"


def test_the_running_header_shows_the_chapter_title_after_its_first_page(built):
    for lang in LANGUAGES:
        listed = built.first_pages(lang)
        starts = sorted(listed.values()) + [len(built.pages(lang)) + 1]
        spread = 0
        for title, first in listed.items():
            following = starts[starts.index(first) + 1]
            assert built.pages(lang)[first - 1].header == "", f"{lang}: page {first} opens {title!r} under a header"
            for number in range(first + 1, following):
                spread += 1
                header = built.pages(lang)[number - 1].header
                assert header == title, f"{lang}: page {number} (in {title!r}) has the header {header!r}"
        assert spread >= 4, "too few chapters run over a page for this check to mean something"


# -- 9. glossary -------------------------------------------------------------------------------------------------

def section_text(built: Built, lang: str, key: str) -> str:
    listed = built.first_pages(lang)
    first = listed[WORDS[lang][key]]
    following = min([n for n in listed.values() if n > first] + [len(built.pages(lang)) + 1])
    return flat([line for page in built.pages(lang)[first - 1:following - 1] for line in page.body_lines])


def test_the_glossary_lists_only_the_terms_the_booklet_uses(built):
    expected = {"es": (["Monitoreo comunitario", "REDD+"], "Consulta previa"),
                "en": (["Community monitoring", "REDD+"], "Prior consultation")}
    for lang, (used, unused) in expected.items():
        glossary = section_text(built, lang, "glossary")
        terms = re.findall(r"(?:^|(?<=\. ))([^:.]+):", glossary[len(WORDS[lang]["glossary"]):].strip())
        assert [t.strip() for t in terms] == used, f"{lang}: {glossary!r}"
        text = " ".join(p.body for p in built.pages(lang))
        assert unused not in text and unused.lower() not in text.lower(), f"{lang}: {unused} is not used, yet printed"
        definition = built.project.kb.get("community-monitoring", lang).meta["definition"]
        assert " ".join(definition.split()) in glossary


def test_the_timeline_lists_the_dated_chapters_in_order(built):
    timeline = section_text(built, "es", "timeline")
    order = ["1 de junio de 2012", "marzo de 2013", "mayo de 2013", "septiembre de 2013", "febrero de 2014"]
    positions = [timeline.find(when) for when in order]
    assert -1 not in positions and positions == sorted(positions), timeline


# -- 10. readability -----------------------------------------------------------------------------------------------

HARD = {"es": ("La implementación progresiva de mecanismos interinstitucionales de coordinación intersectorial "
               "requiere necesariamente la consolidación sistemática de capacidades técnicas, administrativas y "
               "presupuestarias en las instancias descentralizadas responsables de la gestión territorial, "
               "considerando simultáneamente las especificidades socioculturales, económicas y ambientales de "
               "las poblaciones beneficiarias involucradas en los procesos participativos correspondientes. "),
        "en": ("The progressive implementation of interinstitutional coordination mechanisms necessarily requires "
               "the systematic consolidation of technical, administrative and budgetary capabilities within the "
               "decentralized authorities responsible for territorial management, simultaneously considering the "
               "sociocultural, economic and environmental specificities of the beneficiary populations involved "
               "in the corresponding participatory processes. ")}
PLAIN = {"es": "El río es de todos. Lo cuidamos juntos. Vamos al monte en grupo. Miramos los árboles. "
               "Contamos lo que vemos. Lo decimos en la asamblea. Así todos saben. ",
         "en": "The river is for all. We look after it. We go to the woods as a group. We look at the trees. "
               "We tell what we see. We say it at the meeting. So all of us know. "}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hard_sentences_for_grassroots_warn_and_plain_ones_do_not(tmp_path, lang):
    from experience_kb.booklets.build import build_one

    root = make_kb(tmp_path)
    for name, text in (("hard", HARD[lang] * 4), ("plain", PLAIN[lang] * 4)):
        write_record(root / "booklets" / f"{name}-booklet.{lang}.md", f"""
id: {name}-booklet
type: booklet
title: Cartilla {name}
summary: Una cartilla de prueba.
date: '2014'
level: local
audience: [grassroots]
contents: [safeguards-workshop-2012]
sections: []
sources:
  - {{title: Fixture source, page: "3"}}
""", text)
    project = Project(root, use_cache=False)
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir()
    hard = build_one(project, "hard-booklet", lang, out, work)
    plain = build_one(project, "plain-booklet", lang, out, work)
    for result in (hard, plain):
        assert result.reading is not None and isinstance(result.reading.score, (int, float)), result.reading
        assert not [p for p in result.problems if p.severity is Severity.ERROR], result.problems
    assert hard.reading.score < plain.reading.score
    warnings = [p for p in hard.problems if p.code is Code.HARD_TO_READ]
    assert len(warnings) == 1 and warnings[0].severity is Severity.WARNING, hard.problems
    assert Path(warnings[0].path).name == f"hard-booklet.{lang}.md"
    assert [p for p in plain.problems if p.code is Code.HARD_TO_READ] == [], (plain.reading, plain.problems)


def test_a_booklet_for_other_readers_never_warns(built):
    from experience_kb.booklets.build import build_one

    out = built.out.parent / "elsewhere"
    out.mkdir(exist_ok=True)
    result = build_one(built.project, BOOKLET, "es", out, built.out.parent / ".elsewhere-work", "epub")
    assert result.reading is not None and result.reading.score is not None
    assert [p for p in result.problems if p.code is Code.HARD_TO_READ] == []


# -- 11. failures -----------------------------------------------------------------------------------------------

def test_a_chapter_typst_cannot_set_fails_naming_the_record_and_keeps_the_previous_pdf(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_kb(tmp_path)
    out = root.parent / "build" / "booklets"
    code, output = kb(root, "build", "booklets")
    assert code == 0, output
    import json

    listed = json.loads((out / "booklets.json").read_text(encoding="utf-8"))
    assert sorted((b["id"], b["lang"]) for b in listed) == sorted(
        (b, lang) for b in (BOOKLET, "plain-language-booklet") for lang in LANGUAGES)
    for entry in listed:
        assert entry["files"] == [f"{entry['id']}.{entry['lang']}.pdf", f"{entry['id']}.{entry['lang']}.imposed.pdf"]
        assert entry["pages"] > 0 and entry["readability"]["score"] is not None
    before = {path.name: path.read_bytes() for path in out.glob("*.pdf")}
    assert len(before) == 8

    # A character Atkinson Hyperlegible lacks (typst warns; a warning is an error here).
    lesson = root / "lessons" / "women-in-patrols.es.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nEl bosque se dice 森 en japonés 🌳.\n", encoding="utf-8")

    code, output = kb(root, "booklet", BOOKLET, "--lang", "es", "--imposed")
    assert code == 1, output
    assert "[booklet-failed]" in output and "women-in-patrols" in output, output
    assert "Traceback" not in output
    for name, data in before.items():
        assert (out / name).read_bytes() == data, f"{name} changed after a failed build"

    from experience_kb.booklets.build import build_one

    result = build_one(Project(root, use_cache=False), BOOKLET, "es", tmp_path / "lib", tmp_path / "libwork")
    failed = [p for p in result.problems if p.code is Code.BOOKLET_FAILED]
    assert len(failed) == 1 and failed[0].severity is Severity.ERROR and "women-in-patrols" in failed[0].message
    message = failed[0].message
    # typst's message and the record's file, without typst's drawing of our generated source
    assert "森" in message and "lessons/women-in-patrols.es.md" in message, message
    assert not set(message) & set("│┌^") and len(message) < 700, message
    assert Path(failed[0].path).name == f"{BOOKLET}.es.md"
    assert result.files == [] and not (tmp_path / "lib" / f"{BOOKLET}.es.pdf").exists()

    # The stage: the failed booklet keeps its previous files; the others are built again.
    code, output = kb(root, "build", "booklets")
    assert code == 1, output
    assert "[booklet-failed]" in output and "women-in-patrols" in output
    for name, data in before.items():
        assert (out / name).read_bytes() == data, f"{name} differs after the stage"
    listed = {(b["id"], b["lang"]): b for b in json.loads((out / "booklets.json").read_text(encoding="utf-8"))}
    assert listed[(BOOKLET, "en")]["files"] and listed[("plain-language-booklet", "es")]["files"]


def test_a_failure_in_the_glossary_blames_no_chapter(tmp_path):
    """The character typst cannot set is in a glossary entry's definition (printed in the glossary
    section, after every chapter): the problem names that entry, not the last chapter's record."""
    from experience_kb.booklets.build import build_one

    root = make_kb(tmp_path)
    entry = root / "glossary" / "community-monitoring.es.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("definition: La observación",
                                                              "definition: 森 La observación"), encoding="utf-8")
    result = build_one(Project(root, use_cache=False), BOOKLET, "es", tmp_path / "out", tmp_path / "work")
    failed = [p for p in result.problems if p.code is Code.BOOKLET_FAILED]
    assert len(failed) == 1, result.problems
    assert "radio-workshop-2014" not in failed[0].message, failed[0].message  # the last chapter is not at fault
    assert "community-monitoring" in failed[0].message, failed[0].message


# -- 12. reproducible ---------------------------------------------------------------------------------------------

def test_two_builds_give_identical_files(built, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_kb(tmp_path / "elsewhere")  # another path, files written later (other mtimes)
    assert not (root / ".git").exists() and subprocess.run(
        ["git", "-C", str(root), "rev-parse"], capture_output=True, check=False).returncode != 0
    code, output = kb(root, "booklet", BOOKLET, "--imposed")
    assert code == 0, output
    again = root.parent / "build" / "booklets"
    for lang in LANGUAGES:
        assert (again / built.pdf(lang).name).read_bytes() == built.pdf(lang).read_bytes(), lang
        assert (again / built.imposed(lang).name).read_bytes() == built.imposed(lang).read_bytes(), lang


# -- 13. cache -----------------------------------------------------------------------------------------------------

def test_a_rebuild_converts_only_the_changed_chapter(tmp_path, monkeypatch):
    from experience_kb.booklets import build, typeset

    root = make_kb(tmp_path)
    calls: list[str] = []
    original = typeset._pandoc

    def counted(markdown, *args, **kwargs):
        calls.append(markdown)
        return original(markdown, *args, **kwargs)

    monkeypatch.setattr(typeset, "_pandoc", counted)
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir()

    def once() -> tuple[int, set[str]]:
        calls.clear()
        result = build.build_one(Project(root, use_cache=False), BOOKLET, "es", out, work)
        assert not result.problems, result.problems
        return len(calls), {p.name for p in (work / "typst").iterdir()}

    first, cached = once()
    assert first == 1 and len(cached) == 1 + 6  # the introduction and six chapters, in one pandoc call
    lesson = root / "workshops" / "radio-workshop-2014.es.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nLa emisora pidió más programas.\n", encoding="utf-8")
    second, now = once()
    assert second == 1, f"{second} pandoc calls after one chapter changed"
    assert len(now - cached) == 1
    assert "La emisora pidió más programas." in calls[0] and "Juana Mamani" not in calls[0]
    assert "La emisora pidió más programas." in flat(
        [line for page in pages(out / f"{BOOKLET}.es.pdf") for line in page.body_lines])
    third, _ = once()
    assert third == 0


# -- 14. docx and epub ----------------------------------------------------------------------------------------------

def xml_text(data: bytes) -> str:
    """The text of an XML document, paragraph by paragraph (Word runs joined)."""
    text = re.sub(rb"</w:p>|</p>|</h\d>|<br\s*/?>", b"\n", data)
    text = re.sub(rb"<[^>]+>", b"", text).decode("utf-8")
    import html

    return " ".join(html.unescape(text).replace("\u00a0", " ").split(" "))  # pandoc ties "No." to the next word


def test_docx_is_a5_with_titles_and_qr_images(built):
    code, output = kb(built.root, "booklet", BOOKLET, "--lang", "es", "--format", "docx")
    assert code == 0, output
    docx = built.out / f"{BOOKLET}.es.docx"
    with zipfile.ZipFile(docx) as archive:
        assert archive.testzip() is None
        document = archive.read("word/document.xml")
        sizes = re.findall(rb"<w:pgSz [^>]*/>", document)
        assert sizes and all(b'w:w="8391"' in s and b'w:h="11906"' in s for s in sizes), sizes
        text = xml_text(document)
        for title in built.titles("es"):
            assert title in text, title
        images = [name for name in archive.namelist() if name.startswith("word/media/") and name.endswith(".png")]
        decoded = [url for name in images for url in decode(archive.read(name))]
        targets = link_targets(archive)
    urls = [chapter_url(built, i, "es") for i in built.ids("es")]
    assert sorted(decoded) == sorted(urls)
    for record_id, url in zip(built.ids("es"), urls):
        short = built.short(record_id, "es")
        assert short in text, f"{short} is not in the docx as text"
        assert url.encode() in targets, f"the short link {short} does not lead to {url}"


def test_epub_is_a_valid_zip_with_titles_and_qr_images(built):
    code, output = kb(built.root, "booklet", BOOKLET, "--lang", "en", "--format", "epub")
    assert code == 0, output
    epub = built.out / f"{BOOKLET}.en.epub"
    with zipfile.ZipFile(epub) as archive:
        assert archive.testzip() is None
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and archive.read("mimetype") == b"application/epub+zip"
        assert first.compress_type == zipfile.ZIP_STORED
        xhtml = "".join(xml_text(archive.read(n)) for n in archive.namelist() if n.endswith(".xhtml"))
        decoded = [url for n in archive.namelist() if n.endswith(".png") for url in decode(archive.read(n))]
    for title in built.titles("en"):
        assert title in xhtml, title
    assert sorted(decoded) == sorted(chapter_url(built, i, "en") for i in built.ids("en"))


# -- 15. safety ------------------------------------------------------------------------------------------------------

HOSTILE = """
Una imagen: ![x](/etc/passwd) y otra ![y](../../kb.yaml) y <img src="/etc/passwd">.

Un enlace [peligroso](javascript:alert(1)), otro [MAYÚSCULAS](JaVaScRiPt:alert(2)), otro <javascript:alert(3)>
y un archivo [local](file:///etc/passwd); un enlace bueno [sitio](https://example.org/bueno).

```{=typst}
#read("/etc/passwd")
```

En línea: `#read("/etc/passwd")`{=typst} y #read("/etc/passwd") y #include "/etc/passwd".

<script>alert("x")</script>

Cita @tierra2012 y [@tierra2012, p. 3]; matemáticas $x^2 + y$; \\(a\\) y $$b$$.

#set page(paper: "a3", fill: red)

#set text(font: "DejaVu Sans")

<!-- un comentario -->
"""


def test_hostile_bodies_are_printed_as_text_and_read_no_file(tmp_path):
    root = make_kb(tmp_path)
    for lang in LANGUAGES:
        write_record(root / "lessons" / f"hostile-body.{lang}.md", """
id: hostile-body
title: Un cuerpo hostil
summary: Una ficha de prueba.
type: lesson
level: local
lesson_kind: lesson
related:
  - {id: plain-language, relation: see_also}
sources:
  - {title: Fixture source, page: "3"}
""", HOSTILE)
        write_record(root / "booklets" / f"hostile-booklet.{lang}.md", """
id: hostile-booklet
type: booklet
title: Cartilla hostil
summary: Una cartilla de prueba.
date: '2014'
level: local
audience: [civil_society]
contents: [hostile-body]
sources:
  - {title: Fixture source, page: "3"}
""", "Una cartilla de prueba.")
    code, output = kb(root, "booklet", "hostile-booklet", "--lang", "es", "--imposed")
    assert code == 0, output
    out = root.parent / "build" / "booklets"
    pdf = out / "hostile-booklet.es.pdf"
    secret = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    text = poppler("pdftotext", pdf, "-")
    assert secret not in text and secret.split(":")[0] + ":x:" not in text
    assert all(same_size(s, A5) for s in page_sizes(pdf)), "#set page(...) in a body changed the page"
    assert "JavaScript:      no" in poppler("pdfinfo", pdf)
    body = flat([line for page in pages(pdf) for line in page.body_lines])
    for shown in ("@tierra2012", "$x^2 + y$", "#set page(paper: «a3», fill: red)", '#read("/etc/passwd")',
                  "peligroso", "sitio"):
        assert shown in body, f"{shown!r} should be printed as text: {body!r}"
    uris = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
                assert "/JS" not in (action or {}), "a JavaScript action"
        assert "/JavaScript" not in document.Root.get("/Names", {})
    assert "https://example.org/bueno" in uris
    assert not [u for u in uris if not u.startswith(("https://", "mailto:"))], uris

    for fmt in ("docx", "epub"):
        code, output = kb(root, "booklet", "hostile-booklet", "--lang", "es", "--format", fmt)
        assert code == 0, output
        with zipfile.ZipFile(out / f"hostile-booklet.es.{fmt}") as archive:
            for name in archive.namelist():
                data = archive.read(name)
                assert secret.encode() not in data, f"{fmt}: {name} holds /etc/passwd"
                if name.endswith((".xhtml", ".html")):
                    assert b"<script" not in data.lower(), f"{fmt}: {name} has a script"
            targets = link_targets(archive)
            assert b"https://example.org/bueno" in targets, (fmt, targets)
            assert [t for t in targets if unsafe(t)] == [], fmt


FORGED = {"qr": """
Un bloque que imita el del código QR:

::: {.kb-qr url="javascript:alert(1)" file="qr-000.svg" png="/etc/passwd" label="Lea" alt="QR"}
:::
""", "image": """
Una imagen que imita las del libro: ![x](/etc/passwd){.kb-own} y un final.
"""}


def link_targets(archive: zipfile.ZipFile) -> list[bytes]:
    """The targets of the links in a docx (its relationships) or an epub (href in its XHTML)."""
    targets = []
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith((".xhtml", ".html")):
            targets += re.findall(rb'\bhref="([^"]*)"', data)
        if name.endswith(".rels"):
            targets += [m for m in re.findall(rb'<Relationship\b[^>]*>', data) if b'TargetMode="External"' in m]
    return [re.sub(rb'.*\bTarget="([^"]*)".*', rb"\1", t) for t in targets]


def unsafe(target: bytes) -> bool:
    return re.sub(rb"[\s\x00-\x1f]", b"", target).lower().startswith((b"javascript:", b"file:", b"data:", b"vbscript:"))


def test_a_body_cannot_forge_the_booklets_own_blocks(tmp_path):
    """The filter trusts a Div of class kb-qr and an Image of class kb-own (its own QR code): a body
    that writes them itself must not get a javascript: link or a file of the build machine in, and
    must not break the build."""
    root = make_kb(tmp_path)
    lesson = root / "lessons" / "plain-language.es.md"
    original = lesson.read_text(encoding="utf-8")
    out = root.parent / "build" / "booklets"
    secret = Path("/etc/passwd").read_bytes().splitlines()[0]
    wrong = []
    for (forged, body), fmt in itertools.product(FORGED.items(), ("pdf", "epub", "docx")):
        lesson.write_text(original + body, encoding="utf-8")
        code, output = kb(root, "booklet", "plain-language-booklet", "--lang", "es", "--format", fmt)
        if code != 0:
            wrong.append(f"{forged}, {fmt}: the build failed: {' '.join(output.split())[:300]}")
            continue
        target = out / f"plain-language-booklet.es.{fmt}"
        if fmt == "pdf":
            with pikepdf.open(target) as document:
                uris = [str(a.A.URI) for page in document.pages for a in page.obj.get("/Annots", [])
                        if a.get("/A") is not None and "/URI" in a.A]
            wrong += [f"{forged}, pdf: a link to {u}" for u in uris if not u.startswith("https://")]
            continue
        with zipfile.ZipFile(target) as archive:
            wrong += [f"{forged}, {fmt}: {name} holds /etc/passwd" for name in archive.namelist()
                      if secret in archive.read(name)]
            wrong += [f"{forged}, {fmt}: a link to {t.decode()}" for t in link_targets(archive) if unsafe(t)]
    assert wrong == [], "\n".join(wrong)


# -- the command line --------------------------------------------------------------------------------------------------

def test_the_command_refuses_what_it_cannot_do(built):
    code, output = kb(built.root, "booklet", "no-such-booklet")
    assert code == 2 and "no-such-booklet" in output and BOOKLET in output, output
    code, output = kb(built.root, "booklet", "plain-language", "--lang", "es")
    assert code == 2, output  # a lesson is not a booklet
    code, output = kb(built.root, "booklet", BOOKLET, "--format", "docx", "--imposed")
    assert code == 2 and "--imposed" in output, output


# -- the bundled booklets ------------------------------------------------------------------------------------------

def test_the_bundled_booklets_build_fit_their_pages_and_list_every_chapter(tmp_path):
    """Every booklet of the bundled knowledge base, in every language it is written in: built without
    failure, A5, its fonts embedded, no text off the page, a page count a saddle-stitched booklet can
    have, and each chapter's title both in the contents and at the head of its chapter."""
    from conftest import BUNDLED
    from experience_kb.booklets.build import build_all

    project = Project(BUNDLED, use_cache=False)
    out = tmp_path / "booklets"
    out.mkdir()
    built = build_all(project, out, tmp_path / "work")
    assert len(built) >= 6, [(b.id, b.lang) for b in built]  # at least three booklets, in two languages
    assert {b.lang for b in built} >= {"es", "en"}
    for booklet in built:
        name = f"{booklet.id}.{booklet.lang}"
        assert [p for p in booklet.problems if p.code is Code.BOOKLET_FAILED] == [], name
        pdf = out / f"{name}.pdf"
        manifest = project.kb.get(booklet.id, booklet.lang)
        ids = selection.select(project.kb, manifest.meta, booklet.lang).ids
        count = page_count(pdf)
        assert len(ids) + 3 <= count <= 64, f"{name}: {count} pages for {len(ids)} chapters"
        assert all(same_size(s, A5) for s in page_sizes(pdf)), name
        assert page_count(out / f"{name}.imposed.pdf") == 2 * math.ceil(count / 4), name
        for row in poppler("pdffonts", pdf).splitlines()[2:]:
            assert row.split()[-5] == "yes", f"{name}: {row}"
        assert off_page(pdf) == [], name
        body = re.sub(r"\s+", " ", flat([line for page in pages(pdf) for line in page.body_lines]))
        for record_id in ids:
            title = " ".join(project.kb.get(record_id, booklet.lang).title.split())
            assert body.count(title) >= 2, f"{name}: {title!r} is not both in the contents and at its chapter"


def test_a_cover_outside_the_knowledge_base_is_refused_and_nothing_is_built(tmp_path):
    """A cover image that is a link out of the knowledge base (here to /etc/passwd): `kb validate`
    says booklet-image at its line, and `kb booklet`, which does not validate everything, refuses
    the manifest with the same problem instead of printing the file or building without a cover."""
    root = make_kb(tmp_path)
    (root / "images" / "evil.png").symlink_to("/etc/passwd")
    manifest = root / "booklets" / "plain-language-booklet.es.md"
    text = manifest.read_text(encoding="utf-8").replace("audience:", "cover_image: images/evil.png\naudience:")
    manifest.write_text(text, encoding="utf-8")
    line = text.splitlines().index("cover_image: images/evil.png") + 1
    code, output = kb(root, "validate")
    assert code == 1 and f"plain-language-booklet.es.md:{line}:" in output and "[booklet-image]" in output, output
    code, output = kb(root, "booklet", "plain-language-booklet", "--lang", "es")
    assert code == 1 and "[booklet-image]" in output and "not built" in output, output
    assert not list((root.parent / "build").rglob("plain-language-booklet.es.*"))
    assert not list((root.parent / "build").rglob("cover*")), "the linked file was copied for typst"


def test_a_failed_booklet_does_not_stop_the_site(tmp_path, monkeypatch):
    """`kb build`: a booklet that fails keeps its previous PDFs, the site is still built and offers
    them, and the job exits 1 naming the stage."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_kb(tmp_path)
    build = root.parent / "build"
    code, output = kb(root, "build")
    assert code == 0, output
    before = (build / "booklets" / f"{BOOKLET}.es.pdf").read_bytes()
    lesson = root / "lessons" / "women-in-patrols.es.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nEl bosque se dice 森 en japonés.\n", encoding="utf-8")
    (build / "site" / "es" / "index.html").unlink()  # to see the site written again
    code, output = kb(root, "build")
    assert code == 1 and "[booklet-failed]" in output, output
    assert "stage 'booklets' failed; the problems above say why" in output and "stopped the build" not in output
    assert "[    ok] site" in output and (build / "site" / "es" / "index.html").is_file()
    assert (build / "site" / "es" / "booklets" / f"{BOOKLET}.es.pdf").read_bytes() == before


def test_an_untranslated_chapter_is_printed_in_its_language_with_a_note(tmp_path):
    """A record with no English version, in the English booklet: printed in Spanish, under a note
    saying so, and tagged as Spanish in the PDF (screen readers, hyphenation)."""
    root = make_kb(tmp_path)
    (root / "workshops" / "radio-workshop-2014.en.md").unlink()
    code, output = kb(root, "booklet", BOOKLET, "--lang", "en")
    assert code == 0, output
    pdf = root.parent / "build" / "booklets" / f"{BOOKLET}.en.pdf"
    spanish = Project(root, use_cache=False).kb.get("radio-workshop-2014", "es")
    text = flat([line for page in pages(pdf) for line in page.body_lines])
    assert "This chapter has not been translated yet; it is printed in Spanish." in text
    assert contains_words(text, last_words(spanish.body, 6))
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "en"
        tagged = {(str(obj.S), str(obj.Lang)) for obj in document.objects
                  if isinstance(obj, pikepdf.Dictionary) and "/Lang" in obj and "/S" in obj}
    assert {("/H1", "es"), ("/P", "es"), ("/TOCI", "es")} <= tagged, tagged  # its title, its text, its contents line
