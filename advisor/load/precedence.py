"""Precedence between advice rules: `outranks:` and `contradicts:` name advice rules that exist, and
the outranks order has no cycle."""
from __future__ import annotations

from typing import Mapping

from ..errors import Diagnostic, suggest
from ..i18n import said
from ..model import Rule
from .source import Node

_NAME_ADVICE = said("写一条给出建议的规则的 id", "name the id of a rule that gives advice")


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
            problems.append(node.at(said(f"规则 '{rule.id}' 不给出建议，所以不能排在别的规则前面",
                                         f"rule '{rule.id}' gives no advice, so it cannot outrank another"), "E035",
                                    said("outranks 用来排列建议的先后；删掉它，或者给这条规则加上建议",
                                         "outranks orders advice; remove it or add advice")))
            continue
        for item, target in zip(items, rule.outranks, strict=False):
            if target == rule.id or target not in advising:
                why = said("它自己", "itself") if target == rule.id else said(
                    f"'{target}'（它不是给出建议的规则）", f"'{target}', which is not an advice rule")
                problems.append(item.at(said(f"规则 '{rule.id}' 声明排在{why.zh}之前",
                                             f"rule '{rule.id}' outranks {why}"), "E035",
                                        suggest(target, tuple(advising)) or _NAME_ADVICE))
        edges[rule.id] = tuple(t for t in rule.outranks if t in advising and t != rule.id)
    for rule in rules:
        if not rule.contradicts:
            continue
        node = nodes[rule.id].value["contradicts"]
        items = node.value if node.is_seq() else [node]
        for item, target in zip(items, rule.contradicts, strict=False):
            if target == rule.id or target not in advising:
                why = said("它自己", "itself") if target == rule.id else said(
                    f"'{target}'（它不是给出建议的规则）", f"'{target}', which is not an advice rule")
                problems.append(item.at(said(f"规则 '{rule.id}' 声明与{why.zh}相矛盾",
                                             f"rule '{rule.id}' contradicts {why}"), "E035",
                                        suggest(target, tuple(advising)) or _NAME_ADVICE))
    state: dict[str, int] = {}

    def visit(rid: str, path: tuple[str, ...]) -> None:
        if state.get(rid) == 2:
            return
        if state.get(rid) == 1:
            cycle = " → ".join(path[path.index(rid):] + (rid,))
            node = nodes[rid].value["outranks"]
            problems.append(node.at(said(f"先后顺序绕成了一个圈：{cycle}", f"precedence goes round in a circle: {cycle}"),
                                    "E036", said("删掉其中一条 outranks", "remove one of these outranks entries")))
            return
        state[rid] = 1
        for target in edges.get(rid, ()):
            visit(target, path + (rid,))
        state[rid] = 2

    for rid in sorted(edges):
        visit(rid, ())
