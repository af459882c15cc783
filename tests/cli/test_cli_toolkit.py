"""The counsellor's toolkit from the command line: test, coverage and diff."""
from __future__ import annotations

import shutil

from advisor.cli import main

from conftest import CASES, RULES
import pytest

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


def test_advisor_test_passes_on_the_shipped_cases(runner):
    result = runner.invoke(main, ["test", str(CASES), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    total = len(list(CASES.glob("*.yaml")))
    assert f"{total} cases: {total} passed, 0 failed" in result.output


def test_advisor_test_explains_each_failure(runner, tmp_path):
    case = tmp_path / "wrong.yaml"
    case.write_text((CASES / "due_soon_shortfall.yaml").read_text(encoding="utf-8").replace(
        "expect:\n  advice:\n", "expect:\n  advice:\n    - proposal.extension\n", 1).replace(
        "    monthly_shortfall: 1650", "    monthly_shortfall: 1600"), encoding="utf-8")
    result = runner.invoke(main, ["test", str(case), str(CASES / "overdue_shortfall.yaml"), "--rules", str(RULES)])
    assert result.exit_code == 1, result.output
    assert f"FAIL {case}" in result.output and "2 cases: 1 passed, 1 failed" in result.output
    assert "expected advice proposal.extension — got not given" in result.output
    assert "why: 第 3 个条件不成立：✗ monthly_shortfall = 1,650 元 <= 945 元" in result.output
    assert "expected monthly_shortfall = 1600 — got monthly_shortfall = 1650" in result.output


def test_advisor_test_reports_an_unreadable_case_and_goes_on(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("as_of: 2026-02-30\n", encoding="utf-8")
    result = runner.invoke(main, ["test", str(bad), str(CASES / "overdue_shortfall.yaml"), "--rules", str(RULES)])
    assert result.exit_code == 1 and "bad.yaml:1:" in result.output and "1 passed, 1 failed" in result.output


def test_coverage_lists_what_no_case_exercises_and_enforces_a_minimum(runner, tmp_path):
    full = runner.invoke(main, ["coverage", "--rules", str(RULES)])
    assert full.exit_code == 0 and "rules exercised: 100.0%" in full.output
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "zz_extra.yaml").write_text("""topic: test
rules:
  - id: extra.never
    title: 从不触发
    title_en: never
    sources: ["1"]
    when: monthly_income > params.large_debt_total
    priority: low
    advice: 测试
    advice_en: test
""", encoding="utf-8")
    result = runner.invoke(main, ["coverage", str(CASES), "--min", "100", "--rules", str(rules)])
    assert result.exit_code == 1, result.output
    assert "extra.never  [" in result.output and "zz_extra.yaml:3]" in result.output
    assert "case(s), e.g. 第 1 个条件不成立：✗ monthly_income" in result.output
    assert "below the minimum" in result.output


def test_diff_shows_which_cases_change_when_a_threshold_changes(runner, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(RULES, old)
    params = old / "params.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("value: 7\n", "value: 10\n", 1), encoding="utf-8")
    result = runner.invoke(main, ["diff", "--old", str(old), "--rules", str(RULES)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    where = lines.index(next(line for line in lines if line.endswith("offer_too_high.yaml")))
    assert "  - timing.contact_before_due" in lines[where + 1:where + 8]
    assert "最晚在 2026-12-05 之前" in result.output and "最晚在 2026-12-08 之前" in result.output  # was / now


def test_diff_against_the_committed_rules_and_bad_arguments(runner):
    same = runner.invoke(main, ["diff", "--base", "HEAD", "--rules", str(RULES)])
    assert same.exit_code in (0, 1), same.output          # 0 unless the working rules are edited
    assert "cases change compared with HEAD" in same.output
    assert runner.invoke(main, ["diff", "--rules", str(RULES)]).exit_code == 2
    bad = runner.invoke(main, ["diff", "--base", "no-such-revision", "--rules", str(RULES)])
    assert bad.exit_code == 2 and "error[D001]" in bad.output


RULE = """  - id: {id}
    title: 测试
{en}    sources: ["1"]
    when: {when}
    priority: low
    advice: 测试
{advice_en}"""


def _lint_with(runner, tmp_path, *rules):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "zz_new.yaml").write_text("topic: test\nrules:\n" + "".join(rules), encoding="utf-8")
    return runner.invoke(main, ["lint", str(folder), "--no-cases"])


def _rule(rid, when="monthly_due > params.large_debt_total", english=True):
    en = "    title_en: test\n" if english else ""
    return RULE.format(id=rid, when=when, en=en, advice_en="    advice_en: test\n" if english else "")


def test_shipped_rules_lint_clean(runner):
    clean = runner.invoke(main, ["lint", str(RULES), "--cases", str(CASES)])
    assert clean.exit_code == 0 and clean.output == "clean: no errors, no warnings\n", clean.output


def test_lint_catches_what_a_counsellor_gets_wrong(runner, tmp_path):
    typo = _lint_with(runner, tmp_path / "a", _rule("t.typo", "monthly_shortfal > 0"))
    assert typo.exit_code == 1 and "zz_new.yaml:7:11: error[E010]: unknown fact 'monthly_shortfal'" in typo.output
    assert "hint: did you mean 'monthly_shortfall'?" in typo.output
    never = _lint_with(runner, tmp_path / "b", _rule("t.never", "monthly_due > 5 and monthly_due < 3"))
    assert never.exit_code == 1 and "warning[W101]" in never.output
    twice = _lint_with(runner, tmp_path / "c", _rule("t.same"), _rule("t.same"))
    assert twice.exit_code == 1 and "error[E030]: duplicate rule id 't.same'" in twice.output
    english = _lint_with(runner, tmp_path / "d", _rule("t.zh_only", english=False))
    assert english.exit_code == 1 and "warning[W107]" in english.output


def test_schema_command_prints_a_json_schema(runner):
    import json

    result = runner.invoke(main, ["schema", "case"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["$schema"].startswith("http://json-schema.org/draft-07") and "as_of" in doc["required"]
