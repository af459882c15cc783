"""`because` lines: a flattening of the one why-tree of each piece of advice, built once per report."""
from __future__ import annotations

import collections
import random

import pytest

from advisor.expr import closure
from advisor.expr.evaluate import truth
from advisor.explain.because import because, held
from advisor.explain.why import Auditor
from advisor.report import Trace
from advisor.explain.tree import Trees
from advisor.load.cases import load_case
from advisor.model import Facts
from advisor.plan import letters
from advisor.render import explain as render_explain
from advisor.render import json as render_json
from advisor.render import markdown, text
from advisor.web.plan import render as action_plan

from conftest import CASES
from random_cases import random_case

SHIPPED = sorted(CASES.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_because_lines_are_the_why_tree_flattened_with_or_without_explain(advisor, path):
    case = load_case(path)
    for lang in ("zh", "en"):
        plain, explained = advisor.advise(case, lang), advisor.advise(case, lang, explain=True)
        assert explained.explanation is not None
        for item in (*explained.advice, *explained.findings):
            assert item.because, item.rule                 # a rule that fired held for some reason
            assert item.because == because(explained.explanation.why(item.rule), lang), item.rule
        assert [a.because for a in plain.advice] == [a.because for a in explained.advice]
        assert [f.because for f in plain.findings] == [f.because for f in explained.findings]


def test_the_lines_without_the_tree_are_the_trees_lines_for_every_rule_of_random_cases(advisor, tmp_path):
    """`held` walks the compiled conditions where `because` flattens the tree: the same lines, for rules
    that fired (the engine's facts) and rules that did not (the facts with what may still be derived)."""
    rng = random.Random(1616)
    cases = [load_case(p) for p in SHIPPED] + [random_case(rng, tmp_path, n) for n in range(150)]
    compared = with_lines = 0
    for case in cases:
        facts, firings = advisor.evaluate(case)
        trace = Trace(case=case, facts=facts, firings=firings, ruleset=advisor.ruleset)
        for lang in ("zh", "en"):
            fast, tree = Auditor(trace=trace, lang=lang, index=advisor.index), Auditor(trace=trace, lang=lang)
            for rule in advisor.ruleset.rules:
                lines = held(fast, rule.id)
                assert lines == because(tree.why(rule.id), lang), (case.name, rule.id, lang)
                compared += 1
                with_lines += bool(lines)
    assert compared > 40_000 and with_lines > 10_000     # most rules of most cases had parts that held


def test_because_lines_show_values_with_units_loans_and_derived_facts_in_the_readers_language(advisor):
    case = load_case(CASES / "due_soon_shortfall.yaml")
    zh = {a.rule: a.because for a in advisor.advise(case, "zh").advice}
    en = {a.rule: a.because for a in advisor.advise(case, "en").advice}
    assert zh["timing.contact_before_due"] == (
        "已推出 needs_negotiation（由规则 timing.needs_negotiation）", "没有推出 already_overdue",
        "loan[某消费金融].days_to_due = 5 天 >= 0",
        "loan[某消费金融].days_to_due = 5 天 <= 7 天 (params.contact_days_before_due)")
    assert en["timing.contact_before_due"] == (
        "derived fact needs_negotiation (from rule timing.needs_negotiation)", "derived fact already_overdue is absent",
        "loan[某消费金融].days_to_due = 5 days >= 0",
        "loan[某消费金融].days_to_due = 5 days <= 7 days (params.contact_days_before_due)")
    assert zh["capacity.shortfall"] == ("monthly_shortfall = 1,650 元 > 0", "monthly_disposable = 1,500 元 > 0")
    assert en["capacity.shortfall"] == ("monthly_shortfall = ¥1,650 > 0", "monthly_disposable = ¥1,500 > 0")
    assert "negotiation.outcome 未知" in zh["timing.needs_negotiation"]
    assert "negotiation.outcome is unknown" in en["timing.needs_negotiation"]
    assert "negotiation.contacted = 否" in zh["timing.not_contacted"]          # `not x`: x with its value
    assert any(line.startswith("loan[某小贷].lender_type = 'microloan' 属于 [") for line in zh["law.true_rate_above_line"])


def test_a_no_over_the_loans_says_so_with_its_condition(advisor):
    found = set()
    for path in SHIPPED:
        for lang, word in (("zh", "没有一笔借款满足 "), ("en", "no loan has: ")):
            report = advisor.advise(load_case(path), lang)
            found |= {(lang, line) for a in (*report.advice, *report.findings) for line in a.because
                      if line.startswith(word)}
    assert ("en", "no loan has: known(loan.secured) and loan.secured") in found
    assert ("zh", "没有一笔借款满足 known(loan.secured) and loan.secured") in found


def test_each_rules_tree_is_built_once_per_report_and_statuses_only_when_asked(advisor, monkeypatch):
    built: collections.Counter[str] = collections.Counter()
    real = Trees.check

    def counting(self, node, rule, loan, seen):
        if loan is None and any(node is part for part in self.index.head(rule, self.lang)[0]):
            built[rule.id] += 1 / len(self.index.head(rule, self.lang)[0])   # one per condition of the rule
        return real(self, node, rule, loan, seen)

    monkeypatch.setattr(Trees, "check", counting)
    for path in SHIPPED:
        built.clear()
        report = advisor.advise(load_case(path), "zh", explain=True)
        assert report.explanation is not None and report.explanation.statuses == ()
        assert built and max(built.values()) == pytest.approx(1), (path.stem, built.most_common(3))
        shown = {a.rule for a in report.advice} | {f.rule for f in report.findings}
        assert shown <= set(built) and set(built) <= {f.rule for f in report.firings}  # fired rules only
        built.clear()
        every = advisor.advise(load_case(path), "zh", explain=True, every_rule=True)
        assert len(every.explanation.statuses) == every.rule_count
        assert max(built.values()) == pytest.approx(1) and len(built) == every.rule_count
        built.clear()
        advisor.advise(load_case(path), "zh")            # the because lines need no tree (explain/because.py)
        assert not built, path.stem


def test_renderers_only_format_the_explanation_the_report_carries(advisor, monkeypatch):
    report = advisor.advise(load_case(CASES / "three_loans_plan.yaml"), "zh", explain=True, every_rule=True)

    def refuse(*args, **kwargs):
        raise AssertionError("a renderer built an explanation")

    monkeypatch.setattr(Trees, "why", refuse)
    monkeypatch.setattr(Trees, "check", refuse)
    assert render_json.render(report) and text.render(report) and markdown.render(report, True)
    assert render_explain.explain_advice(report) and render_explain.explain_all(report)
    assert action_plan(report)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_borrower_facing_outputs_carry_no_rule_ids_or_because_words(advisor, path):
    report = advisor.advise(load_case(path), "zh", explain=True)
    pages = [action_plan(report)]
    plan = report.plan
    for offer in plan.offers if plan is not None and not plan.affordable else ():
        pages.append(letters.render(report, offer.loan))
    rule_ids = {r.id for r in report.trace.ruleset.rules}
    for page in pages:
        assert not [rid for rid in rule_ids if rid in page], path.stem
        assert "已推出" not in page and "没有推出" not in page and "derived fact" not in page


def test_compiled_conditions_know_a_derived_fact_that_may_still_be_derived(ruleset, tmp_path):
    """The why-trees and ask-next evaluate compiled conditions on facts whose `maybe` is not empty: an
    unknown derived fact must stay unknown there, as in expr/evaluate.py."""
    from advisor.engine.facts import case_fact, engine_value, loan_facts

    rng = random.Random(5)
    compiled = {r.id: closure.truth(r.condition) for r in ruleset.rules}
    names = sorted({name for r in ruleset.rules for name in r.derive})
    cases = [load_case(p) for p in SHIPPED] + [random_case(rng, tmp_path, n) for n in range(60)]
    for case in cases:
        half = frozenset(rng.sample(names, len(names) // 2))
        facts = Facts(case_fact(case, ruleset.params), tuple(loan_facts(case, ruleset.params)), half,
                      {n: engine_value(p.value) for n, p in ruleset.params.items() if not p.dated},
                      case.loans is not None, maybe=frozenset(names) - half)
        for rule in ruleset.rules:
            assert compiled[rule.id](facts, None) == truth(rule.condition, facts), (case.name, rule.id)
