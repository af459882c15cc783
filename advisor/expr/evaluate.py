"""Reference evaluator: the meaning of a typed condition, in three-valued (Kleene) logic.

True, False, or None (unknown: a fact the case does not state). A rule fires only on True.
The compiled durable_rules patterns implement exactly this meaning; tests check they agree.
"""
from __future__ import annotations

import operator
from typing import Any, Mapping

from . import ast
from ..model import Facts

_CMP = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
        "==": operator.eq, "!=": operator.ne}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def value(node: ast.Expr, facts: Facts, loan: Mapping[str, Any] | None = None) -> Any:
    """A value expression's value, or None if it depends on an unknown fact."""
    if isinstance(node, (ast.Num, ast.Str, ast.Bool)):
        return node.value
    if isinstance(node, ast.Date):
        return node.value.toordinal()
    if isinstance(node, ast.Ref):
        if node.kind == "param":
            return facts.params.get(node.key)
        source = loan if node.kind == "loan" else facts.case
        return None if source is None else source.get(node.key)
    if isinstance(node, ast.Neg):
        inner = value(node.operand, facts, loan)
        return None if inner is None else -inner
    if isinstance(node, ast.Arith):
        left, right = value(node.left, facts, loan), value(node.right, facts, loan)
        if left is None or right is None or (node.op == "/" and right == 0):
            return None
        return _ARITH[node.op](left, right)
    raise TypeError(f"not a value: {node!r}")


def truth(node: ast.Expr, facts: Facts, loan: Mapping[str, Any] | None = None) -> bool | None:
    """A condition's truth: True, False or None (unknown)."""
    if isinstance(node, ast.BoolOp):
        results = [truth(item, facts, loan) for item in node.items]
        if node.op == "and":
            return False if False in results else (None if None in results else True)
        return True if True in results else (None if None in results else False)
    if isinstance(node, ast.Not):
        inner = truth(node.operand, facts, loan)
        return None if inner is None else not inner
    if isinstance(node, ast.Compare):
        left, right = value(node.left, facts, loan), value(node.right, facts, loan)
        if left is None or right is None:
            return None
        return bool(_CMP[node.op](left, right))
    if isinstance(node, ast.In):
        item = value(node.item, facts, loan)
        if item is None:
            return None
        inside = item in {c.value for c in node.choices}
        return not inside if node.negated else inside
    if isinstance(node, ast.Known):
        present = value(node.ref, facts, loan) is not None
        return present if node.known else not present
    if isinstance(node, ast.Ref):
        if node.kind == "derived":
            return True if node.key in facts.derived else (None if node.key in facts.maybe else False)
        found = value(node, facts, loan)
        return None if found is None else bool(found)
    if isinstance(node, ast.Quant):
        if not facts.loans_known:
            return None
        results = [truth(node.body, facts, one) for one in facts.loans]
        exists = True if True in results else (None if None in results else False)
        if node.kind == "any":
            return exists
        return None if exists is None else not exists
    raise TypeError(f"not a condition: {node!r}")
