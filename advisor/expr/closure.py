"""The reference meaning of a condition (evaluate.py), compiled once into Python closures.

The agreement check evaluates every rule for every case; walking the AST each time costs more than
the rules engine itself. These closures give exactly the same three-valued answers as
`evaluate.truth` (a test checks it on every shipped rule and on random cases), only faster.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from . import ast
from ..model import Facts

Value = Callable[[Facts, Mapping[str, Any] | None], Any]
Truth = Callable[[Facts, Mapping[str, Any] | None], bool | None]
_CMP = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def value(node: ast.Expr) -> Value:
    if isinstance(node, (ast.Num, ast.Str, ast.Bool)):
        const = node.value
        return lambda f, loan: const
    if isinstance(node, ast.Date):
        day = node.value.toordinal()
        return lambda f, loan: day
    if isinstance(node, ast.Ref):
        key = node.key
        if node.kind == "param":
            return lambda f, loan: f.params.get(key)
        if node.kind == "loan":
            return lambda f, loan: None if loan is None else loan.get(key)
        return lambda f, loan: f.case.get(key)
    if isinstance(node, ast.Neg):
        inner = value(node.operand)

        def neg(f: Facts, loan: Mapping[str, Any] | None) -> Any:
            v = inner(f, loan)
            return None if v is None else -v
        return neg
    if isinstance(node, ast.Arith):
        left, right, op, divide = value(node.left), value(node.right), _ARITH[node.op], node.op == "/"

        def arith(f: Facts, loan: Mapping[str, Any] | None) -> Any:
            a, b = left(f, loan), right(f, loan)
            if a is None or b is None or (divide and b == 0):
                return None
            return op(a, b)
        return arith
    raise TypeError(f"not a value: {node!r}")


def truth(node: ast.Expr) -> Truth:
    if isinstance(node, ast.BoolOp):
        items = tuple(truth(i) for i in node.items)
        stop, other = (False, True) if node.op == "and" else (True, False)

        def boolean(f: Facts, loan: Mapping[str, Any] | None) -> bool | None:
            unknown = False
            for item in items:
                r = item(f, loan)
                if r is stop:
                    return stop
                unknown = unknown or r is None
            return None if unknown else other
        return boolean
    if isinstance(node, ast.Not):
        inner = truth(node.operand)

        def negation(f: Facts, loan: Mapping[str, Any] | None) -> bool | None:
            r = inner(f, loan)
            return None if r is None else not r
        return negation
    if isinstance(node, ast.Compare):
        left, right, op = value(node.left), value(node.right), _CMP[node.op]

        def compare(f: Facts, loan: Mapping[str, Any] | None) -> bool | None:
            a, b = left(f, loan), right(f, loan)
            return None if a is None or b is None else bool(op(a, b))
        return compare
    if isinstance(node, ast.In):
        item, choices, negated = value(node.item), frozenset(c.value for c in node.choices), node.negated

        def member(f: Facts, loan: Mapping[str, Any] | None) -> bool | None:
            v = item(f, loan)
            return None if v is None else (v in choices) is not negated
        return member
    if isinstance(node, ast.Known):
        ref, known = value(node.ref), node.known
        return lambda f, loan: (ref(f, loan) is not None) is known
    if isinstance(node, ast.Ref):
        if node.kind == "derived":
            key = node.key
            # derived, or unknown while some rule may yet derive it (Facts.maybe), else false: as evaluate.py
            return lambda f, loan: True if key in f.derived else (None if key in f.maybe else False)
        fact = value(node)

        def flag(f: Facts, loan: Mapping[str, Any] | None) -> bool | None:
            v = fact(f, loan)
            return None if v is None else bool(v)
        return flag
    if isinstance(node, ast.Quant):
        body, exists_only = truth(node.body), node.kind == "any"

        def quantifier(f: Facts, loan: Mapping[str, Any] | None) -> bool | None:
            if not f.loans_known:
                return None
            unknown = False
            for one in f.loans:
                r = body(f, one)
                if r is True:
                    return True if exists_only else False
                unknown = unknown or r is None
            if unknown:
                return None
            return False if exists_only else True
        return quantifier
    raise TypeError(f"not a condition: {node!r}")
