"""`kb search`."""

from __future__ import annotations

import sys

import click

from .common import JSON, progress_bar, project

YEAR = click.IntRange(1, 9999)  # four digits at most, as in the records' dates


@click.command()
@click.argument("query", nargs=-1)
@click.option("--lang", help="Search only records in this language (default: every language, hits in the "
                             "default language first).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only records of this type (repeatable), e.g. resolution, stakeholder.")
@click.option("--year", type=YEAR, help="Only records dated in (or spanning) this year.")
@click.option("--from", "year_from", type=YEAR, metavar="YEAR", help="Only records from this year on.")
@click.option("--to", "year_to", type=YEAR, metavar="YEAR", help="Only records up to this year.")
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
    from ..console import search as console_search  # whoosh and numpy: only when searching
    from ..search import service
    from ..search.engine import IndexBusy, IndexUnusable
    from ..search.query_text import QueryError

    request = service.Request(" ".join(query), lang, types, year, year_from, year_to, stakeholders, tags, limit)
    proj = project(ctx)
    with progress_bar("Indexing records", show=not as_json) as bar:
        try:
            outcome = service.search(proj, request, bar.update, notify=lambda text: click.echo(text, err=True))
        except service.OptionError as exc:
            raise click.BadParameter(str(exc), param_hint=exc.option) from None
        except QueryError as exc:
            click.echo(f"kb search: {exc}", err=True)
            sys.exit(2)
        except IndexBusy as exc:
            click.echo(f"kb search: {exc}", err=True)
            sys.exit(1)
        except IndexUnusable as exc:  # still unusable right after a rebuild
            index = proj.config.display(proj.config.build_dir / "index")
            click.echo(f"kb search: the index in {index} cannot be used ({exc}); "
                       f"check that the disk is not full, then run `kb build index`", err=True)
            sys.exit(1)
    for line in console_search.index_notices(outcome.status):
        click.echo(line, err=True)
    if as_json:
        click.echo(console_search.search_json(outcome.results, outcome.status))
    else:
        click.echo(console_search.search_text(outcome.results, outcome.titles, outcome.lang,
                                              lambda text: click.style(text, bold=True)))
    sys.exit(0 if outcome.results.hits else 1)
