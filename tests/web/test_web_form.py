"""Form stage: the page's inputs -> case YAML, line by line, read by the same case reader as a case file."""
from __future__ import annotations

from pathlib import Path

import pytest

from advisor.load.cases import load_case, load_case_text
from advisor.web.form import DISPLAY, CaseForm, from_fields, from_yaml, scalar, to_yaml

CASES = sorted((Path(__file__).resolve().parents[2] / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_form_round_trip_gives_the_same_case_and_advice(path, advisor):
    """Every shipped case, loaded into the page's inputs and written back, is the same case: the same
    values, loans, unknowns and bounds, and the same advice in the same order."""
    from_file = load_case(path)
    form, _ = from_yaml(path.read_text(encoding="utf-8"))
    text, _ = to_yaml(form)
    from_page = load_case_text(text, DISPLAY)
    assert dict(from_page.values) == dict(from_file.values)
    assert [dict(loan.values) for loan in from_page.loans or ()] == [dict(loan.values) for loan in from_file.loans or ()]
    assert (from_page.loans is None) == (from_file.loans is None)
    assert from_page.unknown == from_file.unknown and dict(from_page.bounds) == dict(from_file.bounds)
    expected = [(a.rule, a.title) for a in advisor.advise(from_file).advice]
    assert [(a.rule, a.title) for a in advisor.advise(from_page).advice] == expected


def test_form_chinese_amounts_and_dates_are_written_as_a_counsellor_would():
    assert scalar("2.4万", "number") == "2.4万"
    assert scalar("2026年12月3日", "date") == "2026年12月3日"
    assert scalar("18%", "number") == "18%"
    assert scalar("a: b", "number") == '"a: b"'          # YAML syntax stays a value, never structure
    assert scalar("某小贷", "text") == '"某小贷"'


def test_form_each_line_names_its_input():
    form = from_fields([("as_of", "2026-11-28"), ("income.salary", "5000"), ("loans-0-name", "甲"),
                        ("loans-0-balance", "1万"), ("loans-3-name", "乙")])
    text, where = to_yaml(form)
    lines = text.splitlines()
    assert where[lines.index("  salary: 5000") + 1] == "income.salary"
    assert where[lines.index("    balance: 1万") + 1] == "loans-0-balance"
    assert where[lines.index('  - name: "乙"') + 1] == "loans-1-name"      # rows renumbered in order


def test_form_empty_rows_and_sections_are_left_out():
    text, _ = to_yaml(CaseForm({"as_of": "2026-11-28", "income.salary": "  "}, [{"name": ""}]))
    assert "income" not in text and "loans" not in text


def test_form_hostile_text_stays_one_quoted_value():
    name = "x\n  - name: injected\n{{7*7}}"
    text, _ = to_yaml(CaseForm({"as_of": "2026-11-28"}, [{"name": name, "balance": "100"}]))
    case = load_case_text(text, DISPLAY)
    assert len(case.loans) == 1 and case.loans[0].name == "x\\n  - name: injected\\n{{7*7}}"
