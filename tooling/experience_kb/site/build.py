"""Build the static site: one MyST tree and one Sphinx build per language, then Pagefind.

    build(project, out, work, progress) -> SiteResult

- `work` (`build/.site-work/`) holds what is not published: the compiled catalogs, the
  assembled MyST of each language and Sphinx's doctrees.
- `out` is the stage's temporary folder; the pipeline swaps it in whole, only on success.
- Languages build in parallel processes (one Sphinx application each, through its API, in
  `sphinx_ext.run`); each runs Pagefind on its own sub-site as soon as it is written, so one
  language is indexed while another is still building.
- Warnings become `Problem`s at the record file and line they come from.
- Nothing depends on the clock: the year in the footer is the year of the last commit of the
  knowledge base (or of `SOURCE_DATE_EPOCH`, or of its newest file).
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
import queue
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .. import i18n
from ..problems import Code, Problem, problem
from ..timestamps import content_year
from . import assemble, data as site_data, downloads, myst, pages, root_pages

if TYPE_CHECKING:
    from ..project import Project

Progress = Callable[[str, int, int], None]  # (step, done, total); total 0 for a plain line
PAGEFIND = [sys.executable, "-m", "pagefind"]  # the pagefind[bin] wheel: no npm, no download
PAGEFIND_EXCLUDE = "a.headerlink, .kb-language-switch, [data-pagefind-ignore]"
_WARNING = re.compile(r"^(?P<where>.*?):?(?P<line>\d+)?:? ?(?P<level>WARNING|ERROR|CRITICAL): (?P<message>.*?)"
                      r"(?: \[(?P<type>[\w-]+)(?:\.(?P<subtype>[\w-]+))?\])?$")


# docutils' own words when the settings refuse a directive or role (raw_enabled and
# file_insertion_enabled are off): the record asked for raw HTML or a file of the machine.
_REFUSED = re.compile(r'^(?:"[\w-]+" directive disabled|Directive "[\w-]+" disabled|raw \(and derived\) roles '
                      r'disabled|File and URL access deactivated|"[\w-]+" directive: file and URL access)')


@dataclass
class SiteResult:
    pages: int = 0
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False


def build(project: Project, out: Path, work: Path, progress: Progress | None = None) -> SiteResult:
    """Write the whole site into `out` (see the module docstring)."""
    say = progress or (lambda step, done, total: None)
    config = project.config
    say("site: preparing the data of every page", 0, 0)
    per_language = site_data.build(project)
    locale = i18n.compile_catalogs(work / "locale")
    year = content_year(config.root)
    sources = work / "src"
    if sources.exists():
        shutil.rmtree(sources)
    offsets: dict[tuple[str, str], tuple[Any, int, int]] = {}
    jobs = []
    for lang, data in per_language.items():
        data["build"] = {"locale": str(locale), "year": year}
        target = sources / lang
        target.mkdir(parents=True)
        count = assemble.assemble(data, target, i18n.translator(lang, locale).gettext)
        offsets.update({(lang, doc): where for doc, where in body_offsets(project, data, target).items()})
        say(f"site {lang}: assembled {count:,} pages", 0, 0)
        jobs.append((lang, str(target), str(out / lang), str(work / "doctrees" / lang), count,
                     max(1, (os.cpu_count() or 1) // len(per_language))))
    result = SiteResult(sum(job[4] for job in jobs))
    for lang, lines, failed in _run_all(jobs, say):
        result.failed |= failed
        result.problems += [to_problem(line, lang, sources / lang, offsets, config.display) for line in lines]
    root_pages.write(out, per_language, config.default_language, locale)
    offered = {lang: {rid: r["downloads"] for rid, r in data["records"].items() if r.get("downloads")}
               for lang, data in per_language.items()}
    collections = {rid: r["collection"] for data in per_language.values() for rid, r in data["records"].items()}
    published = downloads.publish(config.build_dir / "booklets", offered, collections, out)
    if published:
        say(f"site: {published} booklet files published beside their pages", 0, 0)
    return result


def body_offsets(project: Project, data: dict[str, Any], target: Path) -> dict[str, tuple[Any, int, int]]:
    """doc -> (record, MyST line where the body begins, record file line where it begins)."""
    found = {}
    for doc, page in data["pages"].items():
        if page["kind"] != "record":
            continue
        record = project.kb.get(page["record"], data["lang"])
        rendered = myst.body(record.body).rstrip("\n")
        if not rendered:
            continue
        text = (target / f"{doc}.md").read_text(encoding="utf-8")
        index = text.find(rendered)
        if index >= 0:
            leading = record.body[:len(record.body) - len(record.body.lstrip())]
            found[doc] = (record, text.count("\n", 0, index) + 1, record.fm.body_line + leading.count("\n"))
    return found


def to_problem(line: str, lang: str, source: Path, offsets: dict, display: Callable[[Path], str]) -> Problem:
    """A Sphinx warning line as a Problem at the record file and line it comes from."""
    match = _WARNING.match(line.strip())
    if not match:
        return problem(Code.SITE, f"site/{lang}", 0, 0, line.strip())
    kind, subtype = match["type"], match["subtype"]
    code = Code.SITE
    if kind == "kb" and subtype in {c.value for c in Code}:
        code = Code(subtype)
    elif kind == "docutils" and _REFUSED.search(match["message"]):
        code = Code.UNSAFE_DIRECTIVE  # docutils refused raw output or file insertion (see conf.py)
    message = match["message"] + (f" [{kind}.{subtype}]" if kind and subtype else f" [{kind}]" if kind else "")
    if match["level"] in ("ERROR", "CRITICAL") and code is Code.SITE:
        code = Code.SITE_FAILED
    where = match["where"] or ""
    number = int(match["line"]) if match["line"] else 0
    try:
        doc = str(Path(where).resolve().relative_to(source.resolve()).with_suffix("")).replace(os.sep, "/")
    except ValueError:
        return Problem(f"site/{lang}", 0, 0, code, message)
    if (lang, doc) in offsets:
        record, myst_line, file_line = offsets[(lang, doc)]
        if number >= myst_line:
            return Problem(record.display, file_line + number - myst_line, 0, code, message)
        return Problem(record.display, 1, 0, code, message)
    return Problem(f"site/{pages.url(lang, doc)}", number, 0, code, message)


def _run_all(jobs: list[tuple], say: Progress) -> list[tuple[str, list[str], bool]]:
    """Build every language, in parallel processes when there are cores for it."""
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    if workers == 1:
        return [_language(job, lambda *args: say(*args)) for job in jobs]
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with context.Manager() as manager:
        messages = manager.Queue()
        with futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            pending = [pool.submit(_language_in_worker, job, messages) for job in jobs]
            while any(not job.done() for job in pending):
                _drain(messages, say, timeout=0.2)
            _drain(messages, say, timeout=0)
            return [job.result() for job in pending]


def _drain(messages: Any, say: Progress, timeout: float) -> None:
    try:
        while True:
            say(*messages.get(timeout=timeout))
            timeout = 0
    except queue.Empty:
        return


def _language_in_worker(job: tuple, messages: Any) -> tuple[str, list[str], bool]:
    return _language(job, lambda *args: messages.put(args))


def _language(job: tuple, say: Progress) -> tuple[str, list[str], bool]:
    """Sphinx, then Pagefind, for one language. Returns (language, warning lines, failed)."""
    from . import sphinx_ext

    lang, source, out, doctrees, count, cores = job
    lines, failed = sphinx_ext.run(Path(source), Path(out), Path(doctrees), lambda step, done: say(
        f"site {lang}: {step}", done, count), cores)
    if failed:
        return lang, lines, True
    say(f"site {lang}: {count:,} pages written; indexing them for search", 0, 0)
    done = subprocess.run([*PAGEFIND, "--site", out, "--output-subdir", "pagefind",
                           "--exclude-selectors", PAGEFIND_EXCLUDE, "--silent"],
                          capture_output=True, text=True, check=False, timeout=1800)
    if done.returncode != 0:
        lines.append(f"ERROR: Pagefind failed on the {lang} site: {(done.stderr or done.stdout).strip()[:2000]}")
        return lang, lines, True
    say(f"site {lang}: search index ready", 0, 0)
    return lang, lines, False
