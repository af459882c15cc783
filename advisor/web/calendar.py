"""The case's calendar (issue 17, `advisor calendar`): the plan's dates (the date to call each lender by and
its due date, web/dates.py) plus the agreed payment dates of the journal, the settlement and counter-offer
deadlines, and the limitation dates to check, as one RFC 5545 file a phone imports. Deterministic."""
from __future__ import annotations

import datetime as dt

from ..format import fmt
from ..i18n import said
from ..knowledge.journal import agreements, schedule
from ..report import Report
from .dates import Event, events, ics

AGREED_HORIZON = 24      # agreed payments shown: the next two years at most


def _agreed(report: Report, lang: str) -> list[Event]:
    case = report.trace.case
    paid = {(e.loan, e.values.get("due", e.day)) for e in case.journal
            if e.kind == "payment" and e.values.get("status") == "made"}
    out = []
    for deal in agreements(case).values():
        amount = deal.values.get("monthly")
        shown = fmt(amount, "cny", lang) if isinstance(amount, (int, float)) else ""
        for day in [d for d in schedule(deal) if d >= case.as_of and (deal.loan, d) not in paid][:AGREED_HORIZON]:
            out.append(Event(day, "agreed", deal.loan, deal.lender,
                             said(f"约定还款：{deal.lender} {shown}", f"agreed payment: {deal.lender} {shown}").get(lang),
                             said("按约定还这一期，只付到官方渠道，保存凭证；凑不齐就在这天之前联系对方。",
                                  "Pay this agreed installment through the official channel only and keep the "
                                  "receipt; if you cannot, tell the lender before this day.").get(lang)))
    return out


def _deadlines(report: Report, lang: str) -> list[Event]:
    case = report.trace.case
    out = []
    for loan in case.loans or ():
        day = loan.values.get("settlement_deadline")
        if isinstance(day, dt.date) and day >= case.as_of:
            offer = loan.values.get("settlement_offer")
            shown = fmt(offer, "cny", lang) if isinstance(offer, (int, float)) else ""
            out.append(Event(day, "deadline", loan.index, loan.name,
                             said(f"结清方案截止：{loan.name} {shown}", f"settlement deadline: {loan.name} {shown}").get(lang),
                             said("付款前先拿到书面确认（金额、账户、付清后结清）；凑不齐就在截止日前说明。",
                                  "Before paying, get it in writing (amount, account, settled in full once paid); if "
                                  "you cannot make it, say so before the deadline.").get(lang)))
    seen = {(e.loan, e.day) for e in out}
    for entry in case.journal:
        day = entry.values.get("deadline")
        if entry.kind == "answer" and isinstance(day, dt.date) and day >= case.as_of and (entry.loan, day) not in seen:
            seen.add((entry.loan, day))
            out.append(Event(day, "deadline", entry.loan, entry.lender,
                             said(f"还价答复截止：{entry.lender}", f"counter-offer deadline: {entry.lender}").get(lang),
                             said("在这天之前答复对方；超出预算的数不要答应。",
                                  "Answer the lender before this day; do not accept more than the budget allows.").get(lang)))
    return out


def _limitation(report: Report, lang: str) -> list[Event]:
    case = report.trace.case
    param = report.trace.ruleset.params.get("limitation_period_days")
    if param is None or not isinstance(param.value, (int, float)):
        return []
    held = {h.loan for h in report.plan.held} if report.plan else set()
    out = []
    for loan in case.loans or ():
        last = loan.values.get("last_payment_date")
        if not isinstance(last, dt.date):
            continue
        day = last + dt.timedelta(days=int(param.value))
        if day < case.as_of and loan.index not in held:
            continue
        out.append(Event(max(day, case.as_of), "limitation", loan.index, loan.name,
                         said(f"核实诉讼时效：{loan.name}", f"check the limitation period: {loan.name}").get(lang),
                         said(f"最后一次还款 {last.isoformat()}，约三年后是 {day.isoformat()}。就这笔借款联系、付款或签字之前，"
                              "先咨询律师或 12348，核实时效是否中断过。",
                              f"Last payment {last.isoformat()}; about three years later is {day.isoformat()}. Before "
                              "contacting the lender about this loan, paying or signing, ask a lawyer or 12348 whether "
                              "the period was interrupted.").get(lang)))
    return out


def calendar_events(report: Report) -> list[Event]:
    """Every date of the case, in date order (then by kind and loan)."""
    lang = report.lang
    order = {"limitation": 0, "call": 1, "deadline": 2, "agreed": 3, "due": 4}
    every = [*events(report), *_agreed(report, lang), *_deadlines(report, lang), *_limitation(report, lang)]
    return sorted(every, key=lambda e: (e.day, order.get(e.kind, 9), e.loan))


def calendar_ics(report: Report) -> str:
    return ics(report, calendar_events(report))
