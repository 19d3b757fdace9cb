"""The bundled knowledge base reads as written for Madre de Dios: one name per thing, Peruvian
conventions, no boilerplate, no English quotations in Spanish text, and plain language, measured.
(docs/style.md is the guide; these tests keep what it asks from coming back.)"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pytest
from rapidfuzz import fuzz

from experience_kb.project import Project
from experience_kb.records import readability
from experience_kb.records.model import strings

from conftest import BUNDLED

NBSP = "\u00a0"


@lru_cache(maxsize=1)
def _project() -> Project:
    return Project(BUNDLED, use_cache=False)


def _reading(record) -> str:
    """The reading text: title, summary and body (notes are not reading text)."""
    meta = record.meta
    return "\n\n".join(part for part in (meta.get("title"), meta.get("summary"), record.body) if isinstance(part, str))


def _records(lang: str):
    return [record for record in _project().kb.records if record.lang == lang]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9+ñ]+", text.replace("-", " ")))


# -- boilerplate ---------------------------------------------------------------------------------

REDD_DEFINITION = {
    "es": re.compile(r"reducci[oó]n de (?:las )?emisiones[^.;]{0,120}?deforestaci[oó]n[^.;]{0,60}?degradaci[oó]n", re.I),
    "en": re.compile(r"reduc\w* emissions[^.;]{0,120}?deforestation[^.;]{0,60}?degradation", re.I),
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_redd_definition_is_not_boilerplate(lang):
    counted = {record.id: len(REDD_DEFINITION[lang].findall(_reading(record))) for record in _records(lang)}
    total = sum(counted.values())
    worst = sorted(((count, rid) for rid, count in counted.items() if count), reverse=True)[:5]
    assert total <= 10, f"the REDD+ definition appears {total} times in {lang} reading text; most in {worst}"


def test_spanish_acronym_asides_are_rare():
    found = {record.id: _reading(record).count("(Spanish acronym") for record in _records("en")}
    assert sum(found.values()) <= 20, sorted((c, r) for r, c in found.items() if c)[-5:]


ENGLISH_WORDS = {"the", "and", "of", "to", "in", "is", "for", "with", "that", "by", "its", "which", "will", "from"}
SPANISH_WORDS = {"el", "la", "los", "las", "de", "del", "y", "en", "que", "por", "para", "con", "una", "un", "su"}
QUOTED = re.compile(r"«([^»]+)»|“([^”]+)”|\"([^\"]+)\"")


def test_no_spanish_record_quotes_the_english_source():
    offenders = []
    for record in _records("es"):
        for match in QUOTED.finditer(_reading(record)):
            words = re.findall(r"[a-záéíóúñü]+", (match.group(1) or match.group(2) or match.group(3)).lower())
            english = sum(word in ENGLISH_WORDS for word in words)
            spanish = sum(word in SPANISH_WORDS for word in words)
            if len(words) >= 4 and english >= 2 and english > spanish:
                offenders.append(f"{record.id}: {match.group()[:70]}")
    assert offenders == [], offenders[:10]


# -- Peruvian conventions ------------------------------------------------------------------------

def test_spanish_months_are_peruvian():
    offenders = [record.id for record in _records("es") if re.search(r"\bseptiembre\b", _reading(record), re.I)]
    assert offenders == [], f"use «setiembre»: {offenders[:10]}"


def test_numero_is_written_n_degree_with_a_non_breaking_space():
    offenders = []
    for record in _records("es"):
        text = _reading(record) + "\n" + "\n".join(strings(list(_values(record.meta))))
        for match in re.finditer(r"\bN(?:\.\s?°|º|°|o\.)(.)", text):
            if match.group() != "N.°" + NBSP:
                offenders.append(f"{record.id}: {text[max(0, match.start() - 20):match.end() + 10]!r}")
    assert offenders == [], offenders[:10]


def _values(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)


@pytest.mark.parametrize("lang, allowed, refused", [("es", "«»", "\"“”"), ("en", "“”", "«»")])
def test_one_quotation_style_per_language(lang, allowed, refused):
    offenders = []
    for record in _records(lang):
        text = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", "", _reading(record))  # code and addresses aside
        if any(mark in text for mark in refused):
            offenders.append(record.id)
    assert offenders == [], f"{lang} reading text uses {refused} instead of {allowed}: {offenders[:10]}"


# -- one name per thing ---------------------------------------------------------------------------

def _names(lang: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(folded canonical name -> canonical name, declared form -> the records that declare it) of
    stakeholders and glossary terms. A declared form (other_names, aliases) may stand in its own
    record; elsewhere the canonical name is used."""
    canonical, declared = {}, {}
    for record in _records(lang):
        meta = record.meta
        main = meta.get("name") if record.type.name == "stakeholder" else meta.get("expansion")
        forms = [main, meta.get("acronym"), meta.get("term"), *strings(meta.get("other_names")),
                 *strings(meta.get("aliases"))]
        for form in forms:
            if isinstance(form, str):
                declared.setdefault(form, set()).add(record.id)
        if isinstance(main, str) and len(main.split()) >= 2:
            plain = re.sub(r"\s*\([^)]*\)", "", main).strip()
            canonical[_fold(plain)] = plain
    return canonical, declared


STOP = {"de", "del", "la", "las", "el", "los", "y", "of", "the", "and", "for", "on", "in", "en", "para"}
_TOKEN = re.compile(r"[^\W_]+\+?")
_BREAK = re.compile(r"https?://\S+|[.,;:!?()\[\]«»“”\"\n]")  # phrases never run across these (nor addresses)


def _inflected(phrase: str, name: str) -> bool:
    """The name in the plural or singular (regional ordinances, greenhouse gas), not a variant."""
    def same(one: str, other: str) -> bool:
        return one == other or one in (other + "s", other + "es") or other in (one + "s", one + "es")
    return all(same(one, other) for one, other in zip(phrase.split(), name.split()))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_one_name_per_thing(lang):
    """A phrase that spells a canonical name another way (hyphen, accent, spacing), nearly spells
    it (a changed ending: Amazónico/Amazónica), or puts its words in another order within one
    sentence, is a variant. The record that declares a form (other_names, aliases) may use it;
    every other record uses the canonical name."""
    canonical, declared = _names(lang)
    declared_folded: dict[str, set[str]] = {}
    for form, owners in declared.items():
        declared_folded.setdefault(_fold(form), set()).update(owners)
    by_first: dict[str, list[str]] = {}
    by_content: dict[tuple, str] = {}
    for key in canonical:
        by_first.setdefault(key.split()[0], []).append(key)
        content = tuple(sorted(word for word in key.split() if word not in STOP))
        if len(content) >= 2:
            by_content[content] = key
    longest = max((len(key.split()) for key in canonical), default=0) + 1
    variants: dict[str, set[str]] = {}
    for record in _records(lang):
        text = re.sub(r"(?<!\n)\n(?![\n#*-])", " ", _reading(record))  # a wrapped line goes on
        for piece in _BREAK.split(text):
            tokens = list(_TOKEN.finditer(piece))
            folded = [_fold(token.group()) for token in tokens]
            inside = set()  # tokens within a canonical name as written: their parts are not variants
            for start in range(len(tokens)):
                for end in range(start + 2, min(len(tokens), start + longest) + 1):
                    if " ".join(folded[start:end]) in canonical:
                        inside.update(range(start, end))
            for start in range(len(tokens)):
                for end in range(start + 2, min(len(tokens), start + longest) + 1):
                    phrase = " ".join(folded[start:end])
                    raw = " ".join(piece[tokens[start].start():tokens[end - 1].end()].split())
                    key = phrase if phrase in canonical else None
                    if key is not None:  # the same words: another hyphen, accent or spacing?
                        if raw.casefold() != canonical[key].casefold() and record.id not in declared.get(raw, ()):
                            variants.setdefault(canonical[key], set()).add(raw)
                        continue
                    if record.id in declared_folded.get(phrase, ()) or inside.issuperset(range(start, end)):
                        continue
                    for other in by_first.get(folded[start], ()):  # a changed ending
                        if len(other.split()) == end - start and len(phrase) >= 12 and fuzz.ratio(phrase, other) >= 93 \
                                and not _inflected(phrase, other):
                            variants.setdefault(canonical[other], set()).add(raw)
                    content = tuple(sorted(word for word in phrase.split() if word not in STOP))
                    other = by_content.get(content)  # the same words in another order
                    if other is not None and other != phrase and folded[end - 1] not in STOP \
                            and folded[start] not in STOP and not {"and", "y", "or", "o"} & set(phrase.split()):
                        variants.setdefault(canonical[other], set()).add(raw)
    assert variants == {}, {name: sorted(found)[:3] for name, found in list(variants.items())[:12]}


# -- plain language, measured --------------------------------------------------------------------

def test_spanish_summaries_are_plain():
    reading = next(item for item in _project().stats.reading if item.lang == "es")
    assert reading.summary_mean_sentence <= 20, reading
    assert reading.summary_long_share == 0, reading


def test_records_for_grassroots_readers_are_plainer_still():
    reading = next(item for item in _project().stats.reading if item.lang == "es")
    assert reading.plain_records >= 5
    assert reading.plain_mean_sentence <= 18, reading


def test_every_summary_sentence_is_short_in_every_language():
    long = [(record.id, record.lang, len(readability.words(sentence)))
            for record in _project().kb.records for sentence in readability.sentences(record.meta.get("summary", ""))
            if len(readability.words(sentence)) > readability.LONG_SENTENCE]
    assert long == [], long[:10]
