"""Interface strings in the reader's language: gettext catalogs in `locale/<lang>/LC_MESSAGES/`.

- `kb.po`: the tool's own strings: the site's pages and templates, the booklets, the CLI.
- `sphinx.po`: strings of Sphinx and of the theme that their own catalogs leave untranslated or
  hard-code; found through Sphinx's `locale_dirs`, it takes precedence over their catalogs.

Catalogs are compiled (`.po` to `.mo`) into a folder of the build, never into the source tree.
A language without a catalog shows the English messages. `update_catalogs()` (run by
`make docs`) extracts every message of the code and templates and merges it into each `kb.po`,
so a new string shows up in every language's catalog, untranslated until someone translates it.
"""

from __future__ import annotations

import datetime
import gettext
import io
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
DOMAINS = ("kb", "sphinx")
# Where messages are: Python calls of these names, and jinja2 templates (MyST and HTML).
KEYWORDS = {"_": None, "kb_": None, "N_": None, "translate": None, "gettext": None, "n_": (1, 2),
            "ngettext": (1, 2)}
SOURCES = (("words.py", "python"), ("site/**.py", "python"), ("booklets/**.py", "python"), ("cli/**.py", "python"),
           ("site/templates/**.j2", "jinja2"), ("site/templates/**.html", "jinja2"),
           ("site/theme/templates/**.html", "jinja2"), ("booklets/templates/**", "jinja2"))


FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
HEADER = ("# Interface strings of experience_kb (the site, the booklets, the CLI).\n"
          "# Update with `make docs`; translate every msgstr; see docs/site.md.")


def N_(message: str) -> str:  # noqa: N802 (the gettext convention for "translate later")
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


def languages() -> list[str]:
    return sorted(path.name for path in LOCALE_DIR.iterdir() if (path / "LC_MESSAGES").is_dir())


def compile_catalogs(target: Path) -> Path:
    """Compile every catalog into `target/<lang>/LC_MESSAGES/<domain>.mo`; returns `target`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    if target.exists():
        shutil.rmtree(target)
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        out = target / po.relative_to(LOCALE_DIR).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(po, "rb") as source:
            catalog = read_po(source, locale=po.parts[-3])
        with open(out, "wb") as stream:
            write_mo(stream, catalog, use_fuzzy=False)
    return target


def translator(lang: str, compiled: Path, domain: str = "kb") -> gettext.NullTranslations:
    """The `domain` messages of `lang` (English where there is none)."""
    return gettext.translation(domain, localedir=str(compiled), languages=[lang], fallback=True)


def extract():
    """Every message of the code and templates, as a babel Catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="experience_kb", domain="kb", creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    method_map = [(pattern, method) for pattern, method in SOURCES]
    options = {pattern: {"extensions": "jinja2.ext.i18n", "trimmed": "true"} for pattern, method in SOURCES
               if method == "jinja2"}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map, options, keywords=KEYWORDS, comment_tags=("Translators:",)):
        if message:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update_catalogs(languages_: list[str] | None = None) -> list[Path]:
    """Merge the extracted messages into each language's kb.po. Returns the files written."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract()
    written = []
    for lang in languages_ or languages():
        path = LOCALE_DIR / lang / "LC_MESSAGES" / "kb.po"
        if path.exists():
            with open(path, "rb") as stream:
                catalog = read_po(stream, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="experience_kb", domain="kb", header_comment=HEADER)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.revision_date = FIXED_DATE  # no dates that change on every run: git keeps the history
        catalog.fuzzy = False
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False,
                 ignore_obsolete=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != buffer.getvalue():
            path.write_bytes(buffer.getvalue())
            written.append(path)
    return written
