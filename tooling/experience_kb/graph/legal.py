"""The legal lifecycle of instruments: when one takes effect, what acts on it, what is in force.

Every domain word comes from the vocabularies' `means`: which lifecycle events make an
instrument take effect (and in which order of preference, by `rank`), which end it, which
relations modify or repeal, and which statuses or kinds bind nothing (a proposal).
`Legal` is a part of `KnowledgeGraph` (see `build`).
"""

from __future__ import annotations

import datetime as dt

from ..records import dates
from ..records.model import dicts


class Legal:
    """Lifecycle questions over a `KnowledgeGraph`."""

    def in_force(self, on: str) -> list[dict]:
        """Legal instruments in force on a date: in effect by then, not repealed by an instrument in
        effect by then, and not only proposed."""
        day = dates.earliest(on)
        vocab = self.kb.vocabularies
        repeals, modifies = self.relation_names("repeals"), self.relation_names("modifies")
        ends = set(vocab.meaning("lifecycle_events", "ends-effect"))
        result = []
        for record_id in self.kb.of_type("resolution"):
            record = self.kb.get(record_id)
            start = self.effective_date(record_id)
            if start is None or start > day or self.only_proposed(record_id):
                continue
            if self._lifecycle_before(record, ends, day) or self._acted_on(record_id, repeals, day):
                continue
            result.append({"id": record_id, "identifier": record.meta.get("identifier"),
                           "since": self.effective_date(record_id, as_text=True),
                           "modified_by": sorted(self._acted_on(record_id, modifies, day)),
                           "title": self.titles(record_id)})
        return sorted(result, key=lambda item: (item["since"], item["id"]))

    def effective_date(self, record_id: str, as_text: bool = False):
        """When an instrument took effect: the date of its most telling lifecycle event that
        `takes-effect` (by rank), else its own date. A date (its earliest day), or with
        `as_text` the partial date as written."""
        record = self.kb.get(record_id)
        events = {e.get("event"): e.get("date") for e in dicts(record.meta.get("lifecycle")) if e.get("planned") is not True}
        candidates = [events.get(e) for e in self.kb.vocabularies.meaning("lifecycle_events", "takes-effect")]
        for value in [*candidates, record.meta.get("date")]:
            if dates.usable(value):
                return value if as_text else dates.earliest(value)
        return None

    def only_proposed(self, record_id: str) -> bool:
        """A proposal (by a kind or status that is `not-binding`) changes nothing in force."""
        vocab = self.kb.vocabularies
        meta = self.kb.get(record_id).meta
        return (meta.get("instrument_kind") in vocab.meaning("instrument_kinds", "not-binding")
                or meta.get("status") in vocab.meaning("statuses", "not-binding"))

    def _acted_on(self, record_id: str, relations: list[str], day: dt.date) -> list[str]:
        """The instruments in effect by `day` that point at `record_id` with one of `relations`."""
        return [src for src, _, d in self.in_edges(record_id, "relation")
                if d["name"] in relations and not self.only_proposed(src)
                and (self.effective_date(src) or dt.date.max) <= day]

    @staticmethod
    def _lifecycle_before(record, events: set[str], day: dt.date) -> bool:
        return any(e.get("event") in events and e.get("planned") is not True and dates.usable(e.get("date"))
                   and dates.earliest(e["date"]) <= day for e in dicts(record.meta.get("lifecycle")))

