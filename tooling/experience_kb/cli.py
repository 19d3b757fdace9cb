"""The `kb` command. Thin: parse arguments, make one library call, render, set the exit code.

Exit codes are a contract: 0 clean (warnings allowed), 1 problems, 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__, render
from . import build as build_module
from . import stats as stats_module
from . import validate as validate_module
from .config import ConfigError, NotFoundError
from .problems import Report

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _root(ctx: click.Context) -> Path | None:
    return ctx.obj.get("root") if ctx.obj else None


def _fail_config(exc: ConfigError, fmt: str = "text") -> None:
    """Configuration problems exit 1; no knowledge base at all is a usage error (2)."""
    if isinstance(exc, NotFoundError):
        click.echo(f"kb: {exc.problems[0].message}. Run kb inside a knowledge base or pass --kb PATH.", err=True)
        sys.exit(2)
    click.echo(render.report(Report(exc.problems), fmt), err=fmt == "text")
    sys.exit(1)


@click.group(context_settings=CONTEXT)
@click.option("--kb", "root", type=click.Path(path_type=Path, file_okay=False),
              help="Knowledge base folder (default: found from the current directory upwards, "
                   "like git; or $KB_ROOT).")
@click.version_option(__version__, prog_name="kb")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Validate, cross-link, index and publish a knowledge base of systematized experience."""
    ctx.obj = {"root": root}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(render.FORMATS), default="text", show_default=True,
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
    progress = None
    with _progress_bar(fmt) as bar:
        if bar is not None:
            progress = bar.update
        try:
            report = validate_module.validate(_root(ctx), paths, progress)
        except NotFoundError as exc:
            _fail_config(exc)
    click.echo(render.report(report, fmt))
    sys.exit(report.exit_code(strict))


class _NoBar:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress_bar(fmt: str):
    """A progress bar on stderr, only when a person is watching a terminal."""
    if fmt != "text" or not sys.stderr.isatty():
        return _NoBar()
    return click.progressbar(length=None, label="Reading records", file=sys.stderr, show_pos=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count records per type and language, with translation coverage."""
    try:
        result = stats_module.collect(_root(ctx))
    except ConfigError as exc:
        _fail_config(exc)
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else render.stats_table(result))


@main.command()
@click.argument("stage", required=False, type=click.Choice(list(build_module.STAGES)))
@click.option("--strict", is_flag=True, help="Stop on warnings too, not only on errors.")
@click.pass_context
def build(ctx: click.Context, stage: str | None, strict: bool) -> None:
    """Run the main job into build/: every stage in order, or only STAGE.

    Each stage writes build/<stage>/ through a temporary folder, so a failed stage leaves
    the previous output in place. Validation errors stop the job.
    """

    def show(result: build_module.StageResult) -> None:
        report = result.detail.get("report")
        if report is not None and report.problems:
            click.echo(render.report(report), err=True)
        mark = "ok" if result.ok else "FAILED"
        click.echo(f"[{mark:>6}] {result.stage:<10} {result.seconds:6.2f}s  -> {result.output}", err=True)

    try:
        results = build_module.build(_root(ctx), only=stage, strict=strict, on_stage=show)
    except ConfigError as exc:
        _fail_config(exc)
    failed = [r for r in results if not r.ok]
    if failed:
        click.echo(f"build stopped at stage '{failed[0].stage}'; run `kb validate` to see why", err=True)
    sys.exit(1 if failed else 0)


@main.group()
def graph() -> None:
    """Query the stakeholder and milestone graph: relations, paths, centrality, timeline, lessons."""


def _graph(ctx: click.Context):
    from . import graph as graph_module

    try:
        return graph_module.load(_root(ctx.find_root()))
    except ConfigError as exc:
        _fail_config(exc)


def _lang(kg, lang: str | None) -> str:
    return lang or kg.kb.config.default_language


def _emit(data, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text)


LANG = click.option("--lang", help="Language of titles and labels (default: the knowledge base's default).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@graph.command()
@click.argument("node")
@LANG
@JSON
@click.pass_context
def show(ctx: click.Context, node: str, lang: str | None, as_json: bool) -> None:
    """Show NODE (a record id, or tag:<value>) with its incoming and outgoing relations by type."""
    kg = _graph(ctx)
    if node not in kg:
        raise click.BadParameter(f"no record or tag '{node}'", param_hint="NODE")
    lang = _lang(kg, lang)
    groups = kg.relations(node, include_tags=True)
    _emit({"id": node, "type": kg.g.nodes[node]["type"], **groups}, as_json,
          render.relations_text(node, kg.title(node, lang), groups, lang))


@graph.command()
@click.argument("start")
@click.argument("end")
@LANG
@JSON
@click.pass_context
def path(ctx: click.Context, start: str, end: str, lang: str | None, as_json: bool) -> None:
    """Explain the shortest chain of relations between START and END."""
    kg = _graph(ctx)
    for name, node in (("START", start), ("END", end)):
        if node not in kg:
            raise click.BadParameter(f"no record or tag '{node}'", param_hint=name)
    steps = kg.path(start, end, _lang(kg, lang))
    text = "\n".join(f"{i}. {step['text']}" for i, step in enumerate(steps, 1)) or f"no chain links {start} and {end}"
    _emit(steps, as_json, text)
    sys.exit(0 if steps or start == end else 1)


@graph.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many stakeholders.")
@click.option("--year", type=int, help="Count only links of records dated in this year, and memberships active in it.")
@LANG
@JSON
@click.pass_context
def central(ctx: click.Context, top: int, year: int | None, lang: str | None, as_json: bool) -> None:
    """List the most connected stakeholders."""
    kg = _graph(ctx)
    rows = kg.central(top, year)
    lang = _lang(kg, lang)
    _emit(rows, as_json, render.rows_text([[str(r["links"]), r["id"], r["title"][lang]] for r in rows]))


@graph.command()
@click.option("--track", type=click.Choice(["national", "regional"]), help="Only one track.")
@LANG
@JSON
@click.pass_context
def timeline(ctx: click.Context, track: str | None, lang: str | None, as_json: bool) -> None:
    """List the milestones in date order."""
    kg = _graph(ctx)
    rows = kg.timeline(track)
    lang = _lang(kg, lang)
    _emit(rows, as_json, render.rows_text(
        [[r["date"] + (f"–{r['end_date']}" if r.get("end_date") else ""), r["track"], r["title"][lang]] for r in rows]))


@graph.command("in-force")
@click.argument("date")
@LANG
@JSON
@click.pass_context
def in_force(ctx: click.Context, date: str, lang: str | None, as_json: bool) -> None:
    """List the legal instruments in force on DATE (YYYY, YYYY-MM or YYYY-MM-DD)."""
    from . import dates

    if not dates.usable(date):
        raise click.BadParameter(f"'{date}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD", param_hint="DATE")
    kg = _graph(ctx)
    rows = kg.in_force(date)
    lang = _lang(kg, lang)
    _emit(rows, as_json, render.rows_text([[r["since"], r["identifier"] or r["id"], r["title"][lang]] for r in rows]))


@graph.command()
@LANG
@JSON
@click.pass_context
def lessons(ctx: click.Context, lang: str | None, as_json: bool) -> None:
    """Show the lesson loop: each lesson's evidence and where it was applied, and those never applied."""
    kg = _graph(ctx)
    data = kg.lessons()
    lang = _lang(kg, lang)
    lines = []
    for row in data["lessons"]:
        lines.append(f"{row['title'][lang]} [{row['id']}, {row['kind']}]")
        lines.append(f"    evidence:   {', '.join(row['evidence']) or '-'}")
        lines.append(f"    applied in: {', '.join(row['applied_in']) or '-'}")
    lines.append(f"\nNever applied ({len(data['never_applied'])}): {', '.join(data['never_applied']) or '-'}")
    _emit(data, as_json, "\n".join(lines))


@main.command()
@click.argument("query", nargs=-1)
@click.option("--lang", help="Search only records in this language (default: every language, hits in the "
                             "default language first).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only records of this type (repeatable), e.g. resolution, stakeholder.")
@click.option("--year", type=int, help="Only records dated in (or spanning) this year.")
@click.option("--from", "year_from", type=int, metavar="YEAR", help="Only records from this year on.")
@click.option("--to", "year_to", type=int, metavar="YEAR", help="Only records up to this year.")
@click.option("--stakeholder", "stakeholders", multiple=True, metavar="ID",
              help="Only records that name this stakeholder (repeatable: all must be named).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only records with this tag (repeatable).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many hits to show.")
@JSON
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], lang: str | None, types: tuple[str, ...], year: int | None,
           year_from: int | None, year_to: int | None, stakeholders: tuple[str, ...], tags: tuple[str, ...],
           limit: int, as_json: bool) -> None:
    """Search the records' full text in every language.

    QUERY is one or more words. Accents are optional ("indigenas" finds "indígenas"), acronyms
    and names stand for each other ("ARA" finds "Autoridad Regional Ambiental"), and an official
    number such as 018-2013 finds its instrument. Use "quotes" for a phrase, a trailing * for a
    prefix (salvag*), and AND, OR, NOT and parentheses to combine words.

    The index in build/index/ is brought up to date first: only changed records are re-indexed.
    Exit 0 when something matches, 1 when nothing does, 2 for a query that cannot be run.
    """
    from . import config as config_module
    from . import search as search_module
    from . import searchindex, searchtext

    if year is not None and (year_from is not None or year_to is not None):
        raise click.UsageError("use either --year or --from/--to, not both")
    low, high = (year, year) if year is not None else (year_from, year_to)
    if low is not None and high is not None and low > high:
        raise click.BadParameter(f"--from {low} is after --to {high}", param_hint="--from/--to")
    try:
        cfg = config_module.load(_root(ctx))
    except ConfigError as exc:
        _fail_config(exc)
    if lang is not None and lang not in cfg.languages:
        raise click.BadParameter(f"'{lang}' is not a language of this knowledge base; use one of: "
                                 f"{', '.join(cfg.languages)}", param_hint="--lang")
    known_types = sorted(_schema_types())
    for kind in types:
        if kind not in known_types:
            raise click.BadParameter(f"unknown type '{kind}'; types are: {', '.join(known_types)}", param_hint="--type")
    years = None if low is None and high is None else (low if low is not None else 0, high if high is not None else 9999)
    filters = search_module.Filters(tuple(types), years, stakeholders, tags)
    with _progress_bar("text" if not as_json else "json") as bar:
        try:
            results, status = searchindex.run_search(cfg, " ".join(query), lang, filters, limit,
                                                     bar.update if bar is not None else None)
        except searchtext.QueryError as exc:
            click.echo(f"kb search: {exc}", err=True)
            sys.exit(2)
        except search_module.IndexBusy as exc:
            click.echo(f"kb search: {exc}", err=True)
            sys.exit(1)
        except search_module.IndexUnusable as exc:  # still unusable right after a rebuild
            click.echo(f"kb search: the index in {cfg.display(cfg.build_dir / 'index')} cannot be used ({exc}); "
                       f"check that the disk is not full, then run `kb build index`", err=True)
            sys.exit(1)
    if status.action in ("built", "rebuilt"):
        why = f" because {status.reason}" if status.reason and status.action == "rebuilt" else ""
        click.echo(f"Search index {status.action}{why}: {status.documents} documents in {status.seconds:.1f}s", err=True)
    elif status.changed or status.removed:
        click.echo(f"Search index updated: {len(status.changed)} re-indexed, {len(status.removed)} removed", err=True)
    for path in status.unreadable:
        click.echo(f"kb search: {path} could not be read, so its last good version is searched; "
                   f"run `kb validate {path}`", err=True)
    if as_json:
        click.echo(render.search_json(results, status))
    else:
        titles = searchindex.titles(cfg)
        click.echo(render.search_text(results, titles, lang or cfg.default_language,
                                      lambda text: click.style(text, bold=True)))
    sys.exit(0 if results.hits else 1)


def _schema_types():
    from . import schema

    return schema.types()
