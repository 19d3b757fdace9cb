"""RECORDS: files -> a `KnowledgeBase` of plain-data `Record`s.

`frontmatter` reads and parses one file safely, `schema` compiles the JSON Schemas' annotations,
`messages` turns schema errors into plain language, `vocabularies` holds controlled values and
their labels, `dates` handles partial dates, `model` is the data, `loader` discovers and parses
files, `cache` keeps per-file results by content hash, and `stats` counts what was loaded.
"""
