"""Render reports and stats as text, JSON or GitHub Actions annotations. No I/O here."""

from __future__ import annotations

import json

from .problems import Problem, Report
from .stats import Stats

FORMATS = ("text", "json", "github")


def problem_text(item: Problem) -> str:
    where = f"{item.path}:{item.line}:{item.column}" if item.line else item.path
    return f"{where}: {item.severity.value}: {item.message} [{item.code.value}]"


def summary(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {report.files_checked} files ({report.records_checked} records)")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problem_github(item: Problem) -> str:
    """A workflow command: ::error file=…,line=…,col=…,title=…::message"""
    props = [f"file={_escape_property(item.path)}"]
    if item.line:
        props += [f"line={item.line}", f"col={item.column or 1}"]
    props.append(f"title={_escape_property(item.code.value)}")
    return f"::{item.severity.value} {','.join(props)}::{_escape_data(item.message)}"


def report(report: Report, fmt: str = "text") -> str:
    items = report.sorted()
    if fmt == "json":
        return json.dumps({"problems": [p.as_dict() for p in items],
                           "summary": {"errors": len(report.errors), "warnings": len(report.warnings),
                                       "files": report.files_checked, "records": report.records_checked}},
                          ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(problem_github(p) for p in items)
    return "\n".join([*(problem_text(p) for p in items), summary(report)])


def stats_table(stats: Stats) -> str:
    langs = list(stats.languages)
    header = ["type", "records", *langs, "coverage"]
    rows = [[row.type, str(row.records), *(str(row.per_language.get(lang, 0)) for lang in langs),
             f"{row.coverage:.0%}"] for row in [*stats.types, stats.total]]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])


def relations_text(node: str, title: str, groups: dict, lang: str) -> str:
    """`kb graph show`: the node, then its relations grouped by type, outgoing then incoming."""
    lines = [f"{title} [{node}]"]
    for side, arrow in (("outgoing", "→"), ("incoming", "←")):
        for group in groups[side].values():
            lines.append(f"  {arrow} {group['label'][lang]}")
            for item in group["items"]:
                span = " – ".join(filter(None, (item.get("start_date"), item.get("end_date"))))
                lines.append(f"      {item['title'][lang]} [{item['id']}]" + (f" ({span})" if span else ""))
    if len(lines) == 1:
        lines.append("  (no relations)")
    return "\n".join(lines)


def rows_text(rows: list[list[str]]) -> str:
    """Left-aligned columns."""
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]).rstrip() for row in rows)


FACET_LABELS = {"type": "Types", "years": "Years", "stakeholders": "Stakeholders", "tags": "Tags"}


def search_text(results, titles: dict[str, dict[str, str]], lang: str, mark=lambda text: text,
                facet_limit: int = 8) -> str:
    """`kb search`: ranked hits with highlighted snippets, then facet counts."""
    shown = len(results.hits)
    head = f"{results.total} record{'s' * (results.total != 1)} match '{results.query}'"
    if results.relaxed:
        head += " (no record has all the words; these have some of them)"
    lines = [head + (f"; showing the first {shown}" if shown < results.total else "")]
    for phrase, alternatives in results.expansions:
        lines.append(f"  '{phrase}' also matches: " + ", ".join(f'"{alt}"' for alt in alternatives))
    if results.suggestion:
        lines.append(f"  Did you mean: {results.suggestion}?")
    for rank, hit in enumerate(results.hits, 1):
        facts = " · ".join(filter(None, (hit.type, hit.date, hit.lang)))
        lines.append("")
        lines.append(f"{rank:>2}. {mark(hit.title)}  ({facts})")
        also = f"  (also matches in {', '.join(hit.other_languages)})" if hit.other_languages else ""
        lines.append(f"    {hit.id} · {hit.path}{also}")
        if hit.snippet:
            lines.append("    " + _highlight(hit.snippet, hit.highlights, mark))
    if results.hits:
        lines.append("")
        for name, counts in results.facets.items():
            if not counts:
                continue
            items = list(counts.items())
            if name == "years":
                items.sort()
            cells = []
            for value, count in items[:facet_limit]:
                label = titles.get(value, {}).get(lang) if name == "stakeholders" else None
                cells.append(f"{value}{f' ({label})' if label and label.lower() != value else ''} {count}")
            more = f" · +{len(items) - facet_limit} more" if len(items) > facet_limit else ""
            lines.append(f"{FACET_LABELS.get(name, name)}: " + " · ".join(cells) + more)
    return "\n".join(lines)


def _highlight(snippet: str, spans: list[tuple[int, int]], mark) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [snippet[last:start], mark(snippet[start:end])]
        last = end
    out.append(snippet[last:])
    return "".join(out)


def search_json(results, status) -> str:
    """`kb search --json`: the same information, structured."""
    from dataclasses import asdict

    data = asdict(results)
    data["expansions"] = [{"phrase": phrase, "alternatives": alts} for phrase, alts in results.expansions]
    data["seconds"] = round(results.seconds, 4)
    data["index"] = {"action": status.action, "documents": status.documents, "reason": status.reason,
                     "changed": status.changed, "removed": status.removed, "unreadable": status.unreadable}
    return json.dumps(data, ensure_ascii=False, indent=2)
