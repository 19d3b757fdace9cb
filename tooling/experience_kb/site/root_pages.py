"""The pages at the root of the site, outside every language: the language chooser
(`index.html`), the not-found page that servers show for any missing address (`404.html`), and
the short links printed in booklets (`r/<code>/index.html`), each leading to a record's page in
one language.

Both are plain HTML from jinja2 with autoescape, styled inline, and work without JavaScript.
With JavaScript, the chooser follows the browser's language once per visit (sessionStorage
remembers that it did, so coming back to the chooser never loops).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from .. import i18n
from . import pages

TEMPLATES = Path(__file__).resolve().parent / "templates"


def write(out: Path, per_language: dict[str, dict[str, Any]], default: str, locale: Path) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    order = [default] + [lang for lang in per_language if lang != default]
    choices = []
    for lang in order:
        data = per_language[lang]
        _ = i18n.translator(lang, locale).gettext
        choices.append({"lang": lang, "name": data["labels"]["endonyms"].get(lang, lang), "title": data["title"],
                        "organization": data["organization"], "href": pages.url(lang, pages.HOME),
                        "enter": _("Enter the site in {language}").format(
                            language=data["labels"]["endonyms"].get(lang, lang)),
                        "missing": _("This page does not exist, or has moved."),
                        "home": _("Home"), "year": data["build"].get("year", "")})
    base_path = urlsplit(per_language[default]["base_url"]).path or "/"
    first = choices[0]
    for name, template, prefix in (("index.html", "root-index.html", ""), ("404.html", "root-404.html", base_path)):
        html = env.get_template(template).render(choices=choices, first=first, prefix=prefix,
                                                 languages=[c["lang"] for c in choices])
        (out / name).write_text(html, encoding="utf-8")
    short_links(env, out, per_language, locale)


def short_links(env: jinja2.Environment, out: Path, per_language: dict[str, dict[str, Any]], locale: Path) -> None:
    """`r/<code>/index.html` for every record page of every language: a redirect that works
    without JavaScript (meta refresh), with a link for browsers that do not follow it."""
    template = env.get_template("root-short.html")
    for lang, data in per_language.items():
        _ = i18n.translator(lang, locale).gettext
        going = _("This short link leads to:")
        for record in data["records"].values():  # every record has a page in every language
            target = pages.url(lang, record["doc"])
            folder = out / pages.short_url(record["short"])
            folder.mkdir(parents=True, exist_ok=True)
            html = template.render(lang=lang, title=data["pages"][record["doc"]]["title"], href="../../" + target,
                                   canonical=data["base_url"] + target, going=going)
            (folder / "index.html").write_text(html, encoding="utf-8")
