"""`kb graph` output: a node's relations, and the lesson loop."""

from __future__ import annotations


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


def lessons_text(data: dict, lang: str) -> str:
    """`kb graph lessons`: each lesson with its evidence and where it was applied."""
    lines = []
    for row in data["lessons"]:
        lines.append(f"{row['title'][lang]} [{row['id']}, {row['kind']}]")
        lines.append(f"    evidence:   {', '.join(row['evidence']) or '-'}")
        lines.append(f"    applied in: {', '.join(row['applied_in']) or '-'}")
    lines.append(f"\nNever applied ({len(data['never_applied'])}): {', '.join(data['never_applied']) or '-'}")
    return "\n".join(lines)
