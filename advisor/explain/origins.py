"""Where a value came from: a line of the case file, a sum over case lines, a parameter with its
source and effective date, or the day counts the advisor works out from the case's dates."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..i18n import t
from ..model import Case, Param
from ..report import Step
from ..knowledge.cost import loan_cost
from ..format import fmt
from ..knowledge.journal import journal_origins
from ..knowledge.vocabulary import BY_NAME

_BLOCK_TOTALS = {"monthly_income": "income", "monthly_expenses": "expenses",
                 "monthly_income_min": "income", "monthly_income_max": "income", "monthly_expenses_min": "expenses"}
_LOAN_TOTALS = {"total_balance": "balance", "monthly_due": "monthly_payment",
                "total_balance_min": "balance", "monthly_due_min": "monthly_payment"}
# Day counts from the case's date to a loan's date.
_DAYS_TO = {"loan.days_to_due": "loan.next_due"}
# Bounds worked out from other figures: (formula, the figures it uses).
_BOUND_FORMULAS = {
    "monthly_disposable_max": ("monthly_income_max − the expenses stated", ("monthly_income_max", "monthly_expenses")),
    "monthly_shortfall_min": ("max(0, monthly_due_min − monthly_disposable_max)",
                              ("monthly_due_min", "monthly_disposable_max")),
}
# per-loan day counts: (later date, earlier date), both case fields or as_of
_LOAN_DAYS = {"loan.days_since_last_payment": ("as_of", "last_payment_date"),
              "loan.days_since_contract": ("as_of", "contract_date"),
              "loan.days_to_balloon": ("balloon_date", "as_of"),
              "loan.days_to_settlement_deadline": ("settlement_deadline", "as_of")}


def show(value: Any, unit: str, lang: str) -> str:
    if unit == "date" and isinstance(value, int):
        value = dt.date.fromordinal(value)
    if isinstance(value, str):
        return f"'{value}'"
    return fmt(value, unit, lang)


def unit_of(name: str, params: Mapping[str, Param]) -> str:
    if name.startswith("params."):
        param = params.get(name[len("params."):])
        return param.unit if param else ""
    fact = BY_NAME.get(name)
    if fact is None:
        return ""
    return "date" if fact.type == "date" else fact.unit


def _bound_words(bound: Any, lang: str) -> str:
    low = fmt(bound.low, "cny", lang)
    if bound.high is None:
        return t("at_least", lang, value=low)
    return f"{low} – {fmt(bound.high, 'cny', lang)}"


class Origins:
    """Explains the values of one case's facts, in the reader's language."""

    def __init__(self, case: Case, case_fact: Mapping[str, Any], params: Mapping[str, Param], lang: str):
        self.case, self.fact, self.params, self.lang = case, case_fact, params, lang
        self.memo: dict[tuple[str, int, str], Step] = {}

    def value_step(self, name: str, value: Any, loan: Mapping[str, Any] | None = None) -> Step:
        """`name = value`, with where it came from (and, for a computed figure, its parts): worked out once
        per value of one case, however many trees show it."""
        key = (name, -1 if loan is None else int(loan.get("i", -1)), repr(value))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._value_step(name, value, loan)
        return found

    def _value_step(self, name: str, value: Any, loan: Mapping[str, Any] | None) -> Step:
        shown = show(value, unit_of(name, self.params), self.lang)
        label = f"loan[{loan.get('name')}].{name[5:]}" if loan is not None and name.startswith("loan.") else name
        if name.startswith("params."):
            return Step(f"{name} = {shown}", None, self._param_origin(name[len("params."):], loan), kind="value",
                        name=name, value=shown)
        if value is None:
            return Step(f"{label} = ?", None, self._unknown(name, loan), kind="value", name=label, value="?",
                        unknown=True)
        origin, parts = self._fact_origin(name, loan)
        return Step(f"{label} = {shown}", None, origin, tuple(parts), kind="value", name=label, value=shown)

    # -- the case file -----------------------------------------------------------------------
    def _line(self, name: str, loan: Mapping[str, Any] | None = None) -> str:
        if loan is not None:
            where = self.case.loans[loan["i"]].origins.get(name[5:]) if self.case.loans else None
        else:
            where = self.case.origins.get(name) or journal_origins(self.case).get(name)
        return f"{where.file}:{where.line}" if where else ""

    def _unknown(self, name: str, loan: Mapping[str, Any] | None) -> str:
        return t("origin.not_stated" if not self._line(name, loan) else "origin.marked_unknown", self.lang)

    def _fact_origin(self, name: str, loan: Mapping[str, Any] | None) -> tuple[str, list[Step]]:
        computed = t("origin.computed", self.lang)
        if loan is not None and name in _DAYS_TO:
            date = _DAYS_TO[name]
            return f"{computed}: {date[5:]} − as_of", [self.value_step(date, loan.get(date[5:]), loan),
                                                         self.value_step("as_of", self.fact.get("as_of"))]
        if loan is not None and name == "loan.apr" and self.case.loans is not None:
            values = self.case.loans[loan["i"]].values
            cost = loan_cost(values)
            fields = ("principal", "monthly_payment", "installments", "monthly_fee_rate")
            return (f"{computed}: 12 × monthly IRR · {cost.method if cost else '?'}",
                    [self.value_step(f"loan.{f}", loan.get(f), loan) for f in fields if f in values])
        if loan is not None and name in _LOAN_DAYS:
            later, earlier = _LOAN_DAYS[name]
            steps = [self.value_step(f, self.fact.get(f)) if f == "as_of"
                     else self.value_step(f"loan.{f}", loan.get(f), loan) for f in (later, earlier)]
            return f"{computed}: {later} − {earlier}", steps
        if name in _BLOCK_TOTALS:
            block = _BLOCK_TOTALS[name]
            items = [(k, v) for k, v in self.case.values.items() if k.startswith(block + ".")]
            steps = [self.value_step(k, v) for k, v in items]
            for key, bound in self.case.bounds.items():   # "4000-5000", "8000多": the line says it
                if key.startswith(block + "."):
                    items.append((key, bound))
                    words = _bound_words(bound, self.lang)
                    steps.append(Step(f"{key} = {words}", None, self._line(key), kind="value", name=key, value=words))
            return f"{computed}: {' + '.join(k for k, _ in items) or '0'}", steps
        if name in _LOAN_TOTALS:
            field = _LOAN_TOTALS[name]
            loans = self.case.loans or ()
            steps = [self.value_step(f"loan.{field}", loan.values.get(field), {"i": loan.index, "name": loan.name})
                     for loan in loans]
            return f"{computed}: Σ loan.{field}", steps
        if name in _BOUND_FORMULAS:
            formula, parts = _BOUND_FORMULAS[name]
            return f"{computed}: {formula}", [self.value_step(n, self.fact.get(n)) for n in parts]
        if name == "overdue_loans_min":
            return f"{computed}: loans known to be overdue", [
                self.value_step("loan.overdue", loan.values.get("overdue"), {"i": loan.index, "name": loan.name})
                for loan in self.case.loans or ()]
        if name == "monthly_disposable":
            return f"{computed}: monthly_income − monthly_expenses", [
                self.value_step(n, self.fact.get(n)) for n in ("monthly_income", "monthly_expenses")]
        if name == "monthly_shortfall":
            return f"{computed}: max(0, monthly_due − monthly_disposable)", [
                self.value_step(n, self.fact.get(n)) for n in ("monthly_due", "monthly_disposable")]
        if name == "overdue_loans":
            return f"{computed}: loans with overdue_days > 0", [
                self.value_step("loan.overdue_days", loan.values.get("overdue_days"),
                                {"i": loan.index, "name": loan.name}) for loan in self.case.loans or ()]
        if name == "loan_count":
            listed = t("origin.loans_listed", self.lang)
            return f"{computed}: {listed} {self._line('loans')}", []
        return self._line(name, loan), []

    # -- parameters --------------------------------------------------------------------------
    def _param_origin(self, key: str, loan: Mapping[str, Any] | None) -> str:
        param = self.params.get(key)
        if param is None:
            return ""
        where = f"{param.location.file}:{param.location.line}"
        parts = [where, f"source {param.source}", f"confidence {param.confidence}"]
        if param.dated:
            on = self._param_date(param, loan)
            row = param.row(on) if on else None
            if row is None or on is None:
                parts.insert(1, f"no value in force on {param.on} {on or '?'}")
            else:
                parts.insert(1, f"in force from {row[0].isoformat()} ({param.on} {on.isoformat()})")
        return " · ".join(parts)

    def _param_date(self, param: Param, loan: Mapping[str, Any] | None) -> dt.date | None:
        if param.on == "as_of":
            return self.case.as_of
        if loan is None or self.case.loans is None:
            return None
        day: dt.date | None = self.case.loans[loan["i"]].values.get("contract_date")
        return day
