"""`kb validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..checks.validate import validate as run_validation
from ..console import report as console_report
from .common import progress_bar, root


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(console_report.FORMATS), default="text", show_default=True,
              help="text: path:line:col: severity: message [code]; json: structured; "
                   "github: GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings (such as missing translations) as errors.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check records for problems and print each at its file and line.

    With PATHS, report only problems in those files or folders (the whole knowledge base is
    still read so that links can be checked). Exit 0 when clean, 1 on errors (or on warnings
    with --strict).
    """
    ctx.meta["kb.format"] = fmt
    with progress_bar("Reading records", show=fmt == "text") as bar:
        report = run_validation(root(ctx), paths, bar.update)
    click.echo(console_report.report(report, fmt))
    sys.exit(report.exit_code(strict))
