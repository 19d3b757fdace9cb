"""The `kb` command: click only. One module per command group; each command parses its options,
makes one library call, presents the result with `console` and sets the exit code.

Exit codes are a contract: 0 clean (warnings allowed), 1 problems, 2 usage. A broken or missing
configuration is handled here, once, for every command.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from .. import __version__
from ..config import ConfigError, NotFoundError
from ..pipeline.atomic import BuildDirError
from ..pipeline.lock import LockTimeout
from ..console import report as console_report
from ..problems import Report
from .common import CONTEXT


class KbGroup(click.Group):
    """The `kb` group: reports configuration errors, a build folder kb may not touch, a busy
    build folder and the operating system's refusals (a full disk, a read-only folder) the
    same way for every command: a sentence and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NotFoundError as exc:  # no knowledge base at all: a usage error
            click.echo(f"kb: {exc.problems[0].message}. Run kb inside a knowledge base or pass --kb PATH.", err=True)
            sys.exit(2)
        except ConfigError as exc:
            fmt = ctx.meta.get("kb.format", "text")
            click.echo(console_report.report(Report(exc.problems), fmt), err=fmt == "text")
            sys.exit(1)
        except (BuildDirError, LockTimeout) as exc:
            click.echo(f"kb: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            click.echo(f"kb: {system_error(exc)}", err=True)
            sys.exit(1)


def system_error(exc: OSError) -> str:
    """What the operating system refused, and what to do about it."""
    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full (writing{where}); free some space and run kb again. Nothing was replaced."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"kb may not write{where} ({exc.strerror}); make the build folder writable, or set build_dir in "
                f"kb.yaml to a folder you can write. Nothing was replaced.")
    return f"the system refused an operation on{where or ' a file'} ({exc.strerror or exc}). Nothing was replaced."


@click.group(cls=KbGroup, context_settings=CONTEXT)
@click.option("--kb", "root", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Knowledge base folder (default: found from the current directory upwards, "
                   "like git; or $KB_ROOT).")
@click.version_option(__version__, prog_name="kb")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Validate, cross-link, index and publish a knowledge base of systematized experience."""
    ctx.obj = {"root": root}


def _register() -> None:
    from . import booklet, build, graph, search, stats, validate

    for command in (validate.validate, stats.stats, build.build, booklet.booklet, graph.graph, search.search):
        main.add_command(command)


_register()


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    """Every command and group below `group`, as (path of names, command), the group first."""
    yield prefix, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, prefix + (name,))
        else:
            yield prefix + (name,), command


def help_text(path: tuple[str, ...], width: int = 100) -> str:
    """What `kb <path> --help` prints, at a fixed width (for the README)."""
    from click.testing import CliRunner

    return CliRunner().invoke(main, [*path, "--help"], prog_name="kb", terminal_width=width).output.strip()
