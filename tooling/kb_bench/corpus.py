"""Generate a synthetic, valid, bilingual knowledge base for benchmarks and tests.

    python -m kb_bench.corpus OUT --records 10000 [--stakeholders N] [--seed 0] [--body-words 600] [--kb PATH]

Every record type is present, every record is written in Spanish and English, every field of
each schema is used at a realistic rate, and every link points at an existing record of the
right type. The output depends only on the arguments and the vocabularies (one seeded
`random.Random`).

The vocabularies are those of a knowledge base (`--kb PATH`; default: the one `kb` finds, from
$KB_ROOT or from the current folder upwards), copied into the corpus. Wherever the generator
names a vocabulary value (tables.py), it uses only values that exist there, falling back to any
value of the vocabulary, and it never uses relations whose meaning (`means`) sets rules random
links would break. So the corpus validates with any vocabulary set that has the same files.
"""

from __future__ import annotations

import argparse
import calendar
import random
import re
import shutil
import time
from pathlib import Path
from typing import Any

import yaml

from .tables import (CATEGORY_LEVELS, CATEGORY_NAMES, EVENT_TITLES, EVIDENCE, ID_PREFIX, ISSUER_ROLE, KB_YAML,
                     LESSON_TITLES, LEVELS, LIFECYCLE, MEMBERSHIP_ROLES, RELATIONS, ROLES, STATUSES, UNSAFE_MEANINGS)
from .text import CONCEPTS, PLACES, Folded, Raw, T, acronym, body, emit, paragraph, sentences

# The vocabularies the generator reads values from (every x-vocabulary of the schemas).
REQUIRED = ("audiences", "categories", "event_kinds", "instrument_kinds", "lesson_kinds", "levels",
            "lifecycle_events", "relations", "roles", "statuses", "tags", "tracks")
LANGS = ("es", "en")
COLLECTIONS = {"stakeholder": "stakeholders", "resolution": "resolutions", "workshop": "workshops",
               "lesson": "lessons", "milestone": "milestones", "glossary": "glossary",
               "booklet": "booklets", "practice": "practices"}

SUMMARY_MAX = 690  # the schema allows 700 characters


def _title(place: str) -> str:
    """'the Claro river basin' -> 'The Claro river basin' (a place at the start of a name part)."""
    return place[:1].upper() + place[1:]


def find_kb(path: Path | None = None):
    """The configuration of the knowledge base at `path`, or found like `kb` finds it ($KB_ROOT,
    else kb.yaml or kb/kb.yaml from the current folder upwards). Raises `ConfigError`."""
    from experience_kb import config

    return config.load(path)


def default_vocabularies() -> Path:
    """The vocabularies folder of the knowledge base `kb` would find from here."""
    return find_kb().vocabularies_dir


def add_kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", type=Path, default=None, metavar="PATH",
                        help="the knowledge base whose vocabularies the synthetic corpus uses (default: the one "
                             "`kb` finds: $KB_ROOT, or kb.yaml or kb/kb.yaml from the current folder upwards)")


def kb_config(parser: argparse.ArgumentParser, path: Path | None):
    """`find_kb(path)`, or exit through the parser with the configuration problem."""
    from experience_kb.config import ConfigError

    try:
        return find_kb(path)
    except ConfigError as exc:
        parser.error(f"--kb: {exc}")


def load_vocabularies(folder: Path) -> dict[str, dict[str, Any]]:
    """Every vocabulary file as {name: {value: entry}}."""
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for path in sorted(folder.glob("*.yaml"))}


def _means(entry: Any) -> tuple[str, ...]:
    means = entry.get("means") if isinstance(entry, dict) else None
    return () if means is None else (means,) if isinstance(means, str) else tuple(means)


def _rank(entry: Any) -> int:
    return int(entry.get("rank") or 0) if isinstance(entry, dict) else 0


def id_prefix(kind: str) -> str:
    """The id prefix of a resolution of instrument `kind` (tables.ID_PREFIX, else the kind as a slug)."""
    return ID_PREFIX.get(kind) or re.sub(r"[^a-z0-9]+", "", kind.lower()) or "instrumento"


def plan_counts(n_records: int, n_stakeholders: int | None = None) -> dict[str, int]:
    """How many records of each type a corpus of `n_records` gets."""
    counts = {"stakeholder": n_stakeholders if n_stakeholders is not None else max(20, n_records // 20),
              "milestone": max(2, n_records // 25), "glossary": max(2, n_records // 20),
              "booklet": max(1, n_records // 400), "practice": 1}
    rest = n_records - sum(counts.values())
    if counts["stakeholder"] < 2 or rest < 3:
        raise ValueError(f"{n_records} records are too few for {counts['stakeholder']} stakeholders "
                         f"plus milestones, glossary and booklets; use more records or fewer stakeholders")
    counts["resolution"] = rest * 3 // 10
    counts["workshop"] = (rest - counts["resolution"]) // 2
    counts["lesson"] = rest - counts["resolution"] - counts["workshop"]
    return counts


class _Generator:
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
                        links.append({"id": Raw(tid), "relation": Raw(relation)})
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
        fields["status"] = Raw(self.choice("statuses", STATUSES[kind])) if rng.random() < 0.5 else None
        return fields

    def audience(self) -> list[str] | None:
        audiences = self.values["audiences"]
        if self.rng.random() >= 0.6:
            return None
        return self.rng.sample(audiences, self.rng.randint(1, min(3, len(audiences))))

    # -- ids --------------------------------------------------------------------------------
    def plan_ids(self) -> None:
        """Choose every id first, so that links can point forwards as well as backwards."""
        rng, serial = self.rng, 0
        for kind in ("stakeholder", "resolution", "workshop", "lesson", "milestone", "glossary", "booklet", "practice"):
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

    # -- record types -----------------------------------------------------------------------
    def stakeholder_name(self) -> tuple[str, T]:
        """A category and a bilingual organization name that fits it."""
        rng = self.rng
        category = rng.choice(self.values["categories"])
        place = rng.choice(PLACES)
        topic = self.topic()
        es_tpl, en_tpl = CATEGORY_NAMES.get(category, ("Organización de {}", "Organization for {}"))
        by_place = category in ("regional_government", "university", "indigenous_federation")
        return category, T(es_tpl.format(_title(place[0]) if by_place else topic.es),
                           en_tpl.format(_title(place[1]) if by_place else topic.en))

    def stakeholder(self, index: int, rid: str) -> dict[str, Any]:
        rng = self.rng
        name, short = self.names[rid]
        category = self.categories[rid]
        fields: dict[str, Any] = {"id": Raw(rid), "type": "stakeholder", "title": name, "name": name}
        if rng.random() < 0.4:
            fields["other_names"] = T([f"{name.es} ({short})"], [f"{name.en} ({short})"])
        fields["acronym"] = short if short and rng.random() < 0.7 else None
        fields["summary"] = self.summary()
        fields["date"] = Raw(self.date()) if rng.random() < 0.2 else None  # when the facts were current
        fields["level"] = Raw(self.level(CATEGORY_LEVELS.get(category)) or self.choice("levels", LEVELS["stakeholder"]))
        fields["category"] = Raw(category)
        earlier = self.ids["stakeholder"][:index]
        fields["parent"] = Raw(rng.choice(earlier)) if earlier and rng.random() < 0.25 else None
        founded = rng.randint(1950, 2004)  # before every membership starts (2005 on): memberships fit
        fields["founding_date"] = Raw(self.date(founded)) if rng.random() < 0.6 else None
        if fields["founding_date"] and rng.random() < 0.15:
            fields["dissolution_date"] = Raw(self.date(rng.randint(2023, 2025)))
        fields["website"] = f"https://{rid}.example.org/" if rng.random() < 0.5 else None
        if rng.random() < 0.4:
            memberships = []
            for org in self.pick("stakeholder", rid, rng.randint(1, 3)):
                membership: dict[str, Any] = {"organization": Raw(org),
                                              "role": Raw(self.choice("roles", MEMBERSHIP_ROLES))}
                if rng.random() < 0.7:
                    start = rng.randint(2005, 2018)
                    membership["start_date"] = Raw(self.date(start))
                    if rng.random() < 0.4:  # always in a later year, so never before the start
                        membership["end_date"] = Raw(self.date(rng.randint(start + 1, 2022)))
                memberships.append(membership)
            fields["memberships"] = memberships
        fields.update(self.common("stakeholder", rid, stakeholder_rate=0.3))
        return fields

    def resolution(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        _, number, year = rid.rsplit("-", 2)
        kind = self.kinds[rid]
        issuer = rng.choice(self.ids["stakeholder"])
        identifier = f"{number}-{year}-{self.names[issuer][1] or 'GR'}/CR"
        topic = self.topic()
        title = T(f"{self.label('instrument_kinds', kind, 'es')} N.° {identifier}, sobre {topic.es}",
                  f"{self.label('instrument_kinds', kind, 'en')} No. {identifier}, on {topic.en}")
        events = sorted(rng.sample(range(len(self.lifecycle)), rng.randint(1, min(4, len(self.lifecycle)))))
        # One full date per event, in order; the record's date is the first event's.
        days = sorted(self.date(min(int(year) + offset // 2, 2022), "day") for offset in range(len(events)))
        day = days[0]  # offsets 0 and 1 fall in the id's year, so the earliest one does too
        lifecycle = [{"event": Raw(self.lifecycle[event]), "date": Raw(when),
                      "publication": "Diario Oficial" if self.lifecycle[event] == "published" else None}
                     for event, when in zip(events, days)]
        fields: dict[str, Any] = {
            "id": Raw(rid), "type": "resolution", "title": title, "summary": self.summary(), "date": Raw(day),
            "level": Raw(self.choice("levels", LEVELS["resolution"])),
            "instrument_kind": Raw(kind),
            "identifier": identifier if rng.random() < 0.85 else None,
            "issuer": Raw(issuer),
            "lifecycle": lifecycle if rng.random() < 0.7 else None,
        }
        if rng.random() < 0.1:
            fields["identifier_variants"] = [{"identifier": identifier.replace("/CR", "-CR"), "page": rng.randint(1, 80)}]
        fields.update(self.common("resolution", rid,
                                  roles_first=[{"id": Raw(issuer), "role": Raw(self.first("roles", ISSUER_ROLE))}]))
        return fields

    def workshop(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choice(self.values["event_kinds"])
        topic, place = self.topic(), rng.choice(PLACES)
        title = T(*(EVENT_TITLES[lang].format(kind=self.label("event_kinds", kind, lang), topic=topic.get(lang),
                                              place=place[i]) for i, lang in enumerate(LANGS)))
        start = self.date(None, "day")
        fields: dict[str, Any] = {"id": Raw(rid), "type": "workshop", "title": title, "summary": self.summary(),
                                  "date": Raw(start), "level": Raw(self.choice("levels", LEVELS["workshop"])),
                                  "event_kind": Raw(kind)}
        if rng.random() < 0.7:
            year, month, day = (int(part) for part in start.split("-"))
            last = calendar.monthrange(year, month)[1]
            fields["start_date"] = Raw(start)
            fields["end_date"] = Raw(f"{year}-{month:02d}-{min(last, day + rng.randint(0, 3)):02d}")
        fields["place"] = T(*place) if rng.random() < 0.8 else None
        for name, rate in (("objectives", 0.6), ("outcomes", 0.5)):
            if rng.random() < rate:
                count = rng.randint(1, 4)
                fields[name] = T(*([paragraph(rng, lang, rng.randint(6, 14)) for _ in range(count)] for lang in LANGS))
        fields["audience"] = self.audience()
        fields.update(self.common("workshop", rid, stakeholder_rate=1.0))
        return fields

    def lesson(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choice(self.values["lesson_kinds"])
        level = rng.choice(self.values["levels"])
        topic = self.topic()
        title = T(*(LESSON_TITLES[lang].format(kind=self.label("lesson_kinds", kind, lang), topic=topic.get(lang),
                                               level=self.label("levels", level, lang).lower()) for lang in LANGS))
        fields: dict[str, Any] = {"id": Raw(rid), "type": "lesson", "title": title, "summary": self.summary(),
                                  "date": Raw(self.date()), "level": Raw(level), "lesson_kind": Raw(kind),
                                  "audience": self.audience()}
        fields.update(self.common("lesson", rid))
        links = fields.get("related") or []
        if not any(link["relation"] in self.evidence for link in links):  # every lesson rests on evidence
            links.append({"id": Raw(self.pick("workshop", rid)[0]), "relation": Raw(self.evidence[0])})
        fields["related"] = links
        return fields

    def milestone(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        track = rng.choice(self.values["tracks"])
        topic = self.topic()
        title = T(f"Hito {self.label('tracks', track, 'es').lower()}: {topic.es}",
                  f"{self.label('tracks', track, 'en')} milestone: {topic.en}")
        marks = self.pick(rng.choice(("resolution", "workshop", "any")), rid, rng.randint(1, 3))
        fields: dict[str, Any] = {"id": Raw(rid), "type": "milestone", "title": title, "summary": self.summary(),
                                  "date": Raw(self.date()),
                                  "level": Raw(self.level(track) or rng.choice(self.values["levels"])),
                                  "track": Raw(track),
                                  "marks": [Raw(m) for m in marks]}  # a milestone always marks something
        if rng.random() < 0.1:  # a milestone that spans a period
            fields["date"] = Raw(str(rng.randint(2005, 2015)))
            fields["end_date"] = Raw(str(int(fields["date"]) + rng.randint(1, 4)))
        fields.update(self.common("milestone", rid, stakeholder_rate=0.5))
        return fields

    def glossary(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        pairs = rng.sample(CONCEPTS, rng.randint(2, 4))
        es_words, en_words = [p[0] for p in pairs], [p[1] for p in reversed(pairs)]
        is_acronym = rng.random() < 0.7
        es_text, en_text = " de ".join(es_words), " ".join(en_words)
        term = T(acronym(es_words), acronym(en_words)) if is_acronym else T(es_text.lower(), en_text.lower())
        title = T(f"{term.es} ({es_text})", f"{term.en} ({en_text})") if is_acronym else T(es_text, en_text)
        fields: dict[str, Any] = {
            "id": Raw(rid), "type": "glossary", "title": title, "summary": self.summary(),
            "date": Raw(self.date()) if rng.random() < 0.2 else None,
            "level": Raw(rng.choice(self.values["levels"])), "term": term,
            "aliases": sorted({term.es, term.en}) if rng.random() < 0.6 else None,
            "expansion": T(es_text, en_text) if is_acronym else None,
            "definition": T(*(Folded(paragraph(rng, lang, rng.randint(15, 40))) for lang in LANGS)),
        }
        fields.update(self.common("glossary", rid, stakeholder_rate=0.1))
        if not fields.get("related") and not fields.get("stakeholders"):  # no orphans
            see_also = self.first("relations", ("see_also",))
            fields["related"] = [{"id": Raw(self.pick("any", rid)[0]), "relation": Raw(see_also)}]
        return fields

    def booklet(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        topic = self.topic()
        contents = self.pick("lesson", rid, rng.randint(3, 12)) + self.pick("workshop", rid, rng.randint(1, 6))
        contents += self.pick("glossary", rid, rng.randint(0, 5)) if rng.random() < 0.5 else []
        fields: dict[str, Any] = {"id": Raw(rid), "type": "booklet",
                                  "title": T(f"Cartilla: {topic.es}", f"Booklet: {topic.en}"),
                                  "summary": self.summary(), "date": Raw(self.date(None, "month")),
                                  "level": Raw(self.choice("levels", LEVELS["booklet"])),
                                  "contents": [Raw(c) for c in contents], "audience": self.audience()}
        fields.update(self.common("booklet", rid))
        return fields

    def practice(self, rid: str) -> dict[str, Any]:
        rng = self.rng
        topic, place = self.topic(), rng.choice(PLACES)
        fields: dict[str, Any] = {
            "id": Raw(rid), "type": "practice", "title": T(f"Experiencia: {topic.es}", f"Experience: {topic.en}"),
            "summary": self.summary(), "date": Raw(self.date(None, "year")),
            "level": Raw(self.first("levels", LEVELS["practice"])),
            "location": T(*place), "start_date": Raw(self.date(None, "year")),
            "figures": T(*([{"value": value, "unit": unit, "label": paragraph(rng, lang, 5), "page": rng.randint(1, 30)}
                            for value, unit in ((44000, "ha"), (23, "organizations"))] for lang in LANGS)),
            "audience": self.audience()}
        fields.update(self.common("practice", rid))
        fields["tags"] = fields.get("tags") or [self.values["tags"][0]]
        expects = self.first("relations", ("expects",))
        fields["related"] = [{"id": Raw(lesson), "relation": Raw(expects)} for lesson in self.pick("lesson", rid, 3)]
        fields["status"] = Raw(self.first("statuses", STATUSES["practice"]))
        return fields

    def records(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(type, id, fields) of every record, in a fixed order."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for index, rid in enumerate(self.ids["stakeholder"]):
            out.append(("stakeholder", rid, self.stakeholder(index, rid)))
        for kind in ("resolution", "workshop", "lesson", "milestone", "glossary", "booklet", "practice"):
            build = getattr(self, kind)
            out.extend((kind, rid, build(rid)) for rid in self.ids[kind])
        return out


def generate(root: Path, n_records: int, n_stakeholders: int | None = None, seed: int = 0,
             body_words: int = 600, vocabularies: Path | None = None) -> dict[str, int]:
    """Write a valid bilingual knowledge base of `n_records` records at `root` (created if needed;
    existing collection files and vocabularies are replaced). Returns counts: records, files and
    one per type.

    `vocabularies` is the vocabularies folder whose files are copied into the corpus and whose
    values the records use (default: that of the knowledge base `kb` finds from here). Raises
    ValueError when the numbers or the vocabularies cannot make a valid corpus.
    """
    root = Path(root)
    counts = plan_counts(n_records, n_stakeholders)
    folder = Path(vocabularies) if vocabularies is not None else default_vocabularies()
    if not folder.is_dir():
        raise ValueError(f"the vocabularies folder {folder} does not exist")
    # Read before writing: `root` may be where the vocabularies come from.
    sources = {path.name: path.read_bytes() for path in sorted(folder.glob("*.yaml"))}
    rng = random.Random(seed)
    generator = _Generator(rng, load_vocabularies(folder), counts)
    root.mkdir(parents=True, exist_ok=True)
    (root / "kb.yaml").write_text(KB_YAML.format(seed=seed), encoding="utf-8")
    target = root / "vocabularies"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for name, data in sources.items():
        (target / name).write_bytes(data)
    for collection in COLLECTIONS.values():
        folder = root / collection
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
    generator.plan_ids()
    files = 0
    for kind, rid, fields in generator.records():
        heading = rng.randrange(100)
        folder = root / COLLECTIONS[kind]
        for lang in LANGS:
            words = max(20, int(body_words * rng.uniform(0.8, 1.2)))
            text = f"---\n{emit(fields, lang)}---\n\n{body(rng, lang, words, heading)}"
            (folder / f"{rid}.{lang}.md").write_text(text, encoding="utf-8")
            files += 1
    return {"records": n_records, "files": files, **counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the knowledge base folder to write (kb.yaml goes here)")
    parser.add_argument("--records", type=int, default=1000, help="how many record ids (default 1000)")
    parser.add_argument("--stakeholders", type=int, default=None,
                        help="how many of them are stakeholders (default max(20, records // 20))")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--body-words", type=int, default=600, help="about how many words per body")
    add_kb_option(parser)
    args = parser.parse_args(argv)
    vocabularies = kb_config(parser, args.kb).vocabularies_dir
    started = time.perf_counter()
    try:
        counts = generate(args.out, args.records, args.stakeholders, args.seed, args.body_words, vocabularies)
    except ValueError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - started
    per_type = ", ".join(f"{kind} {counts[kind]}" for kind in COLLECTIONS)
    print(f"wrote {counts['records']:,} records ({counts['files']:,} files) to {args.out} in {elapsed:.2f} s")
    print(f"  {per_type}")
    print(f"  vocabularies from {vocabularies}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
