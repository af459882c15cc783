"""What a run produces: frozen dataclasses for advice, findings, the explanation, the plan and the Report."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, NamedTuple

from .i18n import Said, pick
from .model import Case, Facts, Firing, RuleSet


@dataclass(frozen=True)
class Advice:
    """One piece of advice as the reader gets it: its rank, text, sources and why it was given."""

    rank: int
    rule: str
    priority: str
    title: str
    text: str
    sources: tuple[str, ...]
    because: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """What the advisor inferred from the situation (a derive-only rule's `finding`), with its basis:
    told to the reader as an inference, never as a figure the case stated."""

    rule: str
    text: str
    sources: tuple[str, ...]
    because: tuple[str, ...]
    derived: tuple[str, ...]


class Step(NamedTuple):
    """One line of an explanation tree: a condition and whether it held (True/False/None for
    unknown), or a value and where it came from (holds is None, `origin` says where).
    Immutable; a named tuple rather than a frozen dataclass because a case's trees hold about a hundred
    steps and every explained run builds them: it is made three times faster."""

    text: str
    holds: bool | None = None
    origin: str = ""
    children: tuple[Step, ...] = ()
    kind: str = "check"                 # check | and | or | not | any | no | value | rule
    # A value step says what it shows as data too: the fact or parameter (`name`, with its loan), the value
    # as shown (`value`), and whether the case leaves it unknown. Readers use these, never `text`.
    name: str = ""
    value: str = ""
    unknown: bool = False
    # Other steps name what they are about too: a rule step (kind "rule") its rule (`rule`) and, for a
    # derived fact, the fact (`name`); a quantifier's step the condition each loan is checked against, a
    # loan's step the loan, a step of a yes/no fact the fact (`name`). `because` lines read these.
    rule: str = ""


@dataclass(frozen=True)
class Status:
    """Where a rule stands for one case, with the tree behind it."""

    rule: str
    state: str                   # fired | failed | unknown | not_in_force | blocked
    condition: int               # 1-based number of the deciding condition (0: none)
    summary: str                 # one line a non-programmer can read
    detail: Step                 # the tree behind it
    outranked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """Why and why not for one run, built once by the explain stage (explain/why.py) from its trace: the
    why-tree of every piece of advice and every finding (their `because` lines are the conditions of these
    trees that held) and, when asked for (`Advisor.advise(…, every_rule=True)`), every rule's status in the order of the
    rule files, with the tree behind it. Renderers read this."""

    trees: Mapping[str, Step]                  # rule id -> why-tree, for each advice item and finding
    statuses: tuple[Status, ...] = ()          # every rule's status, or () when not asked for

    def status(self, rule_id: str) -> Status:
        """A rule's status; the explanation must have been built with every rule's status."""
        found = next((s for s in self.statuses if s.rule == rule_id), None)
        if found is None:
            raise ValueError("this view needs every rule's status: Advisor.advise(case, lang, explain=True, "
                             "every_rule=True)")
        return found

    def why(self, rule_id: str) -> Step:
        """The tree of why the rule fired, or of what stopped it."""
        tree = self.trees.get(rule_id)
        return tree if tree is not None else self.status(rule_id).detail


# -- the plan (built by plan/, carried by the Report) --------------------------------------------

@dataclass(frozen=True)
class Budget:
    """A month's money (SFS style): available = income − essential − flexible − buffer − priority
    payments, never negative; it is what the non-priority lenders share."""

    income: float
    essential: float
    flexible: float
    buffer: float
    priority_payments: float
    available: float


@dataclass(frozen=True)
class Offer:
    """The monthly amount proposed to one non-priority lender; `months` to clear its balance at the
    offer with interest frozen (None when the offer is 0)."""

    loan: int
    name: str
    balance: float
    contractual: float
    offer: float
    months: int | None
    proposals: tuple[str, ...]
    note: Said
    # The exact pro-rata share (available × balance ÷ total, between the floor and the cap) before rounding
    # down; None when the plan did not share (the contract is affordable, or every lender is asked to pause).
    share: float | None = None


@dataclass(frozen=True)
class Held:
    """A loan the plan makes no offer for, and no letter acknowledges, until the borrower has taken advice."""

    loan: int
    name: str
    reason: Said


@dataclass(frozen=True)
class Plan:
    """The offers for one case and how they were worked out. `budget` is None, and there are no offers,
    when the case lacks what a plan needs (`missing` says what)."""

    budget: Budget | None
    affordable: bool
    method: Said
    offers: tuple[Offer, ...]
    schedule: tuple[tuple[float, ...], ...]  # month 0 (today) onwards, one balance per offer
    warnings: tuple[Said, ...]
    missing: tuple[str, ...]
    # Loans left out of the shares because their balance or payment is unknown: (loan index, name, fields
    # to confirm). The plan for the other lenders stands; these get an offer once the figures are known.
    to_confirm: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    held: tuple[Held, ...] = ()       # loans left out of the plan, each with its reason

    @property
    def total(self) -> float:
        """What the plan pays the non-priority lenders each month."""
        return sum(o.offer for o in self.offers)


@dataclass(frozen=True)
class Evidence:
    """One collection incident from the journal, as a line of the evidence list attached to a complaint
    (to the lender, to 12378): when, who, what happened and what was said, the evidence kept (issue 17)."""

    date: dt.date
    time: str               # "22:47", or "" when not logged
    lender: str
    kind: str               # call | message | visit | third_party | promise_broken
    who: str
    said: str
    evidence: str           # "" when nothing was kept
    night: bool             # between 22:00 and 08:00
    line: int               # the entry's line in the case file


@dataclass(frozen=True)
class Question:
    """An unknown input, in the case file's terms, and the advice rules it would decide."""

    field: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Trace:
    """Everything one run saw and did: the case, the facts given to the engine, every firing. The
    audit is computed from this (with the reference evaluator), never by running the engine again."""

    case: Case
    facts: Facts
    firings: tuple[Firing, ...]
    ruleset: RuleSet


@dataclass(frozen=True)
class Report:
    """Everything one run gives: the figures, the ranked advice and findings, the plan, what to find out next,
    and the trace (and, when asked, the explanation) behind them."""

    as_of: dt.date
    case: str
    summary: Mapping[str, float | None]
    unknown: tuple[str, ...]
    advice: tuple[Advice, ...]
    derived: tuple[str, ...]
    firings: tuple[Firing, ...]
    fingerprint: str
    rule_count: int
    engine: Mapping[str, str]
    lang: str
    trace: Trace = field(compare=False, repr=False)
    plan: Plan | None = None            # None when the rules folder has no plan parameters
    findings: tuple[Finding, ...] = ()  # what was inferred, and from what, in rule order
    bounds: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)  # unknown but bounded figures
    ask_next: tuple[Question, ...] = ()  # the unknown fields that would decide the most advice
    evidence: tuple[Evidence, ...] = ()  # the journal's collection incidents, in date order (issue 17)
    explanation: Explanation | None = field(default=None, compare=False, repr=False)  # Advisor.advise(explain=True)

    def explained(self) -> Explanation:
        """The explanation, for a view that shows it; a report advised without one is a bug of the caller."""
        if self.explanation is None:
            raise ValueError("this view needs the explanation: Advisor.advise(case, lang, explain=True)")
        return self.explanation
