"""`kb graph show|path|central|timeline|in-force|lessons`."""

from __future__ import annotations

import sys

import click

from ..console import graph as console_graph
from ..console import tables
from ..records import dates
from .common import JSON, LANG, emit, language, project


@click.group()
def graph() -> None:
    """Query the stakeholder and milestone graph: relations, paths, centrality, timeline, lessons."""


def _node(kg, node: str, name: str) -> None:
    if node not in kg:
        raise click.BadParameter(f"no record or tag '{node}'", param_hint=name)


@graph.command()
@click.argument("node")
@LANG
@JSON
@click.pass_context
def show(ctx: click.Context, node: str, lang: str | None, as_json: bool) -> None:
    """Show NODE (a record id, or tag:<value>) with its incoming and outgoing relations by type."""
    proj = project(ctx)
    lang = language(proj, lang)
    kg = proj.graph
    _node(kg, node, "NODE")
    groups = kg.relations(node, include_tags=True)
    emit({"id": node, "type": kg.node_type(node), **groups}, as_json,
         console_graph.relations_text(node, kg.title(node, lang), groups, lang))


@graph.command()
@click.argument("start")
@click.argument("end")
@LANG
@JSON
@click.pass_context
def path(ctx: click.Context, start: str, end: str, lang: str | None, as_json: bool) -> None:
    """Explain the shortest chain of relations between START and END."""
    proj = project(ctx)
    lang = language(proj, lang)
    kg = proj.graph
    _node(kg, start, "START")
    _node(kg, end, "END")
    steps = kg.path(start, end, lang)
    text = console_graph.path_text(steps) or f"no chain links {start} and {end}"
    emit(steps, as_json, text)
    sys.exit(0 if steps or start == end else 1)


@graph.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many stakeholders.")
@click.option("--year", type=int, help="Count only links of records dated in this year, and memberships active in it.")
@LANG
@JSON
@click.pass_context
def central(ctx: click.Context, top: int, year: int | None, lang: str | None, as_json: bool) -> None:
    """List the most connected stakeholders."""
    proj = project(ctx)
    lang = language(proj, lang)
    rows = proj.graph.central(top, year)
    emit(rows, as_json, tables.rows_text([[str(r["links"]), r["id"], r["title"][lang]] for r in rows]))


@graph.command()
@click.option("--track", help="Only one track (a value of the tracks vocabulary, e.g. national or regional).")
@LANG
@JSON
@click.pass_context
def timeline(ctx: click.Context, track: str | None, lang: str | None, as_json: bool) -> None:
    """List the milestones in date order."""
    proj = project(ctx)
    lang = language(proj, lang)
    tracks = proj.kb.vocabularies.values("tracks")
    if track is not None and track not in tracks:
        raise click.BadParameter(f"'{track}' is not a track; tracks are: {', '.join(tracks) or 'none'}",
                                 param_hint="--track")
    rows = proj.graph.timeline(track)
    vocab = proj.kb.vocabularies
    emit(rows, as_json, tables.rows_text(
        [[r["date"] + (f"–{r['end_date']}" if r.get("end_date") else ""),
          vocab.label("tracks", r["track"], lang) if r.get("track") else "", r["title"][lang]] for r in rows]))


@graph.command("in-force")
@click.argument("date")
@LANG
@JSON
@click.pass_context
def in_force(ctx: click.Context, date: str, lang: str | None, as_json: bool) -> None:
    """List the legal instruments in force on DATE (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if not dates.usable(date):
        raise click.BadParameter(f"'{date}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD", param_hint="DATE")
    proj = project(ctx)
    lang = language(proj, lang)
    rows = proj.graph.in_force(date)
    emit(rows, as_json, tables.rows_text([[r["since"], r["identifier"] or r["id"], r["title"][lang]] for r in rows]))


@graph.command()
@LANG
@JSON
@click.pass_context
def lessons(ctx: click.Context, lang: str | None, as_json: bool) -> None:
    """Show the lesson loop: each lesson's evidence and where it was applied, and those never applied."""
    proj = project(ctx)
    lang = language(proj, lang)
    data = proj.graph.lessons()
    emit(data, as_json, console_graph.lessons_text(data, lang))
