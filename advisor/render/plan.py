"""The negotiation plan as people read it: the budget, what to offer each lender and for how long,
and the true cost of each loan — in text, Markdown and JSON."""
from __future__ import annotations

from typing import Any, Mapping

from ..i18n import pick, words
from ..report import Report
from ..knowledge.cost import loan_cost
from ..format import fmt
from ..knowledge.vocabulary import missing_words



def costs(report: Report) -> list[dict[str, Any]]:
    """Per loan: name, balance and the true cost when the case gives enough to compute it (JSON `loans`)."""
    case = report.trace.case if report.trace else None
    out = []
    for loan in (case.loans or ()) if case else ():
        cost = loan_cost(loan.values)
        out.append({"name": loan.name, "lender_type": loan.values.get("lender_type"),
                    "balance": loan.values.get("balance"), "stated_rate": loan.values.get("annual_rate"),
                    "apr": None if cost is None else {"nominal": round(cost.nominal, 6),
                                                      "effective": round(cost.effective, 6),
                                                      "monthly": round(cost.monthly, 8), "method": cost.method}})
    return out


def document(report: Report) -> dict[str, Any] | None:
    plan = report.plan
    if plan is None:
        return None
    lang = report.lang
    budget = plan.budget
    return {
        "budget": None if budget is None else {
            "income": budget.income, "essential": budget.essential, "flexible": budget.flexible,
            "buffer": budget.buffer, "priority_payments": budget.priority_payments, "available": budget.available},
        "affordable": plan.affordable,
        "method": plan.method.get(lang),
        "offers": [{"loan": o.loan, "name": o.name, "balance": o.balance, "contractual": o.contractual,
                    "offer": o.offer, "months": o.months, "proposals": list(o.proposals), "note": o.note.get(lang)}
                   for o in plan.offers],
        "total": plan.total,
        "schedule": [list(month) for month in plan.schedule],
        "warnings": [w.get(lang) for w in plan.warnings],
        "missing": list(plan.missing),
        "to_confirm": [{"loan": index, "name": name, "fields": list(fields)} for index, name, fields in plan.to_confirm],
        "held": [{"loan": h.loan, "name": h.name, "reason": h.reason.get(lang)} for h in plan.held],
    }


def _view(report: Report) -> tuple[Any, str, Mapping[str, str]] | None:
    """The plan, the reader's language and its words; None when the rules folder has no plan parameters."""
    if report.plan is None:
        return None
    lang = pick(report.lang, "zh", "en")
    return report.plan, lang, words("plan", lang)


def _rates(report: Report) -> dict[str, dict[str, Any] | None]:
    return {c["name"]: c["apr"] for c in costs(report)}


def _steps(proposals: tuple[str, ...], lang: str) -> str:
    return " + ".join(words("proposals", lang)[p] for p in proposals)


def lines(report: Report) -> list[str]:
    """The plan for the text output (empty when the rules folder has no plan parameters)."""
    view = _view(report)
    if view is None:
        return []
    plan, lang, w = view
    def money(v: float | None) -> str:
        return fmt(v, "cny", lang)

    out = [f"== {w['title']} =="]
    if plan.budget is None or not plan.offers:

        if plan.missing:
            out.append(f"  {w['missing']}: " + "; ".join(missing_words(p, lang) for p in plan.missing))
        else:
            out.append(f"  {plan.method.get(lang)}")
        out.extend(_held(plan, w, lang))
        out.extend(f"  {w['warning']}: {x.get(lang)}" for x in plan.warnings)
        return out
    b = plan.budget
    out.append(f"  {w['income']} {money(b.income)} − {w['essential']} {money(b.essential)} − {w['flexible']} "
               f"{money(b.flexible)} − {w['buffer']} {money(b.buffer)} − {w['priority']} "
               f"{money(b.priority_payments)} = {w['available']} {money(b.available)}")
    out.append(f"  {plan.method.get(lang)}")
    rates = _rates(report)
    for i, o in enumerate(plan.offers, 1):
        months = f"{w['about']}{o.months} {w['months']}" if o.months else ""
        apr = rates.get(o.name)
        rate = f"  · {w['apr']} {fmt(apr['nominal'], 'rate', lang)}" if apr else ""
        out.append(f"  {i}. {o.name}{w['colon']}{w['owed']} {money(o.balance)}{w['comma']}{w['contract']} "
                   f"{money(o.contractual)} → {w['offer']} {money(o.offer)}{w['per_month']}{months}  "
                   f"[{_steps(o.proposals, lang)}]{rate}")
    out.append(f"  {w['total']} {money(plan.total)}{w['open']}{w['within']} {money(b.available)}{w['close']}")
    out.extend(_held(plan, w, lang))
    out.extend(f"  {w['warning']}: {x.get(lang)}" for x in plan.warnings)
    return out


def _held(plan: Any, w: Mapping[str, str], lang: str, bullet: str = "  ") -> list[str]:
    """The loans left out of the plan (a limitation check first), each with its reason."""
    return [f"{bullet}{h.name}{w['colon']}{h.reason.get(lang)}" for h in plan.held]


def markdown(report: Report) -> list[str]:
    view = _view(report)
    if view is None:
        return []
    plan, lang, w = view
    def money(v: float | None) -> str:
        return fmt(v, "cny", lang)

    out = [f"## {w['title']}", "", plan.method.get(lang), ""]
    if plan.budget is not None and plan.offers:
        rates = _rates(report)
        out += [f"| | {w['owed']} | {w['contract']} | {w['offer']} | {w['months']} | | {w['apr']} |",
                "|---|---:|---:|---:|---:|---|---:|"]
        for o in plan.offers:
            apr = rates.get(o.name)
            out.append(f"| {o.name} | {money(o.balance)} | {money(o.contractual)} | {money(o.offer)} | "
                       f"{o.months or '—'} | {_steps(o.proposals, lang)} | "
                       f"{fmt(apr['nominal'], 'rate', lang) if apr else '—'} |")
        out += ["", f"**{w['total']}**: {money(plan.total)} · **{w['available']}**: {money(plan.budget.available)}"]
    out.extend(_held(plan, w, lang, "- "))
    out.extend(f"- {w['warning']}: {x.get(lang)}" for x in plan.warnings)
    return out + [""]
