"""Saddle-stitch imposition (booklets/impose.py), checked on real PDFs: typst makes the A5 sources,
poppler (pdfinfo, pdftotext, pdftoppm) reads what impose wrote, half by half."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import time
from pathlib import Path

import pikepdf
import pytest
import typst

from experience_kb.booklets.impose import ImposeError, ImposeResult, impose

COUNTS = [1, 2, 3, 4, 5, 8, 13, 40]
WIDTH, HEIGHT = 841.89, 595.276  # A4 landscape, points
MARKER = re.compile(r"PAGE-\d\d")


def poppler(tool: str, *args: str) -> bytes:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing; install poppler-utils (apt-get install poppler-utils)", pytrace=False)
    return subprocess.run([tool, *args], capture_output=True, check=True).stdout


def marker(number: int) -> str:
    return f"PAGE-{number:02d}"


def make_source(path: Path, count: int, *, page: str = 'paper: "a5"', preamble: str = "") -> Path:
    """An A5 PDF of `count` pages, each showing only its big marker PAGE-01, PAGE-02, ..."""
    body = "\n#pagebreak()\n".join(f"#align(center + horizon)[#text(size: 40pt)[{marker(i)}]]"
                                   for i in range(1, count + 1))
    typst.compile(f"#set page({page})\n{preamble}\n{body}\n".encode(), output=str(path), ignore_system_fonts=True)
    return path


def halves(pdf: Path, side: int) -> tuple[str | None, str | None]:
    """The marker on the left and on the right half of `side` (from 1), None where the half is blank."""
    found = []
    for x in (0, math.ceil(WIDTH / 2)):
        text = poppler("pdftotext", "-f", str(side), "-l", str(side), "-x", str(x), "-y", "0",
                       "-W", str(math.ceil(WIDTH / 2)), "-H", str(math.ceil(HEIGHT)), str(pdf), "-").decode()
        markers = MARKER.findall(text)
        assert len(markers) <= 1, f"side {side} has {markers} on one half"
        assert markers or not text.strip(), f"a blank half of side {side} has text: {text!r}"
        found.append(markers[0] if markers else None)
    return found[0], found[1]


def all_halves(pdf: Path) -> list[tuple[str | None, str | None]]:
    return [halves(pdf, side) for side in range(1, page_count(pdf) + 1)]


def page_count(pdf: Path) -> int:
    return int(re.search(rb"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))


def expected_sides(count: int) -> list[tuple[str | None, str | None]]:
    """The folding order, worked out here on its own: blanks before the last page, then sheet k
    carries [n-1-2k, 2k] on its front and [2k+1, n-2-2k] on its back."""
    pages: list[str | None] = [marker(i) for i in range(1, count + 1)]
    blanks: list[str | None] = [None] * (-count % 4)
    order = pages + blanks if count == 1 else pages[:-1] + blanks + pages[-1:]
    n = len(order)
    return [pair for k in range(n // 4)
            for pair in ((order[n - 1 - 2 * k], order[2 * k]), (order[2 * k + 1], order[n - 2 - 2 * k]))]


def ink(pdf: Path, side: int) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) in points of everything drawn on `side`, as poppler renders it."""
    data = poppler("pdftoppm", "-gray", "-r", "72", "-f", str(side), "-l", str(side), str(pdf))
    magic, width, height, _, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    width, height = int(width), int(height)
    rows = [pixels[y * width:(y + 1) * width] for y in range(height)]
    dark = [(y, re.search(rb"[\x00-\x7f]", row).start(), width - re.search(rb"[\x00-\x7f]", row[::-1]).start())
            for y, row in enumerate(rows) if re.search(rb"[\x00-\x7f]", row)]
    if not dark:
        return None
    return min(d[1] for d in dark), dark[0][0], max(d[2] for d in dark), dark[-1][0] + 1


@pytest.fixture(scope="module")
def imposed(tmp_path_factory):
    """count -> (result, imposed PDF); each source made and imposed once for the module."""
    folder = tmp_path_factory.mktemp("impose")
    done: dict[int, tuple[ImposeResult, Path]] = {}

    def get(count: int) -> tuple[ImposeResult, Path]:
        if count not in done:
            source = make_source(folder / f"source-{count}.pdf", count)
            target = folder / f"booklet-{count}.pdf"
            done[count] = (impose(source, target), target)
        return done[count]

    return get


@pytest.mark.parametrize("count", COUNTS)
def test_every_side_is_a4_landscape_and_there_are_two_per_sheet(imposed, count):
    result, pdf = imposed(count)
    sides = math.ceil(count / 4) * 2
    info = poppler("pdfinfo", "-f", "1", "-l", str(sides + 1), str(pdf)).decode()
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]
    assert len(sizes) == sides == page_count(pdf)
    assert all(abs(w - 842) <= 1 and abs(h - 595) <= 1 for w, h in sizes), sizes
    assert set(re.findall(r"^Page\s+\d+ rot:\s+(\d+)", info, re.M)) == {"0"}
    assert result == ImposeResult(pages=count, blanks=-count % 4, sides=sides)


@pytest.mark.parametrize("count", COUNTS)
def test_the_halves_carry_the_pages_in_folding_order(imposed, count):
    _, pdf = imposed(count)
    assert all_halves(pdf) == expected_sides(count)


def test_eight_pages_print_as_the_docstring_says(imposed):
    _, pdf = imposed(8)
    assert all_halves(pdf) == [(marker(8), marker(1)), (marker(2), marker(7)),
                               (marker(6), marker(3)), (marker(4), marker(5))]


def test_blanks_go_before_the_back_cover(imposed):
    _, pdf = imposed(5)  # reads 1 2 3 4 _ _ _ 5
    assert all_halves(pdf) == [(marker(5), marker(1)), (marker(2), None), (None, marker(3)), (marker(4), None)]
    for count in (2, 3, 13):
        _, pdf = imposed(count)
        assert halves(pdf, 1)[0] == marker(count), "the last page is the back cover, beside the front"
    _, pdf = imposed(1)
    assert all_halves(pdf) == [(None, marker(1)), (None, None)], "a single page is a front cover"


def test_two_runs_write_the_same_bytes_and_keep_title_and_language(tmp_path):
    source = make_source(tmp_path / "source.pdf", 6,
                         preamble='#set document(title: "Über Fehler")\n#set text(lang: "de")')
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    impose(source, first)
    time.sleep(1.05 - time.time() % 1)  # into the next second: a clock-seeded /ID would now differ
    impose(source, second)
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        assert str(pdf.Root.Lang) == "de"
        assert str(pdf.docinfo.Title) == "Über Fehler"
        assert "/CreationDate" not in pdf.docinfo and "/ModDate" not in pdf.docinfo
        assert str(pdf.docinfo.Producer) == "experience-kb booklets (pikepdf)"


def test_an_existing_target_is_replaced(tmp_path):
    target = tmp_path / "booklet.pdf"
    target.write_bytes(b"old")
    impose(make_source(tmp_path / "source.pdf", 4), target)
    assert all_halves(target) == expected_sides(4)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booklet.pdf", "source.pdf"]


def _encrypted(path: Path, user: str) -> None:
    with pikepdf.open(make_source(path.with_suffix(".plain.pdf"), 2)) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user=user))


BAD = {
    "not a PDF": (lambda path: path.write_text("hello, not a PDF\n"), "not a readable PDF"),
    "empty file": (lambda path: path.write_bytes(b""), "not a readable PDF"),
    "missing file": (lambda path: None, "cannot be read"),
    "no pages": (lambda path: pikepdf.Pdf.new().save(path), "has no pages"),
    "encrypted": (lambda path: _encrypted(path, "secret"), "encrypted"),
    "encrypted, empty user password": (lambda path: _encrypted(path, ""), "encrypted"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_source_raises_and_writes_nothing(tmp_path, case):
    make, message = BAD[case]
    (folder := tmp_path / "out").mkdir()
    source, target = tmp_path / "source.pdf", folder / "booklet.pdf"
    make(source)
    with pytest.raises(ImposeError, match=message) as raised:
        impose(source, target)
    assert str(source) in str(raised.value)
    assert list(folder.iterdir()) == []
    target.write_bytes(b"old booklet")
    with pytest.raises(ImposeError):
        impose(source, target)
    assert target.read_bytes() == b"old booklet" and list(folder.iterdir()) == [target]


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    import experience_kb.booklets.impose as module

    source = make_source(tmp_path / "source.pdf", 3)
    (folder := tmp_path / "out").mkdir()

    def failing(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(module.os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        impose(source, folder / "booklet.pdf")
    assert list(folder.iterdir()) == []


def test_a_page_a_little_off_a5_is_scaled_to_fit_its_half_centred(tmp_path):
    """Black pages show where each lands: the whole half's width, centred top to bottom, same shape."""
    for width, height in ((440, 620), (400, 560)):  # a little larger (shrunk), a little smaller (enlarged)
        page = f"width: {width}pt, height: {height}pt, fill: black"
        source = make_source(tmp_path / f"source-{width}.pdf", 1, page=page)
        target = tmp_path / f"booklet-{width}.pdf"
        impose(source, target)
        left, top, right, bottom = ink(target, 1)
        assert abs(left - WIDTH / 2) <= 2 and abs(right - WIDTH) <= 2, (left, right)
        assert abs(top - (HEIGHT - bottom)) <= 2, (top, bottom)
        assert abs((right - left) / (bottom - top) - width / height) < 0.01


def test_the_rotation_of_a_page_is_respected(tmp_path):
    """A landscape page turned upright by /Rotate 90 fills its half at full size, its text vertical."""
    path = tmp_path / "source.pdf"
    typst.compile(b"#set page(width: 595.276pt, height: 419.528pt, margin: 0pt)\n"
                  b"#place(top + left, dx: 20pt, dy: 20pt)[#text(size: 30pt)[PAGE-01]]\n",
                  output=str(path), ignore_system_fonts=True)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(path)
    impose(path, tmp_path / "booklet.pdf")
    left, top, right, bottom = ink(tmp_path / "booklet.pdf", 1)
    # the top-left corner of the unrotated page is now top right, 20 pt in, text running downwards
    assert left > WIDTH / 2 and WIDTH - 40 < right < WIDTH - 15 and 15 < top < 40
    assert bottom - top > 2 * (right - left)


def test_only_the_crop_box_is_shown(tmp_path):
    """A big page cropped to an A5 area: that area fills the half; what lies outside it is not drawn."""
    path = tmp_path / "source.pdf"
    typst.compile(b"#set page(width: 900pt, height: 1000pt, margin: 0pt)\n"
                  b"#place(top + left, dx: 409.764pt, dy: 502.362pt)[#place(center + horizon)[#text(size: 30pt)[PAGE-01]]]\n"
                  b"#place(top + left, dx: 20pt, dy: 480pt)[#text(size: 30pt)[OUTSIDE]]\n",
                  output=str(path), ignore_system_fonts=True)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].CropBox = [200, 200, 619.528, 795.276]  # A5, its centre under PAGE-01
        pdf.pages[0].TrimBox = pdf.pages[0].MediaBox  # the visible box wins over a larger TrimBox
        pdf.save(path)
    impose(path, tmp_path / "booklet.pdf")
    left, top, right, bottom = ink(tmp_path / "booklet.pdf", 1)
    assert left > WIDTH / 2, "OUTSIDE, left of the crop box, was drawn"
    assert abs((left + right) / 2 - WIDTH * 3 / 4) <= 2 and abs((top + bottom) / 2 - HEIGHT / 2) <= 6
