"""The interface catalogs: current with the code, complete in every language but English (whose
messages are the message ids), and with the same {placeholders} as their message ids."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from experience_kb import i18n

PLACEHOLDER = re.compile(r"\{(\w*)\}")
LANGUAGES = i18n.languages()


def catalog(lang: str, domain: str = "kb"):
    with open(i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po", "rb") as stream:
        return read_po(stream, locale=lang)


def test_catalogs_hold_exactly_the_messages_of_the_code():
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in i18n.extract() if m.id}
    assert len(extracted) > 50
    for lang in LANGUAGES:
        found = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
        assert found == extracted, (f"{lang}/kb.po is not current: missing {sorted(extracted - found)[:5]}, "
                                    f"obsolete {sorted(found - extracted)[:5]}; run `make docs`")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
@pytest.mark.parametrize("domain", ["kb", "sphinx"])
def test_every_message_is_translated_with_its_placeholders(lang, domain):
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if domain == "sphinx" and not path.exists():
        pytest.fail(f"{path} is missing: the theme's and Sphinx's untranslated strings need it")
    for message in catalog(lang, domain):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{lang}/{domain}.po: {ids[0]!r} is not translated"
        assert not message.fuzzy, f"{lang}/{domain}.po: {ids[0]!r} is fuzzy"
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, f"{lang}: {ids[0]!r} -> {text!r} changes placeholders"


def test_catalogs_compile_into_the_build_and_translate(tmp_path):
    compiled = i18n.compile_catalogs(tmp_path / "locale")
    assert not list(i18n.LOCALE_DIR.rglob("*.mo")), "compiled catalogs must not land in the source tree"
    spanish = i18n.translator("es", compiled)
    assert spanish.gettext("Related records") != "Related records"
    assert "2" in spanish.ngettext("{count} record.", "{count} records.", 2).format(count=2)
    assert i18n.translator("es", compiled, "sphinx").gettext("Link to this heading") != "Link to this heading"
    # a language without a catalog shows English
    assert i18n.translator("pt", compiled).gettext("Related records") == "Related records"
