"""Dated parameters (the LPR table) and advice placeholders that compute numbers and dates."""
from __future__ import annotations

import datetime as dt

import pytest

from advisor.advise import Advisor
from advisor.load.cases import load_case
from advisor.errors import RuleError
from advisor.load.rules import load_rules

from conftest import write_rules

D = dt.date.fromisoformat


@pytest.mark.parametrize("day, rate", [
    ("2019-08-19", None),          # before the LPR was published: no value, so no rule can use it
    ("2019-08-20", 0.0425),        # first fixing
    ("2020-04-19", 0.0405),        # the day before a change keeps the old value
    ("2020-04-20", 0.0385),
    ("2021-03-05", 0.0385),
    ("2024-10-21", 0.031),
    ("2026-11-28", 0.03),          # the last known value stays in force
])
def test_lpr_in_force_on_a_date(ruleset, day, rate):
    assert ruleset.params["lpr_1y"].at(D(day)) == rate


def test_table_rows_are_sourced_and_verified(ruleset):
    lpr = ruleset.params["lpr_1y"]
    assert lpr.on == "loan.contract_date" and lpr.verified is not None and lpr.confidence in "HM"
    assert lpr.table[0] == (D("2019-08-20"), 0.0425)


def _private_case(tmp_path, contract: str, rate: str, as_of: str = "2026-11-28"):
    path = tmp_path / "case.yaml"
    path.write_text(f"""as_of: {as_of}
loans:
  - name: 朋友借款
    lender_type: private
    balance: 20000
    annual_rate: "{rate}"
    contract_date: {contract}
""", encoding="utf-8")
    return load_case(path)


@pytest.mark.parametrize("contract, rate, fires", [
    ("2021-03-05", "15.5%", True),    # 4 × 3.85% = 15.4% on that date
    ("2021-03-05", "15.4%", False),   # exactly on the line: not above it
    ("2025-06-01", "12.5%", True),    # 4 × 3.00% = 12%
    ("2020-04-19", "16.1%", False),   # before 2020-08-20: the old 24%/36% rules apply, not 4×LPR
])
def test_private_lending_line_uses_the_lpr_on_the_contract_date(advisor, tmp_path, contract, rate, fires):
    report = advisor.advise(_private_case(tmp_path, contract, rate))
    assert ("law.private_rate_above_4lpr" in {a.rule for a in report.advice}) is fires


def test_the_line_does_not_depend_on_the_assessment_date(advisor, tmp_path):
    early = advisor.advise(_private_case(tmp_path, "2021-03-05", "15.5%", as_of="2021-06-01"))
    late = advisor.advise(_private_case(tmp_path, "2021-03-05", "15.5%", as_of="2026-11-28"))
    texts = [a.text for a in early.advice if a.rule == "law.private_rate_above_4lpr"]
    assert texts and texts == [a.text for a in late.advice if a.rule == "law.private_rate_above_4lpr"]
    assert "3.85%" in texts[0] and "15.4%" in texts[0] and "2021-03-05" in texts[0]


AS_OF_PARAMS = """params:
  window_end:
    unit: date
    values: {2025-01-01: 2025-06-30, 2025-07-01: 2025-12-31}
    source: test
    confidence: H
"""


def test_as_of_dated_parameter_is_looked_up_on_the_case_date(tmp_path):
    rules = write_rules(tmp_path, """rules:
  - id: t.window
    title: t
    sources: ["R5"]
    when: as_of <= params.window_end
    priority: normal
    advice: "截止 {params.window_end}"
""", AS_OF_PARAMS)
    adv = Advisor.build(load_rules(rules))
    for as_of, text in [("2025-03-01", "截止 2025-06-30"), ("2025-08-01", "截止 2025-12-31"), ("2024-12-31", None)]:
        case = tmp_path / "c.yaml"
        case.write_text(f"as_of: {as_of}\n", encoding="utf-8")
        advice = adv.advise(load_case(case)).advice
        assert [a.text for a in advice] == ([text] if text else [])


def test_as_of_dated_parameter_cannot_be_used_inside_any(tmp_path):
    rules = write_rules(tmp_path, """rules:
  - id: t.window
    title: t
    sources: ["R5"]
    when: any loan.next_due <= params.window_end
    derive: x
""", AS_OF_PARAMS)
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    assert info.value.diagnostics[0].code == "E023"


def test_placeholder_arithmetic_gives_dates_and_amounts(tmp_path):
    rules = write_rules(tmp_path, """rules:
  - id: t.call_by
    title: t
    sources: ["2.1"]
    when: any loan.days_to_due > params.contact_days_before_due
    priority: normal
    advice: "{loans} 最晚 {loan.next_due - params.contact_days_before_due} 联系；\\
      每月 {loan.balance / params.credit_card_max_term_months}；{params.credit_card_max_term_months}"
    advice_en: "by {loan.next_due - params.contact_days_before_due};
      {loan.balance / params.credit_card_max_term_months}"
""")
    adv = Advisor.build(load_rules(rules))
    case = tmp_path / "c.yaml"
    case.write_text("as_of: 2026-11-28\nloans:\n  - {name: 卡, balance: 30000, next_due: 2026-12-20}\n"
                    "  - {name: 贷, balance: 1000, next_due: 2026-11-30}\n", encoding="utf-8")
    zh = adv.advise(load_case(case)).advice[0].text
    assert zh == "卡 最晚 2026-12-13 联系；每月 500 元；60 个月"
    assert adv.advise(load_case(case), "en").advice[0].text == "by 2026-12-13; ¥500"


@pytest.mark.parametrize("text, message", [
    ("{loan.balanse}", "unknown fact 'loan.balanse'"),
    ("{monthly_due +}", "cannot read placeholder"),
    ("{loan.next_due * 2}", "arithmetic needs numbers"),
])
def test_bad_placeholder_expressions_are_rule_errors(tmp_path, text, message):
    rules = write_rules(tmp_path, f"""rules:
  - id: t.bad
    title: t
    sources: ["2.1"]
    when: monthly_due > 0
    priority: normal
    advice: "x {text}"
""")
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    diag = info.value.diagnostics[0]
    assert diag.code == "E040" and message in diag.message and (diag.location.line, diag.location.col) == (7, 16)


@pytest.mark.parametrize("as_of, fires", [
    ("2025-12-21", False),   # before the announcement: the parameter has no value, the rule is silent
    ("2025-12-22", True),
    ("2026-03-31", True),    # the last day of the window
    ("2026-04-01", False),
])
def test_credit_repair_window_follows_the_case_date(advisor, tmp_path, as_of, fires):
    from conftest import CASES

    text = (CASES / "credit_repair_window.yaml").read_text(encoding="utf-8").replace("as_of: 2026-02-10",
                                                                                   f"as_of: {as_of}")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    fired = {a.rule for a in advisor.advise(load_case(path)).advice}
    assert ("overdue.credit_repair_window" in fired) is fires
