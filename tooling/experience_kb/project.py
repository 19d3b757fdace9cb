"""`Project`: one knowledge base, loaded once and handed to every stage and command.

The configuration is read when the project is made (a broken `kb.yaml` raises `ConfigError`
there). Everything else is computed on first use and kept: the records (`kb`), the validation
`report`, the `graph` and the `stats`. A command asks for what it needs and pays for nothing
else: `kb search` reads only the configuration, `kb build index` the records, `kb validate`
the records, the rules and the graph.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import config as config_module
from .problems import Report
from .records import loader
from .records.cache import FileCache
from .records.model import KnowledgeBase
from .records.stats import Stats

if TYPE_CHECKING:  # networkx is imported only when the graph is built
    from .graph import KnowledgeGraph

Progress = Callable[[int], None]
CACHE_FILE = Path(".cache") / "records.marshal"


class Project:
    """The knowledge base found from `root` (like git: from the current directory upwards)."""

    def __init__(self, root: Path | None = None, progress: Progress | None = None,
                 use_cache: bool | None = None) -> None:
        self.config = config_module.load(root)
        self.progress = progress
        if use_cache is None:
            use_cache = os.environ.get("KB_CACHE", "1") != "0"
        self.cache = FileCache(self.config.build_dir / CACHE_FILE if use_cache else None, self.config.languages)

    @property
    def root(self) -> Path:
        return self.config.root

    @functools.cached_property
    def kb(self) -> KnowledgeBase:
        """Every record, parsed (front matter of unchanged files from the cache)."""
        kb = loader.load(self.config, self.cache, self.progress)
        self.cache.save()
        return kb

    @functools.cached_property
    def graph(self) -> KnowledgeGraph:
        from .graph import build

        return build(self.kb)

    @functools.cached_property
    def report(self) -> Report:
        """Every problem: reading, each record, across records and in the graph."""
        from .checks.validate import check

        report = check(self)
        self.cache.save()
        return report

    @functools.cached_property
    def stats(self) -> Stats:
        from .records.stats import compute

        return compute(self.kb)
