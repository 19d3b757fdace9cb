"""The Sphinx configuration of one language's site, from the site data beside its MyST tree.

Both the generated `conf.py` of each assembled tree and the repository's `conf.py` call
`settings(folder)`. Safety settings live here and in the extension: raw HTML is off in MyST,
docutils may neither insert files nor raw output, and Sphinx's own search index is not built
(Pagefind replaces it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

THEME = Path(__file__).resolve().parent / "theme"


def source_folder() -> Path:
    """The assembled tree of the default language of the knowledge base found from here."""
    from .. import config

    found = config.load()
    return found.build_dir / ".site-work" / "src" / found.default_language


def settings(folder: str | os.PathLike) -> dict[str, Any]:
    """Every Sphinx setting of the tree in `folder`, which holds `site.json`."""
    data = json.loads((Path(folder) / "site.json").read_text(encoding="utf-8"))
    lang = data["lang"]
    build = data.get("build", {})
    return {
        "project": data["title"],
        "author": data["organization"],
        "copyright": "",  # the footer writes it from the content's year (see theme/page.html)
        "language": lang,
        "root_doc": "index",
        "extensions": ["myst_parser", "experience_kb.site.sphinx_ext"],
        "source_suffix": {".md": "markdown"},
        "exclude_patterns": ["site.json"],
        # MyST: no raw HTML at all; colon fences and definition lists for the page parts.
        "myst_disable_syntax": ["html_block", "html_inline"],
        "myst_enable_extensions": ["colon_fence", "deflist"],
        "myst_heading_anchors": 0,
        # The site has no global table of contents (see sphinx_ext.page_context): no page is
        # "included in a toctree", and that is the design, not a problem.
        "suppress_warnings": ["toc.not_included"],
        "myst_url_schemes": ["http", "https", "mailto", "tel"],
        # Theme: furo without the global navigation tree (it makes every page cost more as the
        # site grows; see sphinx_ext.page_context), with our own page template and styles.
        "html_theme": "furo",
        "html_title": data["title"],
        "html_short_title": data["title"],
        "html_baseurl": f"{data['base_url']}{lang}/",
        "templates_path": [str(THEME / "templates")],
        "html_static_path": [str(THEME / "static")],
        "html_css_files": ["kb.css"],
        "html_favicon": str(THEME / "static" / "favicon.svg"),
        "html_js_files": ["kb.js"],
        "html_sidebars": {"**": ["kb-brand.html", "kb-search.html", "sidebar/scroll-start.html",
                                 "kb-navigation.html", "sidebar/scroll-end.html"]},
        "html_theme_options": {"top_of_page_buttons": [], "navigation_with_keys": False,
                               "light_css_variables": {"color-brand-primary": "#1d5e3b",
                                                       "color-brand-content": "#1d5e3b"},
                               "dark_css_variables": {"color-brand-primary": "#7fd1a3",
                                                      "color-brand-content": "#7fd1a3"}},
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_use_index": False,
        "html_domain_indices": False,
        "html_show_sphinx": False,
        "html_last_updated_fmt": None,
        "html_permalinks_icon": "#",
        "html_context": {"kb_year": build.get("year", ""), "kb_organization": data["organization"]},
        # Interface strings: the project's catalogs, compiled into the build, come first.
        "locale_dirs": [build["locale"]] if build.get("locale") else [],
        "gettext_auto_build": False,
        "kb_site_data": str(Path(folder) / "site.json"),
    }
