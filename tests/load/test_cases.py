"""Case files: what they mean (unknown is not zero) and that each example gives its expected advice."""
from __future__ import annotations

from pathlib import Path

import pytest

from advisor.toolkit import expectations
from advisor.load.cases import load_case
from advisor.knowledge.figures import figures

from conftest import CASES


def _case(tmp_path: Path, text: str):
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return load_case(path)


def test_absent_blocks_are_unknown_not_zero(tmp_path):
    case = _case(tmp_path, "as_of: 2026-11-28\nexpenses: {living: 1000}\n")
    numbers = figures(case)
    assert numbers["monthly_income"] is None
    assert numbers["monthly_expenses"] == 1000
    assert numbers["monthly_disposable"] is None and numbers["monthly_shortfall"] is None
    assert numbers["total_balance"] is None and numbers["loan_count"] is None


def test_an_item_marked_unknown_makes_its_total_unknown(tmp_path):
    case = _case(tmp_path, "as_of: 2026-11-28\nincome: {salary: 5000, other: 未知}\n")
    assert figures(case)["monthly_income"] is None
    assert "income.other" in case.unknown


def test_a_loan_without_payment_makes_monthly_due_unknown(tmp_path):
    case = _case(tmp_path, "as_of: 2026-11-28\nloans:\n  - {balance: 100, monthly_payment: 10}\n  - {balance: 5}\n")
    numbers = figures(case)
    assert numbers["total_balance"] == 105
    assert numbers["monthly_due"] is None


def test_summary_arithmetic(tmp_path):
    case = _case(tmp_path, """as_of: 2026-11-28
income: {salary: "5千", extra: 500}
expenses: {living: 4000, rent: 2000}
loans:
  - {balance: "1万", monthly_payment: 300, overdue_days: 3}
  - {balance: 0, monthly_payment: 0, overdue_days: 0}
""")
    assert figures(case) == {
        "monthly_income": 5500, "monthly_expenses": 6000, "monthly_disposable": -500, "total_balance": 10000,
        "monthly_due": 300, "monthly_shortfall": 800, "overdue_loans": 1, "loan_count": 2,
        # exact inputs: every bound equals its figure
        "monthly_income_min": 5500, "monthly_income_max": 5500, "monthly_expenses_min": 6000, "monthly_disposable_max": -500,
        "total_balance_min": 10000, "monthly_due_min": 300, "monthly_shortfall_min": 800, "overdue_loans_min": 1}


def test_goal_null_means_no_goal_set(tmp_path):
    case = _case(tmp_path, "as_of: 2026-11-28\nnegotiation: {goal: null}\n")
    assert case.values["negotiation.goal"] == "none"


def test_lender_type_accepts_chinese_names(tmp_path):
    case = _case(tmp_path, "as_of: 2026-11-28\nloans:\n  - {lender_type: 信用卡}\n")
    assert case.loans[0].values["lender_type"] == "credit_card"


EXAMPLES = sorted(CASES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_case_gives_its_expected_advice(path, advisor):
    """The same check as `advisor test`: both use advisor/expectations.py."""
    outcome = expectations.check(advisor, path)
    assert outcome.case.expect, f"{path.name} states no expectations"
    assert not outcome.failures, "\n".join(
        f"{path.name}: expected {f.expected}, got {f.got}" + (f" — why not: {f.why_not}" if f.why_not else "")
        for f in outcome.failures)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_case_states_what_must_and_must_not_appear(path):
    expect = load_case(path).expect
    assert expect.get("advice") and expect.get("forbid"), f"{path.name}: needs both expect.advice and expect.forbid"
    assert expect.get("summary"), f"{path.name}: needs expect.summary (the figures worked out by hand)"


def test_expectations_name_only_rules_that_exist(ruleset):
    ids = {r.id for r in ruleset.rules}
    for path in EXAMPLES:
        expect = load_case(path).expect
        ordered = [r for pair in expect.get("before", []) for r in pair]
        named = expect.get("advice", []) + expect.get("forbid", []) + ordered + list(expect.get("says", {}))
        assert set(named) <= ids, f"{path.name}: {set(named) - ids}"


def test_the_three_required_situations_are_shipped(advisor):
    due_soon = advisor.advise(load_case(CASES / "due_soon_shortfall.yaml"))
    assert due_soon.advice[0].rule == "timing.contact_before_due"
    assert "2026-12-03" in due_soon.advice[0].text and "5 天" in due_soon.advice[0].text
    overdue = advisor.advise(load_case(CASES / "overdue_shortfall.yaml"))
    assert overdue.advice[0].rule == "timing.overdue_contact_now"
    assert "12 天" in overdue.advice[0].text
    missing = advisor.advise(load_case(CASES / "missing_info.yaml"))
    assert missing.summary["monthly_income"] is None
    assert "income" in missing.unknown
