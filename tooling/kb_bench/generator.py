"""The shared part of the synthetic record generator: vocabulary values, dates, ids, names and
the fields every type has. `records.RecordWriter` adds one method per record type."""

from __future__ import annotations

import calendar
import random
from typing import Any

from .tables import EVIDENCE, LIFECYCLE, RELATIONS, ROLES, STATUSES, UNSAFE_MEANINGS
from .text import Folded, Raw, T, acronym, paragraph, sentences
from .vocab import _means, _rank, id_prefix

LANGS = ("es", "en")

# The vocabularies the generator reads values from (every x-vocabulary of the schemas).
REQUIRED = ("audiences", "categories", "document_kinds", "event_kinds", "instrument_kinds", "lesson_kinds", "levels",
            "lifecycle_events", "relations", "roles", "statuses", "tags", "tracks")
SUMMARY_MAX = 690  # the schema allows 700 characters


def _title(place: str) -> str:
    """'the Claro river basin' -> 'The Claro river basin' (a place at the start of a name part)."""
    return place[:1].upper() + place[1:]


class Generator:
    """Builds every record of one corpus. Records are dicts of fields; `T` values differ per language."""

    def __init__(self, rng: random.Random, vocab: dict[str, dict[str, Any]], counts: dict[str, int]) -> None:
        self.rng = rng
        self.vocab = vocab
        missing = [name for name in REQUIRED if not vocab.get(name)]
        if missing:
            raise ValueError(f"the vocabularies have no values for: {', '.join(missing)}")
        self.values = {name: list(entries) for name, entries in vocab.items()}
        self._allowed: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        # Relations that random links may use: none whose meaning sets ordering or cycle rules.
        self.safe_relations = [value for value, entry in vocab["relations"].items()
                               if not UNSAFE_MEANINGS & set(_means(entry))]
        if not self.safe_relations:
            raise ValueError("every relation of the vocabulary means one of "
                             f"{', '.join(sorted(UNSAFE_MEANINGS))}; random links need another one")
        evidence = [value for value in self.safe_relations if EVIDENCE in _means(vocab["relations"][value])]
        evidence.sort(key=lambda value: _rank(vocab["relations"][value]))
        # With no relation meaning evidence, the "no evidence" warning cannot be avoided; the link stays.
        self.evidence = evidence or list(self.allowed("relations", (EVIDENCE,)))
        self.relations = {kind: tuple((relation, target) for relation, target in pairs
                                      if relation in self.safe_relations)
                          or tuple((relation, "any") for relation in self.safe_relations)
                          for kind, pairs in RELATIONS.items()}
        self.lifecycle = self.allowed("lifecycle_events", LIFECYCLE)
        self.kinds: dict[str, str] = {}  # resolution id -> instrument kind
        self.ids: dict[str, list[str]] = {}
        self.all_ids: list[str] = []
        self.names: dict[str, tuple[T, str]] = {}  # stakeholder id -> (name, acronym)
        self.categories: dict[str, str] = {}  # stakeholder id -> category
        self.sources = [f"Informe de sistematización de experiencias {year}" for year in range(2008, 2021, 2)] + [
            "Completing the puzzle: systematization of a regional platform", "Memoria anual de la mesa regional",
            "Actas de sesiones ordinarias", "Diario Oficial, separata de normas legales"]
        self.counts = counts

    # -- shared helpers ---------------------------------------------------------------------
    def allowed(self, vocabulary: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """The values of `wanted` that exist in the vocabulary (repeats kept), else all its values
        (for relations: those random links may use)."""
        key = (vocabulary, wanted)
        if key not in self._allowed:
            known = self.safe_relations if vocabulary == "relations" else self.values[vocabulary]
            self._allowed[key] = tuple(value for value in wanted if value in known) or tuple(known)
        return self._allowed[key]

    def choice(self, vocabulary: str, wanted: tuple[str, ...]) -> str:
        """A random value of `allowed(vocabulary, wanted)`."""
        return self.rng.choice(self.allowed(vocabulary, wanted))

    def first(self, vocabulary: str, wanted: tuple[str, ...]) -> str:
        """The first of `allowed(vocabulary, wanted)`: a fixed value, no randomness used."""
        return self.allowed(vocabulary, wanted)[0]

    def level(self, wanted: str | None) -> str | None:
        return wanted if wanted in self.vocab["levels"] else None

    def label(self, vocabulary: str, value: str, lang: str) -> str:
        labels = self.vocab[vocabulary][value].get("label") or {}
        return labels.get(lang) or next(iter(labels.values()), None) or value.replace("_", " ")

    def date(self, year: int | None = None, precision: str | None = None) -> str:
        rng = self.rng
        year = year if year is not None else rng.randint(2005, 2020)
        precision = precision or rng.choices(("day", "month", "year"), (70, 20, 10))[0]
        if precision == "year":
            return str(year)
        month = rng.randint(1, 12)
        if precision == "month":
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{rng.randint(1, calendar.monthrange(year, month)[1]):02d}"

    def pick(self, type_name: str, exclude: str, k: int = 1) -> list[str]:
        """Up to k distinct ids of a type ("any" for any type), never `exclude`."""
        pool = self.all_ids if type_name == "any" else self.ids[type_name]
        chosen: list[str] = []
        for _ in range(k * 3):
            candidate = self.rng.choice(pool)
            if candidate != exclude and candidate not in chosen:
                chosen.append(candidate)
                if len(chosen) == k:
                    break
        return chosen

    def topic(self) -> T:
        tag = self.rng.choice(self.values["tags"])
        return T(self.label("tags", tag, "es").lower(), self.label("tags", tag, "en").lower())

    def summary(self) -> T:
        """Two to five sentences per language, within the schema's length limit."""
        rng = self.rng
        texts = []
        for lang in LANGS:
            parts = sentences(rng, lang, rng.randint(25, 70))
            while len(parts) > 1 and sum(len(p) + 1 for p in parts) > SUMMARY_MAX:
                parts.pop()
            texts.append(Folded(" ".join(parts)[:SUMMARY_MAX]))
        return T(*texts)

    def common(self, kind: str, rid: str, *, stakeholder_rate: float = 0.8,
               roles_first: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """tags, stakeholders, related, sources and status, at typical rates."""
        rng = self.rng
        fields: dict[str, Any] = {}
        if rng.random() < 0.9:
            fields["tags"] = rng.sample(self.values["tags"], rng.randint(1, min(5, len(self.values["tags"]))))
        people = list(roles_first or [])
        if rng.random() < stakeholder_rate:
            taken = {p["id"] for p in people}
            for sid in self.pick("stakeholder", rid, rng.randint(1, 4)):
                if sid not in taken:
                    people.append({"id": Raw(sid), "role": Raw(self.choice("roles", ROLES[kind]))})
        fields["stakeholders"] = people or None
        if rng.random() < 0.6:
            links, seen = [], set()
            for _ in range(rng.randint(1, 4)):
                relation, target = rng.choice(self.relations[kind])
                for tid in self.pick(target, rid):
                    if tid not in seen:
                        seen.add(tid)
                        link = {"id": Raw(tid), "relation": Raw(relation)}
                        if rng.random() < 0.2:
                            link["editorial"] = True  # the editors' link, not the source's
                        links.append(link)
            fields["related"] = links or None
        sources = []
        for _ in range(rng.choices((1, 2, 3, 4), (40, 35, 15, 10))[0]):
            first = rng.randint(1, 120)
            source: dict[str, Any] = {"title": rng.choice(self.sources),
                                      "page": first if rng.random() < 0.6 else f"{first}-{first + rng.randint(1, 5)}"}
            if rng.random() < 0.3:
                source["url"] = f"https://docs.example.org/{rid}/{rng.randint(1, 9)}.pdf"
                if rng.random() < 0.7:
                    source["accessed"] = Raw(self.date(rng.randint(2018, 2024), "day"))
            sources.append(source)
        fields["sources"] = sources
        if rng.random() < 0.15:
            fields["notes"] = T(paragraph(rng, "es", 30), paragraph(rng, "en", 30))
        fields["status"] = Raw(self.choice("statuses", STATUSES[kind])) if rng.random() < 0.5 else None
        return fields

    def audience(self, required: bool = False) -> list[str] | None:
        audiences = self.values["audiences"]
        if not required and self.rng.random() >= 0.6:
            return None
        return self.rng.sample(audiences, self.rng.randint(1, min(3, len(audiences))))

    # -- ids --------------------------------------------------------------------------------
    def plan_ids(self) -> None:
        """Choose every id first, so that links can point forwards as well as backwards."""
        rng, serial = self.rng, 0
        for kind in ("stakeholder", "resolution", "workshop", "lesson", "milestone", "glossary", "booklet", "practice",
                     "document"):
            self.ids[kind] = []
            for _ in range(self.counts[kind]):
                serial += 1
                if kind == "stakeholder":
                    category, name = self.stakeholder_name()
                    short = acronym(name.es.split())
                    rid = f"{short.lower()}-{serial}"
                    self.names[rid] = (name, short)
                    self.categories[rid] = category
                elif kind == "resolution":
                    kind_of = rng.choice(self.values["instrument_kinds"])
                    rid = f"{id_prefix(kind_of)}-{serial:03d}-{rng.randint(2005, 2020)}"
                    self.kinds[rid] = kind_of
                elif kind == "glossary":
                    rid = f"termino-{serial}"
                else:
                    rid = f"{kind}-{serial}"
                self.ids[kind].append(rid)
        self.all_ids = [rid for ids in self.ids.values() for rid in ids]
