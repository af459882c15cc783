"""Plan stage, what a letter template is handed (issue 16): the parties as a lender needs them, the plan's
numbers, the schedule, the budget sheet, the requests and the attachments, each already formatted.

A field the case does not give is a marked blank (【请填写：借款合同编号】), never a guess, never the case's
file name. A private lender is a person: addressed by name, never as a "customer-service department"."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..inert import one_line
from ..knowledge.cost import loan_cost
from ..format import fmt
from ..i18n import words
from ..model import Loan
from ..report import Offer, Report
from . import sheet
from .budget import is_priority
from .library import private

CHANNELS = {"app": "App 内在线客服工单 / 站内信（请保存工单号和截图）", "email": "电子邮件（请保存发送记录）",
            "post": "挂号信或 EMS 邮寄（请保存回执和邮寄凭证）", "wechat": "微信（请保存聊天记录）",
            "in_person": "当面交给本人（请对方在复印件上签收）"}
ATTACHMENTS = ("收入证明（工资流水、劳动合同，或失业、停业证明）", "近 3 个月的银行流水", "失业、疾病或家庭变故的证明（如有）",
               "每月收支表（见本信附表）", "全部借款清单（见本信附表）")


def blank(what: str) -> str:
    """A blank the borrower fills in before sending: easy to see, impossible to mistake for a value."""
    return f"【请填写：{what}】"


def _text(values: Mapping[str, Any], name: str, what: str) -> str:
    value = values.get(name)
    return one_line(str(value)) if isinstance(value, str) and value.strip() else blank(what)


def _money(value: Any, what: str) -> str:
    return f"{sheet.money(float(value))} 元" if isinstance(value, (int, float)) else blank(what)


def first_overdue(loan: Loan, as_of: dt.date) -> str:
    if isinstance(loan.values.get("first_overdue_date"), dt.date):
        return str(loan.values["first_overdue_date"].isoformat())
    days = loan.values.get("overdue_days")
    if isinstance(days, (int, float)) and days > 0:
        return f"约 {(as_of - dt.timedelta(days=int(days))).isoformat()}（按已逾期 {int(days)} 天推算）"
    if loan.values.get("overdue") is False:
        return "目前未逾期"
    return blank("首次逾期日期")


def parties(report: Report, loan: Loan) -> dict[str, Any]:
    case = report.trace.case
    person = private(loan)
    lender = _text(loan.values, "lender_name", "出借人姓名" if person else "出借方全称（见借款合同）")
    reference = (f"信用卡卡号后四位：{_text(loan.values, 'card_last4', '卡号后四位')}"
                 if loan.values.get("lender_type") == "credit_card" else
                 f"借条/借款凭证：{_text(loan.values, 'contract_number', '借条日期和金额')}" if person else
                 f"借款合同编号：{_text(loan.values, 'contract_number', '借款合同编号或借据号')}")
    channel = loan.values.get("channel")
    return {
        "private": person, "lender": lender,
        "addressee": lender if person else f"{lender}（困难客户协商 / 贷后管理部门）",
        "greeting": f"{lender}：您好！" if person else "您好！",
        "product": "" if person else one_line(loan.name), "loan_name": one_line(loan.name),
        "borrower": _text(case.values, "borrower.name", "借款人姓名"),
        "id_number": _text(case.values, "borrower.id_number", "身份证号（只写前 4 位和后 4 位）"),
        "phone": _text(case.values, "borrower.phone", "我的手机号" if person else "在贵方登记的手机号"),
        "reference": reference, "first_overdue": first_overdue(loan, report.as_of),
        "channel": CHANNELS.get(channel, "") if isinstance(channel, str) else "",
        "channel_blank": blank("递交方式：微信 / 当面交给本人 / 挂号信" if person
                               else "递交方式：App 在线客服工单 / 电子邮件 / 挂号信"),
    }


def header(p: Mapping[str, Any], title: str, as_of: dt.date, safe: bool = False) -> str:
    """The letter's head: whom it goes to, how, from whom, which account. A `safe` letter (one that must not
    acknowledge the debt) leaves out the date of first overdue."""
    lines = [title, "", f"致：{p['addressee']}"]
    if p["product"]:
        lines.append(f"借款产品：{p['product']}")
    lines += [f"递交方式：{p['channel'] or p['channel_blank']}", f"申请人：{p['borrower']}",
              f"身份证号：{p['id_number']}", f"登记手机号：{p['phone']}", p["reference"],
              *([] if safe else [f"首次逾期日期：{p['first_overdue']}"]), f"日期：{as_of.isoformat()}"]
    return "\n".join(lines)


def signature(p: Mapping[str, Any], as_of: dt.date) -> str:
    return "\n".join([f"申请人（签名）：{p['borrower']}", f"联系电话：{p['phone']}", f"日期：{as_of.isoformat()}"])


def attachments(offer_letter: bool) -> str:
    items = ATTACHMENTS if offer_letter else ATTACHMENTS[:1]
    return "附件：\n" + "\n".join(f"  {n}. {item}" for n, item in enumerate(items, 1))


def cap_for(report: Report, loan: Loan) -> int:
    params = report.trace.ruleset.params
    card = loan.values.get("lender_type") == "credit_card"
    name = "credit_card_max_term_months" if card else "max_plan_months"
    value = params[name].value if name in params else None
    return int(value) if isinstance(value, (int, float)) else 60


def offer_terms(report: Report, loan: Loan, offer: Offer | None) -> dict[str, Any]:
    """The proposal as the letter states it: the monthly amount, the periods (never more than the legal or
    plan limit), what they add up to, and that the count assumes interest is frozen."""
    cap = cap_for(report, loan)
    if offer is None:
        return {"offer": blank("每月还款金额"), "months": blank("期数"), "capped": False, "cap": cap,
                "covered": blank("合计金额"), "waiver": "", "schedule": "  " + blank("还款计划表：每期日期和金额"),
                "first_payment": blank("第一期还款日"), "frozen": True}
    plan = sheet.schedule(offer, report.as_of, cap)
    return {
        "offer": f"{sheet.money(offer.offer)} 元", "months": len(plan.rows), "capped": plan.capped, "cap": cap,
        "covered": f"{sheet.money(plan.covered)} 元",
        "waiver": f"{sheet.money(round(offer.balance - plan.covered, 2))} 元" if plan.capped else "",
        "schedule": sheet.schedule_table(plan) if plan.rows else "",
        "first_payment": sheet.first_payment(report.as_of).isoformat(), "frozen": True,
    }


def context(report: Report, index: int) -> dict[str, Any]:
    """What a template can use for loan number `index` (0-based): every figure formatted, every unknown a blank."""
    assert report.trace is not None and report.plan is not None
    case = report.trace.case
    loan = (case.loans or ())[index]
    plan = report.plan
    offer = next((o for o in plan.offers if o.loan == index), None)
    p = parties(report, loan)
    cost = loan_cost(loan.values)
    proposals = offer.proposals if offer else ()
    v = case.values
    settle = loan.values.get("settlement_offer")
    deadline = loan.values.get("settlement_deadline")
    return {
        **p, **offer_terms(report, loan, offer),
        "as_of": report.as_of.isoformat(), "reply_by": sheet.reply_by(report.as_of).isoformat(),
        "review_date": sheet.review_date(report.as_of).isoformat(),
        "header": lambda title, safe=False: header(p, title, report.as_of, bool(safe)), "signature": signature(p, report.as_of),
        "attachments": attachments(True), "attachments_short": attachments(False),
        "budget_sheet": sheet.budget_sheet(case, plan, case.loans or (), index),
        "balance": _money(loan.values.get("balance"), "目前剩余欠款金额"),
        "contractual": _money(loan.values.get("monthly_payment"), "合同每月应还金额"),
        "overdue_days": int(loan.values.get("overdue_days") or 0), "overdue": bool(loan.values.get("overdue")),
        "income": _money(plan.budget.income if plan.budget else None, "每月收入"),
        "essential": _money(plan.budget.essential if plan.budget else None, "每月必要开支"),
        "available": _money(plan.budget.available if plan.budget else None, "每月可用于还款的金额"),
        "loan_count": sum(1 for o in plan.offers) + sum(1 for x in case.loans or () if is_priority(x)),
        "apr": fmt(cost.nominal, "rate", "zh") if cost else None,
        "reduce_interest": "reduce_interest" in proposals, "pause": "pause" in proposals,
        "proposals": [words("proposals", "zh")[x] for x in proposals],
        "credit_card": loan.values.get("lender_type") == "credit_card",
        "temporary": v.get("situation.hardship") == "temporary",
        "rejections": int(v.get("negotiation.rejections") or 0),
        "third_party": v.get("collection.third_party_contacted") is True,
        "threats": v.get("collection.threats") is True, "night_calls": v.get("collection.night_calls") is True,
        "impersonation": v.get("collection.impersonation") is True,
        "calls_per_day": v.get("collection.calls_per_day"),
        "settlement_offer": _money(settle, "对方提出的结清金额"),
        "settlement_deadline": deadline.isoformat() if isinstance(deadline, dt.date) else blank("对方给的截止日期"),
        "settlement_reply_by": min(sheet.reply_by(report.as_of), deadline).isoformat()
        if isinstance(deadline, dt.date) else sheet.reply_by(report.as_of).isoformat(),
        "settlement_waiver": loan.values.get("settlement_kind") == "waiver",
        "blank": blank,
    }
