"""Hostile scale and rules: 500 loans, huge conditions, durable's fixed limits, 1000 rules — a clear rule
error or correct output, never an engine crash or a hang."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.errors import RuleError
from advisor.model import PRIORITIES
from advisor.load.rules import load_rules

from conftest import CASES, RULES, write_rules
from random_cases import loans_case
from hostile import _rules_folder, _run, _timed, _write, AS_OF, RULE_HEAD

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


# --- 500 loans -------------------------------------------------------------------------------------------

def test_a_case_with_500_loans_runs_in_reasonable_time(runner, advisor, tmp_path):
    path = _write(tmp_path, loans_case(random.Random(500), 500))
    case, load_seconds = _timed(lambda: load_case(path))
    report, advise_seconds = _timed(lambda: advisor.advise(case))  # includes the engine/reference agreement check
    assert len(case.loans) == 500 and report.advice
    assert load_seconds + advise_seconds < 10, f"load {load_seconds:.2f} s, advise {advise_seconds:.2f} s"
    balances = [loan.values.get("balance") for loan in case.loans]
    assert report.summary["total_balance"] == (None if None in balances else round(sum(balances), 2))
    result, cli_seconds = _timed(lambda: _run(runner, path))
    assert result.exit_code == 0 and "借款499" in result.output and cli_seconds < 15


def test_500_identical_unnamed_loans_are_500_loans(advisor, tmp_path):
    path = _write(tmp_path, AS_OF + "loans:\n" + "  - {balance: 1000, monthly_payment: 100, overdue_days: 3}\n" * 500)
    report = advisor.advise(load_case(path))
    assert report.summary["total_balance"] == 500_000 and report.summary["overdue_loans"] == 500


# --- hostile rules ---------------------------------------------------------------------------------------

def test_a_10000_character_condition_is_a_clear_rule_error(runner, tmp_path):
    condition = " or ".join(f"monthly_due > {i}" for i in range(700))
    assert len(condition) > 10_000
    folder = write_rules(tmp_path, RULE_HEAD + f"    when: {condition}\n")
    (result, seconds) = _timed(lambda: _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder))
    assert result.exit_code == 4 and seconds < 2
    assert "test.yaml:7:11: error[E012]: cannot read condition: condition is too long" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 200


def test_a_long_or_chain_within_the_length_limit_is_a_rule_error_not_an_engine_crash(runner, tmp_path):
    condition = " or ".join(f"monthly_due > {i}" for i in range(200))[:3990].rsplit(" or", 1)[0]
    folder = write_rules(tmp_path, RULE_HEAD + f"    when: {condition}\n")
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4
    assert "error[E027]: rule 't.x' is too large for the rules engine" in result.output
    assert "hint: split the rule into smaller rules" in result.output


@pytest.mark.parametrize("tests, fits", [(13, True), (14, False)])
def test_durable_expression_limit_is_checked_when_rules_load(advisor, tmp_path, tests, fits):
    """durable_rules holds 31 expression slots per pattern (error 113 when creating the ruleset)."""
    condition = " and ".join(f"monthly_income > {i}" for i in range(tests))
    ruleset = load_rules(write_rules(tmp_path, RULE_HEAD + f"    when: {condition}\n"))
    if not fits:
        with pytest.raises(RuleError) as info:
            Advisor.build(ruleset)
        assert info.value.diagnostics[0].code == "E027" and "limit 15" in info.value.diagnostics[0].message
        return
    case = load_case(_write(tmp_path, AS_OF + "income: {salary: 100000}\n"))
    assert [a.rule for a in Advisor.build(ruleset).advise(case).advice] == ["t.x"]


@pytest.mark.parametrize("facts, fits", [(15, True), (16, False)])
def test_durable_join_limit_is_checked_when_rules_load(tmp_path, facts, fits):
    """An activation holds at most 16 facts (errors 304/307, with a traceback printed by durable)."""
    body = "rules:\n" + "".join(f'  - id: t.d{i}\n    title: d\n    sources: ["1"]\n    when: monthly_income > {i}\n'
                                f"    derive: f{i}\n" for i in range(facts))
    body += RULE_HEAD.removeprefix("rules:\n") + "    when: " + " and ".join(f"f{i}" for i in range(facts)) + "\n"
    ruleset = load_rules(write_rules(tmp_path, body))
    if not fits:
        with pytest.raises(RuleError) as info:
            Advisor.build(ruleset)
        assert "joins 17 facts" in info.value.diagnostics[0].message
        return
    case = load_case(_write(tmp_path, AS_OF + "income: {salary: 100000}\n"))
    assert "t.x" in {a.rule for a in Advisor.build(ruleset).advise(case).advice}


def test_two_any_in_one_alternative_is_refused_because_durable_binds_different_loans(tmp_path):
    # With one loan meeting both, durable found no pair of *different* loans and the reference fired:
    # every such case stopped with X007. Refused when the rules load, with the two ways to say it.
    both = RULE_HEAD + "    when: any loan.balance > 0 and any loan.overdue_days > 0\n"
    with pytest.raises(RuleError) as info:
        Advisor.build(load_rules(write_rules(tmp_path, both)))
    assert info.value.diagnostics[0].code == "E028" and "any (loan.a > 1 and loan.b > 2)" in \
        info.value.diagnostics[0].hint
    (tmp_path / "same").mkdir()
    same = write_rules(tmp_path / "same", RULE_HEAD + "    when: any (loan.balance > 0 and loan.overdue_days > 0)\n")
    case = load_case(_write(tmp_path, AS_OF + "loans:\n  - {balance: 10, overdue_days: 3}\n"))
    assert [a.rule for a in Advisor.build(load_rules(same)).advise(case).advice] == ["t.x"]


@pytest.mark.parametrize("loans, fires", [
    ("  - {balance: 6000, overdue_days: 5}\n", False),                                         # one loan, both
    ("  - {balance: 6000, overdue_days: 0}\n  - {balance: 10, overdue_days: 5}\n", False),
    ("  - {balance: 6000, overdue_days: 0}\n  - {balance: 10, overdue_days: 0}\n", True),
    ("  - {balance: 6000}\n", False),                                                            # overdue unknown
])
def test_any_and_no_in_one_rule_see_every_loan(tmp_path, loans, fires):
    """durable leaves the loan bound to `any` out of the rule's `no` pattern: the compiler makes that loan
    fail the `no` test itself (before, the engine fired where the reference did not: X007)."""
    rule = RULE_HEAD + "    when: any loan.balance >= 5000 and no loan.overdue_days > 0\n"
    advisor = Advisor.build(load_rules(write_rules(tmp_path, rule)))
    case = load_case(_write(tmp_path, AS_OF + "loans:\n" + loans))
    assert bool(advisor.advise(case).advice) is fires


def test_a_derived_fact_used_twice_in_one_alternative_is_one_join(tmp_path):
    """`f1 and (monthly_due > 0 or f1)` has the alternative [f1, f1]: durable needed two different f1 facts."""
    body = ('rules:\n  - id: t.f\n    title: f\n    sources: ["1"]\n    when: monthly_income > 0\n    derive: f1\n'
            + RULE_HEAD.removeprefix("rules:\n") + "    when: f1 and (monthly_due > 0 or f1)\n")
    advisor = Advisor.build(load_rules(write_rules(tmp_path, body)))
    case = load_case(_write(tmp_path, AS_OF + "income: {salary: 100}\n"))
    assert [a.rule for a in advisor.advise(case).advice] == ["t.x"]


@pytest.mark.parametrize("condition", [
    "(" * 1000 + "monthly_due > 0" + ")" * 1000,
    "not " * 900 + "monthly_due > 0",
    "monthly_due > " + "- " * 1500 + "1",
    "monthly_due > 1" + " + 1" * 900,
    "any " * 500 + "loan.balance > 0",
], ids=["parens", "not", "minus", "sum_chain", "any"])
def test_deeply_nested_conditions_are_rule_errors_not_recursion_errors(runner, tmp_path, condition):
    folder = write_rules(tmp_path, RULE_HEAD + f"    when: '{condition}'\n")
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4 and "the condition is nested too deeply (more than 40 levels)" in result.output


@pytest.mark.parametrize("condition, code, says", [
    ("monthly_due > 1" + "0" * 400, "E012", "is too large"),
    ("monthly_due > 100 / (params.high_rate_line - params.high_rate_line)", "E020", "divides by zero"),
])
def test_numbers_the_engine_cannot_take_are_rule_errors(runner, tmp_path, condition, code, says):
    folder = write_rules(tmp_path, RULE_HEAD + f"    when: {condition}\n")
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4 and f"error[{code}]" in result.output and says in result.output


def test_adding_zero_to_a_threshold_is_not_a_division_by_zero(advisor, tmp_path):
    ruleset = load_rules(write_rules(tmp_path, RULE_HEAD + "    when: monthly_income > params.high_rate_line + 0\n"))
    case = load_case(_write(tmp_path, AS_OF + "income: {salary: 1}\n"))
    assert [a.rule for a in Advisor.build(ruleset).advise(case).advice] == ["t.x"]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_parameter_that_is_not_finite_is_a_rule_error(runner, tmp_path, value):
    params = (RULES / "params.yaml").read_text(encoding="utf-8").replace(
        "high_rate_line:\n    value: 0.24", f"high_rate_line:\n    value: {value}")
    folder = write_rules(tmp_path, RULE_HEAD + "    when: monthly_due > params.high_rate_line\n", params)
    result = _run(runner, CASES / "due_soon_shortfall.yaml", rules=folder)
    assert result.exit_code == 4 and "error[P005]: parameter 'high_rate_line' must be a finite number" in result.output


def _thousand_rules(folder: Path) -> int:
    """1,000 rules in 20 files, of every shape the compiler groups; returns how many fire on the case below."""
    shapes = [
        lambda i: f"monthly_due > {i}",
        lambda i: f"any loan.balance > {i}",
        lambda i: f"no loan.overdue_days > {i}",
        lambda i: f"monthly_income >= {i} and any (loan.lender_type == 'bank' and loan.balance > {i})",
        lambda i: f"monthly_due > {i} or monthly_due > {i}.5",                 # two nodes of one property
        lambda i: f"any (loan.balance > {i} or loan.principal > {i})",
        lambda i: f"unknown(monthly_expenses) or total_balance > {i}",
        lambda i: f"g{i - 1}" if i % 8 == 7 and i > 7 else f"monthly_due > {i}",  # derived facts
    ]
    for f in range(20):
        out = ["rules:"]
        for j in range(50):
            i = f * 50 + j
            derive = f"    derive: g{i}\n" if i % 8 == 6 else ""
            out.append(f'  - id: gen.r{i}\n    title: 规则{i}\n    sources: ["{["1", "2.1", "3.2", "R1"][i % 4]}"]\n'
                       f'    when: "{shapes[i % 8](i)}"\n{derive}    priority: {PRIORITIES[i % 5]}\n'
                       f"    advice: 第{i}条 {{monthly_due}}")
        (folder / f"gen{f:02}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return 1000


def test_a_folder_of_1000_rules_loads_and_evaluates(runner, tmp_path):
    folder = _rules_folder(tmp_path, {})
    expected = _thousand_rules(folder)
    ruleset, load_seconds = _timed(lambda: load_rules(folder))
    advisor, build_seconds = _timed(lambda: Advisor.build(ruleset))
    case = load_case(_write(tmp_path, AS_OF + "income: {salary: 10000000}\nloans:\n" +
                            "  - {balance: 10000000, principal: 10, monthly_payment: 100000, overdue_days: 0, "
                            "lender_type: bank}\n" * 3))
    report, advise_seconds = _timed(lambda: advisor.advise(case))
    assert len(ruleset.rules) == 1000 and len(report.advice) == expected
    assert load_seconds + build_seconds + advise_seconds < 10, (load_seconds, build_seconds, advise_seconds)
    assert _run(runner, tmp_path / "case.yaml", rules=folder).exit_code == 0


def test_300_rules_waiting_on_one_phase_fit_the_engine(tmp_path):
    """A durable node holds at most 256 waiting rules (error 108): phase facts are per group."""
    body = "rules:\n" + "".join(f'  - id: n.r{i}\n    title: t\n    sources: ["1"]\n    when: no loan.balance > {i}\n'
                                "    priority: low\n    advice: x\n" for i in range(300))
    advisor = Advisor.build(load_rules(write_rules(tmp_path, body)))
    case = load_case(_write(tmp_path, AS_OF + "loans:\n  - {balance: 1}\n"))
    assert len(advisor.advise(case).advice) == 299


def test_a_chain_of_520_negations_does_not_hang_the_engine(tmp_path):
    """More than 511 children of one durable node made creating the ruleset loop forever."""
    rules = []
    for i in range(520):
        when = "monthly_due > 0" if i == 0 else (f"not f{i - 1}" if i % 2 else f"monthly_due > 0 and not f{i - 1}")
        rules.append(f'  - id: c.r{i}\n    title: t\n    sources: ["1"]\n    when: "{when}"\n    derive: f{i}\n')
    ruleset = load_rules(write_rules(tmp_path, "rules:\n" + "".join(reversed(rules))))
    (advisor, seconds) = _timed(lambda: Advisor.build(ruleset))
    assert advisor.compiled.phases == 519 and seconds < 10
    case = load_case(_write(tmp_path, AS_OF + "loans:\n  - {monthly_payment: 10}\n"))
    assert len(advisor.advise(case).firings) == 260
