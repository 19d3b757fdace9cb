"""`kb search` output: ranked hits with highlighted snippets, facet counts, and what was done to
the index. Every piece of content (titles, snippets, paths, ids, facet labels, the query itself)
passes through `safe.clean` before `mark` styles it, so our bold still works and nothing from a
record reaches the terminal as a control sequence."""

from __future__ import annotations

import json
from dataclasses import asdict

from .safe import clean


FACET_LABELS = {"type": "Types", "years": "Years", "stakeholders": "Stakeholders", "tags": "Tags"}


def search_text(results, titles: dict[str, dict[str, str]], lang: str, mark=lambda text: text,
                facet_limit: int = 8) -> str:
    """`kb search`: ranked hits with highlighted snippets, then facet counts."""
    shown = len(results.hits)
    head = f"{results.total} record{'s' * (results.total != 1)} match '{clean(results.query)}'"
    if results.relaxed:
        head += " (no record has all the words; these have some of them)"
    lines = [head + (f"; showing the first {shown}" if shown < results.total else "")]
    for phrase, alternatives in results.expansions:
        lines.append(f"  '{clean(phrase)}' also matches: " + ", ".join(f'"{clean(alt)}"' for alt in alternatives))
    if results.suggestion:
        lines.append(f"  Did you mean: {clean(results.suggestion)}?")
    for rank, hit in enumerate(results.hits, 1):
        facts = clean(" · ".join(filter(None, (hit.type, hit.date, hit.lang))))
        lines.append("")
        lines.append(f"{rank:>2}. {mark(clean(hit.title))}  ({facts})")
        also = f"  (also matches in {clean(', '.join(hit.other_languages))})" if hit.other_languages else ""
        lines.append(f"    {clean(hit.id)} · {clean(hit.path)}{also}")
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
                shown_label = f" ({clean(label)})" if label and label.lower() != value else ""
                cells.append(f"{clean(str(value))}{shown_label} {count}")
            more = f" · +{len(items) - facet_limit} more" if len(items) > facet_limit else ""
            lines.append(f"{clean(FACET_LABELS.get(name, name))}: " + " · ".join(cells) + more)
    return "\n".join(lines)


def _highlight(snippet: str, spans: list[tuple[int, int]], mark) -> str:
    """The snippet with its spans marked. Each segment is cleaned on its own, so the spans (offsets
    into the raw snippet) still fall on the words they mark."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [clean(snippet[last:start]), mark(clean(snippet[start:end]))]
        last = end
    out.append(clean(snippet[last:]))
    return "".join(out)


def search_json(results, status) -> str:
    """`kb search --json`: the same information, structured."""
    data = asdict(results)
    data["expansions"] = [{"phrase": phrase, "alternatives": alts} for phrase, alts in results.expansions]
    data["seconds"] = round(results.seconds, 4)
    data["index"] = {"action": status.action, "documents": status.documents, "reason": status.reason,
                     "changed": status.changed, "removed": status.removed, "unreadable": status.unreadable}
    return json.dumps(data, ensure_ascii=False, indent=2)



def index_notices(status) -> list[str]:
    """What the refresh before a search did, as lines for stderr."""
    lines = []
    if status.action in ("built", "rebuilt"):
        why = f" because {clean(status.reason)}" if status.reason and status.action == "rebuilt" else ""
        lines.append(f"Search index {status.action}{why}: {status.documents} documents in {status.seconds:.1f}s")
    elif status.changed or status.removed:
        lines.append(f"Search index updated: {len(status.changed)} re-indexed, {len(status.removed)} removed")
    for path in status.unreadable:
        lines.append(f"kb search: {clean(path)} could not be read, so its last good version is searched; "
                     f"run `kb validate {clean(path)}`")
    return lines
