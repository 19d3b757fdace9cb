"""Saddle-stitch imposition: an A5 (portrait) PDF becomes A4 landscape sides that print double-sided
(flip on the short edge), stack, fold in the middle and staple into a booklet.

Page order. A booklet of n pages (n a multiple of 4) takes n/4 sheets, each with two sides holding two
A5 pages side by side. Counting sheets and pages from 0, sheet k carries pages n-1-2k (left) and 2k
(right) on its front, 2k+1 (left) and n-2-2k (right) on its back. For 8 pages, numbered from 1:

    sheet 1   front  8 | 1    back  2 | 7
    sheet 2   front  6 | 3    back  4 | 5

The output lists the sides in that order: front and back of sheet 1, then of sheet 2, and so on.

Padding. A page count that is not a multiple of 4 is padded with blank pages, put before the last page
so the back cover stays on the back: 5 pages read 1 2 3 4 _ _ _ 5. A single page is a front cover and
its three blanks follow it.

Form XObjects. Each source page becomes one Form XObject (its content stream and resources, untouched,
shared fonts copied once) drawn on its half by a single `q cm /Name Do Q`. pypdf's merge_transformed_page
rewrites every drawing operator of the page instead: about 5 s for 40 pages, against a tenth of a second
here. The form is cut to the page's visible box (the CropBox within the MediaBox), carries the page's
/Rotate in its /Matrix, and is scaled to fit its half keeping its aspect ratio, centred, so pages a
little off A5 still print whole. Annotations and links do not survive: this is a file for the printer.

Same input, same bytes: the document ID is derived from the content, nothing records a date, Producer
is fixed, and only the source's Title (from /Info) and Lang (from the catalog) are carried over.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

A4_LANDSCAPE = (841.89, 595.276)  # points: 297 x 210 mm
PRODUCER = "experience-kb booklets (pikepdf)"


class ImposeError(Exception):
    """The source cannot be imposed: not a readable PDF, encrypted, or without pages."""


@dataclass(frozen=True)
class ImposeResult:
    pages: int   # pages in the source
    blanks: int  # blank pages added to reach a multiple of 4
    sides: int   # A4 landscape sides written, two per sheet


def reading_order(count: int) -> list[int | None]:
    """Source page indices (from 0) as the folded booklet reads them, None for each added blank."""
    blanks = [None] * (-count % 4)
    pages: list[int | None] = list(range(count))
    return pages + blanks if count < 2 else pages[:-1] + blanks + pages[-1:]


def side_order(count: int) -> list[tuple[int | None, int | None]]:
    """(left, right) source page indices of each side, in print order; None is a blank half."""
    order = reading_order(count)
    n = len(order)
    sides = []
    for k in range(n // 4):
        sides.append((order[n - 1 - 2 * k], order[2 * k]))      # front of sheet k
        sides.append((order[2 * k + 1], order[n - 2 - 2 * k]))  # back of sheet k
    return sides


def impose(source: Path, target: Path) -> ImposeResult:
    """Write the imposed booklet of the A5 PDF `source` to `target`, which is replaced in one step:
    on any failure (an ImposeError, or an OSError while writing) nothing is written at `target`."""
    source, target = Path(source), Path(target)
    pdf = _open(source)
    with pdf:
        count = len(pdf.pages)
        if count == 0:
            raise ImposeError(f"{source}: the PDF has no pages")
        sides = side_order(count)
        try:
            out = _compose(pdf, sides)
            _write(out, target, pdf.pdf_version)
        except pikepdf.PdfError as error:
            raise ImposeError(f"{source}: the PDF could not be imposed ({error})") from error
    return ImposeResult(pages=count, blanks=-count % 4, sides=len(sides))


def _open(source: Path) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError as error:
        raise ImposeError(f"{source}: the PDF is encrypted; impose an unencrypted copy") from error
    except pikepdf.PdfError as error:
        raise ImposeError(f"{source}: not a readable PDF ({error})") from error
    except OSError as error:
        raise ImposeError(f"{source}: cannot be read ({error.strerror or error})") from error
    if pdf.is_encrypted:  # opened with the empty user password, but still encrypted
        pdf.close()
        raise ImposeError(f"{source}: the PDF is encrypted; impose an unencrypted copy")
    return pdf


def _compose(pdf: pikepdf.Pdf, sides: list[tuple[int | None, int | None]]) -> pikepdf.Pdf:
    """A new PDF with the sides; its streams are read from `pdf`, which must stay open until saved."""
    out = pikepdf.Pdf.new()
    forms = [out.copy_foreign(_form(page)) for page in pdf.pages]
    width, height = A4_LANDSCAPE
    halves = (pikepdf.Rectangle(0, 0, width / 2, height), pikepdf.Rectangle(width / 2, 0, width, height))
    for pair in sides:
        side = out.add_blank_page(page_size=A4_LANDSCAPE)
        content = b""
        for slot, index, half in zip(("L", "R"), pair, halves):
            if index is None:
                continue
            name = side.add_resource(forms[index], pikepdf.Name.XObject, pikepdf.Name("/P" + slot))
            content += side.calc_form_xobject_placement(forms[index], name, half, allow_expand=True)
        side.obj.Contents = out.make_stream(content)
    _metadata(pdf, out)
    return out


def _form(page: pikepdf.Page) -> pikepdf.Object:
    """The page as a Form XObject: /Rotate and /UserUnit in its /Matrix, clipped to the visible box."""
    form = page.as_form_xobject(handle_transformations=True)
    form.BBox = _visible_box(page)
    return form


def _visible_box(page: pikepdf.Page) -> pikepdf.Array:
    """The CropBox within the MediaBox (the PDF rule); the MediaBox when they do not overlap."""
    media, crop = pikepdf.Rectangle(page.mediabox), pikepdf.Rectangle(page.cropbox)
    llx, lly = max(media.llx, crop.llx), max(media.lly, crop.lly)
    urx, ury = min(media.urx, crop.urx), min(media.ury, crop.ury)
    if urx <= llx or ury <= lly:
        return media.as_array()
    return pikepdf.Rectangle(llx, lly, urx, ury).as_array()


def _metadata(pdf: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    info = pdf.trailer.get("/Info")
    title = info.get("/Title") if isinstance(info, pikepdf.Dictionary) else None
    out.trailer.Info = out.make_indirect(pikepdf.Dictionary(Producer=pikepdf.String(PRODUCER)))
    if isinstance(title, pikepdf.String):
        out.trailer.Info.Title = pikepdf.String(str(title))
    lang = pdf.Root.get("/Lang")
    if isinstance(lang, pikepdf.String):
        out.Root.Lang = pikepdf.String(str(lang))


def _write(out: pikepdf.Pdf, target: Path, version: str) -> None:
    """Save through a uniquely named temporary file beside `target`, swapped in with one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            out.save(stream, deterministic_id=True, min_version=version, compress_streams=True)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the booklet is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def page_count(source: Path) -> int:
    """The number of pages of a PDF (ImposeError when it is not one)."""
    with _open(source) as pdf:
        return len(pdf.pages)
