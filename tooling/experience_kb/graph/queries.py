"""Questions the graph answers: a node's relations and backlinks, the path between two nodes, the
most connected stakeholders, the timeline and the lesson loop.

`Queries` is a part of `KnowledgeGraph` (see `build`); it reads the graph only through the
graph's own methods. Which relation means "evidence" or "applied in" comes from the relations
vocabulary (`means`), not from code.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from ..records import dates


class Queries:
    """Read-only questions over a `KnowledgeGraph`."""

    def relations(self, node: str, include_tags: bool = False) -> dict[str, dict[str, dict]]:
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
            item = {"id": link.other, "type": self.node_type(link.other), "title": self.titles(link.other)}
            for key in ("start_date", "end_date", "editorial"):
                if link.attrs.get(key):
                    item[key] = link.attrs[key]
            group["items"].append(item)
        return result

    def path(self, start: str, end: str, lang: str) -> list[dict]:
        """The shortest chain of relations between two nodes, each step explained in words."""
        from .build import TAG_PREFIX, Link

        keep = [n for n in self.nodes() if not n.startswith(TAG_PREFIX) or n in (start, end)]
        undirected = nx.MultiGraph(self._g.subgraph(keep))
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
        for src, dst, data in self.edges():
            if data["kind"] == "tagged":
                continue
            if year is not None and not self._edge_in_year(src, dst, data, year):
                continue
            for node in (src, dst):
                if self.node_type(node) == "stakeholder":
                    scores[node] = scores.get(node, 0) + 1
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
        return [{"id": node, "links": score, "title": self.titles(node)} for node, score in ranked]

    def _edge_in_year(self, src: str, dst: str, data: dict, year: int) -> bool:
        if data["kind"] == "member_of":
            start, end = data.get("start_date"), data.get("end_date")
            if not dates.usable(start):
                return False
            return dates.earliest(start).year <= year and (not dates.usable(end) or dates.latest(end).year >= year)
        for node in (src, dst):
            value = self.node_date(node)
            if self.node_type(node) != "stakeholder" and dates.usable(value):
                return dates.earliest(value).year <= year <= dates.latest(value).year
        return False

    def timeline(self, track: str | None = None) -> list[dict]:
        """The milestones in date order (undated last), optionally of one track."""
        items = []
        for record_id in self.kb.of_type("milestone"):
            record = self.kb.get(record_id)
            if track and record.meta.get("track") != track:
                continue
            items.append({"id": record_id, "date": record.meta.get("date"), "end_date": record.meta.get("end_date"),
                          "track": record.meta.get("track"), "title": self.titles(record_id),
                          "marks": [dst for _, dst, _ in self.out_edges(record_id, "marks")]})
        return sorted(items, key=lambda item: (dates.earliest(item["date"]) if dates.usable(item["date"])
                                               else dt.date.max, item["id"]))

    def lessons(self) -> dict:
        """The lesson loop: each lesson's evidence and where it was applied; those never applied."""
        evidence = set(self.relation_names("evidence"))
        applied_in, applies = set(self.relation_names("applied-in")), set(self.relation_names("applies"))
        rows = []
        for record_id in self.kb.of_type("lesson"):
            out = [(dst, d["name"]) for _, dst, d in self.out_edges(record_id, "relation")]
            inc = [(src, d["name"]) for src, _, d in self.in_edges(record_id, "relation")]
            rows.append({"id": record_id, "kind": self.kb.get(record_id).meta.get("lesson_kind"),
                         "title": self.titles(record_id),
                         "evidence": sorted(dst for dst, name in out if name in evidence),
                         "applied_in": sorted({dst for dst, name in out if name in applied_in}
                                              | {src for src, name in inc if name in applies})})
        return {"lessons": rows, "never_applied": [row["id"] for row in rows if not row["applied_in"]]}
