"""What every command shares: the project from the `--kb` option, language checks, progress
bars, and printing data as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..project import Project

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
LANG = click.option("--lang", help="Language of titles and labels (default: the knowledge base's default).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def root(ctx: click.Context) -> Path | None:
    top = ctx.find_root()
    return top.obj.get("root") if top.obj else None


def project(ctx: click.Context, progress=None) -> Project:
    """The knowledge base of this invocation. A ConfigError is reported by the `kb` group."""
    return Project(root(ctx), progress)


def language(project: Project, lang: str | None, option: str = "--lang") -> str:
    """`lang` if the knowledge base has it (default: its default language); else a usage error."""
    if lang is None:
        return project.config.default_language
    if lang not in project.config.languages:
        raise click.BadParameter(f"'{lang}' is not a language of this knowledge base; use one of: "
                                 f"{', '.join(project.config.languages)}", param_hint=option)
    return lang


def emit(data, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text)


class _NoBar:
    update = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress_bar(label: str, show: bool = True):
    """A progress bar on stderr, only when a person is watching a terminal."""
    if not show or not sys.stderr.isatty():
        return _NoBar()
    return click.progressbar(length=None, label=label, file=sys.stderr, show_pos=True)
