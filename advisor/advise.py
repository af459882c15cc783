"""The pipeline for one case: facts -> engine -> trace -> explanations -> ranked advice -> Report."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .expr import placeholders
from .plan import budget as plan_budget
from .plan import offers as plan
from .plan import adjust
from .plan.evidence import evidence_list
from .errors import CaseError, Diagnostic
from .i18n import said
from .engine.agreement import Reference, check_agreement
from .explain.asknext import Walker, ask_next
from .explain.index import RuleIndex
from .explain.why import Auditor, explain as explain_report
from .engine.compiler import Compiled, compile_ruleset
from .expr.strata import stratify
from .engine.durable import Engine, shared_engine
from .explain.because import held
from .model import Case, Facts, Firing, Rule, RuleSet, Text
from .engine.facts import case_fact, loan_facts
from .knowledge.figures import SUMMARY_KEYS, bounds, missing
from .report import Advice, Finding, Plan, Report, Trace
from .ranking import rank


@dataclass(frozen=True)
class Advisor:
    """A loaded, compiled and registered rule set, ready to evaluate many cases."""

    ruleset: RuleSet
    compiled: Compiled
    engine: Engine
    reference: Reference
    plan_params: dict[str, float] | None          # None: the rules folder has no plan parameters
    templates: dict[str, placeholders.Placeholder] = field(default_factory=dict, compare=False)
    index: RuleIndex | None = field(default=None, compare=False)   # the rules by id, for the explanations
    walkers: dict[int, Walker] = field(default_factory=dict, compare=False)   # ask-next's, built as used

    @classmethod
    def build(cls, ruleset: RuleSet, engine: Engine | None = None, prepared: Prepared | None = None) -> "Advisor":
        """`prepared`: prepare(ruleset) when at hand (the rule-set cache keeps it, `from_folder`)."""
        engine = engine or shared_engine()
        compiled, strata, kept = prepared if prepared is not None else prepare(ruleset)
        engine.prepare(compiled)
        has_plan = all(name in ruleset.params for name in plan_budget.PARAMS)
        plan_params = plan_budget.values(ruleset.params) if has_plan else None
        return cls(ruleset, compiled, engine, Reference.of(ruleset, strata), plan_params,
                   templates={text: placeholders.revived(found) for text, found in kept.items()},
                   index=RuleIndex.of(ruleset))

    @classmethod
    def from_folder(cls, directory: Path) -> "Advisor":
        """The Advisor of a rules folder: the rules and their compiled form from the rule-set cache when the
        very same files (and code) were loaded before (load/cache.py)."""
        from .load.cache import load_rules_with

        ruleset, prepared = load_rules_with(directory, prepare)
        return cls.build(ruleset, prepared=prepared)

    def evaluate(self, case: Case) -> tuple[Facts, tuple[Firing, ...]]:
        """Run the engine on a case: the facts it saw and every firing, in order. With a journal, the adjusted
        offer after a refusal (5.2) comes from the plan; a loan the limitation rules then hold gets none (an
        offer could revive a time-barred debt), so the case runs once more with the plan that holds it."""
        if not case.journal or self.plan_params is None:
            return self._evaluate(case, None)
        journal = adjust.journal_view(case, plan.build(case, self.plan_params))
        facts, firings = self._evaluate(case, journal)
        held = _held(firings)
        if held:
            holding = adjust.journal_view(case, plan.build_holding(case, self.plan_params, held))
            if holding != journal:
                return self._evaluate(case, holding)
        return facts, firings

    def _evaluate(self, case: Case, journal: Mapping[str, Any] | None) -> tuple[Facts, tuple[Firing, ...]]:
        fact = case_fact(case, self.ruleset.params, journal)
        loans = loan_facts(case, self.ruleset.params)
        firings = self.engine.evaluate(self.compiled, fact, loans)
        derived = frozenset(f for firing in firings for f in firing.asserted)
        facts = Facts(fact, tuple(loans), derived, self.compiled.params, case.loans is not None)
        check_agreement(self.reference, facts, firings)
        return facts, firings

    def advise(self, case: Case, lang: str = "zh", explain: bool = False, every_rule: bool = False) -> Report:
        """The advice for a case, ranked, with the plan and the trace; with `explain`, also the why-tree of
        each piece of advice and finding, and with `every_rule` every rule's status, why it fired or did
        not (the Report's `explanation`, built once for the JSON, Markdown, explain and web views).
        The `because` lines are the conditions of the same trees that held (explain/because.py: no tree is
        built for them)."""
        explain = explain or every_rule
        facts, firings = self.evaluate(case)
        trace = Trace(case=case, facts=facts, firings=firings, ruleset=self.ruleset)
        auditor = Auditor(trace=trace, lang=lang, index=self.index)
        origin: dict[str, str] = {}
        for firing in firings:
            for name in firing.asserted:
                origin.setdefault(name, firing.rule)
        by_rule: dict[str, list[Firing]] = {}
        for firing in firings:
            by_rule.setdefault(firing.rule, []).append(firing)
        rules = [self.ruleset.rule(rid) for rid in by_rule]
        advising = rank([r for r in rules if r.advice is not None])
        advice = [self._advice(rank_no, rule, by_rule[rule.id], facts, auditor, lang)
                  for rank_no, rule in enumerate(advising, 1)]
        findings = [self._finding(rule, by_rule[rule.id], facts, auditor, lang)
                    for rule in sorted(rules, key=lambda r: r.order) if rule.finding is not None]
        summary = {key: facts.case.get(key) for key in SUMMARY_KEYS}
        held = _held(firings)
        negotiation_plan = None if self.plan_params is None else plan.build_holding(case, self.plan_params, held)
        unknown = missing(case)
        report = Report(
            as_of=case.as_of, case=case.name, summary=summary, unknown=unknown, advice=tuple(advice),
            derived=tuple(sorted(origin)), firings=firings, fingerprint=self.ruleset.fingerprint,
            rule_count=len(self.ruleset.rules), engine={"name": self.engine.name, "version": self.engine.version},
            lang=lang, trace=trace, plan=negotiation_plan,
            findings=tuple(findings), bounds=bounds(facts.case),
            ask_next=ask_next(self.ruleset, facts, case, set(by_rule), unknown, _plan_waits(negotiation_plan),
                              compiled=self.reference.parts, walkers=self.walkers),
            evidence=evidence_list(case))
        return replace(report, explanation=explain_report(report, auditor, every_rule)) if explain else report

    def brief(self, case: Case, lang: str = "zh") -> Brief:
        """What a batch result line carries: the ranked advice and the summary figures, computed as `advise`
        computes them, without the explanations, questions and plan the line does not carry. The texts are
        still filled in, so a case whose advice or findings cannot be shown fails here as in `advise` (C023)."""
        facts, firings = self.evaluate(case)
        by_rule: dict[str, list[Firing]] = {}
        for firing in firings:
            by_rule.setdefault(firing.rule, []).append(firing)
        rules = [self.ruleset.rule(rid) for rid in by_rule]
        advising = rank([r for r in rules if r.advice is not None])
        for rule in advising:                                   # in advise's order: the same first error
            assert rule.advice is not None
            self._text(rule, rule.advice, by_rule[rule.id], facts, lang)
        for rule in sorted(rules, key=lambda r: r.order):
            if rule.finding is not None:
                self._text(rule, rule.finding, by_rule[rule.id], facts, lang)
        return Brief(case.name, {key: facts.case.get(key) for key in SUMMARY_KEYS},
                     tuple((n, r.id, r.priority or "") for n, r in enumerate(advising, 1)), self.ruleset.fingerprint)

    def _advice(self, rank_no: int, rule: Rule, firings: list[Firing], facts: Facts, auditor: Auditor,
                lang: str) -> Advice:
        assert rule.advice is not None and rule.priority is not None
        text, lines = self._words(rule, rule.advice, firings, facts, auditor, lang)
        return Advice(rank=rank_no, rule=rule.id, priority=rule.priority, title=rule.title.get(lang), text=text,
                      sources=rule.sources, because=lines)

    def _finding(self, rule: Rule, firings: list[Firing], facts: Facts, auditor: Auditor,
                 lang: str) -> Finding:
        assert rule.finding is not None
        text, lines = self._words(rule, rule.finding, firings, facts, auditor, lang)
        return Finding(rule=rule.id, text=text, sources=rule.sources, because=lines, derived=rule.derive)

    def _words(self, rule: Rule, words: Text, firings: list[Firing], facts: Facts, auditor: Auditor,
               lang: str) -> tuple[str, tuple[str, ...]]:
        """A rule's text with the case's numbers filled in, and its because-lines: the conditions of its why-tree
        that held (worded as the tree words them, without building the tree)."""
        return self._text(rule, words, firings, facts, lang), held(auditor, rule.id)

    def _text(self, rule: Rule, words: Text, firings: list[Firing], facts: Facts, lang: str) -> str:
        """A rule's text with the case's numbers filled in (the loans its firings matched, in index order)."""
        loans: dict[int, Mapping[str, Any]] = {}
        for firing in firings:
            for loan in firing.loans:
                loans.setdefault(loan["i"], loan)
        matched: list[Mapping[str, Any]] = [loans[i] for i in sorted(loans)]
        try:
            return placeholders.fill(words.get(lang), lambda name: placeholders.render(
                self._placeholder(name), facts, matched, lang))
        except placeholders.OffCalendar as exc:
            raise _off_calendar(rule, exc) from None

    def _placeholder(self, text: str) -> placeholders.Placeholder:
        """Placeholders were checked when the rules loaded; each is compiled once per Advisor."""
        found = self.templates.get(text)
        if found is None:
            derived = _derived_names(self.ruleset)
            found = placeholders.compile_placeholder(text, self.ruleset.params, derived)
            self.templates[text] = found
        return found


Prepared = tuple[Compiled, dict[str, int], dict[str, placeholders.Placeholder]]


def prepare(ruleset: RuleSet) -> Prepared:
    """What an Advisor is built from besides the rules, and can be kept with them: the rules compiled for the
    engine, each rule's stratum (which the reference evaluator runs them by), and the placeholders of the
    rules' texts parsed and checked (without their compiled values, which are closures)."""
    derived = _derived_names(ruleset)
    texts = dict.fromkeys(text for rule in ruleset.rules for words in (rule.advice, rule.finding) if words is not None
                          for template in (words.zh, words.en) for text, _ in placeholders.names(template))
    kept: dict[str, placeholders.Placeholder] = {}
    for text in texts:
        try:
            kept[text] = replace(placeholders.compile_placeholder(text, ruleset.params, derived), compute=None)
        except placeholders.PlaceholderError:
            continue                             # told when the text is filled in, as without this
    return compile_ruleset(ruleset), stratify(ruleset.rules), kept


def _derived_names(ruleset: RuleSet) -> set[str]:
    return {name for rule in ruleset.rules for name in rule.derive}


def _held(firings: tuple[Firing, ...]) -> dict[int, str]:
    """The loans the limitation rules hold (loan index -> the first such rule): no offer, no letter."""
    held: dict[int, str] = {}
    for firing in firings:
        if firing.rule in plan.LIMITATION_RULES:
            held.update((loan["i"], firing.rule) for loan in firing.loans if loan["i"] not in held)
    return held


@dataclass(frozen=True)
class Brief:
    """A case's ranked advice and summary figures, without the texts and explanations (Advisor.brief)."""

    case: str
    summary: dict[str, Any]
    advice: tuple[tuple[int, str, str], ...]       # (rank, rule id, priority)
    fingerprint: str


def _plan_waits(negotiation_plan: Plan | None) -> tuple[str, ...]:
    """The case fields the plan waits on: what it lacks for any offer, and each lender's to confirm."""
    if negotiation_plan is None:
        return ()
    confirm = tuple(f"loans[{index}].{field}" for index, _, fields in negotiation_plan.to_confirm for field in fields)
    return (*negotiation_plan.missing, *confirm)


def _off_calendar(rule: Rule, exc: placeholders.OffCalendar) -> CaseError:
    """A date the advice would show that the case's figures push off the calendar: the case's doing (exit 3)."""
    whose = f"（借款 {exc.loan}）" if exc.loan else ""
    return CaseError([Diagnostic(
        "C023", said(f"规则 '{rule.id}' 的建议要显示日期 {{{exc.text}}}{whose}，但按这个案例的数字它落在日历之外"
                     f"（公元 1–9999 年之外，第 {exc.day:g} 天）",
                     f"the advice of rule '{rule.id}' would show "
                     f"{{{exc.text}}}, a date this case's figures put outside the calendar (years 1-9999)"),
        rule.location,
        hint=said("检查这个加法用到的案例日期和天数（例如 overdue_days、next_due）：其中某一个比任何真实的数都大得多",
                  "check the case's dates and day counts that this sum uses (e.g. overdue_days, next_due): "
                  "one of them is far larger than any real one"))])
