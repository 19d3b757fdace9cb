"""The booklets the site offers to download, beside each booklet's page.

The booklets stage runs before the site and writes `build/booklets/`: `<id>.<lang>.pdf` (A5
pages, to print at home or at the office), `<id>.<lang>.imposed.pdf` (for the print shop) and
`booklets.json` (their pages). The site reads those files, never the booklets' code: data flows
one way. A booklet page in one language offers that language's files; where the booklet has
none in that language, it offers the other languages' files, each saying its language. Without
`build/booklets/` (`kb build site` alone, before any booklet was built) no page offers anything.

`find` says what each page offers (plain data for the site's JSON); `publish` copies those
files next to the pages that link to them, `<lang>/<collection>/<file>`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

KINDS = (("print", ".pdf"), ("imposed", ".imposed.pdf"))


def find(booklets_dir: Path, booklets: dict[str, list[str]], languages: list[str]) -> dict[str, dict[str, list[dict]]]:
    """language -> booklet id -> the files its page offers: {kind, file, lang, bytes, pages, paper}.
    `booklets`: booklet id -> the languages it is written in."""
    if not booklets_dir.is_dir():
        return {}
    pages: dict[tuple[str, str], int] = {}
    papers: dict[tuple[str, str], str] = {}
    listing = booklets_dir / "booklets.json"
    if listing.is_file():
        try:
            for entry in json.loads(listing.read_text(encoding="utf-8")):
                if not isinstance(entry, dict):
                    continue
                key = (str(entry.get("id")), str(entry.get("lang")))
                if isinstance(entry.get("pages"), int) and entry["pages"] > 0:
                    pages[key] = entry["pages"]
                if entry.get("paper") in ("A5", "A4"):
                    papers[key] = entry["paper"]
        except (OSError, ValueError):
            pages, papers = {}, {}  # a damaged listing costs the page counts, not the downloads
    files: dict[tuple[str, str], list[dict]] = {}
    for booklet_id, written in booklets.items():
        for lang in written:
            found = []
            for kind, suffix in KINDS:
                path = booklets_dir / f"{booklet_id}.{lang}{suffix}"
                if path.is_file() and not path.is_symlink():
                    found.append({"kind": kind, "file": path.name, "lang": lang, "bytes": path.stat().st_size,
                                  "pages": pages.get((booklet_id, lang)) if kind == "print" else None,
                                  "paper": papers.get((booklet_id, lang), "A5")})
            if found:
                files[(booklet_id, lang)] = found
    offered: dict[str, dict[str, list[dict]]] = {}
    for lang in languages:
        for booklet_id, written in booklets.items():
            own = files.get((booklet_id, lang))
            choice = own or [f for other in written if other != lang for f in files.get((booklet_id, other), [])]
            if choice:
                offered.setdefault(lang, {})[booklet_id] = choice
    return offered


def publish(booklets_dir: Path, offered: dict[str, dict[str, list[dict]]], collections: dict[str, str],
            out: Path) -> int:
    """Copy every offered file to `out/<lang>/<collection>/`; returns how many were copied."""
    count = 0
    for lang, per_booklet in offered.items():
        for booklet_id, choice in per_booklet.items():
            folder = out / lang / collections[booklet_id]
            folder.mkdir(parents=True, exist_ok=True)
            for item in choice:
                shutil.copyfile(booklets_dir / item["file"], folder / item["file"])
                count += 1
    return count


def size_label(size: int, number: Any) -> str:
    """'284 KB', '1,2 MB': `number` formats a number in the reader's language."""
    if size >= 1024 * 1024:
        return f"{number(round(size / (1024 * 1024), 1))} MB"
    return f"{number(max(1, round(size / 1024)))} KB"
