"""Letters read as a lender receives them (issue 16): the sums, the months against the legal limit, the
named fields, no acknowledgement of a debt held for the limitation check, no raw placeholder."""
from __future__ import annotations

import json
import re

from advisor.cli import main

from conftest import CASES, RULES

CARD = """as_of: 2026-11-28
income:   {salary: 6500}
expenses: {living: 2500, rent: 2200, transport: 300, other: 500}
loans:
  - name: 某银行信用卡
    lender_type: credit_card
    balance: 90000
    annual_rate: "18.25%"
    monthly_payment: 9000
    overdue_days: 45
"""
PRIVATE = """as_of: 2026-11-28
name: 小赵
income:   {salary: 5000}
expenses: {living: 2000, rent: 1500}
loans:
  - name: 表哥借款
    lender_type: private
    balance: 20000
    monthly_payment: 2000
    overdue_days: 20
"""
ACKNOWLEDGES = ("愿意继续还款", "不会逃避", "还款意愿", "确认欠款", "申请分期", "还款计划", "每月还款", "延期", "按时还款")


def _letter(runner, path, *args):
    result = runner.invoke(main, ["letter", str(path), *args, "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    return result.output


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def test_a_card_letter_never_asks_for_more_than_the_60_months_of_art_70(runner, tmp_path):
    """The letter asked for 72 months and, a paragraph later, cited art. 70's limit of 60."""
    case = tmp_path / "h06-credit-card.yaml"
    case.write_text(CARD, encoding="utf-8")
    plan = json.loads(runner.invoke(main, ["run", str(case), "--format", "json", "--rules", str(RULES)]).output)["plan"]
    offer = plan["offers"][0]
    assert offer["months"] > 60                      # the plan's own count runs past the card limit
    text = _letter(runner, case, "--loan", "1")
    months = [int(m) for m in re.findall(r"(\d+)\s*(?:期|个月)", text)]
    assert months and max(months) <= 60, months
    # at the plan's offer, 60 periods cover offer × 60; the rest is asked to be waived, and the two add up
    covered = re.search(r"60 期合计 ([\d,]+) 元，比目前欠款少 ([\d,]+) 元", text)
    assert covered, text
    assert float(covered[1].replace(",", "")) == offer["offer"] * 60
    assert float(covered[1].replace(",", "")) + float(covered[2].replace(",", "")) == offer["balance"]


def test_the_borrower_is_named_from_a_case_field_never_the_file_name(runner, tmp_path):
    case = tmp_path / "h06-credit-card.yaml"
    case.write_text(CARD, encoding="utf-8")
    text = _letter(runner, case, "--loan", "1")
    assert "h06" not in text and "申请人：【请填写：借款人姓名】" in text
    case.write_text(CARD + "borrower: {name: 王小明, id_number: '1101**********1234', phone: '138 0000 1234'}\n",
                    encoding="utf-8")
    text = _letter(runner, case, "--loan", "1")
    assert "申请人：王小明" in text and "身份证号：1101**********1234" in text and "登记手机号：138 0000 1234" in text


def test_a_private_lender_is_a_person_addressed_by_name(runner, tmp_path):
    case = tmp_path / "private.yaml"
    case.write_text(PRIVATE, encoding="utf-8")
    text = _letter(runner, case, "--loan", "表哥借款")
    assert "客户服务" not in text and "贷后管理" not in text and "表哥借款" not in text
    assert "致：【请填写：出借人姓名】" in text and "征信" not in text
    case.write_text(PRIVATE.replace("lender_type: private", "lender_type: private\n    lender_name: 赵大勇"),
                    encoding="utf-8")
    text = _letter(runner, case, "--loan", "表哥借款")
    assert "致：赵大勇\n" in text and "赵大勇：您好！" in text


def test_the_budget_on_the_page_adds_up_to_the_plans_available_and_shares(runner):
    """6,500 income − 3,800 costs shown, 2,185 available: the flexible costs and the buffer were hidden."""
    three = CASES / "three_loans_plan.yaml"
    plan = json.loads(runner.invoke(main, ["run", str(three), "--format", "json", "--rules", str(RULES)]).output)["plan"]
    text = _letter(runner, three, "--loan", "某小贷")
    b = plan["budget"]
    line = re.search(r"([\d,.]+) − ([\d,.]+) − ([\d,.]+) − ([\d,.]+) − ([\d,.]+) = ([\d,.]+) 元", text)
    assert line, text
    income, essential, flexible, buffer, priority, available = _numbers(line[0])[:6]
    assert (income, essential, flexible, buffer, priority, available) == (
        b["income"], b["essential"], b["flexible"], b["buffer"], b["priority_payments"], b["available"])
    assert round(income - essential - flexible - buffer - priority, 2) == available
    for offer in plan["offers"]:                     # each lender's row: balance, contract, share, offer
        name = "本笔借款" if offer["name"] == "某小贷" else offer["name"]
        row = re.search(rf"{name}\s+([\d,.]+)\s+([\d,.]+)\s+([\d,.]+)\s+([\d,.]+)\n", text)
        assert row, offer["name"]
        balance, contractual, share, monthly = _numbers(row[0].split(name)[1])
        assert (balance, contractual, monthly) == (offer["balance"], offer["contractual"], offer["offer"])
        total = sum(o["balance"] for o in plan["offers"])
        assert round(share, 2) == round(available * balance / total, 2)   # no floor or cap binds in this case
    periods = [float(a.replace(",", "")) for a in re.findall(r"第 *\d+ 期 +\d{4}-\d\d-\d\d +([\d,.]+) 元", text)]
    assert "合计 21 期，共 12,000 元" in text and periods[0] == 582 and periods[-1] == 12000 - 582 * 20


def test_months_that_assume_interest_frozen_say_so_and_the_letter_asks_for_the_freeze(runner):
    text = _letter(runner, CASES / "three_loans_plan.yaml", "--loan", "某小贷")
    assert "期数按贵方在计划期间停止计收利息和罚息计算" in text
    assert "停止计收利息、罚息、违约金和复利（停息）" in text


def test_on_refusal_the_phone_script_never_invites_the_lender_to_name_its_minimum(runner):
    text = _letter(runner, CASES / "three_loans_plan.yaml", "--loan", "某小贷", "--phone")
    assert "能接受的最低" not in text and "最低月还款是多少" not in text
    assert "我会书面提交" in text and "工单号" in text and "不要当场答应超过 582 元/月" in text


def test_a_collector_call_script_checks_who_calls_and_protects_the_family(runner):
    text = _letter(runner, CASES / "credit_card_overdue.yaml", "--loan", "1", "--kind", "collector")
    for words in ("工号", "受哪家机构委托", "官方客服电话", "验证码", "个人账户", "请不要联系我的家人、同事", "威胁", "110"):
        assert words in text, words
    assert not any(word in text for word in ACKNOWLEDGES)


def test_a_debt_held_for_the_limitation_check_gets_only_letters_that_acknowledge_nothing(runner):
    """Civil Code 192, 195; SPC limitation rules 14, 19: a promise, plan or amount confirmed revives the claim."""
    held_any = False
    for path in sorted(CASES.glob("*.yaml")):
        doc = json.loads(runner.invoke(main, ["run", str(path), "--format", "json", "--rules", str(RULES)]).output)
        for held in (doc.get("plan") or {}).get("held", []):
            held_any = True
            refused = runner.invoke(main, ["letter", str(path), "--loan", str(held["loan"] + 1), "--rules", str(RULES)])
            assert refused.exit_code == 1 and "error[P001]" in refused.output
            for kind in ("statement", "stop_contact", "collector"):
                text = _letter(runner, path, "--loan", str(held["loan"] + 1), "--kind", kind)
                assert not any(word in text for word in ACKNOWLEDGES), (path.name, kind)
                assert "首次逾期" not in text
            assert "不构成对任何金额或债务的确认" in _letter(runner, path, "--loan", str(held["loan"] + 1),
                                                          "--kind", "statement")
            for kind in ("hardship", "card70", "pause", "token", "follow_up", "refused", "phone"):
                out = runner.invoke(main, ["letter", str(path), "--loan", str(held["loan"] + 1), "--kind", kind,
                                           "--rules", str(RULES)])
                assert out.exit_code == 1 and "error[P001]" in out.output, (path.name, kind)
    assert held_any
