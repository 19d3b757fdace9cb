"""The time of the content, never the clock: what the site's footer and the booklets' dates and
PDF timestamps say, so that two builds of the same content are identical.

The time of a knowledge base is its last commit (git), else `SOURCE_DATE_EPOCH`, else the
modification time of its newest Markdown file.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def content_epoch(root: Path) -> int:
    """Seconds since 1970 of the content's last change (see the module docstring)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct", "--", "."],
                              capture_output=True, text=True, timeout=20, check=False)
        if done.returncode == 0 and done.stdout.strip().isdigit():
            return int(done.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    newest = max((p.stat().st_mtime for p in root.rglob("*.md") if p.is_file()), default=0)
    return int(newest)


def content_year(root: Path) -> str:
    epoch = content_epoch(root)
    return str(dt.datetime.fromtimestamp(epoch, dt.timezone.utc).year) if epoch else ""
