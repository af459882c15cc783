"""Journal figures: what the negotiation journal says happened, as case facts the rules read (issue 17):
the last refusal and whether the same proposal was refused twice, the open counter-offer, an agreement
not in writing, the next agreed payment and a missed one, night calls counted from the incidents, a
lender's promise not kept, and what was accepted (for the review of section 6.1). No journal: no facts
(unknown), so a case without one gives the advice it always gave."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import Location
from ..model import Case, Entry

NIGHT_FROM, NIGHT_UNTIL = "22:00", "08:00"   # no collection 22:00–08:00 (domain.md A8: NIFA 2025, CBA 2026)


def at_night(entry: Entry) -> bool:
    """A call or message logged at night, from 22:00 to 08:00 (only when its time is written)."""
    time = entry.values.get("time")
    return (entry.kind == "incident" and entry.values.get("type") in ("call", "message") and isinstance(time, str)
            and (time >= NIGHT_FROM or time < NIGHT_UNTIL))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (01-31 + 1 month = 02-28)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day   # that month's length
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Refusal:
    """A lender's refusal in the journal, with the proposal it answered."""

    entry: Entry
    proposal: Entry | None       # the proposal it answered: the lender's last one before it


def refusals(case: Case) -> list[Refusal]:
    out: list[Refusal] = []
    last: dict[int, Entry] = {}
    for e in case.journal:
        if e.kind == "proposal":
            last[e.loan] = e
        elif e.kind == "answer" and e.values.get("result") == "refused":
            out.append(Refusal(e, last.get(e.loan)))
    return out


def settled_after(case: Case, loan: int, day: dt.date) -> bool:
    """An agreement, or an accepting answer, with this lender on or after `day`."""
    return any(e.loan == loan and e.day >= day and (e.kind == "agreement" or (
        e.kind == "answer" and e.values.get("result") == "accepted")) for e in case.journal)


def open_refusals(case: Case) -> list[Refusal]:
    """Refusals no agreement followed: what section 5.2 still has to adjust."""
    return [r for r in refusals(case) if not settled_after(case, r.entry.loan, r.entry.day)]


def _terms(entry: Entry | None) -> tuple[Any, Any] | None:
    if entry is None or "monthly" not in entry.values:
        return None
    return entry.values.get("monthly"), entry.values.get("months")


def schedule(agreement: Entry, most: int = 120) -> list[dt.date]:
    """The agreed payment dates: monthly from `first_due`, `months` of them (one when the term is not given)."""
    first = agreement.values.get("first_due")
    if not isinstance(first, dt.date):
        return []
    count = int(agreement.values.get("months") or 1)
    return [add_months(first, k) for k in range(min(count, most))]


def agreements(case: Case) -> dict[int, Entry]:
    """Each lender's latest agreement."""
    return {e.loan: e for e in case.journal if e.kind == "agreement"}


def next_payment(case: Case) -> tuple[dt.date, Entry] | None:
    """The next agreed payment not yet logged as made, on or after as_of: (date, its agreement)."""
    paid = {(e.loan, e.values.get("due", e.day)) for e in case.journal
            if e.kind == "payment" and e.values.get("status") == "made"}
    found = [(day, a) for a in agreements(case).values() for day in schedule(a)
             if day >= case.as_of and (a.loan, day) not in paid]
    return min(found, key=lambda x: (x[0], x[1].loan)) if found else None


def missed(case: Case) -> list[Entry]:
    """Agreed payments logged as missed, and not logged as made since."""
    made = {(e.loan, e.values.get("due", e.day)) for e in case.journal
            if e.kind == "payment" and e.values.get("status") == "made"}
    deals = agreements(case)
    return [e for e in case.journal if e.kind == "payment" and e.values.get("status") == "missed"
            and e.loan in deals and (e.loan, e.values.get("due", e.day)) not in made]


def broken_promises(case: Case) -> list[tuple[Entry, Entry]]:
    """(the agreement with the lender's promise, the later incident saying it was not kept)."""
    out = []
    for e in case.journal:
        if e.kind == "incident" and e.values.get("type") == "promise_broken":
            promised = [a for a in case.journal if a.kind == "agreement" and a.loan == e.loan
                        and a.values.get("promise") and a.day <= e.day]
            if promised:
                out.append((promised[-1], e))
    return out


def open_counter(case: Case) -> Entry | None:
    """The latest counter-offer no agreement followed (for that lender)."""
    counters = [e for e in case.journal if e.kind == "answer" and e.values.get("result") == "counter_offer"]
    for e in reversed(counters):
        if not any(a.kind == "agreement" and a.loan == e.loan and a.day >= e.day for a in case.journal):
            return e
    return None


def journal_facts(case: Case) -> dict[str, Any]:
    """The journal's case facts by vocabulary name; {} without a journal."""
    return _facts(case)[0]


def journal_origins(case: Case) -> dict[str, Location]:
    """Where each journal fact comes from: the entry that decides it (for the explanations); the plan's
    adjusted offer and the capacity a counter-offer is compared with, from the refusal and the counter-offer."""
    where = dict(_facts(case)[1])
    refused, counter = open_refusals(case), open_counter(case)
    if refused:
        where.update({f"journal.{k}": refused[-1].entry.location
                      for k in ("adjusted_monthly", "adjusted_months", "refused_at_capacity")})
    if counter is not None:
        where.update({f"journal.{k}": counter.location for k in ("counter_capacity", "counter_over_capacity")})
    return where


class _Out(dict[str, Any]):
    """The facts, and for each the entry it was read from."""

    def __init__(self) -> None:
        super().__init__()
        self.where: dict[str, Location] = {}

    def put(self, entry: Entry, **values: Any) -> None:
        for key, value in values.items():
            self["journal." + key] = value
            self.where["journal." + key] = entry.location


def _facts(case: Case) -> tuple[dict[str, Any], dict[str, Location]]:
    if not case.journal:
        return {}, {}
    out = _Out()
    out.put(case.journal[-1], entries=len(case.journal))
    refused = open_refusals(case)
    seen: dict[tuple[int, Any], list[Entry]] = {}
    for r in refused:
        terms = _terms(r.proposal)
        if terms is not None:
            seen.setdefault((r.entry.loan, terms), []).append(r.entry)
    twice = [entries[-1] for entries in seen.values() if len(entries) >= 2]
    out.put(twice[-1] if twice else case.journal[-1], refused_same_twice=bool(twice))
    if refused:
        last = refused[-1]
        out.put(last.entry, refused_lender=last.entry.lender, refused_date=last.entry.day)
        if last.entry.values.get("reason"):
            out.put(last.entry, refused_reason=last.entry.values["reason"])
        if last.proposal is not None:
            for key in ("monthly", "months"):
                if key in last.proposal.values:
                    out.put(last.proposal, **{f"refused_{key}": last.proposal.values[key]})
    counter = open_counter(case)
    if counter is not None:
        out.put(counter, counter_lender=counter.lender, counter_date=counter.day)
        for key in ("monthly", "months"):
            if key in counter.values:
                out.put(counter, **{f"counter_{key}": counter.values[key]})
    deals = agreements(case)
    unwritten = [a for a in deals.values() if not a.values.get("written")]
    out.put(unwritten[-1] if unwritten else case.journal[-1], agreement_unwritten=bool(unwritten))
    if unwritten:
        a = unwritten[-1]
        out.put(a, agreement_lender=a.lender, agreement_date=a.day)
        if a.values.get("what"):
            out.put(a, agreement_what=a.values["what"])
    upcoming = next_payment(case)
    if upcoming is not None:
        day, a = upcoming
        out.put(a, next_payment_date=day, next_payment_lender=a.lender, days_to_agreed_payment=(day - case.as_of).days)
        if "monthly" in a.values:
            out.put(a, next_payment_amount=a.values["monthly"])
    lost = missed(case)
    out.put(lost[-1] if lost else case.journal[-1], missed_payment=bool(lost))
    if lost:
        out.put(lost[-1], missed_lender=lost[-1].lender, missed_due=lost[-1].values.get("due", lost[-1].day))
    nights = [e for e in case.journal if at_night(e)]
    out.put(nights[-1] if nights else case.journal[-1], night_calls=len(nights),
            incidents=sum(1 for e in case.journal if e.kind == "incident"))
    if nights:
        out.put(nights[0], night_first=nights[0].day)
        out.put(nights[-1], night_last=nights[-1].day)
    broken = broken_promises(case)
    out.put(broken[-1][1] if broken else case.journal[-1], promise_broken=bool(broken))
    if broken:
        promise, incident = broken[-1]
        out.put(promise, promise_lender=promise.lender, promise=promise.values["promise"], promise_date=promise.day)
        out.put(incident, broken_date=incident.day)
    accepted = [e for e in case.journal if e.kind == "agreement"
                or (e.kind == "answer" and e.values.get("result") == "accepted")]
    if accepted:
        a = accepted[-1]
        out.put(a, accepted_lender=a.lender, accepted_date=a.day)
        for key in ("monthly", "months"):
            if key in a.values:
                out.put(a, **{f"accepted_{key}": a.values[key]})
    return dict(out), out.where
