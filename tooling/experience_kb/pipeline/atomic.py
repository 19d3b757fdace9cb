"""Atomic output folders that touch only what kb created.

- The build folder carries a marker file (`.kb-build`), written when kb creates the folder.
  kb writes into a build folder only when it is new, empty or marked; anything else is the
  user's, and `BuildDirError` says so instead of replacing it.
- Each stage folder (`build/<stage>/`) carries its own marker (`.kb-stage`). A stage is written
  into a marked temporary sibling and swapped in whole. On Linux the swap is one `renameat2`
  call with RENAME_EXCHANGE, so there is no moment without a stage folder; elsewhere it is two
  renames, and `clean_leftovers` puts a stage back if a run was killed between them.
- Clean-up removes only marked temporary folders of known names, never another folder whose
  name happens to contain ".tmp-".

Callers hold the build folder's lock (`pipeline.lock`) while they write or clean up.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

BUILD_MARKER = ".kb-build"
STAGE_MARKER = ".kb-stage"
_MARKER_TEXT = "Made by kb (experience_kb). kb replaces this folder's contents when it builds.\n"
KNOWN = {".cache", ".kb-lock"}  # what kb may have put in a build folder before it had a marker
_LEFTOVER = re.compile(r"^\.(?P<name>[\w-]+)\.(?P<kind>tmp|old)-[\w-]+$")


class BuildDirError(Exception):
    """The build folder (or a folder inside it) holds something kb did not create."""


def is_marked(folder: Path, marker: str = STAGE_MARKER) -> bool:
    return (folder / marker).is_file()


def ensure_build_dir(build_dir: Path) -> None:
    """Create the build folder with its marker, or check that an existing one is kb's."""
    if build_dir.is_dir() and is_marked(build_dir, BUILD_MARKER):
        return
    if build_dir.exists() and not build_dir.is_dir():
        raise BuildDirError(f"the build folder {build_dir} is a file; set build_dir in kb.yaml to a folder")
    if build_dir.is_dir() and any(child.name not in KNOWN for child in build_dir.iterdir()):
        raise BuildDirError(f"{build_dir} is not empty and was not made by kb (it has no {BUILD_MARKER} file), so kb "
                            f"will not write or delete anything there; set build_dir in kb.yaml to a new folder, "
                            f"or empty this one")
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / BUILD_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def work_dir(folder: Path) -> Path:
    """A marked folder of kb's own for work that is not published (kept between runs)."""
    if folder.exists() and not is_marked(folder):
        raise BuildDirError(f"{folder} was not made by kb (it has no {STAGE_MARKER} file), so kb will not write "
                            f"there; move it away and build again")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STAGE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    return folder


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a fresh, marked temporary folder; on success it replaces `target` (which must be
    absent or a marked stage folder), on error it is removed."""
    ensure_build_dir(target.parent)
    if target.exists() and not is_marked(target):
        raise BuildDirError(f"{target} was not made by this version of kb (it has no {STAGE_MARKER} file), so kb "
                            f"will not replace it; if it is output of an older kb, delete it, else move it away, "
                            f"and build again")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    (tmp / STAGE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, target)


def swap_in(tmp: Path, target: Path) -> None:
    """Put the folder `tmp` at `target`, and remove what was there."""
    if not target.exists():
        os.rename(tmp, target)
        return
    if _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # now the old contents
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)  # a kill here leaves `old`, which clean_leftovers puts back
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else errno.EINVAL):
        return False  # the kernel or the file system cannot exchange: two renames instead
    raise OSError(code, os.strerror(code), str(second))


def clean_leftovers(folder: Path) -> None:
    """Remove what an interrupted earlier run left in the build folder `folder`: marked temporary
    folders. A stage folder missing after a kill between two renames is put back first."""
    if not folder.is_dir() or not is_marked(folder, BUILD_MARKER):
        return
    for child in sorted(folder.iterdir()):
        match = _LEFTOVER.match(child.name)
        if not match or not child.is_dir() or not is_marked(child):
            continue
        target = folder / match["name"]
        if match["kind"] == "old" and not target.exists():
            os.rename(child, target)  # the new folder never arrived: keep the previous one
            continue
        shutil.rmtree(child, ignore_errors=True)
