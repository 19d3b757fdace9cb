"""`kb stats`."""

from __future__ import annotations

import json

import click

from ..console import tables
from .common import project


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count records per type and language, with translation coverage."""
    result = project(ctx).stats
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else tables.stats_table(result))
