"""Conditions as alternatives of literals: each test normalised to a constraint on one key.

A key is a fact, an expression, or a derived fact. A comparison with a number, a date or a static
parameter bounds one key (`x > 5`); a comparison of two expressions bounds their difference (`a > b`
reads `a - b > 0`, so `a > b and a <= b` exclude each other); a dated parameter has no value at lint
time, so it is an expression like any other. `in`, `==` and `!=` on a choice, text or yes/no fact
give the set of values allowed. `not` is pushed in first (expr/normal.py): `not x > 3` reads `x <= 3`.
`any (A or B)` becomes `any A or any B`, and `no (A or B)` becomes `no A and no B`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Any, Mapping

from ..model import Param
from . import ast
from .normal import NotDerived, nnf

MAX_ALTERNATIVES = 256
BOOLS = frozenset({True, False})


class TooComplex(Exception):
    """The condition has too many alternatives to reason about; it is assumed to fire."""


@dataclass(frozen=True)
class Lit:
    """One test of an alternative, normalised: what it constrains (`key`) and how."""

    key: str            # a fact, an expression, or 'derived:<name>'
    kind: str           # num | set | known | flag
    op: str             # num: > >= < <= == != · set: in | out · known: known | unknown · flag: yes | no
    value: Any = None   # num: a float · set: a frozenset of values
    span: ast.Span = field(default=(0, 0), compare=False)
    text: str = field(default="", compare=False)    # the test as it reads after `not` is pushed in


@dataclass(frozen=True)
class Store:
    """The tests on one loan (`any (…)` or `no …`), with the quantifier's span."""

    lits: tuple[Lit, ...]
    span: ast.Span
    kind: str = "any"

    @property
    def text(self) -> str:
        inner = " and ".join(lit.text for lit in self.lits)
        return f"{self.kind} ({inner})" if len(self.lits) > 1 else f"{self.kind} {inner}"


@dataclass(frozen=True)
class Alternative:
    """One branch of the condition: tests on the case, on derived facts, and on loans."""

    case: tuple[Lit, ...] = ()
    anys: tuple[Store, ...] = ()
    nos: tuple[Store, ...] = ()

    def __add__(self, other: Alternative) -> Alternative:
        return Alternative(self.case + other.case, self.anys + other.anys, self.nos + other.nos)


class Reader:
    """Turns a typed condition into alternatives of literals; static parameters are constants."""

    def __init__(self, params: Mapping[str, Param]):
        self.params = params

    def alternatives(self, condition: ast.Expr) -> list[Alternative]:
        return self._expand(nnf(condition))

    def _expand(self, node: ast.Expr | NotDerived) -> list[Alternative]:
        if isinstance(node, ast.BoolOp):
            parts = [self._expand(item) for item in node.items]
            size = sum(map(len, parts)) if node.op == "or" else math.prod(map(len, parts))
            if size > MAX_ALTERNATIVES:
                raise TooComplex(f"{size} alternatives")
            if node.op == "or":
                return [alt for part in parts for alt in part]
            return [sum(combo, Alternative()) for combo in product(*parts)]
        if isinstance(node, ast.Quant):
            bodies = [Store(alt.case + tuple(lit for s in alt.anys for lit in s.lits), node.span, node.kind)
                      for alt in self._expand(node.body)]
            if node.kind == "any":      # any (A or B) = any A or any B
                return [Alternative(anys=(body,)) for body in bodies]
            return [Alternative(nos=tuple(bodies))]     # no (A or B) = no A and no B
        return [Alternative(case=(self.literal(node),))]

    def literal(self, node: ast.Expr | NotDerived) -> Lit:
        lit = self._literal(node)
        return replace(lit, text=_text(node))

    def _literal(self, node: ast.Expr | NotDerived) -> Lit:
        if isinstance(node, NotDerived):
            return Lit("derived:" + node.ref.name, "flag", "no", span=node.span)
        if isinstance(node, ast.Ref) and node.kind == "derived":
            return Lit("derived:" + node.name, "flag", "yes", span=node.span)
        if isinstance(node, ast.Known):
            return Lit(show(node.ref), "known", "known" if node.known else "unknown", span=node.span)
        if isinstance(node, ast.In):
            choices = frozenset(c.value for c in node.choices)
            return _set(show(node.item), "out" if node.negated else "in", choices, _domain(node.item), node.span)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        return Lit("?" + show(node), "flag", "yes", span=node.span)    # not understood: must match exactly

    def _compare(self, node: ast.Compare) -> Lit:
        left, right, op = node.left, node.right, node.op
        lc, rc = self.const(left), self.const(right)
        if lc is not None and rc is None:
            left, right, op, rc = right, left, ast.FLIP[op], lc
        if rc is not None and self.const(left) is None:
            if isinstance(rc, (str, bool)) and op in ("==", "!="):
                return _set(show(left), "in" if op == "==" else "out", frozenset({rc}), _domain(left), node.span)
            if isinstance(rc, (int, float)) and not isinstance(rc, bool):
                return Lit(show(left), "num", op, float(rc), node.span)
        a, b = show(left), show(right)
        if a > b:
            a, b, op = b, a, ast.FLIP[op]
        if _numeric(left) and _numeric(right):      # a op b  <=>  a - b op 0
            return Lit(f"{a} - {b}", "num", op, 0.0, node.span)
        if op in ("==", "!="):
            return Lit(f"{a} == {b}", "flag", "yes" if op == "==" else "no", span=node.span)
        return Lit(f"?{a} {op} {b}", "flag", "yes", span=node.span)

    def const(self, node: ast.Expr) -> float | str | bool | None:
        """The value of an expression that uses no fact and no dated parameter, else None."""
        if isinstance(node, (ast.Num, ast.Str, ast.Bool)):
            return node.value
        if isinstance(node, ast.Date):
            return float(node.value.toordinal())
        if isinstance(node, ast.Ref) and node.kind == "param":
            param = self.params.get(node.key)
            if param is None or param.dated or param.value is None:
                return None
            value = param.value
            return float(value) if isinstance(value, (int, float)) else float(value.toordinal())
        if isinstance(node, ast.Neg):
            inner = self.const(node.operand)
            return -inner if isinstance(inner, float) else None
        if isinstance(node, ast.Arith):
            a, b = self.const(node.left), self.const(node.right)
            if not isinstance(a, float) or not isinstance(b, float) or (node.op == "/" and b == 0):
                return None
            return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0}[node.op]
        return None


def _set(key: str, op: str, values: frozenset[Any], domain: frozenset[Any] | None, span: ast.Span) -> Lit:
    """A test on the value of a choice, text or yes/no fact; `out` of a known domain becomes `in` the rest."""
    if op == "out" and domain is not None:
        return Lit(key, "set", "in", domain - values, span)
    return Lit(key, "set", op, values, span)


def _domain(node: ast.Expr) -> frozenset[Any] | None:
    if isinstance(node, ast.Ref) and node.values:
        return frozenset(node.values)
    if isinstance(node, ast.Ref) and node.type == "bool":
        return BOOLS
    return None


def _numeric(node: ast.Expr) -> bool:
    if isinstance(node, ast.Ref):
        return node.type in ("number", "date")
    return isinstance(node, (ast.Num, ast.Date, ast.Arith, ast.Neg))


def _text(node: ast.Expr | NotDerived) -> str:
    """A normalised test as a counsellor would write it (`not x > 3` reads `x <= 3`)."""
    if isinstance(node, NotDerived):
        return "not " + node.ref.name
    if isinstance(node, ast.Known):
        return f"{'known' if node.known else 'unknown'}({show(node.ref)})"
    if isinstance(node, ast.In):
        choices = ", ".join(repr(c.value) for c in node.choices)
        return f"{show(node.item)} {'not in' if node.negated else 'in'} [{choices}]"
    if isinstance(node, ast.Compare):
        if isinstance(node.right, ast.Bool) and node.op in ("==", "!=") and node.right.span == node.left.span:
            return ("" if (node.op == "==") == node.right.value else "not ") + show(node.left)   # a bare yes/no
        return f"{show(node.left)} {node.op} {show(node.right)}"
    return show(node)


def show(node: ast.Expr) -> str:
    """An expression as a key: the same expression always gives the same text, whatever its span."""
    if isinstance(node, ast.Ref):
        return "params." + node.name if node.kind == "param" else node.name
    if isinstance(node, ast.Num):
        return str(int(node.value)) if float(node.value).is_integer() else repr(float(node.value))
    if isinstance(node, ast.Str):
        return repr(node.value)
    if isinstance(node, ast.Bool):
        return "true" if node.value else "false"
    if isinstance(node, ast.Date):
        return f'date("{node.value.isoformat()}")'
    if isinstance(node, ast.Neg):
        return f"-{show(node.operand)}"
    if isinstance(node, ast.Arith):
        return f"({show(node.left)} {node.op} {show(node.right)})"
    if isinstance(node, ast.Name):
        return node.text
    return type(node).__name__
