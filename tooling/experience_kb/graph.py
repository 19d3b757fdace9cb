"""The stakeholder and milestone graph: the only module that imports networkx.

Nodes are records (stakeholders and milestones included) and tags (`tag:<value>`). Every typed
edge comes from front matter; inverse relations (backlinks) are computed from the same edges,
never written by hand. Each edge carries the record file and field path it came from, so that
consistency rules can point at a line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from . import dates
from .model import KnowledgeBase

TAG_PREFIX = "tag:"

# Structural links that are not in a vocabulary: (label, inverse label) per language.
STRUCTURAL = {
    "member_of": ({"es": "Miembro de", "en": "Member of"}, {"es": "Miembros", "en": "Members"}),
    "parent": ({"es": "Depende de", "en": "Part of organization"}, {"es": "Unidades", "en": "Units"}),
    "marks": ({"es": "Hito de", "en": "Milestone of"}, {"es": "Hitos", "en": "Milestones"}),
    "issued_by": ({"es": "Emitido por", "en": "Issued by"}, {"es": "Normas emitidas", "en": "Issued instruments"}),
    "contains": ({"es": "Contiene", "en": "Contains"}, {"es": "Incluido en cartillas", "en": "In booklets"}),
    "tagged": ({"es": "Tema", "en": "Subject"}, {"es": "Registros", "en": "Records"}),
}
LEGAL_CHAIN = ("modifies", "repeals")
ACYCLIC = ("modifies", "repeals", "part_of")


@dataclass(frozen=True)
class Link:
    """One typed edge, seen from a node: `other` is the node at the far end."""

    kind: str  # "role", "relation" or a STRUCTURAL key
    name: str  # the role or relation value, or the structural key
    other: str
    direction: str  # "out" or "in"
    attrs: dict

    def label(self, kb: KnowledgeBase, lang: str) -> str:
        inverse = self.direction == "in"
        if self.kind == "role":
            return kb.vocabularies.label("roles", self.name, lang, inverse=inverse)
        if self.kind == "relation":
            return kb.vocabularies.label("relations", self.name, lang, inverse=inverse)
        label, inverse_label = STRUCTURAL[self.kind]
        return (inverse_label if inverse else label)[lang]


class KnowledgeGraph:
    """A MultiDiGraph of one knowledge base, with the queries the CLI and the site need."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.g = nx.MultiDiGraph()
        self._build()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        g, kb = self.g, self.kb
        default = kb.config.default_language
        for record_id, versions in kb.by_id.items():
            record = versions.get(default) or next(iter(versions.values()))
            meta = record.meta
            attrs = {"type": record.type.name, "date": meta.get("date") or "", "path": record.display}
            for lang, version in versions.items():
                attrs[f"title_{lang}"] = version.title
            g.add_node(record_id, **attrs)
        self._pending: list[tuple] = []
        for record_id, versions in kb.by_id.items():
            record = versions.get(default) or next(iter(versions.values()))
            meta, source = record.meta, record.display
            for index, item in enumerate(_dicts(meta.get("stakeholders"))):
                self._edge(record_id, item.get("id"), "role", item.get("role"), source, ("stakeholders", index, "id"))
            for index, item in enumerate(_dicts(meta.get("related"))):
                self._edge(record_id, item.get("id"), "relation", item.get("relation"), source, ("related", index, "id"))
            for index, item in enumerate(_dicts(meta.get("memberships"))):
                self._edge(record_id, item.get("organization"), "member_of", item.get("role"), source,
                           ("memberships", index, "organization"),
                           start_date=item.get("start_date") or "", end_date=item.get("end_date") or "")
            if isinstance(meta.get("parent"), str):
                self._edge(record_id, meta["parent"], "parent", "parent", source, ("parent",))
            if isinstance(meta.get("issuer"), str):
                self._edge(record_id, meta["issuer"], "issued_by", "issued_by", source, ("issuer",))
            for index, target in enumerate(_strings(meta.get("marks"))):
                self._edge(record_id, target, "marks", "marks", source, ("marks", index))
            for index, target in enumerate(_strings(meta.get("contents"))):
                self._edge(record_id, target, "contains", "contains", source, ("contents", index))
            for tag in _strings(meta.get("tags")):
                node = TAG_PREFIX + tag
                if node not in g:
                    g.add_node(node, type="tag", date="", path="",
                               **{f"title_{lang}": kb.vocabularies.label("tags", tag, lang) for lang in kb.config.languages})
                self._pending.append((record_id, node, "tagged",
                                      {"kind": "tagged", "name": "tagged", "source": source, "field": ("tags",)}))
        g.add_edges_from(self._pending)  # one bulk call: add_edge one by one costs ~10 µs per edge
        del self._pending

    def _edge(self, src: str, dst: Any, kind: str, name: Any, source: str, field: tuple, **extra: Any) -> None:
        if isinstance(dst, str) and dst in self.g and isinstance(name, str):
            self._pending.append((src, dst, f"{kind}:{name}",
                                  {"kind": kind, "name": name, "source": source, "field": field, **extra}))

    # -- looking around one node --------------------------------------------------------------
    def __contains__(self, node: str) -> bool:
        return node in self.g

    def links(self, node: str) -> Iterator[Link]:
        for _, other, data in self.g.out_edges(node, data=True):
            yield Link(data["kind"], data["name"], other, "out", data)
        for other, _, data in self.g.in_edges(node, data=True):
            yield Link(data["kind"], data["name"], other, "in", data)

    def relations(self, node: str, include_tags: bool = False) -> dict[str, dict[str, list[dict]]]:
        """Incoming and outgoing relations of a node grouped by type, labelled in every language.

        `{"outgoing": {group: {"label": {es, en}, "items": [...]}}, "incoming": {...}}`.
        """
        result: dict[str, dict] = {"outgoing": {}, "incoming": {}}
        languages = self.kb.config.languages
        for link in sorted(self.links(node), key=lambda l: (l.kind, l.name, self.sort_key(l.other))):
            if link.kind == "tagged" and not include_tags:
                continue
            side = result["outgoing" if link.direction == "out" else "incoming"]
            group = side.setdefault(f"{link.kind}:{link.name}",
                                    {"kind": link.kind, "name": link.name,
                                     "label": {lang: link.label(self.kb, lang) for lang in languages}, "items": []})
            item = {"id": link.other, "type": self.g.nodes[link.other]["type"],
                    "title": self.titles(link.other)}
            for key in ("start_date", "end_date"):
                if link.attrs.get(key):
                    item[key] = link.attrs[key]
            group["items"].append(item)
        return result

    def titles(self, node: str) -> dict[str, str]:
        """The node's title in every configured language."""
        return {lang: self.title(node, lang) for lang in self.kb.config.languages}

    def title(self, node: str, lang: str) -> str:
        data = self.g.nodes[node]
        return data.get(f"title_{lang}") or data.get(f"title_{self.kb.config.default_language}") or node

    def sort_key(self, node: str) -> tuple:
        data = self.g.nodes[node]
        return (data.get("date") or "9999", node)

    # -- queries ------------------------------------------------------------------------------
    def path(self, start: str, end: str, lang: str) -> list[dict]:
        """The shortest chain of relations between two nodes, each step explained in words."""
        keep = [n for n in self.g if not n.startswith(TAG_PREFIX) or n in (start, end)]
        undirected = nx.MultiGraph(self.g.subgraph(keep))
        try:
            nodes = nx.shortest_path(undirected, start, end)
        except nx.NetworkXNoPath:
            return []
        steps = []
        for here, there in zip(nodes, nodes[1:]):
            link = min((l for l in self.links(here) if l.other == there), key=lambda l: l.kind == "tagged")
            subject, obj = (here, there) if link.direction == "out" else (there, here)
            forward = Link(link.kind, link.name, obj, "out", link.attrs)
            steps.append({"from": here, "to": there, "relation": link.name, "kind": link.kind,
                          "text": f"{self.title(subject, lang)} — {forward.label(self.kb, lang).lower()} → "
                                  f"{self.title(obj, lang)}"})
        return steps

    def central(self, top: int = 10, year: int | None = None) -> list[dict]:
        """The most connected stakeholders, counting links to records (or memberships) of `year`."""
        scores: dict[str, int] = {}
        for src, dst, data in self.g.edges(data=True):
            if data["kind"] == "tagged":
                continue
            if year is not None and not self._edge_in_year(src, dst, data, year):
                continue
            for node in (src, dst):
                if self.g.nodes[node]["type"] == "stakeholder":
                    scores[node] = scores.get(node, 0) + 1
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
        return [{"id": node, "links": score, "title": self.titles(node)}
                for node, score in ranked]

    def _edge_in_year(self, src: str, dst: str, data: dict, year: int) -> bool:
        if data["kind"] == "member_of":
            start, end = data.get("start_date"), data.get("end_date")
            if not dates.usable(start):
                return False
            return dates.earliest(start).year <= year and (not dates.usable(end) or dates.latest(end).year >= year)
        for node in (src, dst):
            value = self.g.nodes[node].get("date")
            if self.g.nodes[node]["type"] != "stakeholder" and dates.usable(value):
                return dates.earliest(value).year <= year <= dates.latest(value).year
        return False

    def timeline(self, track: str | None = None) -> list[dict]:
        items = []
        for record_id in self.kb.of_type("milestone"):
            record = self.kb.get(record_id)
            if track and record.meta.get("track") != track:
                continue
            items.append({"id": record_id, "date": record.meta.get("date"), "end_date": record.meta.get("end_date"),
                          "track": record.meta.get("track"),
                          "title": self.titles(record_id),
                          "marks": [dst for _, dst, d in self.g.out_edges(record_id, data=True) if d["kind"] == "marks"]})
        return sorted(items, key=lambda item: (dates.earliest(item["date"]) if dates.usable(item["date"])
                                               else dt.date.max, item["id"]))

    def in_force(self, on: str) -> list[dict]:
        """Legal instruments in force on a date: in effect by then, not repealed by an instrument in
        effect by then, and not only proposed."""
        day = dates.earliest(on)
        result = []
        for record_id in self.kb.of_type("resolution"):
            record = self.kb.get(record_id)
            start = self.effective_date(record_id)
            if start is None or start > day or self._only_proposed(record_id):
                continue
            if self._lifecycle_date(record, "repealed", day) or self._acted_on(record_id, "repeals", day):
                continue
            modified_by = self._acted_on(record_id, "modifies", day)
            result.append({"id": record_id, "identifier": record.meta.get("identifier"),
                           "since": self.effective_date(record_id, as_text=True),
                           "modified_by": sorted(modified_by),
                           "title": self.titles(record_id)})
        return sorted(result, key=lambda item: (item["since"], item["id"]))

    def effective_date(self, record_id: str, as_text: bool = False):
        """When an instrument took effect: in_force, published, approved or signed, else its date.
        A date (its earliest day), or with `as_text` the partial date as written."""
        record = self.kb.get(record_id)
        events = {e.get("event"): e.get("date") for e in _dicts(record.meta.get("lifecycle"))}
        candidates = [events.get(e) for e in ("in_force", "published", "approved", "signed", "ratified")]
        for value in [*candidates, record.meta.get("date")]:
            if dates.usable(value):
                return value if as_text else dates.earliest(value)
        return None

    def _acted_on(self, record_id: str, relation: str, day: dt.date) -> list[str]:
        """The instruments in effect by `day` that point at `record_id` with `relation`."""
        return [src for src, _, d in self.g.in_edges(record_id, data=True)
                if d["kind"] == "relation" and d["name"] == relation and not self._only_proposed(src)
                and (self.effective_date(src) or dt.date.max) <= day]

    def _only_proposed(self, record_id: str) -> bool:
        """A proposal (by kind or status) changes nothing in force."""
        meta = self.kb.get(record_id).meta
        return meta.get("instrument_kind") == "ordinance_proposal" or meta.get("status") == "proposed"

    @staticmethod
    def _lifecycle_date(record, event: str, day: dt.date) -> bool:
        return any(e.get("event") == event and dates.usable(e.get("date")) and dates.earliest(e["date"]) <= day
                   for e in _dicts(record.meta.get("lifecycle")))

    def lessons(self) -> dict:
        """The lesson loop: each lesson's evidence and where it was applied; those never applied."""
        rows = []
        for record_id in self.kb.of_type("lesson"):
            out = [(dst, d["name"]) for _, dst, d in self.g.out_edges(record_id, data=True) if d["kind"] == "relation"]
            inc = [(src, d["name"]) for src, _, d in self.g.in_edges(record_id, data=True) if d["kind"] == "relation"]
            rows.append({"id": record_id, "kind": self.kb.get(record_id).meta.get("lesson_kind"),
                         "title": self.titles(record_id),
                         "evidence": sorted(dst for dst, name in out if name == "evidence"),
                         "applied_in": sorted({dst for dst, name in out if name == "applied_in"}
                                              | {src for src, name in inc if name == "applies"})})
        return {"lessons": rows, "never_applied": [row["id"] for row in rows if not row["applied_in"]]}

    # -- consistency helpers ----------------------------------------------------------------
    def cycles(self, relations=ACYCLIC) -> list[list[tuple[str, str, dict]]]:
        """Cycles made of edges of the given relations, each as its list of edges."""
        sub = nx.MultiDiGraph()
        sub.add_edges_from((s, d, k, data) for s, d, k, data in self.g.edges(keys=True, data=True)
                           if data["kind"] == "relation" and data["name"] in relations)
        found = []
        for cycle in nx.simple_cycles(nx.DiGraph(sub)):
            edges = []
            for here, there in zip(cycle, cycle[1:] + cycle[:1]):
                edges.append((here, there, next(iter(sub.get_edge_data(here, there).values()))))
            found.append(edges)
        return found

    def edges(self, kind: str | None = None) -> Iterator[tuple[str, str, dict]]:
        for src, dst, data in self.g.edges(data=True):
            if kind is None or data["kind"] == kind:
                yield src, dst, data

    def degree(self, node: str, include_tags: bool = False) -> int:
        return sum(1 for link in self.links(node) if include_tags or link.kind != "tagged")

    # -- exports ------------------------------------------------------------------------------
    def write_graphml(self, path: Path) -> None:
        flat = nx.MultiDiGraph()
        flat.add_nodes_from(self.g.nodes(data=True))
        for src, dst, key, data in self.g.edges(keys=True, data=True):
            flat.add_edge(src, dst, key=key, **{k: v for k, v in data.items() if k != "field"})
        nx.write_graphml(flat, path)

    def node_link(self) -> dict:
        data = nx.node_link_data(self.g, edges="links")
        for link in data["links"]:
            link["field"] = list(link.get("field", ()))
        return data


def read_graphml(path: Path):
    """Load an exported GraphML file (for checks and for readers of the open data)."""
    return nx.read_graphml(path, force_multigraph=True)


def build(kb: KnowledgeBase) -> KnowledgeGraph:
    return KnowledgeGraph(kb)


def load(root: Path | None = None) -> KnowledgeGraph:
    """The graph of the knowledge base found from `root`. Raises ConfigError when it cannot be read."""
    from . import config, loader

    kb, _ = loader.load(config.load(root))
    return KnowledgeGraph(kb)


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
