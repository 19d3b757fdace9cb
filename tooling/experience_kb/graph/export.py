"""Open-data exports of the graph and the records into build/data/, described by a Frictionless
Data Package (datapackage.json): GraphML, node-link JSON, and CSV tables.

Paths in the exports are relative to the knowledge base root, so the files are the same on
every machine.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

from .build import TAG_PREFIX, KnowledgeGraph

RECORD_FIELDS = ("id", "type", "lang", "title", "summary", "date", "level", "tags", "path")


def write_graphml(kg: KnowledgeGraph, path: Path) -> None:
    flat = nx.MultiDiGraph()
    flat.add_nodes_from(kg._g.nodes(data=True))
    for src, dst, key, data in kg._g.edges(keys=True, data=True):
        flat.add_edge(src, dst, key=key, **{k: v for k, v in data.items() if k != "field"})
    nx.write_graphml_xml(flat, path)  # the standard library writer: the same bytes whether or not lxml is installed


def node_link(kg: KnowledgeGraph) -> dict:
    data = nx.node_link_data(kg._g, edges="links")
    for link in data["links"]:
        link["field"] = list(link.get("field", ()))
    return data


def read_graphml(path: Path):
    """Load an exported GraphML file (for checks and for readers of the open data)."""
    return nx.read_graphml(path, force_multigraph=True)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) can send
# data away, =cmd|... could run a program): such text cells get a leading ', as OWASP advises for
# CSV injection. Numbers (Python ints and floats) are written as they are; text that merely looks
# like a number ("-5", "+51 84 ...") gets the quote too, as there is no telling which text a
# spreadsheet would read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _write_csv(path: Path, header: tuple[str, ...], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([_cell(value) for value in row] for row in rows)


def _resource(name: str, path: str, title: str, fields: list[tuple[str, str]] | None = None,
              fmt: str = "csv", media: str = "text/csv") -> dict:
    resource = {"name": name, "path": path, "title": title, "format": fmt, "mediatype": media,
                "encoding": "utf-8"}
    if fields is not None:
        resource["profile"] = "tabular-data-resource"
        resource["schema"] = {"fields": [{"name": n, "type": t} for n, t in fields]}
    return resource


def export(kg: KnowledgeGraph, out: Path) -> list[str]:
    """Write every file and the data package into `out`. Returns the file names."""
    kb = kg.kb
    write_graphml(kg, out / "graph.graphml")
    (out / "graph.json").write_text(json.dumps(node_link(kg), ensure_ascii=False, indent=1), encoding="utf-8")
    resources = [
        _resource("graph-graphml", "graph.graphml", "The graph as GraphML", fmt="graphml", media="application/xml"),
        _resource("graph-json", "graph.json", "The graph as node-link JSON", fmt="json", media="application/json"),
    ]
    for lang in kb.config.languages:
        name = f"records.{lang}.csv"
        rows = []
        for record_id in sorted(kb.by_id):
            record = kb.by_id[record_id].get(lang)
            if record is None:
                continue
            meta = record.meta
            rows.append((record_id, record.type.name, lang, record.title, meta.get("summary", ""),
                         meta.get("date", ""), meta.get("level", ""), ";".join(meta.get("tags") or []),
                         record.relpath))
        _write_csv(out / name, RECORD_FIELDS, rows)
        resources.append(_resource(f"records-{lang}", name, f"Records ({lang})",
                                   [(f, "string") for f in RECORD_FIELDS]))
    stakeholder_fields = ("id", "acronym", "category", "level", "parent", "founding_date", "dissolution_date",
                          "website", *(f"name_{lang}" for lang in kb.config.languages))
    rows = []
    for record_id in kb.of_type("stakeholder"):
        meta = kb.get(record_id).meta
        rows.append((record_id, meta.get("acronym", ""), meta.get("category", ""), meta.get("level", ""),
                     meta.get("parent", ""), meta.get("founding_date", ""), meta.get("dissolution_date", ""),
                     meta.get("website", ""),
                     *(kb.by_id[record_id][lang].meta.get("name", "") if lang in kb.by_id[record_id] else ""
                       for lang in kb.config.languages)))
    _write_csv(out / "stakeholders.csv", stakeholder_fields, rows)
    resources.append(_resource("stakeholders", "stakeholders.csv", "Stakeholders",
                               [(f, "string") for f in stakeholder_fields]))
    membership_fields = ("member", "organization", "role", "start_date", "end_date")
    _write_csv(out / "memberships.csv", membership_fields,
               sorted((src, dst, data["name"], data.get("start_date", ""), data.get("end_date", ""))
                      for src, dst, data in kg.edges("member_of")))
    resources.append(_resource("memberships", "memberships.csv", "Memberships (Popolo)",
                               [(f, "string") for f in membership_fields]))
    relation_fields = ("source", "target", "kind", "relation", "editorial", "file")
    _write_csv(out / "relations.csv", relation_fields,
               sorted((src, dst, data["kind"], data["name"],
                       "true" if data.get("editorial") else "false", data["source"])
                      for src, dst, data in kg.edges() if not dst.startswith(TAG_PREFIX)))
    resources.append(_resource("relations", "relations.csv", "Every typed link between records",
                               [(f, "string") for f in relation_fields]))
    package = {"name": "knowledge-base", "title": kb.config.site.title.get(kb.config.default_language, ""),
               "profile": "data-package", "resources": resources}
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return [r["path"] for r in resources] + ["datapackage.json"]
