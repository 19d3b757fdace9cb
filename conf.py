"""The Sphinx configuration of the site, for people who run Sphinx by hand.

`kb build site` assembles one MyST tree per language into build/.site-work/src/<lang>/ and builds
each through the Sphinx API; every tree carries a generated conf.py that makes the same call as
this file. To build one language yourself after a `kb build site`:

    KB_SITE_SOURCE=build/.site-work/src/es sphinx-build -c . build/.site-work/src/es /tmp/site-es

Without KB_SITE_SOURCE, it is the tree of the knowledge base's default language. Everything
comes from the site package (experience_kb.site.conf): this file stays thin.
"""

import os

from experience_kb.site.conf import settings, source_folder

globals().update(settings(os.environ.get("KB_SITE_SOURCE") or source_folder()))
