"""Tables that shape synthetic records: which links, roles, statuses and names fit each type.

Values are those of the bundled vocabularies in kb/vocabularies/. The generator (corpus.py) keeps
only the values that exist in the vocabularies of the knowledge base it is given, and falls back
to any value of the vocabulary when none of them does, so that the corpus validates with any
vocabulary set that has the same files (tests/test_corpus.py checks the output validates).
"""

from __future__ import annotations

# Typed links per source type: (relation, target type or "any").
RELATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    # modifies/repeals and part_of/follows between records of one type are left out: random links
    # of those kinds would run backwards in time or in circles, which the validator rejects.
    "resolution": (("implements", "resolution"),
                   ("recognizes", "stakeholder"), ("creates", "stakeholder"), ("derived_from", "workshop"),
                   ("see_also", "any")),
    "workshop": (("presents", "resolution"),
                 ("derived_from", "workshop"), ("see_also", "any")),
    "lesson": (("evidence", "workshop"), ("evidence", "resolution"), ("applied_in", "workshop"),
               ("derived_from", "lesson"), ("see_also", "lesson")),
    "milestone": (("see_also", "any"),),
    "glossary": (("see_also", "glossary"), ("see_also", "any")),
    "stakeholder": (("derived_from", "stakeholder"), ("see_also", "any")),
    "booklet": (("see_also", "any"),),
    "practice": (("expects", "lesson"), ("see_also", "any")),
    "document": (("derived_from", "workshop"), ("see_also", "any")),
}
ROLES: dict[str, tuple[str, ...]] = {
    "resolution": ("proposer", "signatory", "subject", "concerned", "supporter"),
    "workshop": ("organizer", "funder", "participant", "presenter", "host", "supporter"),
    "lesson": ("concerned", "lead", "participant"),
    "milestone": ("issuer", "concerned", "lead"),
    "glossary": ("concerned",),
    "stakeholder": ("supporter", "funder", "member"),
    "booklet": ("funder", "lead", "supporter", "organizer"),
    "practice": ("lead", "member", "funder", "supporter"),
    "document": ("author", "funder", "technical_supporter", "supporter"),
}
STATUSES: dict[str, tuple[str, ...]] = {
    "resolution": ("in_force", "in_force", "modified", "repealed", "proposed", "unknown"),
    "workshop": ("completed", "completed", "ongoing"),
    "lesson": ("completed", "ongoing", "unknown"),
    "milestone": ("completed",), "glossary": ("in_force",), "booklet": ("completed", "ongoing"),
    "stakeholder": ("ongoing", "completed", "unknown"),
    "practice": ("ongoing",),
    "document": ("completed", "ongoing", "planned"),
}
MEMBERSHIP_ROLES = ("member", "member", "observer", "chair", "secretariat")
ISSUER_ROLE = ("issuer",)  # the first role of every resolution's issuer
LEVELS: dict[str, tuple[str, ...]] = {  # levels per type; lessons and glossary terms take any level
    "stakeholder": ("national", "regional", "regional", "local"),  # when its category has no level below
    "resolution": ("regional", "regional", "national", "local"),
    "workshop": ("regional", "local", "national"),
    "booklet": ("regional", "local"),
    "practice": ("regional",),
    "document": ("regional", "national"),
}
# Relations whose meaning (`means` in relations.yaml) sets rules that random links would break:
# dated chains (modifies, repeals, sequence) and circles (acyclic). The generator never uses them.
UNSAFE_MEANINGS = frozenset({"modifies", "repeals", "acyclic", "sequence"})
EVIDENCE = "evidence"  # the meaning of the relation every lesson gets (graph rule: lessons need evidence)
LIFECYCLE = ("proposed", "submitted", "approved", "signed", "published", "in_force", "modified", "repealed")
ID_PREFIX = {"regional_executive_resolution": "rer", "presidential_resolution": "rp",
             "regional_ordinance": "ro", "ordinance_proposal": "po", "declaration": "declaracion",
             "agreement": "acuerdo", "social_pact": "pacto"}
CATEGORY_NAMES: dict[str, tuple[str, str]] = {  # "{}" is a place or a subject
    "regional_government": ("Gobierno Regional de {}", "Regional Government of {}"),
    "national_government": ("Ministerio de {}", "Ministry of {}"),
    "government_office": ("Gerencia de {}", "Office of {}"),
    "indigenous_federation": ("Federación Nativa de {}", "Native Federation of {}"),
    "ngo": ("Asociación para {}", "Association for {}"),
    "company": ("Empresa Forestal {}", "{} Forestry Company"),
    "university": ("Universidad de {}", "University of {}"),
    "donor_cooperation": ("Cooperación para {}", "Cooperation for {}"),
    "multistakeholder_platform": ("Mesa de {}", "Roundtable on {}"),
    "commission": ("Comisión de {}", "Commission on {}"),
    "secretariat": ("Secretaría Técnica de {}", "Technical Secretariat of {}"),
    "program": ("Programa de {}", "Program on {}"),
    "fund": ("Fondo de {}", "Fund for {}"),
    "standard": ("Estándar de {}", "Standard for {}"),
    "initiative": ("Iniciativa de {}", "Initiative on {}"),
    "consortium": ("Consorcio de {}", "Consortium on {}"),
    "international_organization": ("Organización Internacional de {}", "International Organization for {}"),
}
CATEGORY_LEVELS = {"regional_government": "regional", "national_government": "national",
                   "international_organization": "international", "indigenous_federation": "regional"}
EVENT_TITLES = {"es": "{kind} sobre {topic} en {place}", "en": "{kind} on {topic} in {place}"}
LESSON_TITLES = {"es": "{kind}: {topic} en el nivel {level}", "en": "{kind}: {topic} at the {level} level"}

KB_YAML = """\
# The configuration of a synthetic knowledge base written by kb_bench.corpus (seed {seed}).
site:
  title:
    es: Corpus sintético de experiencias
    en: Synthetic experience corpus
  organization:
    es: Plataforma Regional de Ejemplo
    en: Example Regional Platform
  base_url: https://kb.example.org/
languages: [es, en]
default_language: es
vocabularies: vocabularies
build_dir: ../build
"""
