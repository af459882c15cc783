"""The action plan's three things for this week: different actions, each with its date, built from the
report's figures and the case's facts (safety, the lenders to call, what to find out, the written request)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..report import Report
from .dates import contact_dates
from .view import money
from .words import PLAN as WORDS
from ..i18n import pick

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
