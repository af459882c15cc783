"""Plan stage, after a refusal or a counter-offer (guidance 5.2): the adjusted proposal for that lender is the
plan's own offer (a lower amount over a longer term, more within capacity, or a pause when nothing is left),
never above what the budget gives it; a counter-offer is compared with the same figure (issue 17)."""
from __future__ import annotations

from typing import Any, Mapping

from ..knowledge.journal import journal_facts, open_counter, open_refusals
from ..model import Case
from ..report import Offer, Plan


def _offer(plan: Plan | None, loan: int) -> Offer | None:
    if plan is None or plan.budget is None or plan.affordable:
        return None
    return next((o for o in plan.offers if o.loan == loan), None)


def adjusted(case: Case, plan: Plan | None) -> dict[str, Any]:
    """The plan-dependent journal facts by vocabulary name; {} without a journal or a plan for the lender."""
    if not case.journal:
        return {}
    out: dict[str, Any] = {}
    refused = open_refusals(case)
    if refused:
        last = refused[-1]
        offer = _offer(plan, last.entry.loan)
        asked = last.proposal.values.get("monthly") if last.proposal is not None else None
        if offer is not None:
            if isinstance(asked, (int, float)) and abs(offer.offer - asked) < 1:
                out["journal.refused_at_capacity"] = True
            else:
                out["journal.refused_at_capacity"] = False
                out["journal.adjusted_monthly"] = offer.offer
                if offer.months is not None:
                    out["journal.adjusted_months"] = offer.months
    counter = open_counter(case)
    if counter is not None and isinstance(counter.values.get("monthly"), (int, float)):
        offer = _offer(plan, counter.loan)
        if offer is not None:
            out["journal.counter_capacity"] = offer.offer
            out["journal.counter_over_capacity"] = counter.values["monthly"] > offer.offer + 0.5
    return out


def journal_view(case: Case, plan: Plan | None) -> Mapping[str, Any]:
    """Every journal fact: from the journal alone, and those the plan decides."""
    return {**journal_facts(case), **adjusted(case, plan)}
