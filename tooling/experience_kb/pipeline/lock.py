"""One lock per build folder, so that concurrent `kb build` and `kb search` runs never see or
leave half-written output.

Writers (a build, an index rebuild or update) hold it exclusively; readers (a search reading
the index) hold it shared. A second writer waits, saying so once, up to `WAIT_SECONDS`, then
gives up with a clear message. The lock is an advisory `flock` on `<build>/.kb-lock`; it
disappears with the process, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Callable, Iterator

LOCK_FILE = ".kb-lock"
WAIT_SECONDS = 600.0


class LockTimeout(Exception):
    """Another kb process kept the build folder busy for too long."""


@contextlib.contextmanager
def build_lock(build_dir: Path, exclusive: bool = True, notify: Callable[[str], None] | None = None,
               wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the build folder's lock. Without a writable build folder (read-only media) there is
    nothing to protect from writers, and the lock is skipped."""
    handle = _open(build_dir)
    if handle is None:
        yield
        return
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify(f"another kb process is using {build_dir}; waiting for it to finish…")
            _wait(handle, mode, wait, build_dir)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _open(build_dir: Path) -> int | None:
    path = build_dir / LOCK_FILE
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError:
        try:
            return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None


def _wait(handle: int, mode: int, seconds: float, build_dir: Path) -> None:
    deadline = time.monotonic() + seconds
    delay = 0.01
    while True:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(f"another kb process has been using {build_dir} for {seconds:.0f} s; "
                                  f"wait for it to finish and try again") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
