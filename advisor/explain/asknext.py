"""Ask-next stage: which unknown inputs would change the most advice, so the reader fills those first.

The three-valued evaluator knows which conditions wait on which facts. A rule that did not fire but
whose condition is unknown (neither true nor false) waits on the unknown facts under it; a derived fact
that no rule derived but some rule still might is itself unknown (`Facts.maybe`), so the wait passes
through the chain (`cannot_cover_payments` ← `monthly_shortfall` ← each loan's `monthly_payment`).
Each unknown fact is named as the case file names it (`income`, `loans[2].monthly_payment`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from ..expr import ast
from ..expr.evaluate import truth, value
from ..model import Case, Facts, RuleSet
from ..report import Question
from .index import RuleIndex

# A computed case figure -> the loan field whose gaps leave it unknown.
_LOAN_SUMS = {"monthly_due": "monthly_payment", "monthly_due_min": "monthly_payment",
              "total_balance": "balance", "total_balance_min": "balance",
              "overdue_loans": "overdue_days", "overdue_loans_min": "overdue_days"}
_BLOCKS = {"monthly_income": ("income",), "monthly_income_min": ("income",), "monthly_income_max": ("income",),
           "monthly_expenses": ("expenses",), "monthly_expenses_min": ("expenses",),
           "monthly_disposable": ("income", "expenses"),
           "monthly_disposable_max": ("income", "expenses"),
           "monthly_shortfall": ("income", "expenses"), "monthly_shortfall_min": ("income", "expenses")}
# A computed loan figure -> the loan fields it is worked out from.
_LOAN_INPUTS = {"days_to_due": ("next_due",), "days_since_last_payment": ("last_payment_date",),
                "days_to_balloon": ("balloon_date",), "days_to_settlement_deadline": ("settlement_deadline",),
                "apr": ("principal", "monthly_payment", "installments")}


def maybe_derived(ruleset: RuleSet, facts: Facts, index: RuleIndex | None = None) -> Facts:
    """`facts` with `maybe`: the derived facts some unfired rule could still derive (to a fixpoint).
    With `index`, the conditions are evaluated compiled (expr/closure.py, the same three-valued answers)."""
    maybe: set[str] = set()
    deriving = [rule for rule in ruleset.rules if rule.derive and not set(rule.derive) <= facts.derived]
    while True:
        now = replace(facts, maybe=frozenset(maybe))
        grown = {name for rule in deriving if _truth(rule.condition, now, None, index) is None
                 for name in rule.derive if name not in facts.derived} - maybe
        if not grown:
            return now
        maybe |= grown


def _truth(node: ast.Expr, facts: Facts, loan: Mapping[str, Any] | None, index: RuleIndex | None) -> bool | None:
    return truth(node, facts, loan) if index is None else index.truth(node)(facts, loan)


class Waits:
    """Which case-file fields a condition waits on."""

    def __init__(self, ruleset: RuleSet, facts: Facts, case: Case, index: RuleIndex | None = None):
        self.ruleset, self.facts, self.case, self.index = ruleset, facts, case, index
        self.derivers: dict[str, list[Any]] = {}
        for rule in ruleset.rules:
            for name in rule.derive:
                self.derivers.setdefault(name, []).append(rule)
        self.memo: dict[str, frozenset[str]] = {}
        self.truths: dict[tuple[int, int], bool | None] = {}

    def truth(self, node: ast.Expr, loan: Mapping[str, Any] | None = None) -> bool | None:
        """`truth`, once per node and loan: `of` asks it at every level of a condition and again below."""
        key = (id(node), -1 if loan is None else loan["i"])
        if key not in self.truths:
            self.truths[key] = _truth(node, self.facts, loan, self.index)
        return self.truths[key]

    def of(self, node: ast.Expr, loan: Mapping[str, Any] | None = None) -> set[str]:
        if self.truth(node, loan) is not None:
            return set()
        if isinstance(node, ast.Quant):
            if not self.facts.loans_known:
                return {"loans"}
            return {f for one in self.facts.loans for f in self.of(node.body, one)}
        if isinstance(node, (ast.BoolOp,)):
            return {f for item in node.items for f in self.of(item, loan)}
        if isinstance(node, ast.Not):
            return self.of(node.operand, loan)
        if isinstance(node, ast.Ref) and node.kind == "derived":
            return set(self.derived(node.key))
        out: set[str] = set()
        for ref in ast.refs(node):
            if ref.kind == "derived":
                out |= self.derived(ref.key)
            elif ref.kind != "param" and value(ref, self.facts, loan) is None:
                out |= self.fields(ref, loan)
        return out

    def derived(self, name: str) -> frozenset[str]:
        if name not in self.memo:
            self.memo[name] = frozenset()       # a cycle waits on nothing new
            self.memo[name] = frozenset(f for rule in self.derivers.get(name, ())
                                        for f in self.of(rule.condition))
        return self.memo[name]

    def fields(self, ref: ast.Ref, loan: Mapping[str, Any] | None) -> set[str]:
        """The case-file fields whose absence leaves `ref` unknown."""
        if ref.kind == "loan" and loan is not None:
            field = ref.name.removeprefix("loan.")
            return {f"loans[{loan['i']}].{f}" for f in _LOAN_INPUTS.get(field, (field,))
                    if f not in self.case.loans[loan["i"]].values}  # type: ignore[index]
        name = ref.name
        if name in _LOAN_SUMS:
            if self.case.loans is None:
                return {"loans"}
            field = _LOAN_SUMS[name]
            gaps = {f"loans[{one.index}].{field}" for one in self.case.loans if field not in one.values}
            if name.startswith("monthly_shortfall"):
                gaps |= self._blocks(("income", "expenses"))
            return gaps
        if name in _BLOCKS:
            gaps = self._blocks(_BLOCKS[name])
            if name.startswith("monthly_shortfall") and self.case.loans is not None:
                gaps |= {f"loans[{one.index}].monthly_payment" for one in self.case.loans
                         if "monthly_payment" not in one.values}
            return gaps
        if name == "loan_count":
            return {"loans"}
        return {name}

    def _blocks(self, blocks: tuple[str, ...]) -> set[str]:
        out: set[str] = set()
        for block in blocks:
            if block not in self.case.given:
                out.add(block)
            out |= {k for k in (*self.case.unknown, *self.case.bounds) if k.startswith(block + ".")}
        return out


PLAN = "plan"   # stands in the list of what a field decides when the negotiation plan waits on it


def ask_next(ruleset: RuleSet, facts: Facts, case: Case, fired: set[str], unknown: tuple[str, ...],
             plan_waits: tuple[str, ...] = (), limit: int = 3, index: RuleIndex | None = None) -> tuple[Question, ...]:
    """Of the fields the case lacks (`unknown`, the list the reader is shown), those that would decide the
    most advice rules, most first; a field the plan waits on counts the plan as one more. Ties keep the
    order of `unknown` (the case file's own order)."""
    if not unknown:
        return ()                           # nothing to ask for
    waits = Waits(ruleset, maybe_derived(ruleset, facts, index), case, index)
    deciding: dict[str, list[str]] = {field: [] for field in unknown}
    for rule in ruleset.rules:
        if rule.advice is None or rule.id in fired or waits.truth(rule.condition) is not None:
            continue
        for field in sorted(waits.of(rule.condition)):
            if field in deciding:
                deciding[field].append(rule.id)
    for field in plan_waits:
        if field in deciding:
            deciding[field].append(PLAN)
    order = {field: i for i, field in enumerate(unknown)}
    ranked = sorted((f for f in deciding if deciding[f]), key=lambda f: (-len(deciding[f]), order[f]))
    return tuple(Question(field=f, rules=tuple(deciding[f])) for f in ranked[:limit])
