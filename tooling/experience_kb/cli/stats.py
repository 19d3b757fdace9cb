"""`kb stats`."""

from __future__ import annotations

import json

import click

from ..console import tables
from .common import project


@click.command()
@click.option("--records", "per_record", is_flag=True,
              help="Also list each record's readability, hardest first (per language).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and readability as JSON.")
@click.pass_context
def stats(ctx: click.Context, per_record: bool, as_json: bool) -> None:
    """Count records per type and language, with translation coverage, and say how they read.

    Readability is measured per record and language: INFLESZ (Szigriszt-Pazos) for Spanish,
    Flesch reading ease for English, and sentence length for every language.
    """
    result = project(ctx).stats
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    parts = [tables.stats_table(result), tables.readability_table(result)]
    if per_record:
        parts.append(tables.records_table(result))
    click.echo("\n\n".join(parts))
