"""Compile stage: typed rule conditions -> a durable_rules ruleset definition, as plain data.

Each rule becomes one durable rule per alternative (DNF branch). A branch joins:
  p  the phase fact, only for rules with a negation (see strata.py);
  c  the case fact, with every case-level test (guarded: an unknown fact never matches);
  l0… one loan fact per `any` (`l0$not` for `no`, which also needs the loan list to be known);
  d0… one derived fact per derived name used (`d0$not` when negated).
No pattern compares two different facts (durable_rules issue #381 crashes on those).
Rules are split into groups of GROUP_SIZE, each matching its own copy of every fact, so no node
of the network has more than ~60 matching children (error 303, see durable-notes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .errors import Diagnostic, RuleError
from .expr import ast
from .expr.normal import NotDerived, Unit, case_local, dnf, nnf
from .model import Rule, RuleSet, engine_value
from .strata import has_negation, stratify

GROUP_SIZE = 40
TYPES = ("case", "loan", "derived", "phase")
_OPS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte", "!=": "$neq"}
_ARITH = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div"}


@dataclass(frozen=True)
class Branch:
    """One alternative of one rule, as compiled: what each alias of the durable rule stands for."""

    rule: str
    index: int
    name: str                                   # the durable rule name, "<rule id>#<index>"
    case_tests: tuple[ast.Expr, ...]
    loans: tuple[tuple[str, ast.Quant], ...]     # (alias, quantifier)
    derived: tuple[tuple[str, str, bool], ...]   # (alias, derived name, negated)
    group: int
    phase: int                                   # 0: no gate
    derive: tuple[str, ...]                      # the rule's conclusions for other rules


@dataclass(frozen=True)
class Compiled:
    """A ruleset ready for the engine: durable definition plus the map back to the rules."""

    definition: dict[str, Any]
    branches: Mapping[str, Branch]
    groups: int
    phases: int
    params: Mapping[str, float]      # the static parameters as engine values (dates as day numbers)
    name: str


def compile_ruleset(ruleset: RuleSet) -> Compiled:
    strata = stratify(ruleset.rules)
    params = {name: engine_value(p.value) for name, p in ruleset.params.items() if not p.dated}
    definition: dict[str, Any] = {}
    branches: dict[str, Branch] = {}
    for rule in ruleset.rules:
        group = rule.order // GROUP_SIZE
        phase = strata[rule.id] if has_negation(rule) else 0
        try:
            alternatives = dnf(nnf(rule.condition))
        except ValueError as exc:
            raise RuleError([Diagnostic("E027", f"rule '{rule.id}': {exc}", rule.location,
                                        "split the rule into smaller rules that derive facts")]) from None
        for index, units in enumerate(alternatives):
            branch = _branch(rule, index, units, group, phase)
            definition[branch.name] = _durable_rule(branch, params, strata[rule.id])
            branches[branch.name] = branch
    groups = max((b.group for b in branches.values()), default=0) + 1
    for kind in TYPES:
        # Every fact must complete at least one activation. A fact no rule matches raises
        # MessageNotHandledException; a fact held only by joins that never complete (the "never
        # firing catch-all" trick) makes delete_state segfault (measured: tests/test_engine.py).
        # So each type gets a sink rule that always fires, last, and does nothing.
        definition[f"__sink_{kind}"] = {"all": [{"a": {"t": kind}}], "pri": 65000, "run": f"__sink_{kind}"}
    phases = max((b.phase for b in branches.values()), default=0)
    return Compiled(definition, branches, groups, phases, params, f"advisor_{ruleset.fingerprint[:16]}")


def _branch(rule: Rule, index: int, units: list[Unit], group: int, phase: int) -> Branch:
    case_tests, loans, derived = [], [], []
    for unit in units:
        if isinstance(unit, ast.Quant):
            loans.append((f"l{len(loans)}", unit))
        elif isinstance(unit, NotDerived):
            derived.append((f"d{len(derived)}", unit.ref.key, True))
        elif isinstance(unit, ast.Ref) and unit.kind == "derived":
            derived.append((f"d{len(derived)}", unit.key, False))
        elif case_local(unit):
            case_tests.append(unit)
        else:  # pragma: no cover - dnf() yields only the kinds above
            raise TypeError(unit)
    return Branch(rule.id, index, f"{rule.id}#{index}", tuple(case_tests), tuple(loans), tuple(derived),
                  group, phase, rule.derive)


def _durable_rule(branch: Branch, params: Mapping[str, float], stratum: int) -> dict[str, Any]:
    g = branch.group
    patterns: list[dict[str, Any]] = []
    if branch.phase:
        patterns.append({"p": {"$and": [{"t": "phase"}, {"n": branch.phase}]}})
    case = [{"t": "case"}, {"g": g}] + [_test(u, params, False) for u in branch.case_tests]
    if any(q.kind == "no" for _, q in branch.loans):
        case.append({"$ex": {"loan_count": 1}})  # "no loan …" needs the list of loans to be known
    patterns.append({"c": {"$and": case}})
    for alias, quant in branch.loans:
        possible = quant.kind == "no"
        pattern = {"$and": [{"t": "loan"}, {"g": g}, _test(quant.body, params, possible)]}
        patterns.append({f"{alias}$not" if possible else alias: pattern})
    for alias, name, negated in branch.derived:
        pattern = {"$and": [{"t": "derived"}, {"g": g}, {"name": name}]}
        patterns.append({f"{alias}$not" if negated else alias: pattern})
    return {"all": patterns, "pri": stratum, "run": branch.name}


def _test(node: ast.Expr, params: Mapping[str, float], possible: bool) -> dict[str, Any]:
    """A pattern over one fact. possible=True matches 'true or unknown' (used under `no`)."""
    if isinstance(node, ast.BoolOp):
        items = [_test(i, params, possible) for i in node.items]
        return items[0] if len(items) == 1 else {"$and" if node.op == "and" else "$or": items}
    if isinstance(node, ast.Known):
        key = node.ref.key  # type: ignore[union-attr]
        return {"$ex" if node.known else "$nex": {key: 1}}
    if isinstance(node, ast.Compare):
        test, keys = _compare(node, params)
    elif isinstance(node, ast.In):
        key = node.item.key  # type: ignore[union-attr]
        keys = [key]
        if node.negated:
            test = {"$and": [{"$neq": {key: c.value}} for c in node.choices]} if node.choices else {"$ex": {key: 1}}
        else:
            test = {"$or": [{key: c.value} for c in node.choices]} if node.choices else {"$nex": {"t": 1}}
    else:  # pragma: no cover - the checker admits nothing else
        raise TypeError(node)
    if possible:
        return {"$or": [{"$and": [*_guards(keys), test]}, *({"$nex": {k: 1}} for k in keys)]}
    return {"$and": [*_guards(keys), test]}


def _guards(keys: list[str]) -> list[dict[str, Any]]:
    return [{"$ex": {k: 1}} for k in dict.fromkeys(keys)]


def _compare(node: ast.Compare, params: Mapping[str, float]) -> tuple[dict[str, Any], list[str]]:
    left, op, right = node.left, node.op, node.right
    if not (isinstance(left, ast.Ref) and left.kind in ("case", "loan")):
        left, right, op = right, left, ast.FLIP[op]
    assert isinstance(left, ast.Ref)
    keys = [left.key] + [r.key for r in ast.refs(right) if r.kind in ("case", "loan")]
    rhs = _operand(right, params)
    if op == "==":
        return {"$eq": {left.key: rhs}}, keys
    return {_OPS[op]: {left.key: rhs}}, keys


def _operand(node: ast.Expr, params: Mapping[str, float]) -> Any:
    if isinstance(node, (ast.Num, ast.Str, ast.Bool)):
        return node.value
    if isinstance(node, ast.Date):
        return node.value.toordinal()
    if isinstance(node, ast.Ref):
        return params[node.key] if node.kind == "param" else {"$m": node.key}
    if isinstance(node, ast.Neg):
        return _arith("*", node.operand, ast.Num(-1.0, node.span), params)
    if isinstance(node, ast.Arith):
        return _arith(node.op, node.left, node.right, params)
    raise TypeError(node)  # pragma: no cover


def _arith(op: str, left: ast.Expr, right: ast.Expr, params: Mapping[str, float]) -> Any:
    l_val, r_val = _operand(left, params), _operand(right, params)
    if not isinstance(l_val, dict) and not isinstance(r_val, dict):
        return {"+": l_val + r_val, "-": l_val - r_val, "*": l_val * r_val, "/": l_val / r_val}[op]
    return {_ARITH[op]: {"$l": l_val, "$r": r_val}}
