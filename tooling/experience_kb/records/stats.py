"""Counts per type and language, translation coverage, and how the records read.

Readability (see `readability`) is measured per record and language over the summary and over
the reading text (summary and body; headings left out, notes not included), and summed up per
language: the mean sentence length of summaries, the share of summary sentences over 30 words,
the mean score, and the mean sentence length of the records written for audiences that need
plain language (audiences whose vocabulary term `means: plain-language`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from . import readability, schema
from .model import KnowledgeBase, Record, strings


@dataclass
class TypeStats:
    type: str
    records: int = 0
    per_language: dict[str, int] = field(default_factory=dict)
    complete: int = 0  # records present in every configured language

    @property
    def coverage(self) -> float:
        return self.complete / self.records if self.records else 1.0


@dataclass
class RecordReading:
    """How one language version of a record reads."""

    id: str
    lang: str
    type: str
    plain: bool  # written for an audience that needs plain language
    summary: readability.Measure
    text: readability.Measure  # summary and body

    def as_dict(self) -> dict:
        return {"id": self.id, "lang": self.lang, "type": self.type, "plain_language_audience": self.plain,
                "summary": self.summary.as_dict(), "text": self.text.as_dict()}


@dataclass
class LanguageReading:
    """How the records of one language read, summed up."""

    lang: str
    records: int
    summary_sentences: int
    summary_mean_sentence: float
    summary_long_share: float  # of summary sentences over LONG_SENTENCE words
    text_mean_sentence: float
    mean_score: float | None
    scale: str
    plain_records: int
    plain_mean_sentence: float  # over summary and body of the plain-language records

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("summary_mean_sentence", "summary_long_share", "text_mean_sentence", "plain_mean_sentence"):
            data[key] = round(data[key], 3)
        data["mean_score"] = None if self.mean_score is None else round(self.mean_score, 1)
        return data


@dataclass
class Stats:
    languages: tuple[str, ...]
    types: list[TypeStats]
    reading: list[LanguageReading] = field(default_factory=list)
    records: list[RecordReading] = field(default_factory=list)

    @property
    def total(self) -> TypeStats:
        total = TypeStats("total", per_language={lang: 0 for lang in self.languages})
        for item in self.types:
            total.records += item.records
            total.complete += item.complete
            for lang, count in item.per_language.items():
                total.per_language[lang] += count
        return total

    def as_dict(self) -> dict:
        rows = [*self.types, self.total]
        return {"languages": list(self.languages),
                "types": [{**asdict(row), "coverage": round(row.coverage, 4)} for row in rows],
                "readability": [item.as_dict() for item in self.reading],
                "records": [item.as_dict() for item in self.records]}


def compute(kb: KnowledgeBase) -> Stats:
    languages = kb.config.languages
    rows = {name: TypeStats(name, per_language={lang: 0 for lang in languages}) for name in schema.types()}
    for versions in kb.by_id.values():
        row = rows[next(iter(versions.values())).type.name]
        row.records += 1
        row.complete += all(lang in versions for lang in languages)
        for lang in versions:
            row.per_language[lang] = row.per_language.get(lang, 0) + 1
    plain = set(kb.vocabularies.meaning("audiences", "plain-language"))
    records = [reading(record, plain) for record in sorted(kb.records, key=lambda r: (r.id, r.lang))]
    return Stats(languages, list(rows.values()), [summarize(lang, records) for lang in languages], records)


def reading(record: Record, plain_audiences: set[str]) -> RecordReading:
    summary = record.meta.get("summary") if isinstance(record.meta.get("summary"), str) else ""
    summary_sentences = readability.sentences(summary)
    text = summary_sentences + readability.markdown_sentences(record.body)
    plain = bool(plain_audiences & set(strings(record.meta.get("audience"))))
    return RecordReading(record.id, record.lang, record.type.name, plain,
                         readability.measure(summary_sentences, record.lang), readability.measure(text, record.lang))


def summarize(lang: str, records: list[RecordReading]) -> LanguageReading:
    mine = [item for item in records if item.lang == lang]
    plain = [item for item in mine if item.plain]

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    summary_sentences = sum(item.summary.sentences for item in mine)
    summary_words = sum(item.summary.words for item in mine)
    scores = [item.text.score for item in mine if item.text.score is not None]
    return LanguageReading(
        lang, len(mine), summary_sentences, summary_words / summary_sentences if summary_sentences else 0.0,
        sum(item.summary.long_sentences for item in mine) / summary_sentences if summary_sentences else 0.0,
        _mean_sentence([item.text for item in mine]), mean(scores) if scores else None,
        mine[0].text.scale if mine else "", len(plain), _mean_sentence([item.text for item in plain]))


def _mean_sentence(measures: list[readability.Measure]) -> float:
    sentences = sum(item.sentences for item in measures)
    return sum(item.words for item in measures) / sentences if sentences else 0.0

