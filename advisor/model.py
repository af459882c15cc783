"""The data passed between stages: frozen dataclasses for cases, rules, firings and reports."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import Location

# safety: personal safety (collection conduct, a borrower in distress); always shown first.
PRIORITIES = ("safety", "urgent", "high", "normal", "low")


@dataclass(frozen=True)
class Bound:
    """An amount known only within limits: "20余万" is at least 200,000 (high None); "4000-5000" is a range.
    Never shown as a figure: the advisor keeps it apart from exact values and says "at least"."""

    low: float
    high: float | None = None


@dataclass(frozen=True)
class Loan:
    """One loan as the case file states it; `values` holds only what is known."""

    index: int
    name: str
    values: Mapping[str, Any]
    origins: Mapping[str, Location] = field(default_factory=dict)
    bounds: Mapping[str, Bound] = field(default_factory=dict)   # amounts known only within limits

    @property
    def lenders(self) -> int:
        """How many lenders this line stands for (`lenders: 20` on one line of a case)."""
        return int(self.values.get("lenders") or 1)


@dataclass(frozen=True)
class Case:
    """One borrower's situation. Absent fields are absent from `values`: unknown, not zero."""

    name: str
    as_of: dt.date
    values: Mapping[str, Any]
    loans: tuple[Loan, ...] | None          # None: the case does not say what loans there are
    origins: Mapping[str, Location] = field(default_factory=dict)
    expect: Mapping[str, Any] = field(default_factory=dict)  # test expectations, never used by rules
    given: tuple[str, ...] = ()      # income/expense blocks the case fills in
    unknown: tuple[str, ...] = ()    # fields the case marks unknown on purpose (null, 未知, ?)
    bounds: Mapping[str, Bound] = field(default_factory=dict)   # "20余万", "4000-5000": never a figure


@dataclass(frozen=True)
class Param:
    """A threshold the rules use, with its provenance.

    A static parameter has one `value`. A dated one has a `table` of (effective from, value) rows and
    is looked up on the date named by `on`: the case's `as_of`, or each loan's `loan.contract_date`.
    """

    name: str
    value: float | dt.date | None
    unit: str
    source: str
    confidence: str
    note: str
    location: Location
    table: tuple[tuple[dt.date, float | dt.date], ...] = ()
    on: str = ""                       # "" static | "as_of" | "loan.contract_date"
    verified: dt.date | None = None    # when the table was last checked against its source

    @property
    def dated(self) -> bool:
        return bool(self.table)

    @property
    def key(self) -> str:
        """The engine property holding a dated parameter's value in force (on the case or loan fact)."""
        return "params__" + self.name

    def row(self, day: dt.date) -> tuple[dt.date, float | dt.date] | None:
        """The (effective from, value) row in force on `day`; None before the table starts."""
        found = None
        for start, value in self.table:
            if start <= day:
                found = (start, value)
        return found

    def at(self, day: dt.date) -> float | dt.date | None:
        row = self.row(day)
        return None if row is None else row[1]


def engine_value(value: Any) -> Any:
    """Engine facts hold JSON numbers, strings and booleans; dates become day numbers."""
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


@dataclass(frozen=True)
class Text:
    zh: str
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Rule:
    """One rule as written by a counsellor, with its parsed condition."""

    id: str
    title: Text
    sources: tuple[str, ...]
    when: str
    condition: Any                      # expr.ast node, type-checked
    derive: tuple[str, ...]
    priority: str | None
    advice: Text | None
    location: Location
    file: str
    order: int                          # position across all rule files, for stable ties
    outranks: tuple[str, ...] = ()      # advice rules this one is always shown before, when both fire
    contradicts: tuple[str, ...] = ()   # advice rules whose advice this one contradicts (see `advisor lint`)
    finding: Text | None = None         # what a derive-only rule inferred, told to the reader ("已逾期 180 天，说明…")


@dataclass(frozen=True)
class RuleSet:
    """Everything loaded from a rules folder, validated."""

    rules: tuple[Rule, ...]
    params: Mapping[str, Param]
    fingerprint: str
    directory: str

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


@dataclass(frozen=True)
class Firing:
    """One activation of one rule by durable_rules, with the facts it matched."""

    seq: int
    rule: str
    branch: int
    case: Mapping[str, Any] | None
    loans: tuple[Mapping[str, Any], ...]
    derived: tuple[str, ...]            # derived facts the condition used
    asserted: tuple[str, ...]           # derived facts this firing added


@dataclass(frozen=True)
class Advice:
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


@dataclass(frozen=True)
class Step:
    """One line of an explanation tree: a condition and whether it held (True/False/None for
    unknown), or a value and where it came from (holds is None, `origin` says where)."""

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
    """Why and why not for one run, built once by the explain stage (explain/why.py) from its trace:
    every rule's status, in the order of the rule files, with the tree behind it. Renderers read this."""

    statuses: tuple[Status, ...]

    def status(self, rule_id: str) -> Status:
        return next(s for s in self.statuses if s.rule == rule_id)

    def why(self, rule_id: str) -> Step:
        """The tree of why the rule fired, or of what stopped it."""
        return self.status(rule_id).detail


@dataclass(frozen=True)
class Trace:
    """Everything one run saw and did: the case, the facts given to the engine, every firing. The
    audit is computed from this (with the reference evaluator), never by running the engine again."""

    case: Case
    facts: Any                          # expr.evaluate.Facts
    firings: tuple[Firing, ...]
    ruleset: RuleSet


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    case: str
    summary: Mapping[str, Any]
    unknown: tuple[str, ...]
    advice: tuple[Advice, ...]
    derived: tuple[str, ...]
    firings: tuple[Firing, ...]
    fingerprint: str
    rule_count: int
    engine: Mapping[str, str]
    lang: str
    trace: Trace | None = field(default=None, compare=False, repr=False)
    plan: Any = None                    # plan.Plan, or None when the rules folder has no plan parameters
    findings: tuple[Finding, ...] = ()  # what was inferred, and from what, in rule order
    bounds: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)  # unknown but bounded figures
    ask_next: tuple[Any, ...] = ()      # asknext.Question: the unknown fields that would decide the most advice
    explanation: Explanation | None = field(default=None, compare=False, repr=False)  # Advisor.advise(explain=True)

    def explained(self) -> Explanation:
        """The explanation, for a view that shows it; a report advised without one is a bug of the caller."""
        if self.explanation is None:
            raise ValueError("this view needs the explanation: Advisor.advise(case, lang, explain=True)")
        return self.explanation
