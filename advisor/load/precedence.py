"""Precedence between advice rules: `outranks:` and `contradicts:` name advice rules that exist, and
the outranks order has no cycle."""
from __future__ import annotations

from typing import Mapping

from ..errors import Diagnostic, suggest
from ..model import Rule
from .source import Node


def check_outranks(rules: list[Rule], nodes: Mapping[str, Node], problems: list[Diagnostic]) -> None:
    """`outranks: [rule ids]` names advice rules that exist, and the precedence has no cycle."""
    advising = {r.id for r in rules if r.advice is not None}
    edges: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        if not rule.outranks:
            continue
        node = nodes[rule.id].value["outranks"]
        items = node.value if node.is_seq() else [node]
        if rule.advice is None:
            problems.append(node.at(f"rule '{rule.id}' gives no advice, so it cannot outrank another", "E035",
                                    "outranks orders advice; remove it or add advice"))
            continue
        for item, target in zip(items, rule.outranks, strict=False):
            if target == rule.id or target not in advising:
                why = "itself" if target == rule.id else f"'{target}', which is not an advice rule"
                problems.append(item.at(f"rule '{rule.id}' outranks {why}", "E035",
                                        suggest(target, tuple(advising)) or "name the id of a rule that gives advice"))
        edges[rule.id] = tuple(t for t in rule.outranks if t in advising and t != rule.id)
    for rule in rules:
        if not rule.contradicts:
            continue
        node = nodes[rule.id].value["contradicts"]
        items = node.value if node.is_seq() else [node]
        for item, target in zip(items, rule.contradicts, strict=False):
            if target == rule.id or target not in advising:
                why = "itself" if target == rule.id else f"'{target}', which is not an advice rule"
                problems.append(item.at(f"rule '{rule.id}' contradicts {why}", "E035",
                                        suggest(target, tuple(advising)) or "name the id of a rule that gives advice"))
    state: dict[str, int] = {}

    def visit(rid: str, path: tuple[str, ...]) -> None:
        if state.get(rid) == 2:
            return
        if state.get(rid) == 1:
            cycle = " → ".join(path[path.index(rid):] + (rid,))
            node = nodes[rid].value["outranks"]
            problems.append(node.at(f"precedence goes round in a circle: {cycle}", "E036",
                                    "remove one of these outranks entries"))
            return
        state[rid] = 1
        for target in edges.get(rid, ()):
            visit(target, path + (rid,))
        state[rid] = 2

    for rid in sorted(edges):
        visit(rid, ())
