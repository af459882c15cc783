"""Faults: values in case files (issue 13, the Low list): digit grouping, huge bad values echoed in
full, placeholder date arithmetic off the calendar."""
from __future__ import annotations

import pytest

from advisor.load import values as amounts
from advisor.load.values import Bound, Unreadable
from advisor.cli import main

from conftest import RULES, write_rules

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


@pytest.mark.parametrize("text, value", [
    ("12,000", 12000), ("¥12,000", 12000), ("￥12，000", 12000), ("1,234,567.5", 1234567.5), ("12000", 12000),
    ("1,200万", 12_000_000), ("12000 元", 12000), ("¥ 12,000 元", 12000), ("１２,０００", 12000), ("5万", 50000)])
def test_digit_grouping_in_threes_is_read(text, value):
    assert amounts.amount(text) == value


@pytest.mark.parametrize("text", ["12,50", "1,2万", "1 2 3", "12,0000", ",500", "500,", "1,,000", "12 000",
                                  "1.234,5", "1.234,567", "1,000.000,5"])
def test_digit_grouping_that_is_not_in_threes_is_refused_with_a_hint(text):
    with pytest.raises(Unreadable) as exc:
        amounts.amount(text)
    assert "12,000" in exc.value.hint or "12000" in exc.value.hint
    assert text in exc.value.message


@pytest.mark.parametrize("text, value", [
    ("20余万", Bound(200_000)), ("4000-5000", Bound(4000, 5000)), ("8000多", Bound(8000)),
    ("4,000-5,000", Bound(4000, 5000)), ("至少5,000", Bound(5000))])
def test_bounds_and_ranges_still_read(text, value):
    assert amounts.amount_or_bound(text) == value


@pytest.mark.parametrize("text", ["4,00-5000", "2,0余万"])
def test_bounds_with_bad_grouping_are_refused(text):
    with pytest.raises(Unreadable):
        amounts.amount_or_bound(text)


@pytest.mark.parametrize("reader", [amounts.amount, amounts.amount_or_bound, amounts.rate, amounts.count,
                                    amounts.date, amounts.flag])
def test_a_huge_bad_value_is_echoed_at_most_80_characters(reader):
    huge = "坏" * 1_000_000
    with pytest.raises(Unreadable) as exc:
        reader(huge)
    assert "坏" * 40 in exc.value.message                # what it was is still recognisable
    assert exc.value.message.count("坏") <= 80 and len(exc.value.message) < 200
    assert "1000000 characters" in exc.value.message


@pytest.mark.parametrize("field", ["income: {salary: VALUE}", "loans: [{name: A, annual_rate: VALUE}]",
                                   "loans: [{name: A, next_due: VALUE}]", "loans: [{name: A, lender_type: VALUE}]",
                                   "loans: [{name: A, overdue_days: VALUE}]", "negotiation: {contacted: VALUE}"])
def test_a_case_with_a_1_mb_bad_value_gives_a_short_error(runner, tmp_path, field):
    case = tmp_path / "case.yaml"
    case.write_text("as_of: 2026-11-28\n" + field.replace("VALUE", '"' + "x" * 1_000_000 + '"') + "\n",
                    encoding="utf-8")
    result = runner.invoke(main, ["run", str(case), "--rules", str(RULES)])
    assert result.exit_code == 3, result.output[:500]
    assert len(result.output) < 2000 and result.output.count("x") < 300, result.output[:500]


def test_a_placeholder_date_off_the_calendar_is_a_clear_error(runner, tmp_path):
    rules = write_rules(tmp_path, 'rules:\n  - id: t.x\n    title: 测试\n    sources: ["1"]\n    priority: low\n'
                        '    when: any loan.overdue_days > 0\n    advice: "到 {as_of - loan.overdue_days}"\n')
    case = tmp_path / "case.yaml"
    case.write_text("as_of: 2026-11-28\nloans:\n  - name: A\n    balance: 1000\n    overdue_days: 999999\n",
                    encoding="utf-8")
    for command in ("run", "explain"):
        result = runner.invoke(main, [command, str(case), "--rules", str(rules)], env={"ADVISOR_LANG": "zh"})
        assert result.exit_code == 3, result.output
        assert "error[C023]" in result.output and "as_of - loan.overdue_days" in result.output, result.output
        assert "日历" in result.output and "t.x" in result.output and "提示:" in result.output
        english = runner.invoke(main, [command, str(case), "--rules", str(rules)])
        assert "outside the calendar" in english.output and "hint:" in english.output
        assert "internal error" not in result.output
