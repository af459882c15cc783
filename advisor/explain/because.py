"""Explain stage: why a rule fired, as lines naming each condition with the values that satisfied it."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..engine.compiler import Branch
from ..expr import ast
from ..expr.evaluate import truth, value
from ..model import Facts, Firing, Rule


def _show(v: Any, ref_type: str = "") -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if ref_type == "date" and isinstance(v, int):
        return dt.date.fromordinal(v).isoformat()
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v)}"
    if isinstance(v, str):
        return f"'{v}'"
    return str(v)


def _text(rule: Rule, node: ast.Expr) -> str:
    return rule.when[node.span[0]:node.span[1]]


def _side(rule: Rule, node: ast.Expr, facts: Facts, loan: Mapping[str, Any] | None) -> str:
    """A comparison side: `name = value`, `value (params.x)`, a literal, or `value (expression)`."""
    v = value(node, facts, loan)
    if isinstance(node, ast.Ref):
        shown = _show(v, node.type)
        return f"{shown} ({_text(rule, node)})" if node.kind == "param" else f"{node.name} = {shown}"
    if isinstance(node, (ast.Num, ast.Str, ast.Bool, ast.Date)):
        return _text(rule, node)
    return f"{_show(v)} ({_text(rule, node)})"


def leaves(rule: Rule, node: ast.Expr, facts: Facts, loan: Mapping[str, Any] | None) -> list[str]:
    """The leaf conditions that hold, each with its values (for an `or`, only the true ones)."""
    if isinstance(node, ast.BoolOp):
        return [line for item in node.items if truth(item, facts, loan) for line in leaves(rule, item, facts, loan)]
    if isinstance(node, ast.Compare):
        left, right = node.left, node.right
        if not (isinstance(left, ast.Ref) and left.kind in ("case", "loan")) and isinstance(right, ast.Ref):
            left, right = right, left
            op = ast.FLIP[node.op]
        else:
            op = node.op
        if isinstance(left, ast.Ref) and (isinstance(right, ast.Bool) or (
                op == "==" and isinstance(right, (ast.Str, ast.Num, ast.Date)))):
            return [f"{left.name} = {_show(value(left, facts, loan), left.type)}"]  # the value says it all
        return [f"{_side(rule, left, facts, loan)} {op} {_side(rule, right, facts, loan)}"]
    if isinstance(node, ast.In):
        item = node.item
        assert isinstance(item, ast.Ref)
        choices = ", ".join(f"'{c.value}'" for c in node.choices)
        word = "not in" if node.negated else "in"
        return [f"{item.name} = {_show(value(item, facts, loan))} {word} [{choices}]"]
    if isinstance(node, ast.Known):
        ref = node.ref
        assert isinstance(ref, ast.Ref)
        return [f"{ref.name} is {'known' if node.known else 'unknown'}"]
    return [_text(rule, node)]


def because(rule: Rule, branch: Branch, firing: Firing, facts: Facts, origin: Mapping[str, str]) -> list[str]:
    """Every condition of the branch that held for this firing, with the actual values."""
    lines: list[str] = []
    for test in branch.case_tests:
        lines.extend(leaves(rule, test, facts, None))
    matched = iter(firing.loans)
    for _, quant in branch.loans:
        if quant.kind == "any":
            loan = next(matched)
            name = loan.get("name", f"#{loan.get('i')}")
            lines.extend(f"loan[{name}].{line.removeprefix('loan.')}" for line in leaves(rule, quant.body, facts, loan))
        else:
            lines.append(f"no loan has: {_text(rule, quant.body)}")
    for _, name, negated in branch.derived:
        lines.append(f"derived fact {name} is absent" if negated else
                     f"derived fact {name} (from rule {origin.get(name, '?')})")
    return lines

