"""Facts stage: a case and its figures -> the plain fact dicts the engine matches."""
from __future__ import annotations

import datetime as dt
from typing import Any

from .figures import figures
from .model import Case
from .vocabulary import BY_NAME, CASE_FACTS


def encode(value: Any) -> Any:
    """Engine values are JSON numbers, strings and booleans; dates become day numbers."""
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def case_fact(case: Case) -> dict[str, Any]:
    """The one case fact: inputs and figures that are known, keyed by vocabulary key."""
    known = {**case.values, **figures(case), "as_of": case.as_of}
    return {f.key: encode(known[f.name]) for f in CASE_FACTS if known.get(f.name) is not None}


def loan_facts(case: Case) -> list[dict[str, Any]]:
    """One fact per loan; `days_to_due` is counted from the case's as_of date, never the clock."""
    out = []
    for loan in case.loans or ():
        values = dict(loan.values)
        if "next_due" in values:
            values["days_to_due"] = (values["next_due"] - case.as_of).days
        fact = {"i": loan.index}
        for name, value in values.items():
            decl = BY_NAME.get("loan." + name)
            if decl is not None:
                fact[decl.key] = encode(value)
        out.append(fact)
    return out
