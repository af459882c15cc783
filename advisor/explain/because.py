"""Explain stage: a rule's `because` lines, the conditions of its why-tree (explain/tree.py) that held.

Each line is a condition that held, as the tree words it: the value seen (with the loan it was about) and
the threshold; a derived fact names the rule it came from; a fact that had to be absent, or a `no` over the
loans, says so. The leaves are worded by the tree's own `leaf_text`; nothing else is worded here but those
three phrases.

`because(tree)` defines the lines: a flattening of the tree. `held(trees, rule)` gives the same lines
without building the tree: it walks the rule's conditions, compiled once per rule set into one function
per condition that is called only where the condition held (a test checks both agree on every shipped
case and on random cases). Every run needs the lines; only an explanation needs the tree.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..expr import ast
from ..i18n import t
from ..model import Rule
from ..report import Step
from .index import RuleIndex
from .tree import SHOWN_LOANS, Trees

# Appends the lines of a condition that held (for one loan, inside a quantifier).
Emit = Callable[[Trees, "Mapping[str, Any] | None", list[str]], None]


def because(tree: Step, lang: str) -> tuple[str, ...]:
    """The leaves of a rule's why-tree that held, in the tree's order, each once."""
    lines: list[str] = []
    for child in tree.children:
        _held(child, lang, lines)
    return tuple(dict.fromkeys(lines))


def _held(step: Step, lang: str, out: list[str]) -> None:
    if step.holds is not True:
        return
    if step.kind == "rule":                                   # a derived fact, and the rule that derived it
        out.append(t("because.derived", lang, name=step.name, rule=step.rule))
    elif step.kind == "no":
        out.append(t("because.no_loan", lang, text=step.name))
    elif step.kind == "not" and step.children and step.children[0].kind == "rule":
        out.append(t("because.absent", lang, name=step.children[0].name))
    elif step.kind == "not" and step.children and step.children[0].kind == "check" and step.children[0].name:
        out.append(step.children[0].text)                     # `not x`: x with its value (false)
    elif step.kind == "any":
        for child in step.children:                           # each loan that did (and how many more did)
            if child.kind == "value":
                out.append(child.text)
            else:
                _held(child, lang, out)
    elif step.kind in ("and", "or") or any(c.kind != "value" for c in step.children) and step.kind != "not":
        for child in step.children:                           # the parts that held, or the loan's condition
            _held(child, lang, out)
    else:
        out.append(step.text)                                 # a comparison with its values, or a `not`


def held(trees: Trees, rule_id: str) -> tuple[str, ...]:
    """`because(trees.why(rule_id), lang)`, without building the tree."""
    index = trees.index
    rule = index.by_id[rule_id]
    emits = index.emits.get(rule_id)
    if emits is None:
        parts, _, _ = index.head(rule, trees.lang)
        emits = index.emits[rule_id] = tuple((index.truth(part), _emitter(part, rule, index)) for part in parts)
    outer = trees.facts
    trees.facts = facts = trees.engine_facts if rule_id in trees.fired else trees.open_facts
    lines: list[str] = []
    try:
        for truth, emit in emits:
            if truth(facts, None) is True:
                emit(trees, None, lines)
    finally:
        trees.facts = outer
    return tuple(dict.fromkeys(lines))


def _emitter(node: ast.Expr, rule: Rule, index: RuleIndex) -> Emit:
    """The lines of `node`, for a run where it held: what `_held` reads of the tree `Trees.check` builds."""
    if isinstance(node, ast.BoolOp):
        items = tuple((index.truth(item), _emitter(item, rule, index)) for item in node.items)

        def boolean(trees: Trees, loan: Mapping[str, Any] | None, out: list[str]) -> None:
            for truth, emit in items:                         # the parts that held
                if truth(trees.facts, loan) is True:
                    emit(trees, loan, out)
        return boolean
    if isinstance(node, ast.Not):
        operand = node.operand
        if isinstance(operand, ast.Ref) and operand.kind == "derived":
            key = operand.key
            return lambda trees, loan, out: out.append(t("because.absent", trees.lang, name=key))
        if isinstance(operand, ast.Ref):                      # `not x`: x with its value (false)
            return lambda trees, loan, out: out.append(trees.leaf_text(operand, loan, False))
        text = index.text(rule, node)
        return lambda trees, loan, out: out.append(text)
    if isinstance(node, ast.Quant):
        body = index.text(rule, node.body)
        if node.kind == "no":
            return lambda trees, loan, out: out.append(t("because.no_loan", trees.lang, text=body))
        truth, emit = index.truth(node.body), _emitter(node.body, rule, index)

        def each(trees: Trees, loan: Mapping[str, Any] | None, out: list[str]) -> None:
            facts = trees.facts
            matched = [one for one in facts.loans if truth(facts, one) is True]
            for one in matched[:SHOWN_LOANS]:                 # each loan that did, and how many more did
                emit(trees, one, out)
            if len(matched) > SHOWN_LOANS:
                out.append(t("why.more_loans", trees.lang, more=len(matched) - SHOWN_LOANS))
        return each
    if isinstance(node, ast.Ref) and node.kind == "derived":
        key = node.key
        return lambda trees, loan, out: out.append(t("because.derived", trees.lang, name=key,
                                                     rule=trees.derived_by[key]))
    return lambda trees, loan, out: out.append(trees.leaf_text(node, loan, True))
