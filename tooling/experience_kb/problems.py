"""Validation findings as data: `Problem`, its stable `Code`, and the `Report` that collects them.

Codes are part of the public contract: tools, CI annotations and tests match on them, so a code
is never renamed or reused. Each member's docstring is its documentation; `docs/problems.md` is
generated from it (see `code_table`).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from pathlib import Path


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(str, enum.Enum):
    """Stable problem codes. The docstring of each member documents it."""

    def __new__(cls, value: str, severity: Severity, doc: str) -> "Code":
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.__doc__ = doc
        return member

    # -- files -------------------------------------------------------------------------
    EMPTY_FILE = ("empty-file", Severity.ERROR, "The file is empty. A record needs front matter and a body.")
    BINARY_FILE = ("binary-file", Severity.ERROR, "The file holds binary data (a NUL byte), not text.")
    NOT_UTF8 = ("not-utf8", Severity.ERROR, "The file is not valid UTF-8 text. Save it as UTF-8.")
    FILE_TOO_LARGE = ("file-too-large", Severity.ERROR, "The file is larger than the limit for a record (1 MB).")
    NOT_A_FILE = ("not-a-file", Severity.ERROR, "A directory or other non-file is named like a record.")
    BAD_FILENAME = ("bad-filename", Severity.ERROR,
                    "A Markdown file whose name is not `<id>.<lang>.md` with a configured language.")
    STRAY_FILE = ("stray-file", Severity.WARNING,
                  "A Markdown file outside every collection folder, so it is neither checked nor published.")
    UNREADABLE = ("unreadable", Severity.ERROR, "The file could not be read (permissions or I/O error).")
    LINK_OUTSIDE = ("link-outside", Severity.ERROR,
                    "A symbolic link that points outside the knowledge base; records are read only from inside it.")
    # -- front matter ------------------------------------------------------------------
    NO_FRONT_MATTER = ("no-front-matter", Severity.ERROR,
                       "The file does not start with a `---` line, or the closing `---` is missing.")
    YAML_SYNTAX = ("yaml-syntax", Severity.ERROR, "The front matter is not valid YAML; the line and column are given.")
    DUPLICATE_KEY = ("duplicate-key", Severity.ERROR, "The same key appears twice in one mapping; YAML would keep only one.")
    NOT_A_MAPPING = ("not-a-mapping", Severity.ERROR, "The front matter is a list or a scalar, not a mapping of fields.")
    YAML_ALIAS = ("yaml-alias", Severity.ERROR,
                  "The front matter uses a YAML anchor (&name) or alias (*name). Records never need them, and "
                  "aliases can make a tiny file expand without bound; write the value out.")
    TOO_DEEP = ("too-deep", Severity.ERROR,
                "The front matter nests lists or mappings deeper than any record needs (more than 32 levels).")
    CONTROL_CHARACTER = ("control-character", Severity.ERROR,
                         "A text field holds a control character (NUL, escape, a form feed…) that no reader can see "
                         "and that breaks exports; delete it.")
    UNSAFE_HTML = ("unsafe-html", Severity.ERROR,
                   "The body or a field holds HTML or a link that could run code or load content in a reader's "
                   "browser (script, iframe, object, embed, form, style, event handlers, javascript:, vbscript: "
                   "or data: links). Use Markdown.")
    UNSAFE_DIRECTIVE = ("unsafe-directive", Severity.ERROR,
                        "The body uses a MyST directive or role that inserts raw HTML or reads a file "
                        "({raw}, {include}, {literalinclude}, {eval-rst} with raw or include). Records are "
                        "published as written; paste the content as Markdown instead.")
    # -- schema ------------------------------------------------------------------------
    UNKNOWN_TYPE = ("unknown-type", Severity.ERROR,
                    "`type` is missing, unknown, or does not match the collection folder the file is in.")
    SCHEMA = ("schema", Severity.ERROR,
              "A field breaks the type's JSON Schema: a required field is missing, or a value has the wrong type or form.")
    UNKNOWN_FIELD = ("unknown-field", Severity.ERROR, "A field that the type's schema does not define; often a typo.")
    ID_MISMATCH = ("id-mismatch", Severity.ERROR, "`id` differs from the file name without `.<lang>.md`.")
    DUPLICATE_ID = ("duplicate-id", Severity.ERROR, "Two records in different files share one id.")
    # -- references and vocabularies ----------------------------------------------------
    UNKNOWN_REFERENCE = ("unknown-reference", Severity.ERROR, "A link names a record id that does not exist.")
    WRONG_REFERENCE_TYPE = ("wrong-reference-type", Severity.ERROR,
                            "A link names an existing record of the wrong type, e.g. a workshop where a stakeholder is expected.")
    UNKNOWN_STAKEHOLDER = ("unknown-stakeholder", Severity.ERROR, "A stakeholder id that no stakeholder record has.")
    UNKNOWN_TAG = ("unknown-tag", Severity.ERROR, "A tag that is not in the tags vocabulary.")
    UNKNOWN_ROLE = ("unknown-role", Severity.ERROR, "A stakeholder role that is not in the roles vocabulary.")
    UNKNOWN_RELATION = ("unknown-relation", Severity.ERROR, "A relation that is not in the relations vocabulary.")
    UNKNOWN_VALUE = ("unknown-value", Severity.ERROR, "A value outside its controlled vocabulary (levels, categories, kinds…).")
    # -- dates -------------------------------------------------------------------------
    INVALID_DATE = ("invalid-date", Severity.ERROR, "A date that does not exist on the calendar, e.g. 2012-02-30.")
    DATE_ORDER = ("date-order", Severity.ERROR, "An end date before its start date.")
    # -- translations ------------------------------------------------------------------
    TRANSLATION_MISMATCH = ("translation-mismatch", Severity.ERROR,
                            "A language-neutral field (dates, numbers, links, tags…) differs between the language files.")
    MISSING_TRANSLATION = ("missing-translation", Severity.WARNING, "A record exists in only some of the configured languages.")
    # -- graph consistency --------------------------------------------------------------
    MODIFIES_LATER = ("modifies-later", Severity.ERROR,
                      "An instrument modifies or repeals one that is dated after it.")
    RELATION_CYCLE = ("relation-cycle", Severity.ERROR, "Records modify, repeal or are part of each other in a circle.")
    MEMBERSHIP_DATES = ("membership-dates", Severity.ERROR,
                        "A membership dated before its organization was founded or after it was dissolved.")
    MILESTONE_ORDER = ("milestone-order", Severity.ERROR,
                       "A milestone 'follows' another milestone on its track that is dated after it.")
    PROPOSAL_MODIFIES = ("proposal-modifies", Severity.ERROR,
                         "A proposal or planned instrument (a status or kind that binds nothing) says it modifies "
                         "or repeals another; until adopted it only would: use the relation would_modify.")
    ORPHAN = ("orphan", Severity.WARNING, "A record that no other record links to and that links to nothing.")
    NO_EVIDENCE = ("no-evidence", Severity.WARNING, "A lesson with no 'evidence' link to the records that show it.")
    # -- booklets ----------------------------------------------------------------------
    EMPTY_SELECTION = ("empty-selection", Severity.ERROR,
                       "A booklet's `select` matches no record: check its types, tags, stakeholders and dates.")
    SELECTED_TWICE = ("selected-twice", Severity.ERROR,
                      "A booklet lists the same record twice in `contents`; a chapter appears once.")
    BOOKLET_IMAGE = ("booklet-image", Severity.ERROR,
                     "A booklet's `cover_image` names no image file inside the knowledge base.")
    BOOKLET_FAILED = ("booklet-failed", Severity.ERROR,
                      "pandoc or typst could not make a booklet; the message says why and what it came from (a "
                      "chapter's record and file, a glossary entry, the introduction…). The booklet's previous file "
                      "is kept.")
    HARD_TO_READ = ("hard-to-read", Severity.WARNING,
                    "A booklet for grassroots or indigenous readers (an audience meaning plain-language) reads harder "
                    "than 'normal': INFLESZ under 55 in Spanish, Flesch reading ease under 60 in English, the same "
                    "measure as `kb stats`. Shorten sentences and use everyday words.")
    # -- plain language ----------------------------------------------------------------
    LONG_SENTENCE = ("long-sentence", Severity.WARNING,
                     "A summary sentence of more than 30 words. Summaries are read by everyone, often aloud in "
                     "workshops: split it into two or three plain sentences.")
    # -- site --------------------------------------------------------------------------
    SITE = ("site", Severity.WARNING,
            "Sphinx, MyST or the site's extension warned while building a page (a heading level skipped, a "
            "directive used where it has no data…). The message ends with the warning's own type, e.g. "
            "[myst.header], which `suppress_warnings` accepts.")
    IMAGE = ("image", Severity.WARNING,
             "An image in a record body. The site does not publish images from records (they could load content "
             "from elsewhere or read files of the build machine); it shows a link with the image's text instead.")
    SITE_FAILED = ("site-failed", Severity.ERROR,
                   "The site could not be built: Sphinx or Pagefind stopped with an error. The previous site is "
                   "left in place.")
    # -- configuration -----------------------------------------------------------------
    CONFIG = ("config", Severity.ERROR, "kb.yaml is missing a setting or has a wrong one.")
    VOCABULARY = ("vocabulary", Severity.ERROR, "A vocabulary file is missing or malformed.")


@dataclass(frozen=True, order=True)
class Problem:
    """One finding at one place. `line` and `column` are 1-based; 0 means "the whole file"."""

    path: str
    line: int
    column: int
    code: Code = field(compare=False)
    message: str = field(compare=False)
    severity: Severity = field(compare=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", self.code.severity)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["code"] = self.code.value
        data["severity"] = self.severity.value
        return data


def problem(code: Code, path: str | Path, line: int = 0, column: int = 0, message: str = "") -> Problem:
    return Problem(str(path), line, column, code, message or (code.__doc__ or ""))


@dataclass(frozen=True)
class StepStats:
    """One step of a validation run: how long it took and how many problems it found."""

    name: str
    seconds: float
    problems: int


@dataclass
class Report:
    """Every finding of one run, plus how much was checked and how long each step took."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    records_checked: int = 0
    steps: list[StepStats] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No errors (warnings allowed)."""
        return not self.errors

    @property
    def stats(self) -> dict:
        """Counts and timings, as frictionless reports give them."""
        return {"errors": len(self.errors), "warnings": len(self.warnings), "files": self.files_checked,
                "records": self.records_checked, "seconds": round(sum(s.seconds for s in self.steps), 4),
                "steps": {s.name: {"seconds": round(s.seconds, 4), "problems": s.problems} for s in self.steps}}

    def as_dict(self) -> dict:
        """The report as JSON data: every problem, a summary of counts, and each step's figures."""
        return {"problems": [p.as_dict() for p in self.sorted()],
                "summary": {"errors": len(self.errors), "warnings": len(self.warnings),
                            "files": self.files_checked, "records": self.records_checked},
                "steps": self.stats["steps"]}

    def add(self, item: Problem) -> None:
        self.problems.append(item)

    def extend(self, items) -> None:
        self.problems.extend(items)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean (warnings allowed unless strict), 1 when there are problems."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def code_table() -> str:
    """The Markdown table of every code, for docs/problems.md."""
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    for code in Code:
        rows.append(f"| `{code.value}` | {code.severity.value} | {code.__doc__} |")
    return "\n".join(rows) + "\n"
