"""Consistency rules that need the graph: dated chains, cycles, memberships, orphans, evidence.

Each rule takes the `KnowledgeBase` and its `KnowledgeGraph` and yields `Problem`s at the line
of the field that makes the edge (the graph keeps each edge's file and field path).
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from typing import TYPE_CHECKING

from ..problems import Code, Problem, problem
from ..records import dates
from ..records.model import KnowledgeBase

if TYPE_CHECKING:  # networkx is imported only when the graph is built
    from ..graph import KnowledgeGraph

GraphRule = Callable[[KnowledgeBase, "KnowledgeGraph"], Iterable[Problem]]


def _at(kb: KnowledgeBase, node: str, field: tuple) -> tuple[str, int, int]:
    record = kb.get(node)
    return (record.display, *record.locate(field))


def _date(kg: KnowledgeGraph, node: str):
    value = kg.node_date(node)
    return value if dates.usable(value) else None


def modifies_later(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """An instrument cannot modify or repeal one that comes after it (relations that mean
    `modifies` or `repeals` in the vocabulary)."""
    acting = set(kg.relation_names("modifies")) | set(kg.relation_names("repeals"))
    for src, dst, data in kg.edges("relation"):
        if data["name"] not in acting:
            continue
        mine, theirs = _date(kg, src), _date(kg, dst)
        if mine and theirs and dates.surely_before(mine, theirs):
            yield problem(Code.MODIFIES_LATER, *_at(kb, src, data["field"]),
                          f"'{src}' ({mine}) {data['name']} '{dst}', which is dated later ({theirs}); "
                          f"an instrument can only modify or repeal one that came before it")


def proposals_that_modify(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """A record that binds nothing (a proposal, something planned) cannot modify or repeal: the
    page of the instrument would say "Modified by" a text that was never adopted."""
    acting = set(kg.relation_names("modifies")) | set(kg.relation_names("repeals"))
    instead = ", ".join(kb.vocabularies.meaning("relations", "would-modify")) or "another relation"
    for src, dst, data in kg.edges("relation"):
        if data["name"] in acting and kg.only_proposed(src):
            yield problem(Code.PROPOSAL_MODIFIES, *_at(kb, src, data["field"]),
                          f"'{src}' is a proposal or only planned: it binds nothing, so it cannot stand as "
                          f"'{data['name']}' of '{dst}'; use relation: {instead}")


def relation_cycles(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """Relations that mean `acyclic` (modifies, repeals, part of) never run in a circle.
    Reported once, at the cycle's first edge."""
    for cycle in kg.cycles(set(kg.relation_names("acyclic"))):
        start = min(range(len(cycle)), key=lambda index: cycle[index][0])
        cycle = cycle[start:] + cycle[:start]
        first = cycle[0]
        chain = " → ".join(f"{src} ({data['name']})" for src, _, data in cycle) + f" → {cycle[0][0]}"
        yield problem(Code.RELATION_CYCLE, *_at(kb, first[0], first[2]["field"]),
                      f"these records form a circle: {chain}; remove one of the links")


def membership_dates(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """A membership lies within its organization's founding and dissolution dates."""
    for src, dst, data in kg.edges("member_of"):
        organization = kb.get(dst).meta
        founded, dissolved = organization.get("founding_date"), organization.get("dissolution_date")
        start, end = data.get("start_date"), data.get("end_date")
        field = data["field"][:-1]
        if dates.usable(start) and dates.usable(founded) and dates.surely_before(start, founded):
            yield problem(Code.MEMBERSHIP_DATES, *_at(kb, src, field + ("start_date",)),
                          f"membership of '{dst}' starts {start}, before '{dst}' was founded ({founded})")
        elif dates.usable(end or start) and dates.usable(dissolved) and dates.surely_before(dissolved, end or start):
            yield problem(Code.MEMBERSHIP_DATES, *_at(kb, src, field + ("end_date" if end else "start_date",)),
                          f"membership of '{dst}' runs to {end or start}, after '{dst}' was dissolved ({dissolved})")


def milestone_order(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """A milestone that follows another milestone of its track (a relation that means
    `sequence`) is not dated before it."""
    sequence = set(kg.relation_names("sequence"))
    for src, dst, data in kg.edges("relation"):
        if data["name"] not in sequence or kg.node_type(src) != "milestone" or kg.node_type(dst) != "milestone":
            continue
        if kb.get(src).meta.get("track") != kb.get(dst).meta.get("track"):
            continue
        mine, theirs = _date(kg, src), _date(kg, dst)
        if mine and theirs and dates.surely_before(mine, theirs):
            yield problem(Code.MILESTONE_ORDER, *_at(kb, src, data["field"]),
                          f"'{src}' ({mine}) {data['name']} '{dst}', which is dated later ({theirs}) on the same track")


def orphans(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """A record with no link in or out (tags aside) is hard to find; a warning."""
    for record_id, versions in kb.by_id.items():
        if record_id in kg and kg.degree(record_id) == 0:
            record = versions.get(kb.config.default_language) or next(iter(versions.values()))
            yield problem(Code.ORPHAN, record.display, *record.locate(("id",)),
                          f"'{record_id}' links to no record and no record links to it; add stakeholders or related links")


def lessons_without_evidence(kb: KnowledgeBase, kg: KnowledgeGraph) -> Iterator[Problem]:
    """A lesson with no link whose relation means `evidence`; a warning."""
    evidence = set(kg.relation_names("evidence"))
    for record_id in kb.of_type("lesson"):
        if not any(d["name"] in evidence for _, _, d in kg.out_edges(record_id, "relation")):
            record = kb.get(record_id)
            yield problem(Code.NO_EVIDENCE, record.display, *record.locate(("lesson_kind",)),
                          f"lesson '{record_id}' has no evidence: add related: [{{id: …, relation: evidence}}] "
                          f"pointing at the records that show it")


GRAPH_RULES: tuple[GraphRule, ...] = (modifies_later, proposals_that_modify, relation_cycles, membership_dates, milestone_order,
                                      orphans, lessons_without_evidence)


def run(kb: KnowledgeBase, kg: KnowledgeGraph, rules: Iterable[GraphRule] = GRAPH_RULES) -> list[Problem]:
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(rule(kb, kg))
    return problems
