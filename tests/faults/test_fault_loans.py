"""Faults: loans are told apart by position, not name; letter files stay in their folder (issue 13, items 3, 6)."""
from __future__ import annotations

import json
from pathlib import Path

from advisor.cli import main

from conftest import CASES, RULES
import pytest

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

THREE = (CASES / "three_loans_plan.yaml").read_text(encoding="utf-8")


def _case(tmp_path: Path, first: str, second: str, third: str = "某银行信用卡") -> Path:
    """The three-loan case with its loans renamed (the second lender owes 12,000, the first 18,000)."""
    text = THREE.split("expect:")[0]
    text = (text.replace("name: 某消费金融", f"name: {first}", 1).replace("name: 某小贷", f"name: {second}", 1)
            .replace("name: 某银行信用卡", f"name: {third}", 1))
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_loans_with_one_name_get_their_own_letters(runner, tmp_path):
    case = _case(tmp_path, "某平台", "某平台")
    folder = tmp_path / "letters"
    result = runner.invoke(main, ["run", str(case), "--letters", str(folder), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    first = (folder / "01-某平台-初次协商还款申请.txt").read_text(encoding="utf-8")
    second = (folder / "02-某平台-初次协商还款申请.txt").read_text(encoding="utf-8")
    assert "18,000 元" in first and "每月还款 874 元" in first
    assert "12,000 元" in second and "每月还款 582 元" in second


def test_letter_loan_takes_a_number_and_refuses_an_ambiguous_name(runner, tmp_path):
    case = _case(tmp_path, "某平台", "某平台")
    ambiguous = runner.invoke(main, ["letter", str(case), "--loan", "某平台", "--rules", str(RULES)])
    assert ambiguous.exit_code == 2 and "1, 2" in ambiguous.output and "--loan 2" in ambiguous.output
    second = runner.invoke(main, ["letter", str(case), "--loan", "2", "--rules", str(RULES)])
    assert second.exit_code == 0 and "12,000 元" in second.output and "582 元" in second.output
    by_name = runner.invoke(main, ["letter", str(case), "--loan", "某银行信用卡", "--rules", str(RULES)])
    assert by_name.exit_code == 0 and "15,000 元" in by_name.output
    beyond = runner.invoke(main, ["letter", str(case), "--loan", "4", "--rules", str(RULES)])
    assert beyond.exit_code == 2 and "no loan '4'" in beyond.output


def test_duplicate_loan_names_are_warned_about_like_lint(runner, tmp_path):
    case = _case(tmp_path, "某平台", "某平台")
    result = runner.invoke(main, ["run", str(case), "--rules", str(RULES)])
    assert result.exit_code == 0
    assert f"{case}:" in result.output and "warning[C040]" in result.output and "某平台" in result.output


def test_a_record_keeps_the_parameters_of_each_same_named_loan(runner, tmp_path):
    case = _case(tmp_path, "某平台", "某平台")
    db = tmp_path / "r.sqlite3"
    assert runner.invoke(main, ["run", str(case), "--record", "--db", str(db), "--rules", str(RULES)]).exit_code == 0
    record = json.loads(runner.invoke(main, ["audit", "show", "1", "--format", "json", "--db", str(db)]).output)
    assert len(record["params"]["lpr_1y"]["rows"]) == 3


def test_letter_file_names_are_a_safe_slug_inside_the_chosen_folder(runner, tmp_path):
    case = _case(tmp_path, "x/../../逃出", "a" * 300, '"bad\\0name"')
    folder = tmp_path / "deep" / "letters"
    (folder / "x").mkdir(parents=True)                    # a matching sub-folder once let ../ escape
    result = runner.invoke(main, ["run", str(case), "--letters", str(folder), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in folder.iterdir() if p.is_file())
    letters = [name for name in written if name != "00-信件清单.txt"]
    assert len(letters) == 6 and all(name[:3] in ("01-", "02-", "03-") for name in letters)   # a letter and a script each
    assert all(len(name.encode("utf-8")) <= 120 and "/" not in name and "\\" not in name for name in written)
    assert not list(tmp_path.glob("deep/*.txt")) and not list(tmp_path.glob("*.txt"))
