"""The command line: output, formats, languages, exit codes, and no tracebacks on bad input."""
from __future__ import annotations

import json
import shutil

import pytest

from advisor.cli import main

from conftest import CASES, FIXTURES, RULES

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

DUE_SOON = str(CASES / "due_soon_shortfall.yaml")


def test_run_prints_numbers_then_advice_by_priority(runner):
    result = runner.invoke(main, ["run", DUE_SOON, "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("== 数字 ==") < out.index("== 建议 ==")
    assert out.index("【紧急】") < out.index("【重要】") < out.index("【一般】") < out.index("【参考】")
    assert "每月缺口" in out and "1,650 元" in out
    assert "timing.contact_before_due · 指南章节 2.1" in out


def test_run_json_has_the_documented_shape(runner):
    result = runner.invoke(main, ["run", DUE_SOON, "--format", "json", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {"as_of", "summary", "advice", "ruleset", "engine"} <= set(doc)
    assert set(doc["summary"]) == {"monthly_income", "monthly_expenses", "monthly_disposable", "total_balance",
                                   "monthly_due", "monthly_shortfall", "overdue_loans"}
    first = doc["advice"][0]
    assert set(first) == {"rank", "rule", "priority", "title", "text", "sources", "because", "explanation"}
    assert first["explanation"]["kind"] == "rule" and first["explanation"]["holds"] is True
    assert "trace" in doc and "rules" not in doc          # every rule's status only when asked for (--explain)
    assert doc["trace"]["params"]["lpr_1y"]["in_force_on"] == "loan.contract_date"
    assert first["rank"] == 1 and first["priority"] == "urgent"
    assert "loan[某消费金融].days_to_due = 5 天 <= 7 天 (params.contact_days_before_due)" in first["because"]
    assert len(doc["ruleset"]["fingerprint"]) == 64 and doc["ruleset"]["rules"] > 10
    assert doc["engine"]["name"] == "durable_rules" and doc["engine"]["version"] == "2.0.28"


def test_run_json_with_explain_has_every_rules_status(runner):
    result = runner.invoke(main, ["run", DUE_SOON, "--format", "json", "--explain", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert len(doc["rules"]) == doc["ruleset"]["rules"]
    assert set(doc["rules"][0]) == {"rule", "status", "condition", "summary", "outranked_by"}
    assert {f["rule"] for f in doc["trace"]["firings"]} == {r["rule"] for r in doc["rules"] if r["status"] == "fired"}
    plain = json.loads(runner.invoke(main, ["run", DUE_SOON, "--format", "json", "--rules", str(RULES)]).output)
    assert {k: v for k, v in doc.items() if k != "rules"} == plain     # the rest is the same document


def test_unknown_figures_are_null_in_json(runner):
    result = runner.invoke(main, ["run", str(CASES / "missing_info.yaml"), "--format", "json", "--rules", str(RULES)])
    summary = json.loads(result.output)["summary"]
    assert summary["monthly_income"] is None and summary["monthly_shortfall"] is None
    assert summary["monthly_expenses"] == 3000


def test_english_output_and_fallback(runner, tmp_path):
    result = runner.invoke(main, ["run", DUE_SOON, "--lang", "en", "--rules", str(RULES)])
    assert "Contact the lender before the due date" in result.output
    assert "【Urgent】" in result.output
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    text = (folder / "timing.yaml").read_text(encoding="utf-8")
    (folder / "timing.yaml").write_text(text.replace("    title_en: Contact the lender before the due date\n", ""),
                                        encoding="utf-8")
    result = runner.invoke(main, ["run", DUE_SOON, "--lang", "en", "--rules", str(folder)])
    assert "在还款日之前联系出借方" in result.output  # no English title: the Chinese one is shown


def test_output_is_byte_identical_across_runs(runner):
    outputs = {runner.invoke(main, ["run", DUE_SOON, "--format", fmt, "--rules", str(RULES)]).output
               for fmt in ("json",) for _ in range(3)}
    assert len(outputs) == 1


def test_bad_case_exits_3_with_location_and_no_traceback(runner):
    bad = FIXTURES / "bad_cases" / "negative_income.yaml"
    result = runner.invoke(main, ["run", str(bad), "--rules", str(RULES)])
    assert result.exit_code == 3
    assert "negative_income.yaml:3:18: error[C021]" in result.output
    assert "Traceback" not in result.output


def test_missing_case_file_exits_3(runner, tmp_path):
    result = runner.invoke(main, ["run", str(tmp_path / "nope.yaml"), "--rules", str(RULES)])
    assert result.exit_code == 3 and "cannot read file" in result.output


def test_bad_rules_exit_4_and_refuse_to_run(runner, tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    shutil.copy(FIXTURES / "bad_rules" / "unknown_fact.yaml", folder / "zz.yaml")
    result = runner.invoke(main, ["run", DUE_SOON, "--rules", str(folder)])
    assert result.exit_code == 4
    assert "zz.yaml:7:15: error[E010]: unknown fact 'loan.overdue_day'" in result.output
    assert "did you mean 'loan.overdue_days'?" in result.output
    assert "协商还款建议" not in result.output


def test_check_reports_ok_or_errors(runner, tmp_path):
    assert runner.invoke(main, ["check", str(RULES)]).exit_code == 0
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(FIXTURES / "bad_rules" / "duplicate_id.yaml", folder / "x.yaml")
    result = runner.invoke(main, ["check", str(folder)])
    assert result.exit_code == 4 and "E030" in result.output


def test_missing_rules_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["run", DUE_SOON, "--rules", str(tmp_path / "none")])
    assert result.exit_code == 4 and "does not exist" in result.output


def test_help_documents_exit_codes(runner):
    result = runner.invoke(main, ["run", "--help"])
    assert "Exit codes" in result.output and "3 bad case file" in result.output


def test_text_names_missing_fields_in_the_readers_words(runner):
    result = runner.invoke(main, ["run", str(CASES / "missing_info.yaml"), "--rules", str(RULES)])
    # the fields that would decide the most advice first (ask next), then the rest of what is unknown
    assert "先补充这几项: 收入; 第1笔借款·每月还款额; 第1笔借款·已逾期天数" in result.output
    assert "其他还不清楚的: 第1笔借款·年利率; 第2笔借款·年利率" in result.output
    assert "loans[0]" not in result.output


def test_a_bug_is_reported_in_one_line_with_exit_70(runner, monkeypatch):
    from advisor import advise

    def broken(self, case, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(advise.Advisor, "advise", broken)
    result = runner.invoke(main, ["run", DUE_SOON, "--rules", str(RULES)])
    assert result.exit_code == 70
    assert result.output.startswith("internal error: RuntimeError: boom") and "Traceback" not in result.output


@pytest.mark.slow
def test_output_is_byte_identical_across_processes_and_hash_seeds(tmp_path):
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs = []
        for case in sorted(CASES.glob("*.yaml"))[:3]:
            for fmt in ("json", "text"):
                result = subprocess.run([sys.executable, "-m", "advisor", "run", str(case), "--format", fmt,
                                         "--rules", str(RULES)], capture_output=True, env=env, check=True)
                runs.append(result.stdout)
        outputs.append(runs)
    assert outputs[0] == outputs[1]
