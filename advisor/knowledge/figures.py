"""Figures stage: the numbers of guidance section 1 computed from a case; unknown inputs give None.

Beside each exact figure, the bounds that are certain although the figure is not: a sum over items
some of which are unknown or stated as "20余万" keeps its known part as a lower bound; income given as
"4000-5000" bounds the disposable income from above. A bound is never shown as a figure: the summary
says "at least" (JSON: `bounds`), and rules read it as `monthly_shortfall_min` and its siblings.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..model import Case

SUMMARY_KEYS = ("monthly_income", "monthly_expenses", "monthly_disposable", "total_balance",
                "monthly_due", "monthly_shortfall", "overdue_loans")
# A summary figure and the computed facts that bound it when it is unknown: (at least, at most).
BOUNDED = {"monthly_income": ("monthly_income_min", "monthly_income_max"),
           "monthly_expenses": ("monthly_expenses_min", ""),
           "monthly_disposable": ("", "monthly_disposable_max"),
           "total_balance": ("total_balance_min", ""),
           "monthly_due": ("monthly_due_min", ""),
           "monthly_shortfall": ("monthly_shortfall_min", ""),
           "overdue_loans": ("overdue_loans_min", "")}


def _block(case: Case, block: str) -> tuple[float | None, float, float | None]:
    """(exact total, at least, at most) of a block's items. Absent block: (None, 0, None); an item marked
    unknown leaves the upper bound open; an item given as a range or "8000多" bounds the total."""
    if block not in case.given:
        return None, 0.0, None
    prefix = block + "."
    low = sum(v for k, v in case.values.items() if k.startswith(prefix))
    high: float | None = low
    inexact = False
    for key, bound in case.bounds.items():
        if key.startswith(prefix):
            inexact = True
            low += bound.low
            high = None if high is None or bound.high is None else high + bound.high
    if any(name.startswith(prefix) for name in case.unknown):
        inexact, high = True, None
    exact = None if inexact else round(low, 2)
    return exact, round(low, 2), None if high is None else round(high, 2)


def _loan_sum(case: Case, field: str) -> tuple[float | None, float | None]:
    """(exact sum, at least) of a loan field: unknown items count as at least 0, bounds as their low end."""
    if case.loans is None:
        return None, None
    exact = all(field in loan.values for loan in case.loans)
    low = sum(loan.values.get(field, 0.0) + (loan.bounds[field].low if field in loan.bounds else 0.0)
              for loan in case.loans)
    return (round(low, 2) if exact else None), round(low, 2)


def figures(case: Case) -> dict[str, Any]:
    """The computed case facts: the summary figures, their bounds and loan_count; None where unknown."""
    income, income_min, income_max = _block(case, "income")
    expenses, expenses_min, _ = _block(case, "expenses")
    disposable = round(income - expenses, 2) if income is not None and expenses is not None else None
    disposable_max = round(income_max - expenses_min, 2) if income_max is not None else None
    due, due_min = _loan_sum(case, "monthly_payment")
    balance, balance_min = _loan_sum(case, "balance")
    shortfall = round(max(0.0, due - disposable), 2) if due is not None and disposable is not None else None
    shortfall_min = None
    if due_min is not None and disposable_max is not None:
        shortfall_min = round(max(0.0, due_min - disposable_max), 2)
    overdue = overdue_min = None
    if case.loans is not None:
        states = [(loan.values.get("overdue"), loan.lenders) for loan in case.loans]
        overdue_min = sum(n for state, n in states if state)
        if all(state is not None for state, _ in states):
            overdue = overdue_min
    return {
        "monthly_income": income,
        "monthly_expenses": expenses,
        "monthly_disposable": disposable,
        "total_balance": balance,
        "monthly_due": due,
        "monthly_shortfall": shortfall,
        "overdue_loans": overdue,
        "loan_count": sum(loan.lenders for loan in case.loans) if case.loans is not None else None,
        "monthly_income_min": income_min if "income" in case.given else None,
        "monthly_income_max": income_max,
        "monthly_expenses_min": expenses_min if "expenses" in case.given else None,
        "monthly_disposable_max": disposable_max,
        "total_balance_min": balance_min,
        "monthly_due_min": due_min,
        "monthly_shortfall_min": shortfall_min,
        "overdue_loans_min": overdue_min,
    }


def bounds(known: Mapping[str, Any]) -> dict[str, dict[str, float | None]]:
    """For each summary figure that is unknown but bounded: {"min": …, "max": …} (None: open)."""
    out = {}
    for key, (low, high) in BOUNDED.items():
        if known.get(key) is not None:
            continue
        lo = known.get(low) if low else None
        hi = known.get(high) if high else None
        if (lo is not None and lo > 0) or hi is not None:
            out[key] = {"min": lo, "max": hi}
    return out


def missing(case: Case) -> tuple[str, ...]:
    """What the case does not tell, in the case file's own terms (guidance section 1 asks for it)."""
    out = []
    for block in ("income", "expenses"):
        if block not in case.given:
            out.append(block)
    out.extend(case.unknown)
    out.extend(sorted(key for key in case.bounds))
    if case.loans is None:
        out.append("loans")
    else:
        for loan in case.loans:
            for field in ("balance", "monthly_payment", "overdue_days"):
                if field not in loan.values:
                    out.append(f"loans[{loan.index}].{field}")
            if "annual_rate" not in loan.values and "monthly_fee_rate" not in loan.values:
                out.append(f"loans[{loan.index}].annual_rate")
    return tuple(out)
