"""Compile stage: typed rule conditions -> a durable_rules ruleset definition, as plain data.

Each rule becomes one durable rule per alternative (DNF branch). A branch joins:
  p  the phase fact, only for rules with a negation (see strata.py);
  c  the case fact, with every case-level test (guarded: an unknown fact never matches);
  l0… one loan fact per `any` (`l0$not` for `no`, which also needs the loan list to be known);
  d0… one derived fact per derived name used (`d0$not` when negated).
No pattern compares two different facts (durable_rules issue #381 crashes on those).
Rules are split into groups, each matching its own copy of every fact, so that no fact can match more
than ~60 nodes of the network at once (error 303, see durable-notes): a group holds at most GROUP_SIZE
rules and patterns of weight at most MAX_WEIGHT per fact type (a pattern weighs 1, plus 1 per extra
alternative of each $or in it). A rule that breaks one of durable's fixed limits is refused here, as a
rule error (E027, E028), instead of failing inside the engine when a case runs.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from ..errors import Diagnostic, RuleError
from ..i18n import chinese, said
from ..expr import ast
from ..expr.normal import NotDerived, Unit, as_expr, case_local, dnf, nnf
from ..model import Rule, RuleSet
from .facts import engine_value
from ..expr.strata import has_negation, stratify

GROUP_SIZE = 40
# durable_rules 2.0.28's fixed limits (src/rules: rete.h, state.h, events.c), measured in
# tests/engine/test_hostile_rules.py.
MAX_EXPRESSIONS = 31   # MAX_SEQUENCE_EXPRESSIONS 32: each $and/$or in one pattern takes two slots (error 113)
MAX_JOIN = 16          # MAX_MESSAGE_FRAMES 16: facts one activation can hold (errors 304, 307)
MAX_WEIGHT = 60        # MAX_STACK_SIZE 64: nodes one fact may match at once in a group (error 303)
MAX_GROUPS = 500       # NEXT_BUCKET_LENGTH 512: children of one node; past 511, creating the ruleset hangs
_SPLIT = said("把这条规则拆成几条更小的规则，让它们相互推导事实", "split the rule into smaller rules that derive facts for each other")
TYPES = ("case", "loan", "derived", "phase")
_OPS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte", "!=": "$neq"}
_ARITH = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div"}
_FOLD = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


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
    # The groups whose rules test a derived fact, or wait for a phase. A fact is asserted only to those:
    # durable tells facts apart by a 32-bit hash of their id, so every needless copy makes a false
    # "already observed" (MessageObservedException) more likely in a large session.
    derived_groups: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    phase_groups: Mapping[int, tuple[int, ...]] = field(default_factory=dict)


def compile_ruleset(ruleset: RuleSet) -> Compiled:
    strata = stratify(ruleset.rules)
    params = {name: engine_value(p.value) for name, p in ruleset.params.items() if not p.dated}
    definition: dict[str, Any] = {}
    branches: dict[str, Branch] = {}
    problems: list[Diagnostic] = []
    group, size, load = 0, 0, {"case": 0, "loan": 0}
    for rule in ruleset.rules:
        phase = strata[rule.id] if has_negation(rule) else 0
        try:
            alternatives = dnf(nnf(rule.condition))
        except ValueError as exc:
            problems.append(Diagnostic("E027", said(f"规则 '{rule.id}'：{chinese(exc.args[0] if exc.args else str(exc))}",
                                                    f"rule '{rule.id}': {exc}"),
                                       rule.location, _SPLIT))
            continue
        compiled = []
        try:
            for index, units in enumerate(alternatives):
                branch = _branch(rule, index, units, 0, phase)
                compiled.append((branch, _durable_rule(branch, params, strata[rule.id])))
        except ArithmeticError as exc:  # parameters folded into a constant: x / 0, or beyond a float
            problems.append(Diagnostic("E020", said(f"规则 '{rule.id}'：{chinese(exc.args[0] if exc.args else str(exc))}",
                                                    f"rule '{rule.id}': {exc}"),
                                       rule.location,
                                       said("检查条件里参与计算的参数", "check the parameters the condition computes with")))
            continue
        weight = _weights([patterns for _, patterns in compiled])
        found = _limits(rule, compiled, weight)
        if found:
            problems.extend(found)
            continue
        if size and (size == GROUP_SIZE or any(load[kind] + weight[kind] > MAX_WEIGHT for kind in load)):
            group, size, load = group + 1, 0, {"case": 0, "loan": 0}   # a new group: its own copy of every fact
        size, load = size + 1, {kind: load[kind] + weight[kind] for kind in load}
        for branch, _ in compiled:
            branch = replace(branch, group=group)
            definition[branch.name] = _durable_rule(branch, params, strata[rule.id])
            branches[branch.name] = branch
    groups = max((b.group for b in branches.values()), default=0) + 1
    if groups > MAX_GROUPS:  # every group is a child of each type's node (and phases of each group's node)
        problems.append(Diagnostic("E027", said(f"规则太多，规则引擎装不下：需要 {groups} 组"
                                                f"（上限 {MAX_GROUPS} 组，约 {MAX_GROUPS * GROUP_SIZE:,} 条规则）",
                                                f"too many rules for the rules engine: they need {groups} groups "
                                                f"(limit {MAX_GROUPS}, about {MAX_GROUPS * GROUP_SIZE:,} rules)"), None,
                                   said("把规则分到几个文件夹里", "split the rules into several folders")))
    if problems:
        raise RuleError(problems)
    for kind in TYPES:
        # Every fact must complete at least one activation. A fact no rule matches raises
        # MessageNotHandledException; a fact held only by joins that never complete (the "never
        # firing catch-all" trick) makes delete_state segfault (measured: tests/engine/test_engine.py).
        # So each type gets a sink rule that always fires, last, and does nothing.
        definition[f"__sink_{kind}"] = {"all": [{"a": {"t": kind}}], "pri": 65000, "run": f"__sink_{kind}"}
    phases = max((b.phase for b in branches.values()), default=0)
    derived_groups: dict[str, set[int]] = {}
    phase_groups: dict[int, set[int]] = {}
    for b in branches.values():
        for _, name, _ in b.derived:
            derived_groups.setdefault(name, set()).add(b.group)
        if b.phase:
            phase_groups.setdefault(b.phase, set()).add(b.group)
    return Compiled(definition, branches, groups, phases, params, f"advisor_{ruleset.fingerprint[:16]}",
                    {k: tuple(sorted(v)) for k, v in derived_groups.items()},
                    {k: tuple(sorted(v)) for k, v in phase_groups.items()})


def _limits(rule: Rule, compiled: list[tuple[Branch, dict[str, Any]]], weight: dict[str, int]) -> list[Diagnostic]:
    """The rule as compiled must fit durable_rules' fixed limits; otherwise say which, in the rule's terms."""
    out = []
    for branch, durable_rule in compiled:
        slots = max(_slots(test) for pattern in durable_rule["all"] for test in pattern.values())
        if slots > MAX_EXPRESSIONS:
            out.append(said(f"它对一个事实做了 {slots // 2} 组 'and'/'or' 检验（上限 {MAX_EXPRESSIONS // 2}）",
                            f"it tests one fact with {slots // 2} 'and'/'or' groups (limit {MAX_EXPRESSIONS // 2})"))
        joined = sum(1 for pattern in durable_rule["all"] for alias in pattern if not alias.endswith("$not"))
        if joined > MAX_JOIN:
            out.append(said(f"它连接了 {joined} 个事实：案例、借款和推导事实（上限 {MAX_JOIN}）",
                            f"it joins {joined} facts: the case, loans and derived facts (limit {MAX_JOIN})"))
        if sum(1 for _, quant in branch.loans if quant.kind == "any") > 1:
            return [Diagnostic("E028", said(f"规则 '{rule.id}'：同一个分支里 'any loan' 出现了不止一次",
                                            f"rule '{rule.id}': 'any loan' appears more than once in one alternative"),
                               rule.location,
                               said("规则引擎会把每个 'any' 绑定到不同的借款上，一笔同时满足两者的借款会被漏掉："
                                    "用 any (loan.a > 1 and loan.b > 2) 检验同一笔借款，或者在另一条规则里由一个 'any' "
                                    "推导出一个事实，再在这里使用它",
                                    "the rules engine binds each 'any' to a different loan, so one loan that meets "
                                    "both would be missed: test one loan with any (loan.a > 1 and loan.b > 2), or "
                                    "derive a fact from one 'any' in another rule and use that fact here"))]
    for kind, total in weight.items():
        if total > MAX_WEIGHT:
            out.append(said(f"一个 {kind} 事实可能同时符合它的 {total} 项检验（上限 {MAX_WEIGHT}）",
                            f"one {kind} fact may match {total} of its tests at once (limit {MAX_WEIGHT})"))
    return [Diagnostic("E027", said(f"规则 '{rule.id}' 对规则引擎来说太大了：{why.zh}",
                                    f"rule '{rule.id}' is too large for the rules engine: {why}"), rule.location, _SPLIT)
            for why in dict.fromkeys(out)]


def _slots(test: dict[str, Any]) -> int:
    """Expression slots a test takes in durable's pattern: two per $and/$or (the operator and its end)."""
    (op, body), = test.items()
    return 2 + sum(_slots(t) for t in body) if op in ("$and", "$or") else 0


def _width(test: dict[str, Any]) -> int:
    """Extra nodes of durable's network that one fact may match at once for this test: each $or branches."""
    (op, body), = test.items()
    if op not in ("$and", "$or"):
        return 0
    return sum(_width(t) for t in body) + (len(body) - 1 if op == "$or" else 0)


def _weights(rules: list[dict[str, Any]]) -> dict[str, int]:
    """Per fact type, how many nodes one case or loan fact may match at once in these durable rules.
    Derived and phase facts are tested by equality on one property, so each matches one node only."""
    weight = {"case": 0, "loan": 0}
    for durable_rule in rules:
        for pattern in durable_rule["all"]:
            (alias, test), = pattern.items()
            kind = {"c": "case", "l": "loan"}.get(alias[0])
            if kind:
                weight[kind] += 1 + _width(test)
    return weight


def _branch(rule: Rule, index: int, units: list[Unit], group: int, phase: int) -> Branch:
    case_tests: list[ast.Expr] = []
    loans: list[tuple[str, ast.Quant]] = []
    derived: list[tuple[str, str, bool]] = []
    for unit in units:
        if isinstance(unit, ast.Quant):
            loans.append((f"l{len(loans)}", unit))
        elif isinstance(unit, NotDerived) or (isinstance(unit, ast.Ref) and unit.kind == "derived"):
            name, negated = (unit.ref.key, True) if isinstance(unit, NotDerived) else (unit.key, False)
            # `f1 and (x or f1)` gives the alternative [f1, x, f1]: one alias per fact, because durable binds
            # each alias to a different fact and a derived fact exists once per group (it never fired).
            if all((n, neg) != (name, negated) for _, n, neg in derived):
                derived.append((f"d{len(derived)}", name, negated))
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
        patterns.append({"p": {"$and": [{"t": "phase"}, {"g": g}, {"n": branch.phase}]}})
    case = [{"t": "case"}, {"g": g}] + [_test(u, params, False) for u in branch.case_tests]
    if any(q.kind == "no" for _, q in branch.loans):
        case.append({"$ex": {"loan_count": 1}})  # "no loan …" needs the list of loans to be known
    patterns.append({"c": {"$and": case}})
    nos = [quant for _, quant in branch.loans if quant.kind == "no"]
    for alias, quant in branch.loans:
        possible = quant.kind == "no"
        test = _test(quant.body, params, possible)
        if not possible and nos:
            # durable leaves the loan bound to an `any` out of the rule's `$not` patterns, but `no` means no
            # loan at all: so the bound loan must itself fail every `no` test (known, and false).
            test = {"$and": [test, *(_test(as_expr(nnf(ast.Not(q.body, q.span))), params, False) for q in nos)]}
        pattern = {"$and": [{"t": "loan"}, {"g": g}, test]}
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
        # Constants and parameters are folded here. Compute only this operation: computing all four
        # divided by zero for `x + 0`. An infinite result would reach durable as invalid JSON.
        if op == "/" and r_val == 0:
            raise ArithmeticError(said(f"条件里除以了零（{l_val:g} / 0，来自它的参数）",
                                       f"the condition divides by zero ({l_val:g} / 0, from its parameters)"))
        result = _FOLD[op](l_val, r_val)
        if not math.isfinite(result):
            raise ArithmeticError(said(f"条件里的一个数太大了（{l_val:g} {op} {r_val:g}）",
                                       f"a number in the condition is too large ({l_val:g} {op} {r_val:g})"))
        return result
    return {_ARITH[op]: {"$l": l_val, "$r": r_val}}
