"""One method per record type: the fields of a synthetic stakeholder, resolution, workshop,
lesson, milestone, glossary entry, booklet or practice."""

from __future__ import annotations

from typing import Any

import calendar

from .generator import LANGS, Generator, _title
from .tables import (CATEGORY_LEVELS, CATEGORY_NAMES, EVENT_TITLES, ISSUER_ROLE, LESSON_TITLES, LEVELS,
                     MEMBERSHIP_ROLES, STATUSES)
from .text import CONCEPTS, PLACES, Folded, Raw, T, acronym, paragraph


class RecordWriter(Generator):
    """The generator with a builder for each record type."""

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
                                  "subtitle": T(f"Para talleres sobre {topic.es}", f"For workshops on {topic.en}")
                                  if rng.random() < 0.7 else None,
                                  "summary": self.summary(), "date": Raw(self.date(None, "month")),
                                  "level": Raw(self.choice("levels", LEVELS["booklet"])),
                                  "audience": self.audience(required=True)}
        if rng.random() < 0.3:  # a selection instead of, or after, a list (lessons exist in every corpus)
            fields["select"] = {"types": [Raw("lesson")], "from": Raw("1990"), "to": Raw("2030")}
            fields["sort"] = Raw(rng.choice(("date", "title", "type")))
        if "select" not in fields or rng.random() < 0.5:
            fields["contents"] = [Raw(c) for c in dict.fromkeys(contents)]
        if rng.random() < 0.5:
            fields["sections"] = [Raw(s) for s in ("glossary", "timeline", "sources", "credits") if rng.random() < 0.7]
        fields["paper"] = Raw(rng.choice(("A5", "A4"))) if rng.random() < 0.3 else None
        if rng.random() < 0.1:  # the corpus holds media/cover.png
            fields["cover_image"] = Raw("media/cover.png")
            fields["cover_alt"] = T("Un bosque y un río", "A forest and a river")
        fields.update(self.common("booklet", rid))
        return fields

    def document(self, rid: str) -> dict[str, Any]:
        topic = self.topic()
        fields: dict[str, Any] = {"id": Raw(rid), "type": "document",
                                  "title": T(f"Estudio sobre {topic.es}", f"Study on {topic.en}"),
                                  "summary": self.summary(), "date": Raw(self.date(None, "month")),
                                  "level": Raw(self.choice("levels", LEVELS["document"])),
                                  "document_kind": Raw(self.choice("document_kinds", ("study", "plan", "map")))}
        fields.update(self.common("document", rid))
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
            "audience": self.audience(required=True)}
        fields.update(self.common("practice", rid))
        fields["tags"] = fields.get("tags") or [self.values["tags"][0]]
        expects = self.first("relations", ("expects",))
        fields["related"] = [{"id": Raw(lesson), "relation": Raw(expects)} for lesson in self.pick("lesson", rid, 3)]
        fields["status"] = Raw(self.first("statuses", STATUSES["practice"]))
        fields["notes"] = fields.get("notes") or T(paragraph(rng, "es", 30), paragraph(rng, "en", 30))  # the only one
        return fields

    def records(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(type, id, fields) of every record, in a fixed order."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for index, rid in enumerate(self.ids["stakeholder"]):
            out.append(("stakeholder", rid, self.stakeholder(index, rid)))
        for kind in ("resolution", "workshop", "lesson", "milestone", "glossary", "booklet", "practice", "document"):
            build = getattr(self, kind)
            out.extend((kind, rid, build(rid)) for rid in self.ids[kind])
        return out
