"""The plan's dates: each lender's due date and the date to call it by, as calendar months (an HTML table,
Monday first) from the case's as_of, and as an iCalendar file (RFC 5545) a phone's calendar can import.
Deterministic: the same case gives the same file, byte for byte, so a re-download updates the events
instead of adding copies (each event's UID stands for the case, the loan and the kind of date)."""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..i18n import pick
from ..report import Report
from .view import money

WORDS: dict[str, dict[str, Any]] = {     # weekdays: a string of characters (zh) or a tuple of names (en)
    "zh": {"due": "还款日", "call": "最晚联系", "due_summary": "{name} 还款日（合同月供 {amount}）",
           "due_plain": "{name} 还款日", "call_summary": "最晚今天联系 {name}",
           "call_offer": "用 App 内或合同上的官方客服电话联系 {name}，说明困难，提出每月 {offer}，并要求书面确认。",
           "call_plain": "用 App 内或合同上的官方客服电话联系 {name}，说明困难和还款意愿，要求书面确认。",
           "due_text": "按合同这天要还 {name}。还不上的话，在这之前联系对方协商，不要失联。",
           "pay_text": "按合同按时还款（在能力范围内）。", "weekdays": "一二三四五六日", "month": "{y} 年 {m} 月",
           "today": "今天", "calendar": "还款行动日历", "legend": "■ 最晚联系日　□ 还款日",
           "later": "更晚的日期见“什么时候打电话”表格。",
           "span": "{year} 年 {start} 至 {end}", "legend_strip": "红底：最晚联系日（这天前打电话）　蓝框：还款日"},
    "en": {"due": "due", "call": "call by", "due_summary": "{name} due ({amount} a month by contract)",
           "due_plain": "{name} due", "call_summary": "call {name} today at the latest",
           "call_offer": "Call {name} on the official line in the app or the contract, explain, offer {offer} a month "
                         "and ask for written confirmation.",
           "call_plain": "Call {name} on the official line in the app or the contract, explain, say you want to repay "
                         "and ask for written confirmation.",
           "due_text": "The contract's payment to {name} is due. If it cannot be paid, contact them before this "
                       "day; do not go silent.", "pay_text": "Pay as agreed (it is affordable).",
           "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "month": "{m_name} {y}",
           "today": "today", "calendar": "Action calendar", "legend": "■ call by  □ due",
           "later": "Later dates: see the table of when to call.",
           "span": "{start} to {end}, {year}", "legend_strip": "red: call by this day   blue frame: due"},
}


@dataclass(frozen=True)
class Event:
    """One date of the plan: `kind` is "call" (the date to call the lender by) or "due" (its due date)."""

    day: dt.date
    kind: str
    loan: int
    name: str
    summary: str
    text: str



CONTACT_DAYS = "contact_days_before_due"   # the parameter behind the dates to call by


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

def events(report: Report) -> list[Event]:
    """The plan's dates, in date order (call before due on the same day, then by loan)."""

    lang = report.lang if report.lang in WORDS else "zh"
    w = WORDS[lang]
    case = report.trace.case if report.trace else None
    plan = report.plan
    if case is None:
        return []
    offers = {o.loan: o for o in plan.offers} if plan is not None else {}
    affordable = bool(plan is not None and plan.affordable)
    index = {loan.name: loan for loan in case.loans or ()}
    out = []
    for d in contact_dates(report):
        loan = index[d["name"]]
        offer = offers.get(loan.index)
        if not affordable:
            text = w["call_offer"].format(name=d["name"], offer=money(offer.offer, lang)) if offer is not None \
                else w["call_plain"].format(name=d["name"])
            out.append(Event(d["by"], "call", loan.index, d["name"], w["call_summary"].format(name=d["name"]), text))
        if isinstance(d["due"], dt.date) and d["due"] >= report.as_of:
            amount = loan.values.get("monthly_payment")
            summary = w["due_summary"].format(name=d["name"], amount=money(amount, lang)) \
                if isinstance(amount, (int, float)) else w["due_plain"].format(name=d["name"])
            out.append(Event(d["due"], "due", loan.index, d["name"], summary,
                             w["pay_text"] if affordable else w["due_text"].format(name=d["name"])))
    return sorted(out, key=lambda e: (e.day, e.kind != "call", e.loan))


def months(report: Report) -> list[tuple[int, int]]:
    """The calendar months to show: from as_of's month to the month of the last date (at least one)."""
    last = max((e.day for e in events(report)), default=report.as_of)
    out: list[tuple[int, int]] = []
    y, m = report.as_of.year, report.as_of.month
    while (y, m) <= (last.year, last.month) and len(out) < 12:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _by_day(report: Report) -> dict[dt.date, list[Event]]:
    """The plan's dates, each day with its events (empty when the plan has none)."""
    out: dict[dt.date, list[Event]] = {}
    for e in events(report):
        out.setdefault(e.day, []).append(e)
    return out


def grid(report: Report, most: int | None = None) -> Markup:
    """The months as HTML tables (Monday first); each day with a date of the plan names its lenders.
    Every text is escaped; empty when the plan has no dates. `most` (the printed plan): only the months
    that carry a date, the first `most` of them, and a line saying where the later dates are."""
    lang = report.lang if report.lang in WORDS else "zh"
    w = WORDS[lang]
    by_day = _by_day(report)
    if not by_day:
        return Markup("")
    parts = [f'<div class="calendar" aria-label="{escape(w["calendar"])}">']
    shown = months(report)
    if most is not None:
        dated = [(y, m) for y, m in shown if any((d.year, d.month) == (y, m) for d in by_day)]
        shown = dated[:most]
    later = any((d.year, d.month) > shown[-1] for d in by_day) if shown else False
    parts.append('<div class="months">')
    for y, m in shown:
        title = w["month"].format(y=y, m=m, m_name=pick(lang, "", calendar.month_name[m]))
        parts.append(f'<table class="month" data-month="{y:04d}-{m:02d}"><caption>{escape(title)}</caption><tr>'
                     + "".join(f"<th>{escape(d)}</th>" for d in w["weekdays"]) + "</tr>")
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(y, m):
            parts.append("<tr>")
            for day in week:
                if day.month != m:
                    parts.append('<td class="out"></td>')
                    continue
                kinds = " ".join(sorted({e.kind for e in by_day.get(day, [])}))
                marks = "".join(f'<span class="ev {e.kind}">{escape(w[e.kind])} {escape(e.name)}</span>'
                                for e in by_day.get(day, []))
                today = f' <span class="today">{escape(w["today"])}</span>' if day == report.as_of else ""
                parts.append(f'<td class="{kinds}" data-date="{day.isoformat()}"><span class="d">{day.day}</span>'
                             f'{today}{marks}</td>')
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</div>")
    parts.append(f'<p class="legend">{escape(w["legend"])}' + (f' {escape(w["later"])}' if later else "") + "</p></div>")
    return Markup("".join(parts))


def strip(report: Report, most_weeks: int = 9) -> Markup:
    """The printed plan's calendar: one table of the weeks from as_of's week to the week of the last date
    (Monday first, at most `most_weeks`, about two months), each day with a date of the plan naming its
    lenders, the first day shown and each 1st of a month with its month; days before as_of greyed. A line
    says where any later dates are. Every text is escaped; empty when the plan has no dates."""
    lang = report.lang if report.lang in WORDS else "zh"
    w = WORDS[lang]
    by_day = _by_day(report)
    if not by_day:
        return Markup("")
    first = report.as_of - dt.timedelta(days=report.as_of.weekday())
    last = min(max(by_day), first + dt.timedelta(weeks=most_weeks, days=-1))
    later = max(by_day) > last
    span = w["span"].format(year=first.year, start=_month_day(first, lang, True), end=_month_day(
        last + dt.timedelta(days=6 - last.weekday()), lang, True))
    parts = [f'<div class="calendar strip" aria-label="{escape(w["calendar"])}">'
             f'<table class="month weeks"><caption>{escape(span)}</caption><tr>'
             + "".join(f"<th>{escape(d)}</th>" for d in w["weekdays"]) + "</tr>"]
    day = first
    while day <= last:
        parts.append("<tr>")
        for _ in range(7):
            kinds = " ".join(sorted({e.kind for e in by_day.get(day, [])} | ({"past"} if day < report.as_of else set())))
            number = _month_day(day, lang, day == first or day.day == 1)
            today = f' <span class="today">{escape(w["today"])}</span>' if day == report.as_of else ""
            marks = "".join(f'<span class="ev {e.kind}">{escape(e.name)}</span>' for e in by_day.get(day, []))
            cls = f' class="{kinds}"' if kinds else ""
            parts.append(f'<td{cls} data-date="{day.isoformat()}"><span class="d">{escape(number)}</span>'
                         f'{today}{marks}</td>')
            day += dt.timedelta(days=1)
        parts.append("</tr>")
    parts.append("</table>")
    parts.append(f'<p class="legend">{escape(w["legend_strip"])}' + (f' {escape(w["later"])}' if later else "")
                 + "</p></div>")
    return Markup("".join(parts))


def _month_day(day: dt.date, lang: str, with_month: bool) -> str:
    if not with_month:
        return str(day.day)
    return pick(lang, f"{day.month} 月 {day.day} 日", f"{calendar.month_abbr[day.month]} {day.day}")


# iCalendar (RFC 5545)

def _escape(text: str) -> str:
    """TEXT value escaping (3.3.11): backslash, semicolon, comma and newline."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded (3.1): CRLF and a space, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += octets
    out.append(current)
    return "\r\n".join(out)


def uid(report: Report, event: Event) -> str:
    """Stable per case, loan and kind of date: the same event on every download."""
    key = f"{report.case}\x00{event.loan}\x00{event.name}\x00{event.kind}"
    if event.kind not in ("call", "due"):       # several agreed payments per loan: one event per date
        key += f"\x00{event.day.isoformat()}"
    key_bytes = key.encode("utf-8")
    return f"{hashlib.sha256(key_bytes).hexdigest()[:24]}-{event.kind}-{event.loan + 1}@advisor.local"


CATEGORIES = {"call": "CALL", "due": "DUE", "agreed": "AGREED-PAYMENT", "deadline": "DEADLINE",
              "limitation": "LIMITATION-CHECK"}


def ics(report: Report, chosen: list[Event] | None = None) -> str:
    """The plan's dates (or the `chosen` events) as one VCALENDAR of all-day VEVENTs; CRLF line endings,
    folded lines."""
    lang = report.lang if report.lang in WORDS else "zh"
    stamp = report.as_of.strftime("%Y%m%dT000000Z")        # the case's date, not the clock: deterministic
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//advisor//action plan//{lang.upper()}",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(WORDS[lang]['calendar'])}"]
    for event in events(report) if chosen is None else chosen:
        lines += ["BEGIN:VEVENT", f"UID:{uid(report, event)}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(event.day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_escape(event.summary)}", f"DESCRIPTION:{_escape(event.text)}",
                  f"CATEGORIES:{CATEGORIES.get(event.kind, 'DUE')}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
