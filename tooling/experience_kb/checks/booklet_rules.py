"""Checks of booklet manifests beyond their schema: what their selection gathers.

Unknown ids in `contents`, unknown tags and stakeholders in `select`, and unknown fields are
reported by the shared rules (references, vocabularies, schema); here: a record listed twice, a
selection that matches nothing, a date range that runs backwards and a cover image that is not
a file of the knowledge base.
"""

from __future__ import annotations

from typing import Iterator

from ..problems import Code, Problem, problem
from ..records import dates, selection
from ..records.model import KnowledgeBase, Record


def booklets(kb: KnowledgeBase) -> Iterator[Problem]:
    for record in kb.records:
        if record.type.name == "booklet":
            yield from manifest(kb, record)


def manifest(kb: KnowledgeBase, record: Record) -> Iterator[Problem]:
    """The problems of one manifest (also asked by `kb booklet`, which builds without validating)."""
    found = selection.select(kb, record.meta, record.lang)
    contents = record.meta.get("contents")
    for index in found.duplicates:
        yield problem(Code.SELECTED_TWICE, record.display, *record.locate(("contents", index)),
                      f"contents[{index}]: '{contents[index]}' is already listed at contents"
                      f"[{contents.index(contents[index])}]; a chapter appears once")
    criteria = record.meta.get("select")
    if isinstance(criteria, dict) and criteria and not found.matched:
        given = ", ".join(f"{key}: {criteria[key]}" for key in criteria)
        yield problem(Code.EMPTY_SELECTION, record.display, *record.locate(("select",), key=True),
                      f"select matches no record ({given}); every criterion given must hold at once")
    if isinstance(criteria, dict):
        start, end = (str(criteria.get(k)) if criteria.get(k) is not None else None for k in ("from", "to"))
        if start and end and dates.usable(start) and dates.usable(end) and dates.surely_before(end, start):
            yield problem(Code.DATE_ORDER, record.display, *record.locate(("select", "to")),
                          f"select.to ({end}) is before select.from ({start})")
    image = record.meta.get("cover_image")
    if isinstance(image, str) and selection.cover_image(kb.config.root, image) is None:
        yield problem(Code.BOOKLET_IMAGE, record.display, *record.locate(("cover_image",)),
                      f"cover_image: {image} is not a PNG, JPEG or SVG file inside the knowledge base")
