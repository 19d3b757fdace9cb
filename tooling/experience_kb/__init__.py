"""experience_kb: a docs-as-code knowledge system for systematized experience.

Records are Markdown files with YAML front matter in a knowledge base folder (`kb/`). The
packages follow the pipeline, data flowing one way: `records` loads them, `checks` validates
them, `graph` cross-links them and exports open data, `search` indexes and queries them, and
`pipeline` runs the stages of `kb build`. A `project.Project` loads one knowledge base once
for all of them. `console` presents results as text, and `cli` (the `kb` command, the only
click user) parses options, makes one library call and sets the exit code.
"""

__version__ = "0.1.0"
