"""Explain stage: how a leaf of a why-tree is worded, compiled once per condition.

A leaf is a comparison, a choice, a known/unknown test or a yes/no fact; its words name each figure (with
the loan it is about) and show its value with its unit: `loan[某小贷].days_to_due = 5 天 <= 7 天
(params.contact_days_before_due)`. Which side is named, which is shown and how, is decided once per
condition; only the values are read for each case (explain/tree.py `Trees.shown`, kept per case). The tree
and the `because` lines (explain/because.py) take their leaves' words from here: one wording.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ..expr import ast
from ..i18n import t


class Values(Protocol):
    """What the words read of one run (explain/tree.py `Trees`): its language and each value as shown."""

    lang: str

    def shown(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> str: ...


Words = Callable[[Values, Any], str]           # (the trees of one run, the loan or None) -> the leaf's words
_LITERALS = (ast.Num, ast.Str, ast.Bool, ast.Date)


def leaf(node: ast.Expr, holds: bool) -> Words:
    """The words of a leaf, for a run where it held (`holds`) or did not."""
    if isinstance(node, ast.Compare):
        return _comparison(node, holds)
    if isinstance(node, ast.In):
        item = node.item
        assert isinstance(item, ast.Ref)
        named, choices = name(item), ", ".join(f"'{c.value}'" for c in node.choices)
        key = "why.not_in" if node.negated else "why.in"
        return lambda trees, loan: (f"{named(loan)} = {trees.shown(item, loan)} {t(key, trees.lang)} "
                                    f"[{choices}]")
    if isinstance(node, ast.Known):
        ref = node.ref
        assert isinstance(ref, ast.Ref)
        named, key = name(ref), "why.is_known" if node.known else "why.is_unknown"
        return lambda trees, loan: t(key, trees.lang, name=named(loan))
    assert isinstance(node, ast.Ref), node     # the checker admits no other leaf
    return _equals(node)


def name(ref: ast.Ref) -> Callable[[Any], str]:
    """A figure's name as a reader finds it: `loan[某小贷].days_to_due`, `monthly_income`, `params.x`."""
    if ref.kind == "loan":
        field, bare = ref.name.removeprefix("loan."), ref.name
        return lambda loan: bare if loan is None else f"loan[{loan.get('name')}].{field}"
    fixed = ref.name if ref.kind != "param" else f"params.{ref.name}"
    return lambda loan: fixed


def _equals(ref: ast.Ref) -> Words:
    named = name(ref)
    return lambda trees, loan: f"{named(loan)} = {trees.shown(ref, loan)}"


def _comparison(node: ast.Compare, holds: bool) -> Words:
    left, right, op = node.left, node.right, node.op
    if not (isinstance(left, ast.Ref) and left.kind in ("case", "loan")) and isinstance(right, ast.Ref):
        left, right, op = right, left, ast.FLIP[op]      # the case's figure first
    if holds and isinstance(left, ast.Ref) and (isinstance(right, ast.Bool) or (
            op == "==" and isinstance(right, (ast.Str, ast.Num, ast.Date)))):
        return _equals(left)                               # `x = value`, not `x = value == value`
    first, second = _side(left), _side(right)
    return lambda trees, loan: f"{first(trees, loan)} {op} {second(trees, loan)}"


def _side(node: ast.Expr) -> Words:
    if isinstance(node, ast.Ref) and node.kind in ("case", "loan"):
        return _equals(node)
    if isinstance(node, _LITERALS):
        return lambda trees, loan: trees.shown(node, loan)
    if isinstance(node, ast.Ref):
        named = name(node)
        return lambda trees, loan: f"{trees.shown(node, loan)} ({named(loan)})"
    text = source(node)
    return lambda trees, loan: f"{trees.shown(node, loan)} ({text})"


def source(node: ast.Expr) -> str:
    """A computed value's formula, as written in the rule."""
    if isinstance(node, ast.Ref):
        return node.name if node.kind != "param" else f"params.{node.name}"
    if isinstance(node, ast.Arith):
        return f"{source(node.left)} {node.op} {source(node.right)}"
    if isinstance(node, ast.Neg):
        return f"-{source(node.operand)}"
    return str(getattr(node, "value", "?"))
