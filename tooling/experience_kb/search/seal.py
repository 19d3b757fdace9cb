"""The index's seal: proof that every file in build/index/ was written by kb on this machine.

whoosh unpickles its table of contents and parts of its segments, so a planted index file could
run code. After every write kb records a keyed hash of each file's content (`trust.seal`) in
`.kb-seal`, itself keyed. Before anything in the folder is read, `verify` checks it: cheaply
when no file changed since the seal (same names, inodes, sizes and times), else by hashing
every file again (after a copy, say), resealing when all agree. A folder that fails is never
opened: the caller rebuilds it.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from .. import trust
from ..records.cache import atomic_write

SEAL = ".kb-seal"
_SKIP = {SEAL, ".kb-stage"}
_CHUNK = 1 << 20


def _files(folder: Path) -> dict[str, tuple[int, int, int]]:
    """name -> (inode, size, modification time) of every regular file but the seal and marker."""
    found = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in _SKIP:
                continue
            info = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False):
                found[entry.name] = (-1, -1, -1)  # a folder, link or device: never sealed
                continue
            found[entry.name] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def _content(path: Path) -> bytes:
    mac = trust.hasher()
    mac.update(path.name.encode("utf-8") + b"\0")
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            mac.update(chunk)
    return mac.digest()


def write(folder: Path, previous: dict[str, bytes] | None = None) -> None:
    """Seal every file of `folder`; files whose stamp is unchanged keep their hash from
    `previous` (the manifest read by `verify`), so an update hashes only what it wrote."""
    stamps = _files(folder)
    old = _read(folder) if previous is None else None
    known = previous if previous is not None else (old[0] if old else {})
    manifest = {}
    for name, stamp in stamps.items():
        carried = known.get(name)
        manifest[name] = carried[1] if carried and carried[0] == stamp else _content(folder / name)
    payload = marshal.dumps(({name: (stamps[name], mac) for name, mac in manifest.items()}))
    atomic_write(folder / SEAL, trust.seal(payload) + payload)


def _read(folder: Path) -> tuple[dict, bytes] | None:
    try:
        data = (folder / SEAL).read_bytes()
    except OSError:
        return None
    mac, payload = data[:32], data[32:]
    if len(mac) != 32 or not trust.sound(mac, payload):
        return None
    try:
        manifest = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return (manifest, payload) if isinstance(manifest, dict) else None


def verify(folder: Path) -> str | None:
    """None when every file of `folder` is as kb sealed it; else why not."""
    sealed = _read(folder)
    if sealed is None:
        return "it carries no seal of this machine's kb (it was copied, planted, or written by an older kb)"
    manifest, _ = sealed
    stamps = _files(folder)
    if set(stamps) != set(manifest):
        extra = sorted(set(stamps) - set(manifest))
        return f"it holds files kb did not write ({', '.join(extra[:3])})" if extra else "files of it are missing"
    if all(manifest[name][0] == stamp for name, stamp in stamps.items()):
        return None
    for name, stamp in stamps.items():
        if stamp[0] < 0 or _content(folder / name) != manifest[name][1]:
            return f"its file {name} is not the one kb wrote"
    write(folder, {name: (stamps[name], entry[1]) for name, entry in manifest.items()})  # moved or copied
    return None
