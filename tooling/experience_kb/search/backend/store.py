"""The index on disk: writing it, updating it in place, opening it and noticing damage.

Private parts of whoosh used here (check them on a whoosh upgrade): the name of a table of
contents, `_<indexname>_<generation>.toc`, read to notice that another process committed.
"""

from __future__ import annotations

import os
import pickle
import re
import struct
import traceback
import warnings
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable

import whoosh.index
from whoosh import fields

from ..engine import IndexBusy, IndexUnusable
from .analysis import fields_of, make_schema
from .codec import Codec

# Bump when the fields, the analysis, the posting layout or the import path of a class that
# whoosh pickles into the index (the analyzer, field types, codec) change: an index of another
# FORMAT is rebuilt, with a message, before whoosh unpickles anything. 10: the backend moved to
# experience_kb.search.backend. 11: paths below the knowledge base root, and a seal. 12: notes.
FORMAT = 12
INDEX_NAME = "kb"


# What reading damaged index files raises inside whoosh. Only I/O and decoding errors count:
# files that kb did not write are refused before whoosh reads them (see `search.seal`), and a
# KeyError, IndexError or ValueError is a bug (of kb or of whoosh) that must show, not be
# mistaken for damage and "repaired" by a rebuild.
DAMAGE = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)


def default_procs(count: int) -> int:
    """Worker processes for indexing `count` documents: every core (up to 4) from 2,000 on."""
    return min(os.cpu_count() or 1, 4) if count >= 2000 else 1


def default_limitmb(count: int) -> int:
    """Memory per process for sorting postings. Beyond it they spill to disk and are merged,
    which cost 40% more time at 10,000 records; ~770 MB is enough for 20,000 documents."""
    return min(768, max(64, count // 25))


def create(folder: Path, docs: list[dict], languages: Iterable[str], progress: Callable[[int], None] | None = None,
           procs: int | None = None, limitmb: int | None = None) -> int:
    """Write a new index of `docs` into the empty `folder`. Returns the number of documents."""
    languages = tuple(languages)
    ix = whoosh.index.create_in(str(folder), make_schema(languages), indexname=INDEX_NAME)
    procs = procs or default_procs(len(docs))
    limitmb = limitmb or default_limitmb(len(docs))
    writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=limitmb, codec=Codec())
    for count, doc in enumerate(docs, 1):
        writer.add_document(**fields_of(doc, languages))
        if progress and count % 200 == 0:
            progress(200)
    writer.commit()
    if progress:
        progress(len(docs) % 200)
    return len(docs)


def update(folder: Path, upserts: list[dict], removals: Iterable[str]) -> None:
    """Replace or add `upserts` (by key) and delete the documents with the `removals` keys."""
    ix = _open(folder)
    languages = tuple(languages_of(ix.schema))
    try:
        writer = ix.writer(timeout=10.0, codec=Codec())
    except whoosh.index.LockError as exc:
        raise IndexBusy("another kb process is writing the index; try again in a moment") from exc
    try:
        for key in removals:
            writer.delete_by_term("key", key)
        for doc in upserts:
            writer.update_document(**fields_of(doc, languages))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def languages_of(schema: fields.Schema) -> list[str]:
    return [name.split("_", 1)[1] for name in schema.names() if name.startswith("text_")]


def _open(folder: Path):
    if not whoosh.index.exists_in(str(folder), indexname=INDEX_NAME):
        raise IndexUnusable("there is no index yet")
    try:
        return whoosh.index.open_dir(str(folder), indexname=INDEX_NAME)
    except (*DAMAGE, whoosh.index.IndexError) as exc:
        raise damaged(exc, "the index cannot be read") from None


def damaged(exc: BaseException, what: str = "the index is damaged") -> IndexUnusable:
    """IndexUnusable for `exc`, after closing the files whoosh left open while failing.

    Those files are held by the failed frames; clearing the frames drops the last references,
    so they close now, quietly, instead of with a ResourceWarning whenever the garbage
    collector gets to them. (No process-wide `gc.collect()`: this runs inside long-lived
    processes too.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        traceback.clear_frames(exc.__traceback__)
    return IndexUnusable(f"{what} ({type(exc).__name__}: {exc})")


_OPEN: dict[str, tuple[tuple, Any]] = {}  # folder -> (its identity, an open searcher)
_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")


def _identity(folder: Path) -> tuple:
    """What changes when the index in `folder` is rewritten: the folder itself (a rebuild swaps
    in a new one) and the newest table of contents (an update commits a new generation)."""
    info = os.stat(folder)
    generations = [int(m[1]) for m in map(_TOC.match, os.listdir(folder)) if m]
    return info.st_ino, info.st_mtime_ns, max(generations, default=-1)


def searcher(folder: Path):
    """An open whoosh searcher of `folder`, kept for later calls while the index is unchanged.

    Opening costs tens of milliseconds on a large index (whoosh maps and copies every segment
    part), more than a query; a site or a benchmark making many queries pays it once.
    """
    key = str(folder)
    try:
        identity = _identity(folder)
    except OSError:
        raise IndexUnusable("there is no index yet") from None
    cached = _OPEN.get(key)
    if cached is not None:
        if cached[0] == identity:
            return cached[1]
        forget(folder)
    ix = _open(folder)
    try:
        opened = ix.searcher()
    except DAMAGE as exc:
        raise damaged(exc) from None
    _OPEN[key] = (identity, opened)
    return opened


def forget(folder: Path) -> None:
    """Close the kept searcher of `folder`, if any."""
    cached = _OPEN.pop(str(folder), None)
    if cached is not None:
        cached[1].close()


def check(folder: Path) -> int:
    """The number of indexed documents. Raises IndexUnusable."""
    try:
        return searcher(folder).doc_count()
    except DAMAGE as exc:
        forget(folder)
        raise damaged(exc) from None
