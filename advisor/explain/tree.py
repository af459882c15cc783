"""Explain stage: the why-tree of a rule for one run, as frozen steps (report.Step).

Built from one run's Trace: the facts the engine was given and the firings it made. Conditions are
re-evaluated, compiled (expr/closure.py, the meaning of expr/evaluate.py), on those same facts — never by
running the engine again — and agreement.py has already checked that both fire exactly the same rules.
Each rule's tree is built once per run and kept; a derived fact's tree is the tree of the rule that
derived it, shared. The `because` lines of the advice are the conditions of these trees that held; the
leaves are worded by explain/wording.py for both, and explain/because.py gives the lines without a tree.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import t
from ..expr import ast
from ..expr.evaluate import value
from ..model import Facts, Rule
from ..report import Report, Step, Trace
from ..expr import placeholders
from . import wording
from .origins import Origins, show
from .asknext import maybe_derived
from .index import RuleIndex


SHOWN_LOANS = 20   # an explanation lists at most this many loans per quantifier, then says how many more


def conditions(rule: Rule) -> list[ast.Expr]:
    """The rule's conditions as a counsellor numbers them: the parts joined by a top-level `and` (the trees
    take them from RuleIndex.head, which keeps them)."""
    cond = rule.condition
    return list(cond.items) if isinstance(cond, ast.BoolOp) and cond.op == "and" else [cond]


class Trees:
    """The why-trees of one run, each built once: each condition with the values it read and where they
    came from, and each derived fact's own tree. (The `because` lines need no tree: explain/because.py.)"""

    def __init__(self, report: Report | None = None, *, trace: Trace | None = None, lang: str | None = None,
                 index: RuleIndex | None = None):
        trace = trace if trace is not None else (report.trace if report is not None else None)
        assert trace is not None, "a report made by Advisor.advise carries its trace"
        ruleset = trace.ruleset
        self.ruleset, self.report = ruleset, report
        self.lang: str = lang if lang is not None else (report.lang if report is not None else "zh")
        self.engine_facts: Facts = trace.facts
        self._open: Facts | None = None
        self.facts: Facts = self.engine_facts
        self.case = trace.case
        self.origins = Origins(self.case, self.engine_facts.case, ruleset.params, self.lang)
        self.fired = {f.rule for f in trace.firings}
        self.derived_by: dict[str, str] = {}
        for firing in trace.firings:
            for name in firing.asserted:
                self.derived_by.setdefault(name, firing.rule)
        self.index = index = index or RuleIndex.of(ruleset)
        self.derivers, self.by_id = index.derivers, index.by_id
        self.trees: dict[str, Step] = {}                   # rule id -> its tree
        self.seen_values: dict[tuple[str, str, int], str] = {}   # (kind, fact, loan) -> its value as shown

    @property
    def open_facts(self) -> Facts:
        """For a rule that did not fire, a derived fact that some rule could still derive once an unknown
        input is known is unknown (?), not false: the engine's view is kept for the rules that fired.
        Worked out only when a rule that did not fire is explained."""
        if self._open is None:
            self._open = maybe_derived(self.ruleset, self.engine_facts)
        return self._open

    # -- why ---------------------------------------------------------------------------------
    def why(self, rule_id: str, seen: frozenset[str] = frozenset()) -> Step:
        """The tree of a rule: its header, then each condition with its values and their origins. Built
        once per rule and kept (a derived fact's rule is shared by every tree that needs it)."""
        found = self.trees.get(rule_id)
        if found is not None:
            return found
        rule = self.by_id[rule_id]
        parts, heading, where = self.index.head(rule, self.lang)
        seen = seen | {rule_id}
        outer = self.facts
        self.facts = self.engine_facts if rule_id in self.fired else self.open_facts
        try:
            children = tuple([self.check(c, rule, None, seen) for c in parts])
        finally:
            self.facts = outer
        holds = children[0].holds if len(children) == 1 else _all(children)
        tree = Step(heading, holds, where, children, kind="rule", rule=rule.id)
        self.trees[rule_id] = tree
        return tree

    def check(self, node: ast.Expr, rule: Rule, loan: Mapping[str, Any] | None, seen: frozenset[str]) -> Step:
        """One condition (or part of one) with whether it held and why. A step's verdict is worked out from
        its parts' (three-valued, as expr/evaluate.py): each leaf is evaluated once."""
        cls = type(node)
        if cls is ast.Compare or cls is ast.In or cls is ast.Known or (isinstance(node, ast.Ref) and node.kind != "derived"):
            return self._leaf(node, rule, loan)
        text = self.index.text(rule, node)
        if isinstance(node, ast.BoolOp):
            children = tuple([self.check(i, rule, loan, seen) for i in node.items])
            holds = _all(children) if node.op == "and" else _any(children)
            return Step(text, holds, children=children, kind=node.op)
        if isinstance(node, ast.Not):
            operand = node.operand
            inner = (self._derived(operand.key, seen) if isinstance(operand, ast.Ref) and operand.kind == "derived"
                     else self.check(operand, rule, loan, seen))
            holds = None if inner.holds is None else not inner.holds
            return Step(text, holds, children=(inner,), kind="not")
        if isinstance(node, ast.Quant):
            return self._quantifier(node, text, rule, seen)
        if isinstance(node, ast.Ref) and node.kind == "derived":
            inner = self._derived(node.key, seen)
            return Step(text, inner.holds, children=(inner,))
        return Step(text, self._truth(node, loan))  # pragma: no cover - the checker admits nothing else

    def _leaf(self, node: ast.Expr, rule: Rule, loan: Mapping[str, Any] | None) -> Step:
        """A comparison, a choice, a known/unknown test or a yes/no fact, with its values."""
        holds = self._truth(node, loan)
        name = wording.name(node)(loan) if isinstance(node, ast.Ref) else ""
        return Step(self.leaf_text(node, loan, holds), holds, children=self._values(node, loan), name=name)

    def leaf_text(self, node: ast.Expr, loan: Mapping[str, Any] | None, holds: bool | None) -> str:
        """A leaf's words with its values (explain/wording.py, compiled once per condition)."""
        key = (id(node), bool(holds))
        words = self.index.words.get(key)
        if words is None:
            words = self.index.words[key] = wording.leaf(node, bool(holds))
        return words(self, loan)

    def _quantifier(self, node: ast.Quant, text: str, rule: Rule, seen: frozenset[str]) -> Step:
        if not self.facts.loans_known:
            none = t("why.no_loans", self.lang)
            return Step(text, None, children=(Step(none, None, kind="value"),), kind=node.kind)
        # Which loans to show: for a satisfied `any`, the loans that satisfied it; for a `no` that failed,
        # the loans that match; otherwise every loan. Beyond SHOWN_LOANS, one line says how many more.
        verdicts = [(loan, self._truth(node.body, loan)) for loan in self.facts.loans]
        found = [v for _, v in verdicts]
        exists = True if True in found else (None if None in found else False)
        holds = exists if node.kind == "any" else (None if exists is None else not exists)
        if exists:
            verdicts = [(loan, v) for loan, v in verdicts if v]
        body = self.index.text(rule, node.body)
        loans = []
        for loan, _ in verdicts[:SHOWN_LOANS]:
            inner = self.check(node.body, rule, loan, seen)
            loans.append(Step(f"loan[{loan.get('name')}]", inner.holds, children=(inner,),
                              name=str(loan.get("name"))))
        if len(verdicts) > SHOWN_LOANS:
            more = len(verdicts) - SHOWN_LOANS
            loans.append(Step(t("why.more_loans", self.lang, more=more),
                              None, kind="value"))
        return Step(text, holds, children=tuple(loans), kind=node.kind, name=body)

    def _derived(self, name: str, seen: frozenset[str]) -> Step:
        """A derived fact: the rule that derived it (and, unless already shown, why), or who could have."""
        rid = self.derived_by.get(name)
        if rid is not None:
            if rid in seen:
                return Step(f"{name} ← {rid}", True, kind="rule", name=name, rule=rid)
            tree = self.why(rid, seen)
            return Step(f"{name} ← {tree.text}", True, tree.origin, tree.children, kind="rule", name=name, rule=rid)
        could = ", ".join(self.derivers.get(name, ())) or "—"
        if name in self.facts.maybe:
            text = t("why.not_derived_yet", self.lang, name=name, could=could)
            return Step(text, None, kind="rule", name=name)
        text = t("why.derived_by_none", self.lang, name=name, could=could)
        return Step(text, False, kind="rule", name=name)

    def _truth(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> bool | None:
        compiled = self.index.truths.get(id(node))
        return (compiled or self.index.truth(node))(self.facts, loan)

    # -- values ------------------------------------------------------------------------------
    def _raw(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> Any:
        return value(node, self.facts, loan)

    def shown(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> str:
        """A value as the advice text shows it, with its unit; a fact's is worked out once per case (many
        rules read the same figures), a literal's once per rule set."""
        if type(node) is ast.Ref:
            key = (node.kind, node.key, loan["i"] if node.kind == "loan" and loan is not None else -1)
            found = self.seen_values.get(key)
            if found is None:
                found = self.seen_values[key] = self._show(node, loan)
            return found
        if isinstance(node, (ast.Num, ast.Str, ast.Bool, ast.Date)):
            lit = (id(node), self.lang)
            text = self.index.literals.get(lit)
            if text is None:
                text = self.index.literals[lit] = self._show(node, loan)
            return text
        return self._show(node, loan)

    def _show(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> str:
        raw = self._raw(node, loan)
        if raw is None:
            return "?"
        if isinstance(node, (ast.Num, ast.Str, ast.Bool)):
            return show(raw, "", self.lang) if not isinstance(raw, bool) else str(raw).lower()
        if isinstance(node, ast.Date):
            return node.value.isoformat()
        unit = self.index.units.get(id(node))
        if unit is None:
            unit = self.index.units[id(node)] = placeholders.unit_of(node, self.ruleset.params)
        return show(raw, unit, self.lang)  # the units of advice text

    def _values(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> tuple[Step, ...]:
        """The values a condition reads, each with where it came from."""
        steps, names = [], set()
        for ref in ast.refs(node):
            if ref.kind == "derived":
                continue
            name = ref.name if ref.kind != "param" else f"params.{ref.name}"
            if name in names:
                continue
            names.add(name)
            steps.append(self.origins.value_step(name, self._raw(ref, loan), loan if ref.kind == "loan" else None))
        return tuple(steps)


def _all(steps: tuple[Step, ...]) -> bool | None:
    """Three-valued `and` of the steps' verdicts."""
    found = [s.holds for s in steps]
    return False if False in found else (None if None in found else True)


def _any(steps: tuple[Step, ...]) -> bool | None:
    """Three-valued `or` of the steps' verdicts."""
    found = [s.holds for s in steps]
    return True if True in found else (None if None in found else False)
