"""Tables for the terminal: `kb stats` and left-aligned rows, their cells passed through
`safe.clean`."""

from __future__ import annotations

from ..records.stats import Stats
from .safe import clean


def stats_table(stats: Stats) -> str:
    langs = list(stats.languages)
    header = ["type", "records", *map(clean, langs), "coverage"]
    rows = [[clean(row.type), str(row.records), *(str(row.per_language.get(lang, 0)) for lang in langs),
             f"{row.coverage:.0%}"] for row in [*stats.types, stats.total]]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])


def rows_text(rows: list[list[str]]) -> str:
    """Left-aligned columns of cells cleaned of terminal control characters (titles come from
    records), so that the widths are those shown."""
    if not rows:
        return ""
    rows = [[clean(str(cell)) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]).rstrip() for row in rows)
