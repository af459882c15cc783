"""The negotiation plan as a borrower meets it: JSON, text, Markdown, the letter and the chart."""
from __future__ import annotations

import json

from advisor.cli import main

from conftest import CASES, RULES
import pytest

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

THREE = str(CASES / "three_loans_plan.yaml")


def test_json_carries_the_plan_and_each_loans_true_rate(runner):
    result = runner.invoke(main, ["run", THREE, "--format", "json", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    apr = {loan["name"]: loan["apr"] for loan in doc["loans"]}
    assert round(apr["某小贷"]["nominal"], 4) == 0.5675 and apr["某银行信用卡"] is None
    plan = doc["plan"]
    assert plan["budget"]["available"] == 2185 and plan["total"] == 2184 <= plan["budget"]["available"]
    assert [o["offer"] for o in plan["offers"]] == [874, 582, 728]
    assert plan["schedule"][0] == [18000, 12000, 15000] and plan["schedule"][-1] == [0, 0, 0]


def test_text_and_markdown_show_the_plan(runner):
    text = runner.invoke(main, ["run", THREE, "--rules", str(RULES)]).output
    assert "某小贷：欠 12,000 元，合同月供 1,000 元 → 提出 582 元/月，约 21 个月还清  [重新分期 + 减免利息]" in text
    md = runner.invoke(main, ["run", THREE, "--format", "markdown", "--rules", str(RULES)]).output
    assert "| 某小贷 | 12,000 元 | 1,000 元 | 582 元 | 21 | 重新分期 + 减免利息 | 56.75% |" in md


def test_letter_carries_the_numbers_and_asks_for_written_confirmation(runner):
    result = runner.invoke(main, ["letter", THREE, "--loan", "某小贷", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("协商还款申请") and "申请人：何丽" in out     # borrower.name, not the case's title
    assert "每月还款 582 元，共 21 期" in out and "56.75%" in out and "以书面形式" in out
    card = runner.invoke(main, ["letter", THREE, "--loan", "某银行信用卡", "--rules", str(RULES)]).output
    assert "第七十条" in card and "个性化分期" in card
    phone = runner.invoke(main, ["letter", THREE, "--loan", "某小贷", "--phone", "--rules", str(RULES)]).output
    assert phone.startswith("电话协商话术 · 某小贷") and "不要当场答应超过 582 元/月" in phone


def test_a_template_mistake_is_reported_at_its_line(runner, tmp_path):
    (tmp_path / "letter.zh.txt.j2").write_text("第一行\n{{ lender \n", encoding="utf-8")
    bad = runner.invoke(main, ["letter", THREE, "--loan", "某小贷", "--templates", str(tmp_path),
                               "--rules", str(RULES)])
    assert bad.exit_code == 4 and "letter.zh.txt.j2:2:1: error[T001]" in bad.output and "Traceback" not in bad.output
    (tmp_path / "letter.zh.txt.j2").write_text("{{ lendr }}\n", encoding="utf-8")
    unknown = runner.invoke(main, ["letter", THREE, "--loan", "某小贷", "--templates", str(tmp_path),
                                   "--rules", str(RULES)])
    assert unknown.exit_code == 4 and "error[T002]" in unknown.output and "'lendr' is undefined" in unknown.output


def test_templates_run_in_a_sandbox(runner, tmp_path):
    (tmp_path / "letter.zh.txt.j2").write_text("{{ lender.__class__.__mro__[1].__subclasses__() }}\n",
                                               encoding="utf-8")
    result = runner.invoke(main, ["letter", THREE, "--loan", "某小贷", "--templates", str(tmp_path),
                                  "--rules", str(RULES)])
    assert result.exit_code == 4 and "error[T002]" in result.output


def test_chart_page_shows_each_debt_and_when_it_ends(runner, tmp_path):
    page = tmp_path / "plan.html"
    result = runner.invoke(main, ["chart", THREE, "--out", str(page), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.count("<polyline") == 3 and "某小贷 · 第 21 个月还清" in html and "<script" not in html
    assert "<td>2028-08</td>" in html                     # 21 months after 2026-11
    again = tmp_path / "again.html"
    runner.invoke(main, ["chart", THREE, "--out", str(again), "--rules", str(RULES)])
    assert again.read_bytes() == page.read_bytes()


def test_an_affordable_case_says_keep_paying(runner):
    result = runner.invoke(main, ["letter", str(CASES / "pay_later_two_days.yaml"), "--loan", "手机分期",
                                  "--rules", str(RULES)])
    assert result.exit_code == 0 and result.output.startswith("# 提示：按目前收支，合同月供在能力范围内")


def test_one_command_gives_the_plan_and_a_letter_per_lender(runner, tmp_path):
    folder = tmp_path / "letters"
    result = runner.invoke(main, ["run", THREE, "--letters", str(folder), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["00-信件清单.txt", "01-某消费金融-初次协商还款申请.txt", "01-某消费金融-电话协商话术_我打给对方.txt",
                     "02-某小贷-初次协商还款申请.txt", "02-某小贷-电话协商话术_我打给对方.txt",
                     "03-某银行信用卡-信用卡个性化分期申请_第七十条.txt", "03-某银行信用卡-电话协商话术_我打给对方.txt"]
    assert "每月还款 874 元" in (folder / "01-某消费金融-初次协商还款申请.txt").read_text(encoding="utf-8")
    assert "== 协商方案" in result.output


OLD = str(CASES / "old_private_loans.yaml")     # 表哥借款: last paid 2023-06-01, flagged for the limitation check


def test_a_debt_held_for_the_limitation_check_gets_no_offer(runner):
    """Civil Code 192, SPC limitation rules arts. 14 and 19: an offer on a time-barred debt revives it."""
    doc = json.loads(runner.invoke(main, ["run", OLD, "--format", "json", "--rules", str(RULES)]).output)
    plan = doc["plan"]
    assert "表哥借款" not in [o["name"] for o in plan["offers"]]
    assert [h["name"] for h in plan["held"]] == ["表哥借款"]
    assert "第一百九十二条" in plan["held"][0]["reason"] and "第十四条" in plan["held"][0]["reason"] and "第十九条" in plan["held"][0]["reason"]
    text = runner.invoke(main, ["run", OLD, "--rules", str(RULES)]).output
    assert "表哥借款：先不提出任何还款方案" in text and "→ 提出" not in text.split("表哥借款：先不提出")[1][:40]
    english = runner.invoke(main, ["run", OLD, "--lang", "en", "--rules", str(RULES)]).output
    assert "表哥借款: no offer yet" in english and "Civil Code art. 192" in english


def test_no_letter_acknowledges_a_debt_held_for_the_limitation_check(runner, tmp_path):
    for extra in ([], ["--phone"]):
        result = runner.invoke(main, ["letter", OLD, "--loan", "表哥借款", *extra, "--rules", str(RULES)],
                               env={"ADVISOR_LANG": "zh"})         # the reason in the counsellor's Chinese
        assert result.exit_code == 1, result.output
        assert "协商还款申请" not in result.output and "Traceback" not in result.output
        assert "error[P001]" in result.output and "民法典第一百九十二条" in result.output
        assert "表哥借款：不起草这封信或话术" in result.output and "提示: 先咨询律师或 12348" in result.output
        english = runner.invoke(main, ["letter", OLD, "--loan", "表哥借款", *extra, "--rules", str(RULES)],
                                env={"ADVISOR_LANG": "en"})
        assert english.exit_code == 1 and "no letter or phone script for '表哥借款'" in english.output
    other = runner.invoke(main, ["letter", OLD, "--loan", "老乡借款", "--kind", "hardship", "--rules", str(RULES)])
    assert other.exit_code == 0 and "协商还款申请" in other.output
    folder = tmp_path / "letters"
    run = runner.invoke(main, ["run", OLD, "--letters", str(folder), "--rules", str(RULES)], env={"ADVISOR_LANG": "zh"})
    assert run.exit_code == 0
    assert not any(p.name.startswith("01-") for p in (folder.iterdir() if folder.exists() else ()))
    assert "表哥借款：诉讼时效待核查，没有起草信件" in run.output and "已写入" in run.output


def test_a_templates_folder_without_a_kinds_template_says_which_file_and_where_the_shipped_one_is(
        runner, tmp_path, monkeypatch):
    monkeypatch.delenv("ADVISOR_LANG", raising=False)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "letter.zh.txt.j2").write_text("{{ borrower }}\n", encoding="utf-8")   # only the hardship letter
    result = runner.invoke(main, ["letter", str(CASES / "due_soon_shortfall.yaml"), "--loan", "1", "--kind",
                                  "statement", "--templates", str(folder)])
    assert result.exit_code == 4 and "error[T001]" in result.output and "Traceback" not in result.output
    assert "无法读取模板" in result.output and "文件不存在" in result.output and "No such file" not in result.output
    assert "这个文件夹里没有 statement.zh.txt.j2" in result.output and "templates/statement.zh.txt.j2" in result.output
