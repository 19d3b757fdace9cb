"""Keeping the search index in `build/index/` in step with the records.

`build/index/` holds the engine's files and `records.marshal`: for every indexed document its
file, the file's size and modification time, the document's content hash, its names (for
synonyms) and its title. `refresh()` compares that list with the files on disk: files whose
size or time changed are read again, and only documents whose content hash changed are
re-indexed. A missing, damaged or outdated index is rebuilt whole, in a temporary folder that
is swapped in when complete.

Each search reads the record list once (`refresh` returns it), and the synonym table built from
it is kept while the list is unchanged.
"""

from __future__ import annotations

import marshal
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..config import Config
from ..pipeline.atomic import atomic_dir, clean_leftovers
from ..records import loader
from ..records.cache import atomic_write, paused_gc
from ..records.model import KnowledgeBase
from . import backend, seal
from .documents import count_words, document
from .engine import IndexUnusable, Words
from .synonyms import Synonyms

if TYPE_CHECKING:
    from ..project import Project

# marshal, not JSON: reading 20,000 entries as JSON took 0.2 s of every search. Like the
# validation cache, these files are the tool's own; marshal cannot run code when read.
META = "records.marshal"
WORDS = "words.marshal"  # language -> folded word -> [uses, the word as written]
_READ: dict[str, tuple[tuple, Any]] = {}  # path -> (size and time, data): files read in this process
Progress = Callable[[int], None]


@dataclass
class Status:
    """What `refresh()` or `rebuild()` did."""

    action: str  # "built", "rebuilt", "updated" or "current"
    documents: int
    seconds: float
    reason: str | None = None  # why the index was rebuilt
    changed: list[str] = field(default_factory=list)  # keys re-indexed
    removed: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files that could not be read; their old version stays


def index_dir(config: Config) -> Path:
    return config.build_dir / "index"


def _entry(doc: dict, record) -> dict:
    """A record list entry. The file's size and time are those taken before it was read, so an
    edit made while kb was reading shows as a change next time."""
    return {"file": record.relpath, "sig": list(record.signature), "hash": doc["hash"],
            "id": doc["id"], "type": doc["type"], "title": doc["title"], "names": doc["names"]}


def _signature(path: str) -> list[int]:
    info = os.stat(path)
    return [info.st_mtime_ns, info.st_size]


def _dump(path: Path, data: Any) -> None:
    atomic_write(path, marshal.dumps(data))


def _stamp(path: Path) -> tuple:
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns


def _load(path: Path) -> Any:
    """The data in `path`, read once per process while the file is unchanged."""
    stamp = _stamp(path)
    cached = _READ.get(str(path))
    if cached is None or cached[0] != stamp:
        with paused_gc():
            cached = (stamp, marshal.loads(path.read_bytes()))
        _READ[str(path)] = cached
    return cached[1]


def _write_meta(folder: Path, config: Config, entries: dict[str, dict]) -> None:
    _dump(folder / META, {"format": backend.FORMAT, "languages": list(config.languages), "records": entries})


def _read_meta(folder: Path, config: Config) -> dict[str, dict]:
    """The record list (a copy, to change freely), or IndexUnusable saying why it cannot be trusted."""
    try:
        data = _load(folder / META)
    except FileNotFoundError:
        raise IndexUnusable("its record list is missing" if folder.exists() else "there is no index yet") from None
    except (OSError, ValueError, EOFError, TypeError) as exc:
        raise IndexUnusable(f"its record list is damaged ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != backend.FORMAT:
        raise IndexUnusable("it was built by an older version of kb")
    if data.get("languages") != list(config.languages):
        raise IndexUnusable("the knowledge base's languages changed")
    records = data.get("records")
    if not isinstance(records, dict):
        raise IndexUnusable("its record list is damaged")
    return dict(records)


def read_entries(config: Config) -> dict[str, dict]:
    """The index's record list; IndexUnusable when it cannot be trusted."""
    return _read_meta(index_dir(config), config)


def read_entries_at(folder: Path, config: Config) -> dict[str, dict]:
    """The record list of the index in `folder` (e.g. one written by `write_index`)."""
    return _read_meta(folder, config)


def _write_words(folder: Path, words: Words) -> None:
    _dump(folder / WORDS, words)


def spelling_words(config: Config) -> Words:
    """The words "did you mean" may propose; empty when the file is missing or damaged."""
    try:
        words = _load(index_dir(config) / WORDS)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return words if isinstance(words, dict) else {}


def write_index(folder: Path, kb: KnowledgeBase, progress: Progress | None = None, procs: int | None = None,
                limitmb: int | None = None) -> int:
    """A complete new index of `kb` in the empty `folder`. Returns the number of documents.

    `procs` and `limitmb` (worker processes, memory per process) default to the engine's choice.
    """
    config = kb.config
    docs, entries = [], {}
    for record in kb.records:
        doc = document(record)
        if doc["key"] not in entries:
            docs.append(doc)
            entries[doc["key"]] = _entry(doc, record)
    backend.create(folder, docs, config.languages, progress=progress, procs=procs, limitmb=limitmb)
    _write_words(folder, count_words(docs))
    _write_meta(folder, config, entries)
    seal.write(folder)
    return len(docs)


def rebuild(project: Project, reason: str | None = None, progress: Progress | None = None) -> Status:
    """Index every record again, in a temporary folder swapped in at the end."""
    started = time.perf_counter()
    config = project.config
    folder = index_dir(config)
    if folder.parent.is_dir():
        clean_leftovers(folder.parent)
    existed = folder.exists()
    with atomic_dir(folder) as tmp:
        count = write_index(tmp, project.kb, progress)
    return Status("rebuilt" if existed else "built", count, time.perf_counter() - started, reason)


def refresh(project: Project, progress: Progress | None = None,
            write: bool = True) -> tuple[Status, dict[str, dict]] | None:
    """Bring the index up to date: rebuild it when it is unusable, else re-index what changed.
    Returns what was done and the record list, as the index now has it; with `write=False`,
    None when anything would have to be written. Callers hold the build folder's lock
    (exclusive to write, shared to look)."""
    started = time.perf_counter()
    config = project.config
    folder = index_dir(config)
    try:
        why = seal.verify(folder) if folder.is_dir() else "there is no index yet"
        if why:
            raise IndexUnusable(why)
        entries = _read_meta(folder, config)
        if backend.check(folder) != len(entries):
            raise IndexUnusable("the index and its record list disagree")
    except IndexUnusable as exc:
        if not write:
            return None
        status = rebuild(project, reason=str(exc), progress=progress)
        return status, read_entries(config)
    by_file = {entry["file"]: key for key, entry in entries.items()}
    seen, upserts, unreadable, changed = set(), [], [], False
    skip = len(str(config.root)) + 1
    folders: list = []  # collection folders that cannot be read: their records keep their last version
    files = loader.record_files(config, folders)  # strings: 20,000 Paths would cost 0.4 s
    unreadable += [item.path for item in folders]
    for name, type_schema in files:
        key = by_file.get(name[skip:])
        if key is not None:
            seen.add(key)
            try:
                if entries[key]["sig"] == _signature(name):
                    continue
            except OSError:
                pass
        elif not os.path.isfile(name):
            continue  # a FIFO, a device, a folder: never a record, nothing to index
        if not write:
            return None
        path = Path(name)
        record, _ = loader.load_file(path, type_schema, config)  # parsed only: search does not check
        if record is None:
            if os.path.isfile(name) and not os.path.islink(name):
                unreadable.append(config.display(path))
            continue
        doc = document(record)
        seen.add(doc["key"])
        if entries.get(doc["key"], {}).get("hash") != doc["hash"]:
            upserts.append(doc)
        entries[doc["key"]] = _entry(doc, record)
        changed = True
    removed = sorted(key for key in entries if key not in seen and not _kept(entries[key], config, unreadable))
    if removed and not write:
        return None
    for key in removed:
        del entries[key]
    if upserts or removed:
        backend.update(folder, upserts, removed)
    if upserts:  # words only accumulate; a word no record has any more is never proposed (see spelling)
        words = spelling_words(config)
        _write_words(folder, count_words(upserts, {lang: dict(known) for lang, known in words.items()}))
    if changed or removed:
        _write_meta(folder, config, entries)
        seal.write(folder)
    action = "updated" if upserts or removed else "current"
    return Status(action, len(entries), time.perf_counter() - started, None,
                  sorted(doc["key"] for doc in upserts), removed, unreadable), entries


def _kept(entry: dict, config: Config, unreadable: list[str]) -> bool:
    """An unreadable file, or a file in an unreadable folder, keeps its last good version."""
    shown = config.display(config.root / entry["file"])
    return any(shown == path or shown.startswith(path.rstrip("/") + "/") for path in unreadable)


_SYNONYMS: dict[str, tuple[tuple, Synonyms]] = {}  # index folder -> (record list stamp, table)


def synonyms(config: Config, entries: dict[str, dict]) -> Synonyms:
    """The names of every indexed record, grouped by record; built once per record list."""
    folder = index_dir(config)
    stamp = _stamp(folder / META)
    cached = _SYNONYMS.get(str(folder))
    if cached is None or cached[0] != stamp:
        groups: dict[str, list[str]] = {}
        with paused_gc():
            for entry in entries.values():
                groups.setdefault(entry["id"], []).extend(entry.get("names") or ())
            cached = (stamp, Synonyms({rid: list(dict.fromkeys(names)) for rid, names in groups.items()}))
        _SYNONYMS[str(folder)] = cached
    return cached[1]


def titles(entries: dict[str, dict]) -> dict[str, dict[str, str]]:
    """id -> language -> title, for labelling facets."""
    out: dict[str, dict[str, str]] = {}
    for key, entry in entries.items():
        out.setdefault(entry["id"], {})[key.rsplit(".", 1)[1]] = entry["title"]
    return out
