"""Normal forms of a typed condition: negation pushed to the leaves (NNF), then OR of ANDs (DNF).

Kleene logic keeps De Morgan's laws, so pushing `not` down changes no rule's meaning; a negated
leaf is flipped (`>` becomes `<=`), and stays false when its fact is unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import product
from typing import cast

from . import ast
from ..i18n import said

MAX_BRANCHES = 32


@dataclass(frozen=True)
class NotDerived:
    """`not some_derived_fact` after normalisation."""

    ref: ast.Ref
    span: ast.Span


def nnf(node: ast.Expr, negate: bool = False) -> ast.Expr | NotDerived:
    if isinstance(node, ast.Not):
        return nnf(node.operand, not negate)
    if isinstance(node, ast.BoolOp):
        op = {"and": "or", "or": "and"}[node.op] if negate else node.op
        return replace(node, op=op, items=tuple(as_expr(nnf(i, negate)) for i in node.items))
    if not negate:
        if isinstance(node, ast.Quant):
            return replace(node, body=as_expr(nnf(node.body)))
        if isinstance(node, ast.Ref) and node.kind in ("case", "loan"):
            return ast.Compare("==", node, ast.Bool(True, node.span), node.span)
        return node
    if isinstance(node, ast.Compare):
        return replace(node, op=ast.NEGATE[node.op])
    if isinstance(node, ast.In):
        return replace(node, negated=not node.negated)
    if isinstance(node, ast.Known):
        return replace(node, known=not node.known)
    if isinstance(node, ast.Quant):
        return replace(node, kind="no" if node.kind == "any" else "any", body=as_expr(nnf(node.body)))
    if isinstance(node, ast.Ref):
        if node.kind == "derived":
            return NotDerived(node, node.span)
        return ast.Compare("==", node, ast.Bool(False, node.span), node.span)
    raise TypeError(f"cannot negate {node!r}")


def as_expr(node: ast.Expr | NotDerived) -> ast.Expr:
    """A normalised part inside an `and`/`or` or a quantifier: the tree's types say ast.Expr, and a
    NotDerived leaf stands where `not derived_fact` stood (dnf, strata and the compiler look for it)."""
    return cast(ast.Expr, node)


def case_local(node: ast.Expr | NotDerived) -> bool:
    """True if the node tests only the case fact (no loans, no derived facts)."""
    if isinstance(node, (ast.Quant, NotDerived)):
        return False
    if isinstance(node, ast.Ref) and node.kind == "derived":
        return False
    if isinstance(node, ast.BoolOp):
        return all(case_local(i) for i in node.items)
    return True


Unit = ast.Expr | NotDerived


def dnf(node: Unit) -> list[list[Unit]]:
    """Branches (an OR of ANDs) whose units are case-local tests, quantifiers or derived literals."""
    if case_local(node):
        return [[node]]
    if isinstance(node, ast.BoolOp):
        parts = [dnf(i) for i in node.items]
        if node.op == "or":
            out = [branch for part in parts for branch in part]
        else:
            out = [[u for branch in combo for u in branch] for combo in product(*parts)]
        if len(out) > MAX_BRANCHES:
            raise ValueError(said(f"这个条件展开后有 {len(out)} 个分支（上限 {MAX_BRANCHES}）",
                                  f"the condition expands to {len(out)} alternatives (limit {MAX_BRANCHES})"))
        return out
    return [[node]]


def negations(node: Unit) -> list[Unit]:
    """The negative literals of a normalised condition: `no loan …` and `not derived`."""
    if isinstance(node, NotDerived) or (isinstance(node, ast.Quant) and node.kind == "no"):
        return [node]
    if isinstance(node, ast.BoolOp):
        return [n for i in node.items for n in negations(i)]
    return []


def positives(node: Unit) -> list[ast.Ref]:
    """The derived facts a normalised condition requires to be present."""
    if isinstance(node, ast.Ref) and node.kind == "derived":
        return [node]
    if isinstance(node, ast.BoolOp):
        return [r for i in node.items for r in positives(i)]
    return []
