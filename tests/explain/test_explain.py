"""Audit: why each piece of advice fired, why another did not, from the one trace of the run."""
from __future__ import annotations

import random
import re

import pytest

from advisor.load.cases import load_case
from advisor.cli import main
from advisor.expr.evaluate import truth
from advisor.report import Step
from advisor.explain.why import Auditor, conditions

from conftest import CASES, RULES
from random_cases import random_case

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


def _report(advisor, name, lang="en"):
    return advisor.advise(load_case(CASES / f"{name}.yaml"), lang)


def _walk(step: Step):
    yield step
    for child in step.children:
        yield from _walk(child)


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_advice_is_explained_down_to_case_lines_and_parameters(advisor, path):
    report = advisor.advise(load_case(path), "en")
    auditor = Auditor(report)
    for advice in report.advice:
        tree = auditor.why(advice.rule)
        assert tree.holds is True and tree.kind == "rule" and re.fullmatch(r"rules/\w+\.yaml:\d+", tree.origin)
        values = [s for s in _walk(tree) if s.kind == "value"]
        for value in values:
            name = value.text.split(" = ")[0]
            if value.text.endswith("= ?"):
                continue                                   # unknown: said so, no origin to give
            if name.startswith("params."):
                assert re.match(r"rules/params\.yaml:\d+ · ", value.origin), value
            elif not value.children:                       # a value read from the case file itself
                assert re.search(rf"{path.name}:\d+$", value.origin), value
        for step in _walk(tree):                           # every derived fact names the rule behind it
            if step.kind == "rule" and step is not tree and step.holds:
                assert " ← " in step.text


def test_why_not_shows_the_value_seen_and_the_threshold(advisor):
    status = Auditor(_report(advisor, "due_soon_shortfall")).status("proposal.extension")
    assert status.state == "failed" and status.condition == 3
    assert "monthly_shortfall = ¥1,650 <= ¥945 (monthly_due * params.small_shortfall_ratio)" in status.summary


def test_why_not_names_the_unknown_fact(advisor):
    status = Auditor(_report(advisor, "due_soon_shortfall")).status("help.disputed_debt")
    assert status.state == "unknown" and "situation.disputed_debt" in status.summary


def test_why_not_says_a_rule_is_not_in_force_on_the_case_date(advisor):
    status = Auditor(_report(advisor, "due_soon_shortfall")).status("overdue.credit_repair_window")
    assert status.state == "not_in_force" and "2026-11-28" in status.summary and "2026-03-31" in status.summary


def test_why_not_names_the_rule_whose_fact_blocks_it(advisor):
    status = Auditor(_report(advisor, "old_private_loans")).status("timing.contact_before_due")
    assert status.state == "blocked" and "already_overdue ← timing.overdue" in status.summary


def test_a_rule_shown_later_because_another_outranks_it_says_which(advisor):
    status = Auditor(_report(advisor, "old_private_loans")).status("timing.overdue_contact_now")
    assert status.state == "fired" and status.outranked_by == ("law.limitation_check",)
    assert "law.limitation_check" in status.summary


def test_dated_parameter_origin_gives_its_effective_date(advisor):
    tree = Auditor(_report(advisor, "private_loan_rates")).why("law.private_rate_above_4lpr")
    lpr = [s for s in _walk(tree) if s.text.startswith("params.lpr_1y = ")]
    assert lpr and lpr[0].text == "params.lpr_1y = 3.85%"
    assert "in force from 2020-04-20 (loan.contract_date 2021-03-05)" in lpr[0].origin
    assert "confidence H" in lpr[0].origin


def test_statuses_agree_with_the_engine_for_shipped_and_random_cases(advisor, tmp_path):
    rng = random.Random(7)
    cases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))] + [random_case(rng, tmp_path, n)
                                                                   for n in range(60)]
    for case in cases:
        report = advisor.advise(case)
        auditor = Auditor(report)
        fired = {f.rule for f in report.trace.firings}
        for status in auditor.statuses():
            assert (status.state == "fired") == (status.rule in fired), (case.name, status)
            if status.state in ("failed", "not_in_force", "blocked"):
                rule = auditor.by_id[status.rule]
                assert truth(conditions(rule)[status.condition - 1], report.trace.facts) is False


def test_explain_cli_uses_the_one_trace_of_the_run(runner, monkeypatch):
    from advisor.engine.durable import Engine

    calls = []
    original = Engine.evaluate
    monkeypatch.setattr(Engine, "evaluate", lambda self, *a: calls.append(1) or original(self, *a))
    result = runner.invoke(main, ["explain", str(CASES / "old_private_loans.yaml"), "--all", "--lang", "en",
                                  "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    from advisor.load.rules import load_rules

    assert len(lines) == len(load_rules(RULES).rules) and any("not in force" in line for line in lines)
    assert any(line.split()[0] == "law.limitation_check" and "fired" in line for line in lines)


def test_explain_cli_for_advice_quotes_the_article(runner):
    result = runner.invoke(main, ["explain", str(CASES / "due_soon_shortfall.yaml"), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert "timing.contact_before_due · rules/timing.yaml:" in result.output
    assert "最好提前几天与对方联系，表明你的还款意愿。" in result.output       # the article's own sentence
    assert "loan[某消费金融].next_due = 2026-12-03   ‹" in result.output


def test_explain_unknown_rule_is_a_usage_error_with_a_suggestion(runner):
    result = runner.invoke(main, ["explain", str(CASES / "due_soon_shortfall.yaml"), "--rule", "timing.overdu",
                                  "--rules", str(RULES)])
    assert result.exit_code == 2 and "did you mean 'timing.overdue'" in result.output


def test_run_markdown_and_explain_flag(runner):
    md = runner.invoke(main, ["run", str(CASES / "credit_card_overdue.yaml"), "--format", "markdown",
                              "--rules", str(RULES)])
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# 协商还款建议 · ") and "\n### 1. " in md.output
    assert "| 每月缺口 | 3,800 元 |" in md.output
    assert "`card.personalised_installments` · rules/products.yaml:" in md.output
    text = runner.invoke(main, ["run", str(CASES / "credit_card_overdue.yaml"), "--explain", "--rules", str(RULES)])
    assert text.exit_code == 0 and "为什么给出这些建议" in text.output and "‹" in text.output


def test_an_explanation_lists_at_most_twenty_loans_and_says_how_many_more(advisor, tmp_path):
    loans = "\n".join(f"  - {{name: L{i}, balance: 1000, monthly_payment: 100, overdue_days: 3}}" for i in range(30))
    path = tmp_path / "many.yaml"
    path.write_text(f"as_of: 2026-11-28\nloans:\n{loans}\n", encoding="utf-8")
    tree = Auditor(advisor.advise(load_case(path), "en")).why("timing.overdue")
    quantifier = tree.children[0]
    assert len(quantifier.children) == 21 and quantifier.children[-1].text == "… and 10 more loans"
