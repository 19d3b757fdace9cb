"""Build booklets: one booklet and language (`build_one`), or every manifest in every
language it is written in (`build_all`, the `booklets` stage).

Output: `<out>/<id>.<lang>.pdf` and, for print shops, `<id>.<lang>.imposed.pdf` (A5 two-up on
A4, in folding order); `kb booklet --format docx|epub` writes `<id>.<lang>.docx|epub`. Work
that is not published (compiled catalogs, QR codes, the typst source, cached conversions) goes
to `build/.booklets-work/`. Every file is written to a temporary name and renamed into place.

A failure (pandoc, typst) becomes a problem at the manifest, naming the record it came from;
the other booklets are still built, and the failed one's previous file is kept.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..checks import booklet_rules
from ..problems import Code, Problem, Severity, problem
from ..records import readability
from ..timestamps import content_epoch
from . import compose, impose, typeset

if TYPE_CHECKING:
    from ..project import Project

Progress = Callable[[str, int, int], None]
FORMATS = ("pdf", "docx", "epub")


@dataclass
class Built:
    """One booklet in one language."""

    id: str
    lang: str
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    paper: str = ""  # A5 or A4
    seconds: float = 0.0
    reading: readability.Measure | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Not built: pandoc or typst failed, or the manifest has errors."""
        return any(p.severity is Severity.ERROR for p in self.problems)


def _write(target: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(name, 0o644)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def build_one(project: Project, booklet_id: str, lang: str, out: Path, work: Path, fmt: str = "pdf",
              imposed: bool = False) -> Built:
    started = time.perf_counter()
    result = Built(booklet_id, lang)
    manifest = project.kb.get(booklet_id, lang)
    refused = [p for p in booklet_rules.manifest(project.kb, manifest) if p.severity is Severity.ERROR]
    if refused:  # what `kb validate` would say of this manifest: fix it first
        result.problems = refused
        return result
    booklet = compose.compose(project, booklet_id, lang)
    result.reading, result.paper = booklet.reading, booklet.paper
    folder = work / f"{booklet_id}.{lang}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    qr = typeset.qr_codes(booklet, folder)
    try:
        if fmt == "pdf":
            fragments = {typeset.INTRODUCTION: booklet.intro}
            fragments.update({f"chapter {c.id}": typeset.chapter_markdown(booklet, i, qr[i][0], qr[i][1])
                              for i, c in enumerate(booklet.chapters)})
            bodies = typeset.to_typst(fragments, work / "typst")
            pdf = typeset.compile_pdf(booklet, folder, bodies, content_epoch(project.config.root))
            target = out / f"{booklet_id}.{lang}.pdf"
            _write(target, pdf)
            result.files.append(target)
            if imposed:
                printed = out / f"{booklet_id}.{lang}.imposed.pdf"
                result.pages = impose.impose(target, printed).pages
                result.files.append(printed)
            else:
                result.pages = impose.page_count(target)
        else:
            target = out / f"{booklet_id}.{lang}.{fmt}"
            scratch = folder / target.name
            typeset.other_format(booklet, fmt, scratch, qr, folder)
            _write(target, scratch.read_bytes())
            result.files.append(target)
    except typeset.TypesetError as exc:
        result.problems.append(problem(Code.BOOKLET_FAILED, manifest.display, 1, 0,
                                       f"{booklet_id} ({lang}, {fmt}): {_blame(project, exc.owner, lang, exc)}"))
    except impose.ImposeError as exc:
        result.problems.append(problem(Code.BOOKLET_FAILED, manifest.display, 1, 0,
                                       f"{booklet_id} ({lang}, {fmt}): {exc}"))
    result.problems += reading_problems(booklet, manifest.display)
    result.seconds = time.perf_counter() - started
    return result


def _blame(project: Project, owner: str, lang: str, exc: Exception) -> str:
    """`exc`'s message, preceded by what it came from and, for a record, its file."""
    if not owner:
        return str(exc)
    named = owner.startswith(("chapter ", "glossary entry ", "timeline entry "))
    record = project.kb.get(owner.split()[-1], lang) if named else None
    where = f" ({record.display})" if record is not None else ""
    return f"{owner}{where}: {exc}"


def reading_problems(booklet: compose.Booklet, display: str) -> list[Problem]:
    """A warning when a booklet for readers who read with effort reads harder than "normal"."""
    reading = booklet.reading
    if not booklet.plain_language or reading is None or reading.score is None:
        return []
    floor = readability.PLAIN_ENOUGH.get(reading.scale)
    if floor is None or reading.score >= floor:
        return []
    return [problem(Code.HARD_TO_READ, display, 1, 0,
                    f"{booklet.id} ({booklet.lang}) reads as '{reading.level}' ({reading.scale} {reading.score:.0f}; "
                    f"{reading.mean_sentence:.1f} words a sentence) but is for {', '.join(booklet.audience)}: "
                    f"aim for {floor:.0f} or more (shorter sentences, everyday words)")]


def build_all(project: Project, out: Path, work: Path, previous: Path | None = None,
              progress: Progress | None = None) -> list[Built]:
    """Every manifest in every language it is written in, as PDF and imposed PDF. Where one
    fails, the file of the previous build (in `previous`) is kept."""
    say = progress or (lambda step, done, total: None)
    jobs = [(booklet_id, lang) for booklet_id, versions in sorted(compose.manifests(project).items())
            for lang in project.config.languages if lang in versions]
    results = []
    for done, (booklet_id, lang) in enumerate(jobs, 1):
        built = build_one(project, booklet_id, lang, out, work, "pdf", imposed=True)
        results.append(built)
        failed = built.failed
        if failed and previous is not None:
            for name in (f"{booklet_id}.{lang}.pdf", f"{booklet_id}.{lang}.imposed.pdf"):
                if (previous / name).is_file():
                    shutil.copy2(previous / name, out / name)
        score = built.reading
        told = f"{score.scale} {score.score:.0f} ({score.level})" if score and score.score is not None else ""
        state = "FAILED" if failed else f"{built.pages} pages, {built.seconds:.1f} s"
        say(f"booklets: {booklet_id}.{lang}: {state}; reads {told}", 0, 0)
        say("booklets", done, len(jobs))
    return results
