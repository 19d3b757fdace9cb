"""`kb build`."""

from __future__ import annotations

import sys

import click

from ..console import report as console_report
from ..console.progress import StepProgress
from ..pipeline import stages
from .common import project


@click.command()
@click.argument("stage", required=False, type=click.Choice(list(stages.STAGES)))
@click.option("--strict", is_flag=True, help="Stop on warnings too, not only on errors.")
@click.pass_context
def build(ctx: click.Context, stage: str | None, strict: bool) -> None:
    """Run the main job into build/: every stage in order, or only STAGE.

    Each stage writes build/<stage>/ through a temporary folder, so a failed stage leaves
    the previous output in place. Validation errors stop the job; a booklet that fails does
    not stop the site (its previous PDFs stay), but the job still exits 1. Stages: validate, stats,
    data (open data), index (search), booklets (PDFs to print, build/booklets/), site (the
    website, build/site/, which publishes the booklets' PDFs beside their pages).
    """

    progress = StepProgress()

    def show(result: stages.StageResult) -> None:
        progress.close()
        if result.report is not None and result.report.problems:
            click.echo(console_report.report(result.report), err=True)
        mark = "ok" if result.ok else "FAILED"
        counted = f"  ({result.count:,} {result.unit})" if result.unit else ""
        click.echo(f"[{mark:>6}] {result.stage:<10} {result.seconds:6.2f}s  -> {result.output}{counted}", err=True)

    results = stages.build(project(ctx), only=stage, strict=strict, on_stage=show,
                           notify=lambda text: click.echo(text, err=True), progress=progress)
    failed = [r for r in results if not r.ok]
    for result in failed:
        why = ("run `kb validate` to see why" if result.stage == "validate" else
               f"the problems above say why; build/{result.stage} keeps the last good output")
        stopped = result is results[-1] and stage is None and result.stage != list(stages.STAGES)[-1]
        click.echo(f"stage '{result.stage}' failed{' and stopped the build' if stopped else ''}; {why}", err=True)
    sys.exit(1 if failed else 0)
