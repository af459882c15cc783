"""AST of the condition language. Every node keeps its span (start, end) in the condition text."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Union

Span = tuple[int, int]


@dataclass(frozen=True)
class Num:
    """A number as written: 7, 0.24, 1e5."""

    value: float
    span: Span


@dataclass(frozen=True)
class Str:
    """A quoted word: 'microloan'."""

    value: str
    span: Span


@dataclass(frozen=True)
class Bool:
    """true or false."""

    value: bool
    span: Span


@dataclass(frozen=True)
class Date:
    """A date as written: 2026-11-28."""

    value: dt.date
    span: Span


@dataclass(frozen=True)
class Name:
    """A dotted name as written; the checker turns it into a Ref."""

    text: str
    span: Span


@dataclass(frozen=True)
class Ref:
    """A resolved name. kind: case | loan | param | derived. `key` is the engine property."""

    kind: str
    name: str
    type: str
    key: str
    span: Span
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Arith:
    """left + - * / right: a computed value."""

    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class Neg:
    """-x: the value negated."""

    operand: "Expr"
    span: Span


@dataclass(frozen=True)
class Compare:
    """left > >= < <= == != right: true, false, or unknown when either side is unknown."""

    op: str  # > >= < <= == !=
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class In:
    """x in [..] or x not in [..]: whether a choice is one of the listed words."""

    item: "Expr"
    choices: tuple[Str, ...]
    negated: bool
    span: Span


@dataclass(frozen=True)
class Known:
    """known(x) or unknown(x): whether the case states a value."""

    ref: "Expr"
    known: bool
    span: Span


@dataclass(frozen=True)
class Not:
    """not x: true where x is false, unknown where x is unknown."""

    operand: "Expr"
    span: Span


@dataclass(frozen=True)
class BoolOp:
    """x and y / x or y: three-valued, as expr/evaluate.py defines it."""

    op: str  # and | or
    items: tuple["Expr", ...]
    span: Span


@dataclass(frozen=True)
class Quant:
    """any loan … / no loan …: a condition on at least one / on none of the loans."""

    kind: str  # any | no
    body: "Expr"
    span: Span


Expr = Union[Num, Str, Bool, Date, Name, Ref, Arith, Neg, Compare, In, Known, Not, BoolOp, Quant]

FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
NEGATE = {">": "<=", "<=": ">", "<": ">=", ">=": "<", "==": "!=", "!=": "=="}


def refs(node: Expr) -> list[Ref]:
    """Every Ref under a node, in text order."""
    out: list[Ref] = []
    _walk(node, out)
    return out


def _walk(node: Expr, out: list[Ref]) -> None:
    if isinstance(node, Ref):
        out.append(node)
    elif isinstance(node, (Arith, Compare)):
        _walk(node.left, out)
        _walk(node.right, out)
    elif isinstance(node, (Neg, Not)):
        _walk(node.operand, out)
    elif isinstance(node, In):
        _walk(node.item, out)
    elif isinstance(node, Known):
        _walk(node.ref, out)
    elif isinstance(node, BoolOp):
        for item in node.items:
            _walk(item, out)
    elif isinstance(node, Quant):
        _walk(node.body, out)
