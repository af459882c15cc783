"""The borrower's one-page action plan: three things for this week, the budget as a statement whose lines
add up, the offer per lender, the dates to call by, the phone lines, the safety items. No rule ids,
hashes, parameter names or engine words: those stay in `explain` and JSON."""
from __future__ import annotations

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
from .words import PLAN as WORDS
from .actions import three_things as three_things  # the plan's first part, re-exported
from ..i18n import pick

TEMPLATES = Path(__file__).parent / "templates"
CSS = Path(__file__).parent / "static" / "plan.css"       # inlined: the plan loads nothing
CROWDED = 1400           # safety-text characters + 120 per lender and per date: above it, the plan says less
CROWDED_EN = 1000        # English runs longer on the page than the same Chinese
CALENDAR_WEEKS = 9       # the printed calendar: the weeks from today to the last date, about two months at most


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
