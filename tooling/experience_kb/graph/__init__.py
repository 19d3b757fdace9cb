"""GRAPH: the stakeholder and milestone graph (networkx, imported only here).

`build(kb)` makes a `KnowledgeGraph`; `queries` and `legal` answer questions about it and
`export` writes the open data.
"""

from .build import TAG_PREFIX, KnowledgeGraph, Link, build

__all__ = ["TAG_PREFIX", "KnowledgeGraph", "Link", "build"]
