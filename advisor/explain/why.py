"""Audit stage: why each rule fired, and why another did not, from the run's why-trees (explain/tree.py).

Status of a rule for a case:
  fired          its condition held (its advice is shown, or its fact derived)
  failed         condition N did not hold: the value seen and the threshold are shown
  unknown        no condition failed, but one depends on a fact the case does not state
  not_in_force   it is bounded by a date (a parameter in force on as_of or a contract date) that the
                 case's date is outside of
  blocked        it needs a fact to be absent that another rule derived
"""
from __future__ import annotations

from ..i18n import t
from ..expr import ast
from ..model import Rule, RuleSet
from ..report import Explanation, Report, Status, Step
from .asknext import Waits
from .tree import SHOWN_LOANS, Trees, conditions
from ..knowledge.vocabulary import missing_words

__all__ = ["Auditor", "SHOWN_LOANS", "conditions", "deciding", "explain"]

WAITS_SHOWN = 5    # a rule's "unknown input" summary names at most this many fields, then says how many more


class Auditor(Trees):
    """Explains one run against the rule set it came from: the why-tree of any rule (built once and
    kept, explain/tree.py) and its status, why it fired or what stopped it.

    `Auditor(report)` explains a finished report; the pipeline makes one from the run's trace before the
    report exists (`Auditor(trace=…, lang=…)`) so that the advice's `because` lines come from the same
    trees, then `bind`s the report for the statuses (their summaries name the advice's rank)."""

    def bind(self, report: Report) -> Auditor:
        """The report these trees explain (the statuses read its unknown fields and the advice's ranks)."""
        self.report = report
        return self

    # -- why not -----------------------------------------------------------------------------
    def status(self, rule_id: str) -> Status:
        assert self.report is not None, "a status names the report's unknown fields and ranks: bind the report"
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
        assert self.report is not None
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


def explain(report: Report, auditor: Auditor | None = None, every_rule: bool = False) -> Explanation:
    """The explanation of one run, built once for every reader: the why-tree of each piece of advice and
    each finding (from `auditor`'s trees when the pipeline already built them) and, with `every_rule`,
    every rule's status and tree."""
    auditor = (auditor or Auditor(report)).bind(report)
    trees = {rid: auditor.why(rid) for rid in (*(a.rule for a in report.advice),
                                                           *(f.rule for f in report.findings))}
    return Explanation(trees=trees, statuses=tuple(auditor.statuses()) if every_rule else ())


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
