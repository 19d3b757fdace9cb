"""Running and measuring the site builds `bench_site` compares: the site stage on a copy of a
knowledge base (with where its time goes), a plain sphinx-build of the trees it assembled,
Pagefind alone, and the weight of a page with the CSS and JS it links."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# What our stage tells Pagefind to leave out, for timing Pagefind alone (site.build.PAGEFIND_EXCLUDE
# when it has one).
PAGEFIND_EXCLUDE = "a.headerlink, .kb-language-switch, [data-pagefind-ignore]"


# -- a copy of the knowledge base -------------------------------------------------------------

def copy_kb(config: Any, work: Path) -> Path:
    """Copy the knowledge base of `config` to `work/kb` so that it builds into `work/build`.
    Its kb.yaml is rewritten only when needed: vocabularies outside the knowledge base are
    named by their absolute path, and a build folder outside `work` becomes ../build."""
    import yaml

    from experience_kb import config as config_module

    source, target = config.root.resolve(), work / "kb"
    build_dir = config.build_dir.resolve()

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [name for name in names if name == ".git" or Path(folder, name).resolve() == build_dir]

    shutil.copytree(source, target, ignore=ignore, symlinks=True)
    settings = target / "kb.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8")) or {}

    def rewrite(key: str, value: str) -> None:
        data[key] = value
        settings.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    vocabularies = config.vocabularies_dir.resolve()
    if source not in vocabularies.parents:  # not copied with the knowledge base
        rewrite("vocabularies", str(vocabularies))
    if work.resolve() not in config_module.load(target).build_dir.resolve().parents:
        rewrite("build_dir", "../build")
    return target


# -- our stage --------------------------------------------------------------------------------

_PHASE = re.compile(r"^site (?P<lang>[\w-]+): (?P<what>.*)$")


@dataclass
class StageRun:
    """One end-to-end run of the site stage."""

    seconds: float
    pages: int
    ok: bool
    problems: list[str]
    phases: dict[str, float] = field(default_factory=dict)  # phase -> seconds (see `phases`)


def phases(events: list[tuple[float, str]], total: float) -> dict[str, float]:
    """Where the time went, from the stage's progress messages and when they came: the data and
    MyST assembly, Sphinx and Pagefind of each language (languages run side by side), and the end
    (root pages, swapping the folder in). Empty when the messages are not the expected ones."""
    assembled, written, indexed = {}, {}, {}
    for at, message in events:
        match = _PHASE.match(message)
        if not match:
            continue
        lang, what = match["lang"], match["what"]
        if "assembled" in what:
            assembled[lang] = at
        elif "pages written" in what:
            written[lang] = at
        elif "search index ready" in what:
            indexed[lang] = at
    if not assembled or set(written) != set(assembled) or set(indexed) != set(assembled):
        return {}
    start = max(assembled.values())
    found = {"data and MyST assembly": start}
    for lang in assembled:
        found[f"Sphinx {lang}"] = written[lang] - start
    for lang in assembled:
        found[f"Pagefind {lang}"] = indexed[lang] - written[lang]
    found["root pages and swap"] = total - max(indexed.values())
    return found


def run_stage(root: Path) -> StageRun:
    """`stages.build(Project(root), only="site")` from an empty build folder, timed end to end."""
    from experience_kb import config as config_module
    from experience_kb.pipeline import stages
    from experience_kb.project import Project

    build_dir = config_module.load(root).build_dir
    shutil.rmtree(build_dir, ignore_errors=True)
    events: list[tuple[float, str]] = []
    started = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        events.append((time.perf_counter() - started, step))

    results = stages.build(Project(root), only="site", progress=progress)
    seconds = time.perf_counter() - started
    result = results[0]
    problems = [str(item) for item in (result.report.problems if result.report else [])]
    return StageRun(seconds, result.count, result.ok, problems, phases(events, seconds))


def site_folders(root: Path) -> tuple[Path, Path]:
    """(the published site, the stage's work folder) of the knowledge base at `root`."""
    from experience_kb import config as config_module

    build_dir = config_module.load(root).build_dir
    return build_dir / "site", build_dir / ".site-work"


# -- the baseline and Pagefind alone ----------------------------------------------------------

def run_baseline(sources: list[Path], scratch: Path) -> float:
    """A plain sphinx-build -j2 of each tree in `sources`, one after the other into fresh folders;
    the seconds summed. Raises RuntimeError when one fails."""
    total = 0.0
    for source in sources:
        out, doctrees = scratch / "html" / source.name, scratch / "doctrees" / source.name
        for folder in (out, doctrees):
            shutil.rmtree(folder, ignore_errors=True)
        total += _timed([sys.executable, "-m", "sphinx", "-E", "-j2", "-b", "html", "-q", str(source), str(out),
                         "-d", str(doctrees)], f"sphinx-build of {source}")
    shutil.rmtree(scratch, ignore_errors=True)
    return total


def _timed(command: list[str], what: str) -> float:
    """Seconds `command` took; RuntimeError naming `what` when it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")
    return seconds


def run_pagefind(site: Path, langs: list[str], scratch: Path) -> float:
    """Pagefind alone on a copy of each language's pages (without its bundle), one after the
    other; the seconds summed. Raises RuntimeError when it fails."""
    from experience_kb.site import build as site_build

    exclude = getattr(site_build, "PAGEFIND_EXCLUDE", PAGEFIND_EXCLUDE)
    total = 0.0
    for lang in langs:
        copy = scratch / lang
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site / lang, copy, ignore=shutil.ignore_patterns("pagefind"))
        total += _timed([sys.executable, "-m", "pagefind", "--site", str(copy), "--output-subdir", "pagefind",
                         "--exclude-selectors", exclude, "--silent"], f"Pagefind on {copy}")
    shutil.rmtree(scratch, ignore_errors=True)
    return total


# -- page weight ------------------------------------------------------------------------------

class _Assets(html.parser.HTMLParser):
    """The stylesheets and scripts a page links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").lower().split() and values.get("href"):
            self.links.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.links.append(values["src"])


@dataclass
class Weight:
    """One page: its HTML and the relative CSS and JS files it links."""

    page: Path
    html: int
    assets: int
    files: int
    missing: list[str]

    @property
    def total(self) -> int:
        return self.html + self.assets


def page_weight(page: Path) -> Weight:
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    seen: set[Path] = set()
    assets, missing = 0, []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path:
            continue  # not a file of the site beside the page
        path = (page.parent / unquote(parts.path)).resolve()
        if path in seen:
            continue
        seen.add(path)
        if path.is_file():
            assets += path.stat().st_size
        else:
            missing.append(link)
    return Weight(page, page.stat().st_size, assets, len(seen), missing)


def record_pages(site: Path, work: Path, lang: str) -> list[Path]:
    """The record pages of one language, from the site data the stage assembled."""
    data = json.loads((work / "src" / lang / "site.json").read_text(encoding="utf-8"))
    return sorted(site / lang / f"{doc}.html" for doc, page in data["pages"].items() if page.get("kind") == "record"
                  and (site / lang / f"{doc}.html").is_file())


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def languages(root: Path, site: Path) -> list[str]:
    """The languages of the knowledge base at `root` that its site was built in, in its order."""
    from experience_kb import config as config_module

    return [lang for lang in config_module.load(root).languages if (site / lang).is_dir()]
