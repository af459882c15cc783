"""Plan stage, the evidence list: the journal's collection incidents (date, time, who, what was said, the
evidence kept) in date order, as data a complaint letter or a 12378 complaint can carry (issue 17)."""
from __future__ import annotations

from ..knowledge.journal import at_night
from ..model import Case
from ..report import Evidence


def evidence_list(case: Case) -> tuple[Evidence, ...]:
    """Every incident of the journal, oldest first (a day's entries in the order they were written)."""
    return tuple(Evidence(date=e.day, time=str(e.values.get("time", "")), lender=e.lender,
                          kind=str(e.values.get("type", "")), who=str(e.values.get("who", "")),
                          said=str(e.values.get("said", e.values.get("note", ""))),
                          evidence=str(e.values.get("evidence", "")), night=at_night(e), line=e.location.line)
                 for e in case.journal if e.kind == "incident")
