"""What kb itself wrote on this machine, told apart from what a pull request could supply.

Anything under the build folder could have been committed (`git add -f build/…`) or planted by
aiming `build_dir` at a committed folder. So the files kb reads back and would otherwise trust,
the validation cache and the search index (whose table of contents and segments whoosh
unpickles), carry a keyed hash (HMAC-BLAKE2b) made with a key that never leaves this machine:
`$XDG_CACHE_HOME/experience-kb/key` (or `~/.cache/…`), 32 random bytes readable only by the
user, created on first use. A file whose hash does not verify is never read: the cache is
ignored and the index rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

KEY_BYTES = 32
ENV_KEY_DIR = "KB_KEY_DIR"  # where the key lives, if not in the user's cache folder


def key_dir() -> Path:
    if os.environ.get(ENV_KEY_DIR):
        return Path(os.environ[ENV_KEY_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "experience-kb"


@functools.lru_cache(maxsize=None)
def _key(folder: str) -> bytes:
    for place in (Path(folder), Path(tempfile.gettempdir()) / f"experience-kb-{os.getuid()}"):
        found = _read_or_create(place / "key")
        if found is not None:
            return found
    return os.urandom(KEY_BYTES)  # nowhere to keep one: trust lasts as long as this process


def _read_or_create(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
        if len(data) == KEY_BYTES and (path.stat().st_mode & 0o077) == 0:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = os.urandom(KEY_BYTES)
        handle, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(fresh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        return fresh
    except OSError:
        return None


def key() -> bytes:
    return _key(str(key_dir()))


def hasher():
    """A keyed BLAKE2b object, to hash a large file in chunks."""
    return hashlib.blake2b(key=key(), digest_size=32)


def seal(*parts: bytes) -> bytes:
    """The keyed hash of `parts` (each length-prefixed, so parts cannot run into each other)."""
    mac = hashlib.blake2b(key=key(), digest_size=32)
    for part in parts:
        mac.update(len(part).to_bytes(8, "little"))
        mac.update(part)
    return mac.digest()


def sound(mac: bytes, *parts: bytes) -> bool:
    """Whether `mac` is this machine's keyed hash of `parts`."""
    return hmac.compare_digest(mac, seal(*parts))
