"""Facts stage: a case and its figures -> the plain fact dicts the engine matches."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..knowledge.figures import figures
from ..knowledge.journal import journal_facts
from ..knowledge.cost import loan_cost
from ..model import Case, Param
from ..knowledge.vocabulary import BY_NAME, CASE_FACTS


NO_PARAMS: Mapping[str, Param] = {}


def case_fact(case: Case, params: Mapping[str, Param] = NO_PARAMS,
              journal: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The one case fact: inputs and figures that are known, keyed by vocabulary key, plus the
    dated parameters in force on the case's as_of date (never the wall clock). `journal`: the journal's
    facts (knowledge/journal.py and the plan's adjusted offer); by default those of the journal alone."""
    known = {**case.values, **figures(case), **(journal_facts(case) if journal is None else journal),
             "as_of": case.as_of}
    fact = {f.key: engine_value(known[f.name]) for f in CASE_FACTS if known.get(f.name) is not None}
    for param in params.values():
        if param.on == "as_of" and (value := param.at(case.as_of)) is not None:
            fact[param.key] = engine_value(value)
    return fact


def loan_facts(case: Case, params: Mapping[str, Param] = NO_PARAMS) -> list[dict[str, Any]]:
    """One fact per loan. Day counts are from the case's as_of date, never the clock; parameters the
    law fixes at the contract date are looked up on the loan's own contract date."""
    out = []
    for loan in case.loans or ():
        values = dict(loan.values)
        for date, days in (("next_due", "days_to_due"), ("balloon_date", "days_to_balloon"),
                           ("settlement_deadline", "days_to_settlement_deadline")):
            if date in values:
                values[days] = (values[date] - case.as_of).days
        cost = loan_cost(values)
        if cost is not None:
            values["apr"] = round(cost.nominal, 6)   # 12 × the monthly IRR, as the PBoC's "simple" figure
        if "last_payment_date" in values:
            values["days_since_last_payment"] = (case.as_of - values["last_payment_date"]).days
        if "contract_date" in values:
            values["days_since_contract"] = (case.as_of - values["contract_date"]).days
        fact = {"i": loan.index}
        for name, value in values.items():
            decl = BY_NAME.get("loan." + name)
            if decl is not None:
                fact[decl.key] = engine_value(value)
        contract = values.get("contract_date")
        for param in params.values():
            if param.on == "loan.contract_date" and contract is not None \
                    and (value := param.at(contract)) is not None:
                fact[param.key] = engine_value(value)
        out.append(fact)
    return out


def engine_value(value: Any) -> Any:
    """Engine facts hold JSON numbers, strings and booleans; dates become day numbers."""
    if isinstance(value, dt.date):
        return value.toordinal()
    return value
