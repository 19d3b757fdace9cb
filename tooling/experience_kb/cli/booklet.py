"""`kb booklet`."""

from __future__ import annotations

import sys

import click

from ..console import report as console_report
from ..pipeline import stages
from ..problems import Report
from .common import language, project


@click.command()
@click.argument("name")
@click.option("--lang", help="Only this language (default: every language the booklet is written in).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "epub"]), default="pdf", show_default=True,
              help="pdf to print; docx or epub for facilitators who want to edit.")
@click.option("--imposed", is_flag=True, help="Also write <id>.<lang>.imposed.pdf: A5 pages two-up on A4, in "
                                             "folding order, for saddle-stitched printing (pdf only).")
@click.pass_context
def booklet(ctx: click.Context, name: str, lang: str | None, fmt: str, imposed: bool) -> None:
    """Build the booklet NAME (a manifest in booklets/) into build/booklets/<id>.<lang>.<format>.

    Prints the pages, the time and how the booklet reads (INFLESZ for Spanish, Flesch reading
    ease for English, as `kb stats`), and warns when a booklet for grassroots or indigenous
    readers reads harder than "normal".
    """
    kb = project(ctx)
    versions = kb.kb.by_id.get(name)
    if not versions or next(iter(versions.values())).type.name != "booklet":
        known = sorted(i for i, v in kb.kb.by_id.items() if next(iter(v.values())).type.name == "booklet")
        raise click.BadParameter(f"no booklet has the id '{name}'; booklets: {', '.join(known) or 'none'}",
                                 param_hint="NAME")
    if imposed and fmt != "pdf":
        raise click.BadParameter("--imposed goes with --format pdf", param_hint="--imposed")
    languages = [language(kb, lang)] if lang else [code for code in kb.config.languages if code in versions]
    results = stages.booklet(kb, name, languages, fmt, imposed, notify=lambda text: click.echo(text, err=True))
    problems = [p for built in results for p in built.problems]
    if problems:
        click.echo(console_report.report(Report(problems)), err=True)
    for built in results:
        reading = built.reading
        told = (f"; reads {reading.scale} {reading.score:.0f} ({reading.level})"
                if reading is not None and reading.score is not None else "")
        pages = f", {built.pages} pages" if built.pages else ""
        if built.failed:
            click.echo(f"{built.id}.{built.lang}.{fmt}: not built; the previous file, if any, is kept", err=True)
        for path in built.files:
            click.echo(f"{path}{pages}, {built.seconds:.1f} s{told}")
    sys.exit(1 if Report(problems).errors else 0)
