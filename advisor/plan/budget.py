"""Plan stage, the budget: what a month's money leaves for the lenders (SFS style; domain.md B1, B5, C2)."""
from __future__ import annotations

import math
from typing import Mapping

from ..format import yuan as _yuan
from ..knowledge.figures import figures
from ..model import Case, Loan, Param
from ..report import Budget

PARAMS = ("safety_buffer_share", "safety_buffer_max", "min_offer_per_lender", "token_payment",
          "extension_max_ratio", "max_plan_months", "credit_card_max_term_months", "high_rate_line",
          "schedule_horizon_months")
PRIORITY_FLAGS = ("court_judgment", "secured")     # loan fields that make a debt a priority (B5, C2)
FLEXIBLE = ("expenses.other",)                      # spending a lender may ask to cut (SFS flexible costs)

def values(params: Mapping[str, Param]) -> dict[str, float]:
    """The fixed numeric parameters of a RuleSet as plain numbers, the form `build` takes."""
    return {name: float(p.value) for name, p in params.items() if isinstance(p.value, (int, float))}


def is_priority(loan: Loan) -> bool:
    """A court judgment or enforcement order, or security on a home or car, makes a debt a priority."""
    return any(loan.values.get(flag) is True for flag in PRIORITY_FLAGS)


def _cents(amount: float) -> float:
    """Round down to the fen, so that a rounded capacity never exceeds the real one."""
    return math.floor(amount * 100 + 1e-6) / 100


def _zh(amount: float) -> str:
    return f"{_yuan(amount)} 元"


def _param(params: Mapping[str, float], name: str) -> float:
    if name not in params:
        raise ValueError(f"the plan needs parameter '{name}' (rules/params.yaml); pass plan.values(ruleset.params)")
    return float(params[name])


def budget(case: Case, params: Mapping[str, float]) -> Budget | None:
    """The month's budget; None when income, expenses or a priority debt's payment is unknown."""
    known = figures(case)
    income, expenses = known["monthly_income"], known["monthly_expenses"]
    priority = [loan for loan in case.loans or () if is_priority(loan)]
    if income is None or expenses is None or any("monthly_payment" not in p.values for p in priority):
        return None
    flexible = round(sum(case.values.get(name, 0.0) for name in FLEXIBLE), 2)
    disposable = income - expenses
    share, ceiling = _param(params, "safety_buffer_share"), _param(params, "safety_buffer_max")
    buffer = _cents(min(max(0.0, share * disposable), ceiling))
    priority_payments = round(sum(p.values["monthly_payment"] for p in priority), 2)
    available = _cents(max(0.0, disposable - buffer - priority_payments))
    return Budget(income=float(income), essential=float(round(expenses - flexible, 2)), flexible=float(flexible),
                  buffer=buffer, priority_payments=float(priority_payments), available=available)


def _missing(case: Case) -> tuple[str, ...]:
    """The fields without which there is no plan at all, in the case file's terms: the budget (income,
    expenses, a priority debt's payment). A lender's own unknown figures only leave that lender to confirm."""
    out: list[str] = []
    for block in ("income", "expenses"):
        if block not in case.given:
            out.append(block)
        out.extend(name for name in (*case.unknown, *case.bounds) if name.startswith(block + "."))
    if case.loans is None:
        return (*out, "loans")
    for loan in case.loans:
        if is_priority(loan) and "monthly_payment" not in loan.values:
            out.append(f"loans[{loan.index}].monthly_payment")
    return tuple(out)


def _to_confirm(case: Case) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """Non-priority loans whose balance or monthly payment is unknown (or only bounded)."""
    out = []
    for loan in case.loans or ():
        gaps = tuple(f for f in ("balance", "monthly_payment") if f not in loan.values)
        if gaps and not is_priority(loan):
            out.append((loan.index, loan.name, gaps))
    return tuple(out)
