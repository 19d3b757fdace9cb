"""experience_kb: a docs-as-code knowledge system for systematized experience.

Records are Markdown files with YAML front matter in a knowledge base folder (`kb/`). The
library validates them, and later stages cross-link, index and publish them. The `kb` command
(`experience_kb.cli`) is a thin layer over the functions exported here.
"""

__version__ = "0.1.0"
