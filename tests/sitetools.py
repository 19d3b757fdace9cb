"""Where the site's quality gates find their tools: Debian's chromium, java, the Nu Html Checker
(npm vnu-jar) and axe-core (npm axe-core).

`.ci/install-tools` installs all of them (`make test` runs it). A missing tool fails the test that
needs it, naming the tool and that command: the gates never skip silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALL = ".ci/install-tools"
# npm packages live here, pinned by .ci/tools/package-lock.json; KB_TOOLS_DIR points elsewhere.
NODE_MODULES = Path(os.environ.get("KB_TOOLS_DIR", ROOT / ".tools")) / "node_modules"


def missing(tool: str, looked: str) -> None:
    pytest.fail(f"{tool} is missing ({looked}); install it with `{INSTALL}` (`make test` runs it)", pytrace=False)


def chromium() -> str:
    """Debian's chromium (KB_CHROMIUM overrides); Playwright's own browsers are never used."""
    candidates = [os.environ.get("KB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    missing("chromium", "looked for KB_CHROMIUM, /usr/bin/chromium and chromium on the PATH")
    raise AssertionError  # not reached: pytest.fail raises


def java() -> str:
    found = shutil.which("java")
    if found is None:
        missing("java (default-jre-headless)", "no java on the PATH")
    return found


def _file(tool: str, path: Path) -> Path:
    if not path.is_file():
        missing(tool, f"no {path}")
    return path


def vnu_jar() -> Path:
    return _file("the Nu Html Checker (npm vnu-jar)", NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar")


def axe_js() -> Path:
    return _file("axe-core (npm axe-core)", NODE_MODULES / "axe-core" / "axe.min.js")
