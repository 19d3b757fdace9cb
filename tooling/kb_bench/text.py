"""Building blocks for the synthetic corpus: word lists, bilingual text and a tiny YAML writer.

Everything here is deterministic given the `random.Random` passed in. The YAML writer emits only
the handful of shapes record front matter uses (scalars, folded text, flat lists, lists of
mappings), which is much faster than `yaml.dump` and gives the layout hand-written records have.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from typing import Any

# -- word lists ------------------------------------------------------------------------------
# Plain vocabulary for bodies and summaries. Neutral subject matter (forests, planning,
# participation), accents included so that files exercise UTF-8.

ES_WORDS: tuple[str, ...] = tuple("""
el la los las un una de del en con por para sobre entre desde hasta que como cuando donde
y o pero también además sin embargo mientras durante según bosque bosques río ríos comunidad
comunidades territorio región regional gobierno mesa plataforma organización organizaciones
federación acuerdo acuerdos propuesta propuestas ordenanza resolución norma taller talleres
reunión sesión participación participantes representantes instituciones sociedad civil
gestión manejo monitoreo reporte verificación carbono emisiones deforestación degradación
conservación uso suelo ordenamiento planificación financiamiento fondo fondos beneficios
distribución salvaguardas derechos consulta información comunicación capacidades
fortalecimiento aprendizaje experiencia experiencias lección lecciones resultado resultados
proceso procesos avance avances desafío desafíos logro logros cambio cambios política
políticas técnico técnica técnicos equipo comisión secretaría coordinación diálogo consenso
compromiso compromisos articulación enfoque anidado nivel nacional local indígena indígenas
agricultura minería economía ingresos productores familias mujeres jóvenes líderes base
mapa mapas línea referencia análisis estudio diagnóstico estrategia plan programa proyecto
actividades objetivo objetivos metas año años mes meses etapa fase primera segunda nueva
importante necesario posible amplio claro sólido inclusivo transparente sostenible común
se fue es son fueron ha han puede pueden debe deben permite permitió logró buscó elaboró
presentó aprobó reconoció impulsó acompañó promovió articuló definió revisó validó acordó
""".split())

EN_WORDS: tuple[str, ...] = tuple("""
the a an of in on with by for about between from until that as when where and or but also
however while during according forest forests river rivers community communities territory
region regional government roundtable platform organization organizations federation
agreement agreements proposal proposals ordinance resolution rule workshop workshops meeting
session participation participants representatives institutions civil society management
monitoring reporting verification carbon emissions deforestation degradation conservation
land use planning finance fund funds benefits sharing safeguards rights consultation
information communication capacities strengthening learning experience experiences lesson
lessons result results process processes progress challenge challenges accomplishment change
changes policy policies technical team commission secretariat coordination dialogue consensus
commitment commitments alignment nested approach level national local indigenous agriculture
mining economy income producers families women youth leaders grassroots map maps baseline
reference analysis study assessment strategy plan program project activities objective
objectives targets year years month months stage phase first second new important necessary
possible broad clear solid inclusive transparent sustainable shared is was are were has have
can could should must allows allowed achieved sought prepared presented approved recognized
promoted supported encouraged aligned defined reviewed validated agreed
""".split())

# Words that may end a sentence without sounding cut off (nouns mostly).
_ES_ENDINGS = tuple(w for w in ES_WORDS[40:200] if len(w) > 4)
_EN_ENDINGS = tuple(w for w in EN_WORDS[40:200] if len(w) > 4)

HEADINGS: tuple[tuple[str, str], ...] = (
    ("Contexto", "Background"),
    ("Antecedentes", "Antecedents"),
    ("Desarrollo del proceso", "How the process unfolded"),
    ("Resultados", "Results"),
    ("Lecciones aprendidas", "Lessons learned"),
    ("Próximos pasos", "Next steps"),
    ("Participación de los actores", "Stakeholder participation"),
)

# Bilingual place names, some identical in both languages as real place names are.
PLACES: tuple[tuple[str, str], ...] = (
    ("Puerto Esperanza", "Puerto Esperanza"), ("Valle Verde", "Valle Verde"),
    ("Río Alto", "Río Alto"), ("San Martín de Loreto", "San Martín de Loreto"),
    ("la cuenca del río Claro", "the Claro river basin"), ("Nueva Aurora", "Nueva Aurora"),
    ("la capital regional", "the regional capital"), ("Santa Rosa del Monte", "Santa Rosa del Monte"),
    ("la provincia de Tres Lagunas", "Tres Lagunas province"), ("Lima", "Lima"),
)

# Concept pairs for glossary expansions: (Spanish, English).
CONCEPTS: tuple[tuple[str, str], ...] = (
    ("Gestión", "Management"), ("Bosques", "Forests"), ("Carbono", "Carbon"),
    ("Monitoreo", "Monitoring"), ("Territorial", "Territorial"), ("Comunal", "Communal"),
    ("Emisiones", "Emissions"), ("Plan", "Plan"), ("Fondo", "Fund"), ("Regional", "Regional"),
    ("Sistema", "System"), ("Consulta", "Consultation"), ("Servicios", "Services"),
    ("Ambientales", "Environmental"), ("Integral", "Integrated"), ("Programa", "Program"),
    ("Cambio", "Change"), ("Climático", "Climate"), ("Desarrollo", "Development"),
    ("Registro", "Registry"), ("Nacional", "National"), ("Información", "Information"),
)

# -- text ------------------------------------------------------------------------------------


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentences(rng: random.Random, lang: str, n_words: int) -> list[str]:
    """Sentences of 7 to 22 words adding up to about `n_words`, in Spanish or English."""
    words, endings = (ES_WORDS, _ES_ENDINGS) if lang == "es" else (EN_WORDS, _EN_ENDINGS)
    pool = rng.choices(words, k=max(n_words, 4))
    out: list[str] = []
    start = 0
    while start < len(pool):
        length = rng.randint(7, 22)
        chunk = pool[start:start + length]
        start += length
        if len(chunk) < 4 and out:  # fold a short tail into the previous sentence
            out[-1] = out[-1][:-1] + ", " + " ".join(chunk) + "."
            continue
        if len(chunk) > 10 and rng.random() < 0.5:  # an occasional comma
            cut = rng.randint(4, len(chunk) - 4)
            chunk[cut] += ","
        chunk[-1] = rng.choice(endings)
        out.append(_capitalize(" ".join(chunk)) + ".")
    return out


def paragraph(rng: random.Random, lang: str, n_words: int) -> str:
    return " ".join(sentences(rng, lang, n_words))


def body(rng: random.Random, lang: str, n_words: int, heading: int) -> str:
    """A Markdown body of about `n_words` words: an opening paragraph, a `##` heading, more
    paragraphs, and sometimes a bulleted list. `heading` picks the heading text (the same
    index in both languages, so the two versions have the same outline)."""
    parts: list[str] = []
    remaining = max(n_words, 20)
    first = min(remaining, rng.randint(40, 90))
    parts.append(paragraph(rng, lang, first))
    remaining -= first
    heading_pair = HEADINGS[heading % len(HEADINGS)]
    parts.append("## " + (heading_pair[0] if lang == "es" else heading_pair[1]))
    while remaining > 0:
        size = min(remaining, rng.randint(50, 110))
        if size >= 30 and rng.random() < 0.12:  # a short list now and then
            items = sentences(rng, lang, size)
            parts.append("\n".join("- " + item for item in items[:5]))
        else:
            parts.append(paragraph(rng, lang, size))
        remaining -= size
    return "\n\n".join(parts) + "\n"


_MINOR_WORDS = frozenset("de del la las el los y e para en sobre por con of the and for on in to".split())


def acronym(words: list[str]) -> str:
    """Initials of the significant words, e.g. ['Gestión', 'de', 'bosques'] -> 'GB'."""
    return "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS and w[:1].isalpha()).upper()


# -- YAML writer -----------------------------------------------------------------------------


class Raw(str):
    """A scalar written exactly as is, unquoted (dates, ids, vocabulary values)."""


class Folded(str):
    """A long text written as a folded block scalar (`>-`), wrapped near 95 columns."""


@dataclass(frozen=True)
class T:
    """A translatable value: one per language."""

    es: Any
    en: Any

    def get(self, lang: str) -> Any:
        return self.es if lang == "es" else self.en


_PLAIN_SAFE = re.compile(r"^[A-Za-zÀ-ÿ][^:#\[\]{},\"'\n|>&*!%@`]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value: Any) -> str:
    """One YAML scalar: plain when that reads back as the same string, else JSON-quoted
    (a JSON string is a valid YAML double-quoted scalar)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN_SAFE.match(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _wrap(text: str, width: int = 95) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for word in text.split():
        if current and size + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, size = [], 0
        size += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def emit(fields: dict[str, Any], lang: str) -> str:
    """Front matter (without the `---` fences) for one language of a record."""
    out: list[str] = []
    for key, value in fields.items():
        if isinstance(value, T):
            value = value.get(lang)
        if value is None:
            continue
        if isinstance(value, Folded):
            out.append(f"{key}: >-")
            out.extend("  " + line for line in _wrap(value))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{key}:")
            for item in value:
                prefix = "  - "
                for sub_key, sub_value in item.items():
                    if sub_value is not None:
                        out.append(f"{prefix}{sub_key}: {scalar(sub_value)}")
                        prefix = "    "
        elif isinstance(value, list):
            flow = "[" + ", ".join(scalar(item) for item in value) + "]"
            if len(key) + len(flow) < 96:
                out.append(f"{key}: {flow}")
            else:
                out.append(f"{key}:")
                out.extend(f"  - {scalar(item)}" for item in value)
        else:
            out.append(f"{key}: {scalar(value)}")
    return "\n".join(out) + "\n"
