"""The knowledge base a benchmark runs on, and its vocabularies as the generator reads them."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml

from .tables import ID_PREFIX


def find_kb(path: Path | None = None):
    """The configuration of the knowledge base at `path`, or found like `kb` finds it ($KB_ROOT,
    else kb.yaml or kb/kb.yaml from the current folder upwards). Raises `ConfigError`."""
    from experience_kb import config

    return config.load(path)


def default_vocabularies() -> Path:
    """The vocabularies folder of the knowledge base `kb` would find from here."""
    return find_kb().vocabularies_dir


def add_kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", type=Path, default=None, metavar="PATH",
                        help="the knowledge base whose vocabularies the synthetic corpus uses (default: the one "
                             "`kb` finds: $KB_ROOT, or kb.yaml or kb/kb.yaml from the current folder upwards)")


def kb_config(parser: argparse.ArgumentParser, path: Path | None):
    """`find_kb(path)`, or exit through the parser with the configuration problem."""
    from experience_kb.config import ConfigError

    try:
        return find_kb(path)
    except ConfigError as exc:
        parser.error(f"--kb: {exc}")


def load_vocabularies(folder: Path) -> dict[str, dict[str, Any]]:
    """Every vocabulary file as {name: {value: entry}}."""
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for path in sorted(folder.glob("*.yaml"))}


def _means(entry: Any) -> tuple[str, ...]:
    means = entry.get("means") if isinstance(entry, dict) else None
    return () if means is None else (means,) if isinstance(means, str) else tuple(means)


def _rank(entry: Any) -> int:
    return int(entry.get("rank") or 0) if isinstance(entry, dict) else 0


def id_prefix(kind: str) -> str:
    """The id prefix of a resolution of instrument `kind` (tables.ID_PREFIX, else the kind as a slug)."""
    return ID_PREFIX.get(kind) or re.sub(r"[^a-z0-9]+", "", kind.lower()) or "instrumento"
