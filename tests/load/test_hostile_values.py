"""Hostile values: amounts, counts, rates and dates as counsellors (and attackers) write them are read or
refused at their place — never silently changed."""
from __future__ import annotations

import pytest

from advisor.load.cases import load_case

from hostile import _case_errors, _one, _run, _write, AS_OF


# --- numbers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, says", [
    (".nan", "finite"), (".NaN", "finite"), (".inf", "finite"), ("-.inf", "finite"),
    ("-5", "negative"), ("-0.01", "negative"), ("1.0e+300", "implausibly large"),
    ("1e300", "cannot read"), ("'NaN'", "cannot read"), ("'Infinity'", "cannot read"),
    ("'-Infinity'", "cannot read"), ("'1e300'", "cannot read"), ("99999999999999999999", "implausibly large"),
    ("1" + "0" * 400, "implausibly large"), ("'¥-5'", "negative"), ("0x10", "cannot read"), ("0b101", "cannot read"),
    ("1:30", "cannot read"), ("true", "got true"), ("[1, 2]", "got list"),
])
def test_bad_amounts_are_refused_at_their_place(runner, tmp_path, raw, says):
    case = _write(tmp_path, AS_OF + f"income: {{salary: {raw}}}\n")
    diag = _one(_case_errors(case), "C021")
    assert (diag.location.line, diag.location.col) == (2, 18)
    assert diag.message.startswith("income.salary: ") and says in diag.message, diag.message
    assert diag.hint
    assert _run(runner, case).exit_code == 3


@pytest.mark.parametrize("field, raw, says", [
    ("annual_rate", ".nan", "finite"), ("annual_rate", ".inf", "finite"), ("annual_rate", "-0.1", "negative"),
    ("annual_rate", "'NaN%'", "cannot read"), ("annual_rate", "'99999%'", "implausibly high"),
    ("annual_rate", "18", "ambiguous"), ("overdue_days", ".nan", "whole number"),
    ("overdue_days", ".inf", "whole number"), ("overdue_days", "-1", "negative"),
    ("overdue_days", "1.5", "whole number"), ("overdue_days", "'" + "9" * 5000 + "'", "implausibly large"),
    ("overdue_days", "9" * 5000, "implausibly large"), ("installments", "-.inf", "whole number"),
    ("next_due", "2026-02-30", "not a real date"), ("next_due", "99999-01-01", "cannot read"),
])
def test_bad_loan_numbers_are_refused_at_their_place(tmp_path, field, raw, says):
    case = _write(tmp_path, AS_OF + f"loans:\n  - {field}: {raw}\n")
    diag = _one(_case_errors(case), "C021")
    assert (diag.location.line, diag.location.col) == (3, 7 + len(field))
    assert says in diag.message, diag.message
    assert len(diag.message) < 200  # a 5,000-digit number is not repeated in full


@pytest.mark.parametrize("raw, value", [
    ("１２０００", 12000), ("'５万'", 50000), ("1.2万元", 12000), ("¥12,000", 12000), ("￥12,000", 12000),
    ("3千", 3000), ("'  12000  '", 12000), ("1_000", 1000), ("05000", 5000), ("'12000元'", 12000),
    ("1.5w", 15000), ("RMB 800", 800),
])
def test_amounts_as_counsellors_write_them_are_read(tmp_path, raw, value):
    case = load_case(_write(tmp_path, AS_OF + f"income:\n  salary: {raw}\n"))
    assert case.values["income.salary"] == value


def test_yaml_11_octal_hex_and_base_60_never_change_a_value_silently(tmp_path):
    # YAML 1.1 would read 05000 as 2560 (octal), 0123 as 83 and 1:30 as 90.
    case = load_case(_write(tmp_path, AS_OF + "income: {salary: 05000}\nloans:\n  - {name: 0123, balance: 010}\n"))
    assert case.values["income.salary"] == 5000
    assert case.loans[0].name == "0123" and case.loans[0].values["balance"] == 10


@pytest.mark.parametrize("raw, value", [("'１２天'", 12), ("３", 3), ("'12 天'", 12)])
def test_counts_with_full_width_digits_and_units_are_read(tmp_path, raw, value):
    case = load_case(_write(tmp_path, AS_OF + f"loans:\n  - {{overdue_days: {raw}, installments: ３期}}\n"))
    assert case.loans[0].values["overdue_days"] == value and case.loans[0].values["installments"] == 3


def test_rates_with_full_width_percent_are_read(tmp_path):
    case = load_case(_write(tmp_path, AS_OF + "loans:\n  - {annual_rate: １８％, monthly_fee_rate: '0.8%'}\n"))
    assert case.loans[0].values == {"annual_rate": 0.18, "monthly_fee_rate": 0.008, "name": "借款1"}


def test_a_thousands_comma_inside_braces_is_explained(tmp_path):
    case = _write(tmp_path, AS_OF + "loans:\n  - {balance: ¥12,000, monthly_payment: 800}\n")
    diag = _one(_case_errors(case), "C010")
    assert diag.message == "unknown field '000' in loans[0]" and (diag.location.line, diag.location.col) == (3, 19)
    assert "quote the amount" in diag.hint


# --- dates -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, says", [
    ("2026-02-30", "not a real date"), ("2026-13-01", "not a real date"), ("2026年2月30日", "not a real date"),
    ("2026-02-29", "not a real date"), ("0000-01-01", "not a real date"), ("2026-11-28T10:00:00", "cannot read"),
    ("'２０２６年１３月１日'", "not a real date"), ("20261128", "expected a date"),
])
def test_impossible_dates_are_refused(runner, tmp_path, raw, says):
    case = _write(tmp_path, f"as_of: {raw}\n")
    diag = _one(_case_errors(case), "C021")
    assert (diag.location.line, diag.location.col) == (1, 8) and says in diag.message, diag.message
    assert "YYYY-MM-DD" in diag.hint
    assert _run(runner, case).exit_code == 3


@pytest.mark.parametrize("raw", ["2024-02-29", "2026年12月5日", "2026/12/05", "２０２６－１２－０５", "'2026. 12. 5'"])
def test_real_dates_in_any_common_form_are_read(tmp_path, raw):
    assert load_case(_write(tmp_path, f"as_of: {raw}\n")).as_of.year in (2024, 2026)
