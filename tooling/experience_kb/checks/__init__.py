"""CHECKS: a loaded knowledge base (and its graph) -> problems.

`record_rules` checks one record on its own, `rules` checks across records, `graph_rules`
checks the graph, and `validate` runs them all into a `Report`.
"""
