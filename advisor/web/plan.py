"""The borrower's one-page action plan: three things for this week, the budget as a statement whose lines
add up, the offer per lender, the dates to call by, the phone lines, the safety items. No rule ids,
hashes, parameter names or engine words: those stay in `explain` and JSON."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Report
from ..plan import FLEXIBLE, is_priority
from ..vocabulary import BY_NAME
from .view import money, offers

TEMPLATES = Path(__file__).parent / "templates"
CONTACT_DAYS = "contact_days_before_due"

WORDS = {
    "zh": {"title": "我的还款行动计划", "as_of": "制定日期", "three": "这周先做的三件事", "today": "今天",
           "by": "{date} 前", "this_week": "本周内（{date} 前）", "budget": "每月收支（每一行都列出，可以核对）",
           "income": "每月收入合计", "essential": "必要开支", "flexible": "可调整开支", "buffer": "备用金（应急用）",
           "priority": "优先债务月供（法院判决/抵押）", "available": "每月可用于其他借款", "gap": "每月缺口",
           "due": "其他借款按合同每月应还", "plan_total": "方案每月合计还款", "offers": "向每家出借方提出的方案",
           "lender": "出借方", "owed": "欠款", "contract": "合同月供", "offer": "每月提出", "months": "约几个月还清",
           "how": "方式", "calls": "什么时候打电话", "call_by": "最晚联系日", "due_date": "还款日",
           "overdue": "已逾期：尽快联系", "phones": "电话", "safety": "人身安全：先做这些",
           "letters": "协商申请信", "letters_text": "给每家出借方的书面申请：在网页的“下载与记录”里下载，"
                                                  "或运行 advisor run 案例文件 --letters 文件夹。发出后留好记录，要求书面确认。",
           "no_budget": "还算不出预算：先查清 {what}。", "call_lender": "联系 {name}（用 App 或合同上的官方客服电话），"
                                                             "说明情况，提出每月 {offer}",
           "keep_paying": "按合同按时还款（能力范围内）", "print": "打印 / 保存为 PDF",
           "lender_line": "出借方的官方客服电话（App 内或合同上；不要用催收人员给的号码）",
           "l12378": "12378：银行保险消费者投诉热线（金融监管总局）", "l12348": "12348：公共法律服务热线（免费法律咨询）",
           "l12356": "12356：心理援助热线", "l110": "110：受到威胁、有人未经同意进门时报警",
           "held": "暂不联系、不承诺、不付款：{name}——先咨询律师或 12348", "none": "—",
           "note": "本计划提供信息，不构成法律意见。"},
    "en": {"title": "My repayment action plan", "as_of": "made on", "three": "Three things to do this week",
           "today": "today", "by": "by {date}", "this_week": "this week (by {date})",
           "budget": "Money each month (every line shown, so it can be checked)", "income": "monthly income",
           "essential": "essential costs", "flexible": "flexible costs", "buffer": "safety buffer",
           "priority": "priority debts (judgment/secured)", "available": "available for the other loans",
           "gap": "shortfall each month", "due": "the other loans' contractual payments", "plan_total": "the plan pays",
           "offers": "The offer to each lender", "lender": "lender", "owed": "owed", "contract": "contract",
           "offer": "offer per month", "months": "months to clear", "how": "how", "calls": "When to call",
           "call_by": "call by", "due_date": "due", "overdue": "overdue: call as soon as possible", "phones": "Phone lines",
           "safety": "Safety first", "letters": "Letters",
           "letters_text": "A written request to each lender: download it on the page (Downloads), or run "
                           "advisor run CASE --letters FOLDER. Keep a copy and ask for written confirmation.",
           "no_budget": "No budget yet: find out {what} first.",
           "call_lender": "call {name} (the official line in the app or the contract), explain, and offer "
                          "{offer} a month", "keep_paying": "keep paying as agreed (it is affordable)",
           "print": "Print / save as PDF",
           "lender_line": "each lender's official customer line (in the app or the contract; never a number a collector gives)",
           "l12378": "12378: banking and insurance consumer complaints", "l12348": "12348: public legal-service line (free)",
           "l12356": "12356: psychological support line", "l110": "110: police, for threats or entry without consent",
           "held": "Do not contact, promise or pay yet: {name}; ask a lawyer or 12348 first", "none": "—",
           "note": "This plan gives information, not legal advice."},
}


@dataclass(frozen=True)
class Line:
    """One line of the budget statement: its words, its amount and its part in the sum: +1 income, -1 a
    deduction, 0 an item under the total above it, 2 the result (available), 3 the shortfall."""

    words: str
    amount: float
    sign: int
    shown: str
    total: bool = False


def statement(report: Report) -> list[Line]:
    """income − essential − flexible − buffer − priority = available (or the shortfall, and 0 available);
    each part with the case's own lines under it. Empty when there is no budget."""
    plan, case = report.plan, report.trace.case if report.trace else None
    if plan is None or plan.budget is None or case is None:
        return []
    lang, b = report.lang, plan.budget
    w = WORDS[lang]
    name = lambda key: BY_NAME[key].en if lang == "en" else BY_NAME[key].zh  # noqa: E731
    line = lambda words, amount, sign, total=False: Line(words, amount, sign, money(amount, lang), total)  # noqa: E731
    out = [line(f"{name(k)}", v, 0) for k, v in case.values.items() if k.startswith("income.")]
    out.append(line(w["income"], b.income, 1, True))
    out += [line(f"{name(k)}", v, 0) for k, v in case.values.items() if k.startswith("expenses.") and k not in FLEXIBLE]
    out.append(line(w["essential"], b.essential, -1, True))
    out += [line(f"{name(k)}", v, 0) for k, v in case.values.items() if k in FLEXIBLE]
    out.append(line(w["flexible"], b.flexible, -1, True))
    out.append(line(w["buffer"], b.buffer, -1, True))
    out += [line(loan.name, loan.values["monthly_payment"], 0) for loan in case.loans or () if is_priority(loan)]
    out.append(line(w["priority"], b.priority_payments, -1, True))
    rest = round(b.income - b.essential - b.flexible - b.buffer - b.priority_payments, 2)
    if rest < 0:
        out.append(line(w["gap"], -rest, 3, True))
    out.append(line(w["available"], b.available, 2, True))
    return out


def contact_dates(report: Report) -> list[dict[str, Any]]:
    """Per loan with a due date or overdue (and not held): its due date and the date to call by."""
    case = report.trace.case if report.trace else None
    param = report.trace.ruleset.params.get(CONTACT_DAYS) if report.trace else None
    days = int(param.value) if param is not None and isinstance(param.value, (int, float)) else 7
    held = {h.loan for h in report.plan.held} if report.plan else set()
    out = []
    for loan in (case.loans or ()) if case else ():
        if loan.index in held:
            continue
        due = loan.values.get("next_due")
        if loan.values.get("overdue"):
            out.append({"name": loan.name, "due": due, "by": report.as_of, "overdue": True})
        elif isinstance(due, dt.date):
            out.append({"name": loan.name, "due": due, "by": max(report.as_of, due - dt.timedelta(days=days)),
                        "overdue": False})
    return sorted(out, key=lambda d: (d["by"], d["name"]))


def three_things(report: Report) -> list[tuple[str, str]]:
    """(when, what): a safety item first, then the first lender to call, then the most urgent advice."""
    lang, w = report.lang, WORDS[report.lang]
    week_end = (report.as_of + dt.timedelta(days=6)).isoformat()
    out: list[tuple[str, str]] = []
    safety = [a for a in report.advice if a.priority == "safety"]
    if safety:
        out.append((f"{w['today']} {report.as_of.isoformat()}", safety[0].title))
    dates = contact_dates(report)
    plan = report.plan
    if dates:
        first = dates[0]
        offer = next((o for o in plan.offers if o.name == first["name"]), None) if plan else None
        when = w["by"].format(date=first["by"].isoformat())
        if plan is not None and plan.affordable:
            out.append((when, f"{first['name']}：{w['keep_paying']}" if lang == "zh" else
                        f"{first['name']}: {w['keep_paying']}"))
        elif offer is not None:
            out.append((when, w["call_lender"].format(name=first["name"],
                                                      offer=money(offer.offer, lang))))
    titles = {t for _, t in out}
    for advice in report.advice:
        if len(out) >= 3:
            break
        if advice.title not in titles:
            when = f"{w['today']} {report.as_of.isoformat()}" if advice.priority in ("safety", "urgent") else \
                w["this_week"].format(date=week_end)
            out.append((when, advice.title))
            titles.add(advice.title)
    return out[:3]


def phone_lines(report: Report) -> list[str]:
    w = WORDS[report.lang]
    values = report.trace.case.values if report.trace else {}
    out = [w["lender_line"], w["l12378"], w["l12348"]]
    if values.get("situation.distress"):
        out.append(w["l12356"])
    if any(values.get(f"collection.{k}") for k in ("threats", "entered_home", "home_visit", "impersonation")):
        out.append(w["l110"])
    return out


def context(report: Report) -> dict[str, Any]:
    from .charts import waterfall

    lang = report.lang if report.lang in WORDS else "zh"
    plan = report.plan
    missing = ""
    if plan is not None and plan.budget is None:
        from ..render.text import missing_words
        missing = "、".join(missing_words(p, lang) for p in plan.missing) or WORDS[lang]["none"]
    return {"w": WORDS[lang], "lang": lang, "report": report, "three": three_things(report),
            "statement": statement(report), "offers": offers(report) if plan and not plan.affordable else [],
            "affordable": bool(plan and plan.affordable), "dates": contact_dates(report),
            "phones": phone_lines(report), "missing": missing,
            "safety": [a for a in report.advice if a.priority == "safety"],
            "held": [h.name for h in plan.held] if plan else [],
            "due": money(sum(o.contractual for o in plan.offers), lang) if plan and plan.offers else None,
            "plan_total": money(plan.total, lang) if plan and plan.offers else None,
            "waterfall": waterfall(report)}


def render(report: Report) -> str:
    """The action plan as one printable HTML page (no scripts; print CSS)."""
    from .templating import environment

    return environment().get_template("action_plan.html.j2").render(context(report))
