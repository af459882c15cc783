"""The borrower's one-page action plan: three things for this week, the budget as a statement whose lines
add up, the offer per lender, the dates to call by, the phone lines, the safety items. No rule ids,
hashes, parameter names or engine words: those stay in `explain` and JSON."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..report import Report
from .dates import contact_dates, strip
from ..plan.budget import FLEXIBLE, is_priority
from ..knowledge.vocabulary import BY_NAME
from .view import money, offers
from ..i18n import pick

TEMPLATES = Path(__file__).parent / "templates"
CSS = Path(__file__).parent / "static" / "plan.css"       # inlined: the plan loads nothing
CROWDED = 1400           # safety-text characters + 120 per lender and per date: above it, the plan says less
CROWDED_EN = 1000        # English runs longer on the page than the same Chinese
CALENDAR_WEEKS = 9       # the printed calendar: the weeks from today to the last date, about two months at most

WORDS = {
    "zh": {"title": "我的还款行动计划", "as_of": "制定日期", "three": "这周先做的三件事", "today": "今天",
           "by": "{date} 前", "this_week": "本周内（{date} 前）", "budget": "每月收支（每一行都列出，可以核对）",
           "income": "每月收入合计", "essential": "必要开支", "flexible": "可调整开支", "buffer": "备用金（应急用）",
           "priority": "优先债务月供（法院判决/抵押）", "available": "每月可用于其他借款", "gap": "每月缺口",
           "due": "其他借款按合同每月应还", "plan_total": "方案每月合计还款", "offers": "向每家出借方提出的方案", "chart": "收入到可用的钱（图）", "colon": "：", "cost": "每笔借款的真实成本（超过参考线的部分值得核实、可以要求减免）",
           "lender": "出借方", "owed": "欠款", "contract": "合同月供", "offer": "每月提出", "months": "约几个月还清",
           "how": "方式", "calls": "什么时候打电话", "call_by": "最晚联系日", "due_date": "还款日",
           "overdue": "已逾期：尽快联系", "phones": "电话", "safety": "人身安全：先做这些",
           "letters": "协商申请信", "letters_text": "给每家出借方的书面申请：请帮你的顾问在网页的“下载与记录”里下载，"
                                                  "填好空白处后发出。发出后留好记录，要求书面确认。",
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
           "offers": "The offer to each lender", "chart": "From income to what is available", "colon": ": ", "cost": "What each loan really costs (above a reference line is worth checking and asking to reduce)", "lender": "lender", "owed": "owed", "contract": "contract",
           "offer": "offer per month", "months": "months to clear", "how": "how", "calls": "When to call",
           "call_by": "call by", "due_date": "due", "overdue": "overdue: call as soon as possible", "phones": "Phone lines",
           "safety": "Safety first", "letters": "Letters",
           "letters_text": "A written request to each lender: ask your counsellor to download it on the page "
                           "(Downloads), fill in the blanks and send it. Keep a copy and ask for written confirmation.",
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


# The three things: actions, each with its date, built from the report (not from the advice titles).
SAFETY = {   # (case fact, action) in order of danger: the first that the case says is so
    "zh": (("collection.entered_home", "有人闯进家门或赖着不走：现在拨打 110 报警，不要开门放人进来"),
           ("collection.threats", "保存威胁、恐吓的录音和截图，拨打 110 报警，并向 12378 投诉"),
           ("collection.impersonation", "自称公检法的来电或“法律文书”：不转账、不按对方说的做，用 110 或法院官网电话核实"),
           ("collection.threatened_visit", "把要上门的威胁录音、截图存好；真有人上门不要开门，必要时拨打 110"),
           ("collection.home_visit", "有人上门催收：不开门也可以，记下时间和人数，必要时拨打 110"),
           ("situation.distress", "先照顾好自己：找一个信任的人说说，或拨打 12356 心理援助热线"),
           ("collection.threatened_contacts", "保存威胁要告诉家人、通讯录的录音和截图，向 12378 和出借方投诉"),
           ("collection.third_party_contacted", "记下催收联系了谁、什么时间，向 12378 和出借方投诉"),
           ("collection.night_calls", "记下夜间催收电话的时间和号码，向 12378 和出借方投诉"),
           ("collection.calls_per_day", "记下每天催收电话的次数和号码，向 12378 和出借方投诉")),
    "en": (("collection.entered_home", "someone entered the home or will not leave: call 110 now; do not let anyone in"),
           ("collection.threats", "keep recordings and screenshots of the threats, call 110 and complain to 12378"),
           ("collection.impersonation", "a caller or 'legal document' claiming to be police or court: pay nothing, "
                                        "check through 110 or the court's official number"),
           ("collection.threatened_visit", "keep the recording of the threatened visit; if someone comes, keep the "
                                           "door shut and call 110 if needed"),
           ("collection.home_visit", "collectors at the door: you need not open; note the time and how many, "
                                     "call 110 if needed"),
           ("situation.distress", "look after yourself first: talk to someone you trust, or call 12356 "
                                  "(psychological support line)"),
           ("collection.threatened_contacts", "keep the recordings of threats to tell family or contacts; complain "
                                              "to 12378 and to the lender"),
           ("collection.third_party_contacted", "write down whom the collectors contacted and when; complain to "
                                                "12378 and to the lender"),
           ("collection.night_calls", "write down the times and numbers of night calls; complain to 12378 and to "
                                      "the lender"),
           ("collection.calls_per_day", "write down how many collection calls come each day and from which "
                                        "numbers; complain to 12378 and to the lender")),
}
SAFETY_ANY = {"zh": "记下每次催收的时间、号码和内容，受到威胁拨打 110", "en": "write down every collection contact "
              "(time, number, what was said); call 110 if threatened"}
ACTIONS = {
    "zh": {"offer": "打给 {names}（App 内或合同上的官方客服电话），说明困难，提出{offers}",
           "offer_one": "{name}每月 {offer}（{steps}）", "pause": "{name}{steps}", "list": "：",
           "no_offer": "打给 {names}（App 内或合同上的官方客服电话），说明困难和还款意愿，先不承诺做不到的金额",
           "overdue": "（已逾期）", "pay": "{names}：按合同按时还款（在能力范围内）",
           "held": "先问律师或 12348，再决定是否联系 {names}：在这之前不联系、不承诺、不付款",
           "ask": "查清{what}，填进案例，再看一次建议", "sep": "、", "join": "；",
           "letter": "把书面协商申请发给 {names}（在 App 在线客服提交或邮寄），留好底稿，要求对方书面答复",
           "l12348": "拨打 12348 公共法律服务热线（免费），把情况讲清楚，问下一步怎么做",
           "records": "把每笔借款的合同、还款记录和催收记录整理在一起，之后每次沟通都记下时间和内容"},
    "en": {"offer": "call {names} (the official line in the app or the contract), explain, and offer {offers}",
           "offer_one": "{name}{offer} a month ({steps})", "pause": "{name}{steps}", "list": "",
           "no_offer": "call {names} (the official line in the app or the contract), explain and say you want to "
                       "repay; promise no amount you cannot pay",
           "overdue": " (overdue)", "pay": "{names}: pay as agreed (it is affordable)",
           "held": "ask a lawyer or 12348 before deciding whether to contact {names}; until then do not contact, "
                   "promise or pay",
           "ask": "find out {what}, add it to the case and look at the advice again", "sep": ", ", "join": "; ",
           "letter": "send the written request to {names} (through the app's online service or by post), keep a "
                     "copy and ask for a written answer",
           "l12348": "call 12348, the free public legal-service line, explain the situation and ask what to do next",
           "records": "put each loan's contract, payment record and collection record together; note the time and "
                      "content of every contact from now on"},
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
    def name(key: str) -> str:
        return pick(lang, BY_NAME[key].zh, BY_NAME[key].en)

    def line(words: str, amount: float, sign: int, total: bool = False) -> Line:
        return Line(words, amount, sign, money(amount, lang), total)
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


def three_things(report: Report) -> list[tuple[str, str]]:
    """(when, what): three different actions, each with its date. Safety first when the case calls for it;
    then the first lenders to call, by their contact-by date; then what to find out first (the report's
    ask-next); then the written request to send; then the next lenders and keeping records. Built from the
    report's figures and the case's facts, never from a rule's title, so no action is said twice."""
    lang = report.lang if report.lang in ACTIONS else "zh"
    w, a = WORDS[lang], ACTIONS[lang]
    today = f"{w['today']} {report.as_of.isoformat()}"
    week = w["this_week"].format(date=(report.as_of + dt.timedelta(days=6)).isoformat())
    def when(day: dt.date) -> str:
        return today if day <= report.as_of else w["by"].format(date=day.isoformat())
    plan = report.plan
    values = report.trace.case.values if report.trace else {}
    first: list[tuple[str, str]] = []
    if any(x.priority == "safety" for x in report.advice):
        first.append((today, next((text for fact, text in SAFETY[lang] if values.get(fact)), SAFETY_ANY[lang])))
    groups = _call_groups(report, a, when)
    first += groups[:1]
    if plan is not None and plan.held:
        first.append((today, a["held"].format(names=_names([h.name for h in plan.held], a, lang))))
    if report.ask_next:
        from ..knowledge.vocabulary import missing_words
        first.append((week, a["ask"].format(what=missing_words(report.ask_next[0].field, lang))))
    if plan is not None and plan.offers and not plan.affordable:
        offered = {o.name for o in plan.offers}
        days = [d["by"] for d in contact_dates(report) if d["name"] in offered]
        first.append((when(min(days)) if days else week,
                      a["letter"].format(names=_names([o.name for o in plan.offers], a, lang))))
    dated = {d["name"] for d in contact_dates(report)} | ({h.name for h in plan.held} if plan else set())
    rest = [loan.name for loan in (report.trace.case.loans or ()) if loan.name not in dated] if report.trace else []
    later = groups[1:] + ([(week, a["no_offer"].format(names=_names(rest, a, lang)))] if rest else [])
    if len(report.ask_next) > 1:
        from ..knowledge.vocabulary import missing_words
        later.append((week, a["ask"].format(what=missing_words(report.ask_next[1].field, lang))))
    out: list[tuple[str, str]] = []
    for item in first + later + [(week, a["records"]), (week, a["l12348"])]:
        if len(out) < 3 and item[1] not in {what for _, what in out}:
            out.append(item)
    return out


def _names(names: list[str], a: dict[str, str], lang: str, most: int = 3) -> str:
    shown = a["sep"].join(names[:most])
    if len(names) > most:
        shown += pick(lang, f"等 {len(names)} 家", f" and {len(names) - most} more")
    return shown


def _call_groups(report: Report, a: dict[str, str], when: Any) -> list[tuple[str, str]]:
    """The lenders to call (or to pay, when the plan is affordable), one action per date."""
    lang, plan = report.lang if report.lang in ACTIONS else "zh", report.plan
    offers = {o.name: o for o in plan.offers} if plan is not None else {}
    affordable = bool(plan is not None and plan.affordable)
    by_day: dict[tuple[dt.date, str], list[dict[str, Any]]] = {}
    for d in contact_dates(report):
        if affordable:
            key = (d["due"] if isinstance(d["due"], dt.date) else d["by"], "pay")
        else:
            key = (d["by"], "offer" if d["name"] in offers else "no_offer")
        by_day.setdefault(key, []).append(d)
    out = []
    for (day, kind), rows in sorted(by_day.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        names = [d["name"] + (a["overdue"] if d["overdue"] else "") for d in rows]
        if kind == "offer":
            if len(rows) > 3:
                told = pick(lang, "各家的方案见下面的表格", "each the amount in the table below")
            else:
                one = len(rows) == 1
                told = (a["list"] if not one else "") + a["sep"].join(
                    a["pause" if offers[d["name"]].offer <= 0 else "offer_one"].format(
                        name="" if one else d["name"] + " ", offer=money(offers[d["name"]].offer, lang),
                        steps=_steps(offers[d["name"]], lang)) for d in rows)
            what = a["offer"].format(names=_names(names, a, lang), offers=told)
        else:
            what = a[kind].format(names=_names(names, a, lang))
        out.append((when(day), what))
    return out


def _steps(offer: Any, lang: str) -> str:
    from ..i18n import words as catalogue

    return pick(lang, "＋", " + ").join(catalogue("proposals", lang)[p] for p in offer.proposals)


def phone_lines(report: Report) -> list[str]:
    w = WORDS[report.lang]
    values = report.trace.case.values if report.trace else {}
    out = [w["lender_line"], w["l12378"], w["l12348"]]
    if values.get("situation.distress"):
        out.append(w["l12356"])
    if any(values.get(f"collection.{k}") for k in ("threats", "entered_home", "home_visit", "impersonation")):
        out.append(w["l110"])
    return out


def crowded(report: Report) -> bool:
    """Too much for one page in full: long safety texts together with many lenders (or very many lenders).
    A crowded plan keeps every item but says less: each safety item's first and last sentence (what is
    happening, what to do), the calendar over the next two weeks (the table keeps every date), no budget
    picture (the statement has every line of it), and the true-cost chart only when a loan is at or above
    a reference line."""
    plan = report.plan
    safety = sum(len(a.text) for a in report.advice if a.priority == "safety")
    lenders = len(plan.offers) if plan is not None and not plan.affordable else 0
    return safety + 120 * (lenders + len(contact_dates(report))) > pick(report.lang, CROWDED, CROWDED_EN)


def brief(text: str) -> str:
    """A safety text in two sentences: its first and its last (for a crowded plan)."""
    # Chinese sentences end at 。！？; English ones at . ! ? before a capital ("art. 70" stays whole)
    sentences = [s for s in re.split(r"(?<=[。！？])\s*|(?<=[.!?])\s+(?=[A-Z“\"(])", text.strip()) if s]
    if len(sentences) <= 2:
        return text
    return sentences[0] + ("" if sentences[0].endswith(("。", "！", "？")) else " ") + sentences[-1]


def _above_a_line(report: Report) -> bool:
    from ..render.plan import costs

    params = report.trace.ruleset.params if report.trace else {}
    lines = [p.value for key in ("licensed_review_line", "old_private_lending_void_line")
             if (p := params.get(key)) is not None and isinstance(p.value, float)]
    return any(r["apr"] and lines and r["apr"]["nominal"] >= min(lines) for r in costs(report))


def context(report: Report) -> dict[str, Any]:
    from .charts import true_cost, waterfall

    lang = report.lang if report.lang in WORDS else "zh"
    plan = report.plan
    missing = ""
    if plan is not None and plan.budget is None:
        from ..knowledge.vocabulary import missing_words
        missing = "、".join(missing_words(p, lang) for p in plan.missing) or WORDS[lang]["none"]
    full = not crowded(report)
    safety = [(a.title, a.text if full else brief(a.text)) for a in report.advice if a.priority == "safety"]
    return {"w": WORDS[lang], "lang": lang, "report": report, "three": three_things(report),
            "statement": statement(report), "offers": offers(report) if plan and not plan.affordable else [],
            "affordable": bool(plan and plan.affordable), "dates": contact_dates(report),
            "phones": phone_lines(report), "missing": missing,
            "safety": safety,
            "held": [h.name for h in plan.held] if plan else [],
            "due": money(sum(o.contractual for o in plan.offers), lang) if plan and plan.offers else None,
            "plan_total": money(plan.total, lang) if plan and plan.offers else None,
            "waterfall": waterfall(report, compact=True) if full else Markup(""), "calendar": (strip(report, CALENDAR_WEEKS if full else 2) if full or pick(report.lang, True, False)
                         else Markup("")),   # crowded English: the dates table alone (it has every date)
            "true_cost": true_cost(report, compact=True) if full or _above_a_line(report) else Markup(""), "css": Markup(CSS.read_text(encoding="utf-8"))}


def render(report: Report) -> str:
    """The action plan as one printable HTML page (no scripts; print CSS)."""
    from .templating import environment

    return environment().get_template("action_plan.html.j2").render(context(report))
