"""Audit stage: why each rule fired, and why another did not, as trees of steps.

Built from one run's Trace: the facts the engine was given and the firings it made. Conditions are
re-evaluated by the reference evaluator (expr/evaluate.py) on those same facts — never by running the
engine again — and agreement.py has already checked that both fire exactly the same rules.

Status of a rule for a case:
  fired          its condition held (its advice is shown, or its fact derived)
  failed         condition N did not hold: the value seen and the threshold are shown
  unknown        no condition failed, but one depends on a fact the case does not state
  not_in_force   it is bounded by a date (a parameter in force on as_of or a contract date) that the
                 case's date is outside of
  blocked        it needs a fact to be absent that another rule derived
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import t
from ..expr import ast
from ..expr.evaluate import truth, value
from ..model import Facts, Rule, RuleSet
from ..report import Explanation, Report, Status, Step
from ..expr import placeholders
from .origins import Origins, show
from .asknext import Waits, maybe_derived
from ..knowledge.vocabulary import missing_words


SHOWN_LOANS = 20   # an explanation lists at most this many loans per quantifier, then says how many more
WAITS_SHOWN = 5    # a rule's "unknown input" summary names at most this many fields, then says how many more


def conditions(rule: Rule) -> list[ast.Expr]:
    """The rule's conditions as a counsellor numbers them: the parts joined by a top-level `and`."""
    cond = rule.condition
    return list(cond.items) if isinstance(cond, ast.BoolOp) and cond.op == "and" else [cond]


class Auditor:
    """Explains one run (a Report with its Trace) against the rule set it came from."""

    def __init__(self, report: Report):
        assert report.trace is not None, "a report made by Advisor.advise carries its trace"
        ruleset = report.trace.ruleset
        self.ruleset, self.report, self.lang = ruleset, report, report.lang
        self.engine_facts: Facts = report.trace.facts
        # For a rule that did not fire, a derived fact that some rule could still derive once an unknown
        # input is known is unknown (?), not false: the engine's view is kept for the rules that fired.
        self.open_facts: Facts = maybe_derived(ruleset, self.engine_facts)
        self.facts: Facts = self.open_facts
        self.case = report.trace.case
        self.origins = Origins(self.case, self.facts.case, ruleset.params, self.lang)
        self.fired = {f.rule for f in report.trace.firings}
        self.derived_by: dict[str, str] = {}
        for firing in report.trace.firings:
            for name in firing.asserted:
                self.derived_by.setdefault(name, firing.rule)
        self.derivers: dict[str, list[str]] = {}
        for rule in ruleset.rules:
            for name in rule.derive:
                self.derivers.setdefault(name, []).append(rule.id)
        self.by_id = {r.id: r for r in ruleset.rules}

    # -- why ---------------------------------------------------------------------------------
    def why(self, rule_id: str, seen: frozenset[str] = frozenset()) -> Step:
        """The tree of a rule: its header, then each condition with its values and their origins."""
        rule = self.by_id[rule_id]
        seen = seen | {rule_id}
        outer, self.facts = self.facts, (self.engine_facts if rule_id in self.fired else self.open_facts)
        try:
            children = tuple(self.check(c, rule, None, seen) for c in conditions(rule))
            holds = truth(rule.condition, self.facts)
        finally:
            self.facts = outer
        return Step(f"{rule.id} — {rule.title.get(self.lang)}", holds,
                    f"{rule.location.file}:{rule.location.line}", children, kind="rule")

    def check(self, node: ast.Expr, rule: Rule, loan: Mapping[str, Any] | None, seen: frozenset[str]) -> Step:
        """One condition (or part of one) with whether it held and why."""
        holds = truth(node, self.facts, loan)
        text = " ".join(rule.when[node.span[0]:node.span[1]].split())   # one line, as a reader quotes it
        if isinstance(node, ast.BoolOp):
            return Step(text, holds, children=tuple(self.check(i, rule, loan, seen) for i in node.items),
                        kind=node.op)
        if isinstance(node, ast.Not):
            inner = node.operand
            if isinstance(inner, ast.Ref) and inner.kind == "derived":
                return Step(text, holds, children=(self._derived(inner.key, seen),), kind="not")
            return Step(text, holds, children=(self.check(inner, rule, loan, seen),), kind="not")
        if isinstance(node, ast.Quant):
            return self._quantifier(node, text, holds, rule, seen)
        if isinstance(node, ast.Ref) and node.kind == "derived":
            return Step(text, holds, children=(self._derived(node.key, seen),))
        if isinstance(node, ast.Compare):
            return Step(self._comparison(node, loan, holds), holds, children=self._values(node, loan))
        if isinstance(node, ast.In):
            item = node.item
            assert isinstance(item, ast.Ref)
            choices = ", ".join(f"'{c.value}'" for c in node.choices)
            word = "not in" if node.negated else "in"
            return Step(f"{self._name(item, loan)} = {self._shown(item, loan)} {word} [{choices}]", holds,
                        children=self._values(node, loan))
        if isinstance(node, ast.Known):
            ref = node.ref
            assert isinstance(ref, ast.Ref)
            word = "known" if node.known else "unknown"
            return Step(f"{self._name(ref, loan)} is {word}", holds, children=self._values(node, loan))
        if isinstance(node, ast.Ref):
            return Step(f"{self._name(node, loan)} = {self._shown(node, loan)}", holds,
                        children=self._values(node, loan))
        return Step(text, holds)  # pragma: no cover - the checker admits nothing else

    def _quantifier(self, node: ast.Quant, text: str, holds: bool | None, rule: Rule,
                    seen: frozenset[str]) -> Step:
        if not self.facts.loans_known:
            none = t("why.no_loans", self.lang)
            return Step(text, holds, children=(Step(none, None, kind="value"),))
        # Which loans to show: for a satisfied `any`, the loans that satisfied it; for a `no` that failed,
        # the loans that match; otherwise every loan. Beyond SHOWN_LOANS, one line says how many more.
        verdicts = [(loan, truth(node.body, self.facts, loan)) for loan in self.facts.loans]
        if (node.kind == "any" and holds) or (node.kind == "no" and holds is False):
            verdicts = [(loan, v) for loan, v in verdicts if v]
        loans = []
        for loan, _ in verdicts[:SHOWN_LOANS]:
            inner = self.check(node.body, rule, loan, seen)
            loans.append(Step(f"loan[{loan.get('name')}]", inner.holds, children=(inner,)))
        if len(verdicts) > SHOWN_LOANS:
            more = len(verdicts) - SHOWN_LOANS
            loans.append(Step(t("why.more_loans", self.lang, more=more),
                              None, kind="value"))
        return Step(text, holds, children=tuple(loans), kind=node.kind)

    def _derived(self, name: str, seen: frozenset[str]) -> Step:
        """A derived fact: the rule that derived it (and, unless already shown, why), or who could have."""
        rid = self.derived_by.get(name)
        if rid is not None:
            if rid in seen:
                return Step(f"{name} ← {rid}", True, kind="rule")
            tree = self.why(rid, seen)
            return Step(f"{name} ← {tree.text}", True, tree.origin, tree.children, kind="rule")
        could = ", ".join(self.derivers.get(name, ())) or "—"
        if name in self.facts.maybe:
            text = t("why.not_derived_yet", self.lang, name=name, could=could)
            return Step(text, None, kind="rule")
        text = t("why.derived_by_none", self.lang, name=name, could=could)
        return Step(text, False, kind="rule")

    # -- values ------------------------------------------------------------------------------
    def _name(self, ref: ast.Ref, loan: Mapping[str, Any] | None) -> str:
        if ref.kind == "loan" and loan is not None:
            return f"loan[{loan.get('name')}].{ref.name.removeprefix('loan.')}"
        return ref.name if ref.kind != "param" else f"params.{ref.name}"

    def _raw(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> Any:
        return value(node, self.facts, loan)

    def _shown(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> str:
        raw = self._raw(node, loan)
        if raw is None:
            return "?"
        if isinstance(node, (ast.Num, ast.Str, ast.Bool)):
            return show(raw, "", self.lang) if not isinstance(raw, bool) else str(raw).lower()
        if isinstance(node, ast.Date):
            return node.value.isoformat()
        return show(raw, placeholders.unit_of(node, self.ruleset.params), self.lang)  # the units of advice text

    def _side(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> str:
        if isinstance(node, ast.Ref) and node.kind in ("case", "loan"):
            return f"{self._name(node, loan)} = {self._shown(node, loan)}"
        if isinstance(node, (ast.Num, ast.Str, ast.Bool, ast.Date)):
            return self._shown(node, loan)
        text = self._name(node, loan) if isinstance(node, ast.Ref) else _source(node)
        return f"{self._shown(node, loan)} ({text})"

    def _comparison(self, node: ast.Compare, loan: Mapping[str, Any] | None, holds: bool | None) -> str:
        left, right, op = node.left, node.right, node.op
        if not (isinstance(left, ast.Ref) and left.kind in ("case", "loan")) and isinstance(right, ast.Ref):
            left, right, op = right, left, ast.FLIP[op]
        if holds and isinstance(left, ast.Ref) and (isinstance(right, ast.Bool) or (
                op == "==" and isinstance(right, (ast.Str, ast.Num, ast.Date)))):
            return f"{self._name(left, loan)} = {self._shown(left, loan)}"
        return f"{self._side(left, loan)} {op} {self._side(right, loan)}"

    def _values(self, node: ast.Expr, loan: Mapping[str, Any] | None) -> tuple[Step, ...]:
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

    # -- why not -----------------------------------------------------------------------------
    def status(self, rule_id: str) -> Status:
        rule = self.by_id[rule_id]
        tree = self.why(rule_id)
        if rule_id in self.fired:
            above = tuple(r.id for r in self.ruleset.rules if rule_id in r.outranks and r.id in self.fired)
            return Status(rule=rule_id, state="fired", condition=0, summary=self._fired_summary(rule, above),
                          detail=tree, outranked_by=above)
        parts = list(tree.children)
        failed = next((i for i, s in enumerate(parts) if s.holds is False), None)
        if failed is None:
            # what the rule waits on, through the derived facts it needs, in the case file's words
            waiting = Waits(self.ruleset, self.open_facts, self.case).of(rule.condition)
            shown = list(self.report.unknown)     # the fields the reader is asked for come first
            ranked = sorted(waiting, key=lambda f: (shown.index(f) if f in shown else len(shown), f))
            unknown = [f"{missing_words(f, self.lang)} ({f})" for f in ranked[:WAITS_SHOWN]]
            if len(ranked) > WAITS_SHOWN:
                more = len(ranked) - WAITS_SHOWN
                unknown.append(t("why.more_fields", self.lang, more=more))
            unknown = unknown or [s.text for s in parts if s.holds is None]
            words = t("why.unknown_input", self.lang)
            return Status(rule=rule_id, state="unknown", condition=0, summary=words + (", ".join(unknown) or "?"),
                          detail=tree)
        node, step = conditions(rule)[failed], parts[failed]
        state = _state(node, step, self.ruleset)
        return Status(rule=rule_id, state=state, condition=failed + 1,
                      summary=self._failed_summary(state, failed + 1, step), detail=tree)

    def statuses(self) -> list[Status]:
        return [self.status(r.id) for r in self.ruleset.rules]

    def _fired_summary(self, rule: Rule, above: tuple[str, ...]) -> str:
        rank = next((a.rank for a in self.report.advice if a.rule == rule.id), None)
        lang, sep = self.lang, t("list_sep", self.lang)
        text = t("why.fired", lang) + (t("why.advice_rank", lang, rank=rank) if rank else "")
        if not rule.advice:
            text += t("why.derives", lang, names=sep.join(rule.derive))
        if above:
            text += t("why.outranked", lang, names=sep.join(above))
        return text

    def _failed_summary(self, state: str, number: int, step: Step) -> str:
        reason = deciding(step)
        if state == "blocked":
            return t("why.blocked", self.lang, reason=reason)
        if state == "not_in_force":
            return t("why.not_in_force", self.lang, day=self.case.as_of.isoformat(), reason=reason)
        return t("why.failed", self.lang, number=number, reason=reason)


def explain(report: Report) -> Explanation:
    """The explanation of one run: every rule's status and tree, built once for every reader."""
    return Explanation(statuses=tuple(Auditor(report).statuses()))


def _source(node: ast.Expr) -> str:
    if isinstance(node, ast.Ref):
        return node.name if node.kind != "param" else f"params.{node.name}"
    if isinstance(node, ast.Arith):
        return f"{_source(node.left)} {node.op} {_source(node.right)}"
    if isinstance(node, ast.Neg):
        return f"-{_source(node.operand)}"
    return str(getattr(node, "value", "?"))


def _leaves(step: Step) -> list[Step]:
    if not step.children:
        return [step]
    return [leaf for child in step.children for leaf in _leaves(child)]


def deciding(step: Step, limit: int = 3) -> str:
    """What made a failed condition fail, in one line: the innermost failed checks, each marked ✗
    (for `or` every alternative, for `any` every loan, for `no` the loans that match)."""
    checks = [c for c in step.children if c.kind != "value"]
    if step.kind in ("and", "check") or not checks:
        failed = next((c for c in checks if c.holds is False), None)
        return deciding(failed, limit) if failed is not None and step.kind == "and" else f"✗ {step.text}"
    if step.kind == "or":
        return " ; ".join(deciding(c, limit) for c in checks)
    if step.kind == "any":
        parts = [f"{c.text}: {deciding(c.children[0], limit)}" for c in checks[:limit]]
        return " ; ".join(parts + (["…"] if len(checks) > limit else [])) or f"✗ {step.text}"
    if step.kind == "no":
        matching = [c.text for c in checks if c.holds]
        return f"✗ {step.text} — " + ", ".join(matching[:limit])
    if step.kind == "not":
        return f"✗ {step.text} — " + (checks[0].text if checks else "")
    return f"✗ {step.text}"


def _state(node: ast.Expr, step: Step, ruleset: RuleSet) -> str:
    if isinstance(node, ast.Not) and isinstance(node.operand, ast.Ref) and node.operand.kind == "derived":
        return "blocked"
    dated = {f"params.{p.name}" for p in ruleset.params.values() if p.unit == "date" or p.on == "as_of"}
    refs = {r.name if r.kind != "param" else f"params.{r.name}" for r in ast.refs(node)}
    if "as_of" in refs and refs & dated:
        return "not_in_force"
    return "failed"
