"""`kb graph` output: a node's relations, and the lesson loop. Titles, labels and ids come from
records, so each passes through `safe.clean`."""

from __future__ import annotations

from .safe import clean


def relations_text(node: str, title: str, groups: dict, lang: str) -> str:
    """`kb graph show`: the node, then its relations grouped by type, outgoing then incoming."""
    lines = [f"{clean(title)} [{clean(node)}]"]
    for side, arrow in (("outgoing", "→"), ("incoming", "←")):
        for group in groups[side].values():
            lines.append(f"  {arrow} {clean(group['label'][lang])}")
            for item in group["items"]:
                span = clean(" – ".join(filter(None, (item.get("start_date"), item.get("end_date")))))
                lines.append(f"      {clean(item['title'][lang])} [{clean(item['id'])}]"
                             + (f" ({span})" if span else ""))
    if len(lines) == 1:
        lines.append("  (no relations)")
    return "\n".join(lines)


def lessons_text(data: dict, lang: str) -> str:
    """`kb graph lessons`: each lesson with its evidence and where it was applied."""
    lines = []
    for row in data["lessons"]:
        lines.append(f"{clean(row['title'][lang])} [{clean(row['id'])}, {clean(row['kind'])}]")
        lines.append(f"    evidence:   {clean(', '.join(row['evidence'])) or '-'}")
        lines.append(f"    applied in: {clean(', '.join(row['applied_in'])) or '-'}")
    never = clean(", ".join(data["never_applied"]))
    lines.append(f"\nNever applied ({len(data['never_applied'])}): {never or '-'}")
    return "\n".join(lines)


def path_text(steps: list[dict]) -> str:
    """`kb graph path`: the chain of relations, one numbered step a line."""
    return "\n".join(f"{number}. {clean(step['text'])}" for number, step in enumerate(steps, 1))
