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


def readability_table(stats: Stats) -> str:
    """How each language reads: summaries, the whole reading text, and plain-language records."""
    header = ["language", "records", "summary words/sentence", "summary sentences > 30 words",
              "text words/sentence", "mean score", "plain-language records", "their words/sentence"]
    rows = [[clean(item.lang), str(item.records), f"{item.summary_mean_sentence:.1f}",
             f"{item.summary_long_share:.0%}", f"{item.text_mean_sentence:.1f}",
             "-" if item.mean_score is None else f"{item.mean_score:.1f} {item.scale}",
             str(item.plain_records), f"{item.plain_mean_sentence:.1f}"] for item in stats.reading]
    return _table(header, rows)


def records_table(stats: Stats) -> str:
    """`kb stats --records`: each record's reading figures, hardest first within a language."""
    header = ["id", "lang", "plain", "words/sentence", "longest", "score", "level"]
    ordered = sorted(stats.records, key=lambda item: (item.lang, item.text.score if item.text.score is not None
                                                      else 1e9, item.id))
    rows = [[clean(item.id), clean(item.lang), "yes" if item.plain else "", f"{item.text.mean_sentence:.1f}",
             str(item.text.longest), "-" if item.text.score is None else f"{item.text.score:.1f}",
             item.text.level] for item in ordered]
    return _table(header, rows)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])

