"""From a composed `Booklet` to documents: the only module that calls pandoc and typst.

- **Markdown to typst, per chapter, cached.** Each chapter's Markdown goes through pandoc (the
  `pypandoc-binary` wheel) with our Lua filter. Chapters not in the cache are converted in one
  pandoc call, split again at markers; a chapter whose text, pandoc and filter are unchanged is
  never converted twice (`build/.booklets-work/typst/`).
- **One typst document**: a generated preamble (`kb`: the booklet's texts as typst strings), our
  template (`templates/booklet.typ`), then the cover, contents, introduction, chapters and
  sections. It is compiled in-process by the `typst` wheel with only our pinned font (Atkinson
  Hyperlegible), no system fonts, PDF/UA-1, a fixed timestamp, and a folder of its own as
  `root`, holding nothing but the QR codes and the cover image. A typst warning (a missing
  glyph, a font fallback) is an error.
- **docx and epub** come from the whole booklet's Markdown through pandoc; the QR code becomes
  an image and a link there.

Content is read with `markdown-raw_tex-raw_html-raw_attribute-citations-tex_math_dollars-…`:
plain `markdown` would delete text such as `<comunidad>`, pass raw typst through, read `@name`
as a citation, or take metadata from a YAML block in a body. Our own blocks (the QR codes) carry
a random nonce the filter checks, so a body cannot forge them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import segno
import typst

from .compose import Booklet

HERE = Path(__file__).resolve().parent
FILTER = HERE / "filters" / "kb.lua"
TEMPLATE = HERE / "templates" / "booklet.typ"
READER = ("markdown-raw_tex-raw_html-raw_attribute-citations-tex_math_dollars-auto_identifiers"
          "-yaml_metadata_block-pandoc_title_block")
# Our own QR blocks carry this; a block a record forges cannot guess it (see filters/kb.lua).
NONCE = secrets.token_hex(16)


class TypesetError(Exception):
    """pandoc or typst failed. `owner` says what the failing text came from, where known:
    "chapter <id>", "glossary entry <id>", "the introduction", ..."""

    def __init__(self, message: str, owner: str = "") -> None:
        super().__init__(message)
        self.owner = owner


def fonts() -> list[str]:
    import fontpkg_atkinson_hyperlegible as atkinson

    return [str(Path(atkinson.ROOT) / "files")]


def typst_string(text: str) -> str:
    """`text` as a typst string literal (shown as written, never read as markup)."""
    cleaned = "".join(ch for ch in str(text) if ch >= " " or ch == "\n")
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _pandoc(markdown: str, to: str, extra: list[str] | None = None, output: Path | None = None) -> str:
    args = ["--wrap=none", "--metadata", f"kb-nonce={NONCE}", f"--lua-filter={FILTER}", *(extra or [])]
    try:
        return pypandoc.convert_text(markdown, to, format=READER, extra_args=args,
                                     outputfile=str(output) if output else None)
    except (RuntimeError, OSError) as exc:
        raise TypesetError(f"pandoc failed: {str(exc).strip()[:1500]}") from None


def _version_key() -> str:
    return hashlib.sha256((pypandoc.get_pandoc_version() + FILTER.read_text(encoding="utf-8") + READER)
                          .encode()).hexdigest()[:16]


def chapter_markdown(booklet: Booklet, index: int, qr_file: str, qr_png: str) -> str:
    chapter = booklet.chapters[index]
    summary = f"**{_escape_md(chapter.summary)}**\n\n" if chapter.summary else ""
    attributes = " ".join(f'{k}="{_escape_attr(v)}"' for k, v in (
        ("url", chapter.url), ("shown", chapter.short), ("file", qr_file),
        ("png", qr_png), ("label", booklet.words["read_online"]), ("alt", f"QR: {chapter.url}"), ("nonce", NONCE)))
    return f"{summary}{chapter.body.strip()}\n\n::: {{.kb-qr {attributes}}}\n:::\n"


def _escape_md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~$@^-])", r"\\\1", text)


def _escape_attr(text: str) -> str:
    return str(text).replace("\\", "").replace('"', "'").replace("\n", " ")


def to_typst(fragments: dict[str, str], cache: Path) -> dict[str, str]:
    """Markdown fragments -> typst, reusing cached conversions; one pandoc call for the rest."""
    cache.mkdir(parents=True, exist_ok=True)
    key = _version_key()
    out: dict[str, str] = {}
    missing: dict[str, str] = {}
    for name, markdown in fragments.items():
        # The nonce changes with every process and never reaches the output: it is not part of the key.
        digest = hashlib.sha256((key + markdown.replace(NONCE, "")).encode()).hexdigest()
        path = cache / f"{digest}.typ"
        if path.is_file():
            out[name] = path.read_text(encoding="utf-8")
        else:
            missing[name] = digest
    if missing:
        nonce = hashlib.sha256("".join(fragments[n] for n in missing).encode()).hexdigest()[:24]
        marker = f"KBFRAGMENT{nonce}"
        joined = "\n\n".join(f"{marker}{i}\n\n{fragments[n]}" for i, n in enumerate(missing))
        try:
            converted = _pandoc(joined, "typst")
        except TypesetError:
            for name in missing:  # find which fragment pandoc refuses
                try:
                    _pandoc(fragments[name], "typst")
                except TypesetError as exc:
                    raise TypesetError(str(exc), name) from None
            raise
        parts = re.split(rf"^{marker}(\d+)\n", converted, flags=re.M)
        pieces = {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
        for i, (name, digest) in enumerate(missing.items()):
            text = pieces.get(i, "").strip() + "\n"
            (cache / f"{digest}.typ").write_text(text, encoding="utf-8")
            out[name] = text
    return out


def qr_codes(booklet: Booklet, folder: Path) -> list[tuple[str, str]]:
    """An SVG (for typst) and a PNG (for docx and epub) per chapter, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for index, chapter in enumerate(booklet.chapters):
        code = segno.make(chapter.url, error="m", micro=False)
        svg, png = folder / f"qr-{index:03d}.svg", folder / f"qr-{index:03d}.png"
        code.save(str(svg), scale=1, border=0, xmldecl=False, svgns=True)
        code.save(str(png), scale=8, border=2)
        found.append((svg.name, png.name))
    return found


def typst_source(booklet: Booklet, bodies: dict[str, str]) -> str:
    w = booklet.words
    quotes = booklet.quotes
    preamble = [
        "#let kb = (",
        f"  lang: {typst_string(booklet.lang)}, paper: {typst_string(booklet.paper.lower())},",
        f"  title: {typst_string(booklet.title)}, subtitle: {typst_string(booklet.subtitle)},",
        f"  organization: {typst_string(booklet.organization)}, year: {typst_string(booklet.year)},",
        f"  audience: {typst_string(', '.join(booklet.audience))},",
        f"  date: datetime(year: {booklet.date.year}, month: {booklet.date.month}, day: {booklet.date.day}),",
        f"  cover: {typst_string('cover' + booklet.cover_image.suffix) if booklet.cover_image else 'none'},",
        f"  cover-alt: {typst_string(booklet.cover_alt)},",
        f"  quotes: (double: ({typst_string(quotes[0])}, {typst_string(quotes[1])}), "
        f"single: ({typst_string(quotes[2])}, {typst_string(quotes[3])})),",
        "  words: (" + ", ".join(f"{typst_string(k)}: {typst_string(v)}" for k, v in w.items()) + "),",
        ")",
    ]
    out = ["\n".join(preamble), TEMPLATE.read_text(encoding="utf-8"),
           origin("the cover") + "#kb-cover()#kb-contents()",
           origin(INTRODUCTION) + f"#kb-section({typst_string(w['introduction'])})", bodies[INTRODUCTION]]
    for index, chapter in enumerate(booklet.chapters):
        other = f", lang: {typst_string(chapter.lang)}" if chapter.lang != booklet.lang else ""
        out.append(origin(f"chapter {chapter.id}") + f"#kb-chapter({typst_string(chapter.title)}, "
                   f"{typst_string(chapter.meta)}, {typst_string(chapter.note)}{other})")
        body = bodies[f"chapter {chapter.id}"]
        if chapter.lang != booklet.lang:  # printed in its original language: hyphenated and tagged as such
            body = f"#[#set text(lang: {typst_string(chapter.lang)})\n{body}\n]"
        out.append(body)
    for section in booklet.sections:
        items = {"glossary": [origin(f"glossary entry {i}") +
                              f"#block(below: 0.7em)[#strong({typst_string(t)}): #{typst_string(d)}]"
                              for i, t, d in booklet.glossary],
                 "timeline": [origin(f"timeline entry {i}") +
                              f"#block(below: 0.5em)[#strong({typst_string(d)}) — #{typst_string(t)}]"
                              for i, d, t in booklet.timeline],
                 "sources": [origin("the sources") + f"#block(below: 0.5em)[#{typst_string(s)}]"
                             for s in booklet.sources],
                 "credits": [origin("the credits") + f"#block(below: 0.8em)[#{typst_string(c)}]"
                             for c in booklet.credits]}[section]
        if items:
            out.append(f"#kb-section({typst_string(w[section])})")
            out.extend(items)
    return "\n\n".join(out) + "\n"


ORIGIN = "// kb-origin: "
INTRODUCTION = "the introduction"  # its fragment's name, and what a failure in it is blamed on


def origin(what: str) -> str:
    """A comment line saying where the typst that follows comes from (see `owner`)."""
    return f"{ORIGIN}{what}\n"


def owner(source: str, error: str) -> str:
    """What a typst error comes from ("chapter <id>", "glossary entry <id>", ...): the last
    origin comment at or before the line of `source` the error names; "" if it names none."""
    match = re.search(r"booklet\.typ:(\d+)", error)
    if not match:
        return ""
    found = ""
    for text in source.splitlines()[:int(match.group(1))]:
        if text.startswith(ORIGIN):
            found = text[len(ORIGIN):].strip()
    return found


def compile_pdf(booklet: Booklet, root: Path, bodies: dict[str, str], timestamp: int) -> bytes:
    """The PDF of `booklet`; `root` holds the QR codes and the cover (and nothing else)."""
    if booklet.cover_image:
        shutil.copyfile(booklet.cover_image, root / ("cover" + booklet.cover_image.suffix))
    source = root / "booklet.typ"
    source.write_text(typst_source(booklet, bodies), encoding="utf-8")
    try:
        pdf, warnings = typst.compile_with_warnings(str(source), root=str(root), font_paths=fonts(),
                                                    ignore_system_fonts=True, pdf_standards=["ua-1"],
                                                    timestamp=timestamp)
    except typst.TypstError as exc:
        detail = getattr(exc, "diagnostic", "") or str(exc)
        raise TypesetError(f"typst failed: {said(detail)}", owner(source.read_text(encoding="utf-8"), detail)) from None
    if warnings:
        text = "\n".join(str(w) for w in warnings[:5])
        raise TypesetError(f"typst warned (a missing glyph or font is an error): {said(text)}",
                           owner(source.read_text(encoding="utf-8"), text))
    return pdf


def said(diagnostic: str) -> str:
    """typst's messages and hints, without the excerpt of our generated source it draws (the
    problem names the record instead)."""
    glyph = "could not be displayed with font" in diagnostic or "unknown font family" in diagnostic
    kept = []
    for line in diagnostic.splitlines():
        text = line.strip().lstrip("=").strip()
        if text.startswith("hint") and glyph:
            continue  # "try using a different font": not the contributor's to choose
        if text.startswith(("error", "warning", "hint")) or (kept == [] and text and not text.startswith(("┌", "│"))):
            kept.append(text)
    if glyph:
        kept.append("(the booklet's font has no such character: write it another way, or leave it out)")
    return " ".join(" ".join(kept).split())[:600] or " ".join(diagnostic.split())[:600]


def whole_markdown(booklet: Booklet, qr: list[tuple[str, str]], folder: Path) -> str:
    """The booklet as one Markdown document (docx and epub)."""
    w = booklet.words
    parts = [f"# {_escape_md(w['introduction'])}\n\n{booklet.intro}"]
    for index, chapter in enumerate(booklet.chapters):
        parts.append(f"# {_escape_md(chapter.title)}\n\n*{_escape_md(chapter.meta)}*\n\n"
                     + (f"*{_escape_md(chapter.note)}*\n\n" if chapter.note else "")
                     + chapter_markdown(booklet, index, qr[index][0], str(folder / qr[index][1])))
    for section in booklet.sections:
        lines = {"glossary": [f"**{_escape_md(t)}**: {_escape_md(d)}" for _, t, d in booklet.glossary],
                 "timeline": [f"**{_escape_md(d)}** — {_escape_md(t)}" for _, d, t in booklet.timeline],
                 "sources": [_escape_md(s) for s in booklet.sources],
                 "credits": [_escape_md(c) for c in booklet.credits]}[section]
        if lines:
            parts.append(f"# {_escape_md(w[section])}\n\n" + "\n\n".join(lines))
    return "\n\n".join(parts) + "\n"


def other_format(booklet: Booklet, fmt: str, target: Path, qr: list[tuple[str, str]], folder: Path) -> None:
    """docx (A5 or A4, from a reference document of that paper) or epub."""
    meta = ["--metadata", f"title={booklet.title}", "--metadata", f"lang={booklet.lang}",
            "--metadata", f"author={booklet.organization}", "--metadata", f"date={booklet.year}"]
    if booklet.subtitle:
        meta += ["--metadata", f"subtitle={booklet.subtitle}"]
    extra = meta + ["--toc", f"--resource-path={folder}"]
    if fmt == "docx":
        extra.append(f"--reference-doc={reference_docx(folder, booklet.paper)}")
    _pandoc(whole_markdown(booklet, qr, folder), fmt, extra, output=target)


_PAPER = {"A5": ('w:w="8391" w:h="11906"', 1134), "A4": ('w:w="11906" w:h="16838"', 1417)}  # twentieths of a point


def reference_docx(folder: Path, paper: str) -> Path:
    """pandoc's default reference document with its page set to `paper`."""
    target = folder / f"reference-{paper}.docx"
    if target.exists():
        return target
    default = folder / "reference-default.docx"
    done = subprocess.run([pypandoc.get_pandoc_path(), "-o", str(default), "--print-default-data-file",
                           "reference.docx"], capture_output=True, check=False)
    if done.returncode != 0:
        raise TypesetError(f"pandoc could not write its reference document: {done.stderr.decode()[:300]}")
    size, margin = _PAPER[paper]
    with zipfile.ZipFile(default) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = re.sub(r"<w:sectPr\b.*?</w:sectPr>", "", data.decode("utf-8"), flags=re.S)
                section = (f'<w:sectPr><w:pgSz {size}/><w:pgMar w:top="{margin}" w:right="{margin}" '
                           f'w:bottom="{margin}" w:left="{margin}" w:header="708" w:footer="708" w:gutter="0"/>'
                           f'</w:sectPr>')
                data = text.replace("</w:body>", section + "</w:body>").encode("utf-8")
            out.writestr(item, data)
    default.unlink()
    return target
