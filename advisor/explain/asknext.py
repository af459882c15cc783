"""Ask-next stage: which unknown inputs would change the most advice, so the reader fills those first.

The three-valued evaluator knows which conditions wait on which facts. A rule that did not fire but
whose condition is unknown (neither true nor false) waits on the unknown facts under it; a derived fact
that no rule derived but some rule still might is itself unknown (`Facts.maybe`), so the wait passes
through the chain (`cannot_cover_payments` ← `monthly_shortfall` ← each loan's `monthly_payment`).
Each unknown fact is named as the case file names it (`income`, `loans[2].monthly_payment`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping

from ..expr import ast, closure
from ..expr.evaluate import truth
from ..model import Case, Facts, RuleSet
from ..report import Question

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


# id(condition node) -> that condition compiled (expr/closure.py `every`: the same meaning, faster).
Compiled = Mapping[int, Callable[[Facts, Mapping[str, Any] | None], "bool | None"]]
NONE_COMPILED: Compiled = {}


def _truth(compiled: Compiled, node: ast.Expr, facts: Facts, loan: Mapping[str, Any] | None = None) -> bool | None:
    found = compiled.get(id(node))
    return truth(node, facts, loan) if found is None else found(facts, loan)


def maybe_derived(ruleset: RuleSet, facts: Facts, compiled: Compiled = NONE_COMPILED) -> Facts:
    """`facts` with `maybe`: the derived facts some unfired rule could still derive (to a fixpoint)."""
    maybe: set[str] = set()
    deriving = [rule for rule in ruleset.rules if rule.derive]
    while True:
        now = replace(facts, maybe=frozenset(maybe))
        grown = {name for rule in deriving if _truth(compiled, rule.condition, now) is None
                 for name in rule.derive if name not in facts.derived} - maybe
        if not grown:
            return now
        maybe |= grown


class Waits:
    """Which case-file fields a condition waits on.

    A condition is walked once, bottom up (`_walker`): each leaf's verdict comes from its compiled closure,
    each and/or/not/quantifier combines its parts' verdicts three-valued as expr/closure.py does, and only a
    part whose verdict is unknown passes on the fields it waits on. (Asking each level's verdict afresh,
    top down, evaluated every leaf once per level above it.)"""

    def __init__(self, ruleset: RuleSet, facts: Facts, case: Case, compiled: Compiled = NONE_COMPILED,
                 walkers: dict[int, Walker] | None = None):
        self.ruleset, self.facts, self.case, self.compiled = ruleset, facts, case, compiled
        self.walkers: dict[int, Walker] = {} if walkers is None else walkers
        self.derivers: dict[str, list[Any]] = {}
        for rule in ruleset.rules:
            for name in rule.derive:
                self.derivers.setdefault(name, []).append(rule)
        self.memo: dict[str, frozenset[str]] = {}
        self.truths: dict[tuple[int, int], bool | None] = {}
        self._gaps: dict[tuple[str, str, int], frozenset[str]] = {}

    def truth(self, node: ast.Expr, loan: Mapping[str, Any] | None = None) -> bool | None:
        """`truth`, once per node and loan."""
        key = (id(node), -1 if loan is None else loan["i"])
        if key not in self.truths:
            self.truths[key] = _truth(self.compiled, node, self.facts, loan)
        return self.truths[key]

    def of(self, node: ast.Expr, loan: Mapping[str, Any] | None = None) -> set[str]:
        """The fields `node` waits on: none when its verdict is known."""
        if self.truth(node, loan) is not None:
            return set()
        return set(self.walk(node)(self, loan)[1])

    def walk(self, node: ast.Expr) -> Walker:
        found = self.walkers.get(id(node))
        if found is None:
            found = self.walkers[id(node)] = _walker(node, self.compiled, self.walkers)
        return found

    def derived(self, name: str) -> frozenset[str]:
        if name not in self.memo:
            self.memo[name] = frozenset()       # a cycle waits on nothing new
            self.memo[name] = frozenset(f for rule in self.derivers.get(name, ())
                                        for f in self.walk(rule.condition)(self, None)[1])
        return self.memo[name]

    def gaps(self, ref: ast.Ref, loan: Mapping[str, Any] | None) -> frozenset[str]:
        """`fields`, once per case for each figure (and loan): many conditions read the same figures."""
        key = (ref.kind, ref.name, -1 if loan is None or ref.kind != "loan" else loan["i"])
        found = self._gaps.get(key)
        if found is None:
            found = self._gaps[key] = frozenset(self.fields(ref, loan))
        return found

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


# A condition's verdict for (waits, loan) and, when that is unknown, the fields it waits on.
Walker = Callable[["Waits", "Mapping[str, Any] | None"], "tuple[bool | None, frozenset[str]]"]
_NOTHING: frozenset[str] = frozenset()
_LOANS = frozenset({"loans"})


def _walker(node: ast.Expr, compiled: Compiled, into: dict[int, Walker]) -> Walker:
    """`node` compiled into a Walker, its parts too (kept in `into`, keyed by id, as the rule set lives).
    Like the compiled conditions, an `and` stops at a part that is false, an `or` at one that is true."""
    def part(child: ast.Expr) -> Walker:
        found = into.get(id(child))
        if found is None:
            found = into[id(child)] = _walker(child, compiled, into)
        return found

    if isinstance(node, ast.BoolOp):
        items, stop = tuple(part(i) for i in node.items), node.op == "or"

        def boolean(w: Waits, loan: Mapping[str, Any] | None) -> tuple[bool | None, frozenset[str]]:
            waiting: list[frozenset[str]] = []
            for item in items:
                verdict, fields = item(w, loan)
                if verdict is stop:
                    return stop, _NOTHING
                if verdict is None:
                    waiting.append(fields)
            return (None, frozenset().union(*waiting)) if waiting else (not stop, _NOTHING)
        return boolean
    if isinstance(node, ast.Not):
        inner = part(node.operand)

        def negation(w: Waits, loan: Mapping[str, Any] | None) -> tuple[bool | None, frozenset[str]]:
            verdict, fields = inner(w, loan)
            return (None, fields) if verdict is None else (not verdict, _NOTHING)
        return negation
    if isinstance(node, ast.Quant):
        body, exists_only = part(node.body), node.kind == "any"

        def quantifier(w: Waits, loan: Mapping[str, Any] | None) -> tuple[bool | None, frozenset[str]]:
            if not w.facts.loans_known:
                return None, _LOANS
            waiting: list[frozenset[str]] = []
            for one in w.facts.loans:
                verdict, fields = body(w, one)
                if verdict is True:
                    return exists_only, _NOTHING
                if verdict is None:
                    waiting.append(fields)
            return (None, frozenset().union(*waiting)) if waiting else (not exists_only, _NOTHING)
        return quantifier
    verdict = compiled.get(id(node)) or closure.truth(node)
    if isinstance(node, ast.Ref) and node.kind == "derived":
        key = node.key

        def derived(w: Waits, loan: Mapping[str, Any] | None) -> tuple[bool | None, frozenset[str]]:
            v = verdict(w.facts, loan)
            return (None, w.derived(key)) if v is None else (v, _NOTHING)
        return derived
    refs = tuple({(r.kind, r.key): r for r in ast.refs(node) if r.kind != "param"}.values())

    def leaf(w: Waits, loan: Mapping[str, Any] | None) -> tuple[bool | None, frozenset[str]]:
        v = verdict(w.facts, loan)
        if v is not None:
            return v, _NOTHING
        out = _NOTHING
        for ref in refs:
            if ref.kind == "derived":
                out = out | w.derived(ref.key)
            elif (w.facts.case if ref.kind != "loan" else loan or {}).get(ref.key) is None:
                out = out | w.gaps(ref, loan)
        return None, out
    return leaf

PLAN = "plan"   # stands in the list of what a field decides when the negotiation plan waits on it


def ask_next(ruleset: RuleSet, facts: Facts, case: Case, fired: set[str], unknown: tuple[str, ...],
             plan_waits: tuple[str, ...] = (), limit: int = 3,
             compiled: Compiled = NONE_COMPILED, walkers: dict[int, Walker] | None = None) -> tuple[Question, ...]:
    """Of the fields the case lacks (`unknown`, the list the reader is shown), those that would decide the
    most advice rules, most first; a field the plan waits on counts the plan as one more. Ties keep the
    order of `unknown` (the case file's own order). `compiled`: the conditions compiled, if at hand;
    `walkers`: where the conditions' walkers are kept between cases (one dict per rule set)."""
    if not unknown:
        return ()                           # nothing to ask for
    waits = Waits(ruleset, maybe_derived(ruleset, facts, compiled), case, compiled, walkers)
    deciding: dict[str, list[str]] = {field: [] for field in unknown}
    for rule in ruleset.rules:
        if rule.advice is None or rule.id in fired:
            continue
        verdict, fields = waits.walk(rule.condition)(waits, None)
        if verdict is not None:
            continue
        for field in sorted(fields):
            if field in deciding:
                deciding[field].append(rule.id)
    for field in plan_waits:
        if field in deciding:
            deciding[field].append(PLAN)
    order = {field: i for i, field in enumerate(unknown)}
    ranked = sorted((f for f in deciding if deciding[f]), key=lambda f: (-len(deciding[f]), order[f]))
    return tuple(Question(field=f, rules=tuple(deciding[f])) for f in ranked[:limit])
