"""Figures stage: the numbers of guidance section 1 computed from a case; unknown inputs give None."""
from __future__ import annotations

from typing import Any

from .model import Case

SUMMARY_KEYS = ("monthly_income", "monthly_expenses", "monthly_disposable", "total_balance",
                "monthly_due", "monthly_shortfall", "overdue_loans")


def _block_total(case: Case, block: str) -> float | None:
    """Sum of the items listed in a block; None if the block is absent or an item is marked unknown."""
    if block not in case.given:
        return None
    if any(name.startswith(block + ".") for name in case.unknown):
        return None
    return round(sum(v for k, v in case.values.items() if k.startswith(block + ".")), 2)


def _loan_total(case: Case, field: str) -> float | None:
    if case.loans is None or any(field not in loan.values for loan in case.loans):
        return None
    return round(sum(loan.values[field] for loan in case.loans), 2)


def figures(case: Case) -> dict[str, Any]:
    """The computed case facts: the summary figures plus loan_count; None where unknown."""
    income = _block_total(case, "income")
    expenses = _block_total(case, "expenses")
    disposable = round(income - expenses, 2) if income is not None and expenses is not None else None
    due = _loan_total(case, "monthly_payment")
    shortfall = round(max(0.0, due - disposable), 2) if due is not None and disposable is not None else None
    overdue = None
    if case.loans is not None and all("overdue_days" in loan.values for loan in case.loans):
        overdue = sum(1 for loan in case.loans if loan.values["overdue_days"] > 0)
    return {
        "monthly_income": income,
        "monthly_expenses": expenses,
        "monthly_disposable": disposable,
        "total_balance": _loan_total(case, "balance"),
        "monthly_due": due,
        "monthly_shortfall": shortfall,
        "overdue_loans": overdue,
        "loan_count": len(case.loans) if case.loans is not None else None,
    }


def missing(case: Case) -> tuple[str, ...]:
    """What the case does not tell, in the case file's own terms (guidance section 1 asks for it)."""
    out = []
    for block in ("income", "expenses"):
        if block not in case.given:
            out.append(block)
    out.extend(case.unknown)
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
