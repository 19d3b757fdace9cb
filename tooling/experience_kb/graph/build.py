"""The stakeholder and milestone graph of one knowledge base.

Nodes are records (stakeholders and milestones included) and tags (`tag:<value>`). Every typed
edge comes from front matter; inverse relations (backlinks) are computed from the same edges,
never written by hand. Each edge carries the record file and field path it came from, so that
consistency rules can point at a line.

The networkx graph is private: everything outside this package asks `KnowledgeGraph` through
its methods (here, in `queries` and in `legal`), so another graph library could stand behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import networkx as nx

from ..records.cache import paused_gc
from ..records.model import KnowledgeBase, dicts, strings
from ..records.vocabularies import LINKS
from .legal import Legal
from .queries import Queries

TAG_PREFIX = "tag:"


@dataclass(frozen=True)
class Link:
    """One typed edge, seen from a node: `other` is the node at the far end."""

    kind: str  # "role", "relation" or a structural link (a value of the links vocabulary)
    name: str  # the role or relation value, or the structural link again
    other: str
    direction: str  # "out" or "in"
    attrs: dict

    def label(self, kb: KnowledgeBase, lang: str) -> str:
        vocabulary = {"role": "roles", "relation": "relations"}.get(self.kind, LINKS)
        return kb.vocabularies.label(vocabulary, self.name, lang, inverse=self.direction == "in")


class KnowledgeGraph(Queries, Legal):
    """A MultiDiGraph of one knowledge base, with the queries the CLI, the checks and the site need."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._g = nx.MultiDiGraph()
        with paused_gc():  # tens of thousands of edge dicts, no cycles to collect
            self._build()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        g, kb = self._g, self.kb
        default = kb.config.default_language
        for record_id, versions in kb.by_id.items():
            record = versions.get(default) or next(iter(versions.values()))
            attrs = {"type": record.type.name, "date": record.meta.get("date") or "", "path": record.relpath}
            for lang, version in versions.items():
                attrs[f"title_{lang}"] = version.title
            g.add_node(record_id, **attrs)
        pending: list[tuple] = []

        def edge(src: str, dst: Any, kind: str, name: Any, source: str, field: tuple, **extra: Any) -> None:
            if isinstance(dst, str) and dst in g and isinstance(name, str):
                pending.append((src, dst, f"{kind}:{name}",
                                {"kind": kind, "name": name, "source": source, "field": field, **extra}))

        for record_id, versions in kb.by_id.items():
            record = versions.get(default) or next(iter(versions.values()))
            meta, source = record.meta, record.relpath
            for index, item in enumerate(dicts(meta.get("stakeholders"))):
                edge(record_id, item.get("id"), "role", item.get("role"), source, ("stakeholders", index, "id"))
            for index, item in enumerate(dicts(meta.get("related"))):
                edge(record_id, item.get("id"), "relation", item.get("relation"), source, ("related", index, "id"),
                     **({"editorial": True} if item.get("editorial") is True else {}))
            for index, item in enumerate(dicts(meta.get("memberships"))):
                edge(record_id, item.get("organization"), "member_of", item.get("role"), source,
                     ("memberships", index, "organization"),
                     start_date=item.get("start_date") or "", end_date=item.get("end_date") or "")
            if isinstance(meta.get("parent"), str):
                edge(record_id, meta["parent"], "parent", "parent", source, ("parent",))
            if isinstance(meta.get("issuer"), str):
                edge(record_id, meta["issuer"], "issued_by", "issued_by", source, ("issuer",))
            for index, target in enumerate(strings(meta.get("marks"))):
                edge(record_id, target, "marks", "marks", source, ("marks", index))
            for index, target in enumerate(strings(meta.get("contents"))):
                edge(record_id, target, "contains", "contains", source, ("contents", index))
            for tag in strings(meta.get("tags")):
                node = TAG_PREFIX + tag
                if node not in g:
                    g.add_node(node, type="tag", date="", path="",
                               **{f"title_{lang}": kb.vocabularies.label("tags", tag, lang) for lang in kb.config.languages})
                pending.append((record_id, node, "tagged",
                                {"kind": "tagged", "name": "tagged", "source": source, "field": ("tags",)}))
        g.add_edges_from(pending)  # one bulk call: add_edge one by one costs ~10 µs per edge

    # -- nodes --------------------------------------------------------------------------------
    def __contains__(self, node: str) -> bool:
        return node in self._g

    def nodes(self) -> Iterator[str]:
        return iter(self._g)

    def node(self, node: str) -> dict[str, Any]:
        """A node's attributes (type, date, path, title_<lang>): a copy."""
        return dict(self._g.nodes[node])

    def node_type(self, node: str) -> str:
        return self._g.nodes[node]["type"]

    def node_date(self, node: str) -> str:
        return self._g.nodes[node].get("date") or ""

    def number_of_nodes(self) -> int:
        return self._g.number_of_nodes()

    def number_of_edges(self) -> int:
        return self._g.number_of_edges()

    def titles(self, node: str) -> dict[str, str]:
        """The node's title in every configured language."""
        return {lang: self.title(node, lang) for lang in self.kb.config.languages}

    def title(self, node: str, lang: str) -> str:
        data = self._g.nodes[node]
        return data.get(f"title_{lang}") or data.get(f"title_{self.kb.config.default_language}") or node

    def sort_key(self, node: str) -> tuple:
        return (self.node_date(node) or "9999", node)

    # -- edges --------------------------------------------------------------------------------
    def links(self, node: str) -> Iterator[Link]:
        for _, other, data in self._g.out_edges(node, data=True):
            yield Link(data["kind"], data["name"], other, "out", data)
        for other, _, data in self._g.in_edges(node, data=True):
            yield Link(data["kind"], data["name"], other, "in", data)

    def edges(self, kind: str | None = None) -> Iterator[tuple[str, str, dict]]:
        for src, dst, data in self._g.edges(data=True):
            if kind is None or data["kind"] == kind:
                yield src, dst, data

    def out_edges(self, node: str, kind: str | None = None) -> Iterator[tuple[str, str, dict]]:
        for src, dst, data in self._g.out_edges(node, data=True):
            if kind is None or data["kind"] == kind:
                yield src, dst, data

    def in_edges(self, node: str, kind: str | None = None) -> Iterator[tuple[str, str, dict]]:
        for src, dst, data in self._g.in_edges(node, data=True):
            if kind is None or data["kind"] == kind:
                yield src, dst, data

    def degree(self, node: str, include_tags: bool = False) -> int:
        return sum(1 for link in self.links(node) if include_tags or link.kind != "tagged")

    def cycles(self, relations) -> list[list[tuple[str, str, dict]]]:
        """Cycles made of edges of the given relations, each as its list of edges."""
        sub = nx.MultiDiGraph()
        sub.add_edges_from((s, d, k, data) for s, d, k, data in self._g.edges(keys=True, data=True)
                           if data["kind"] == "relation" and data["name"] in relations)
        found = []
        for cycle in nx.simple_cycles(nx.DiGraph(sub)):
            edges = []
            for here, there in zip(cycle, cycle[1:] + cycle[:1]):
                edges.append((here, there, next(iter(sub.get_edge_data(here, there).values()))))
            found.append(edges)
        return found

    def relation_names(self, means: str) -> list[str]:
        """The relations that mean `means` in this knowledge base's vocabulary (e.g. modifies)."""
        return self.kb.vocabularies.meaning("relations", means)


def build(kb: KnowledgeBase) -> KnowledgeGraph:
    return KnowledgeGraph(kb)

