"""The data a run starts from: frozen dataclasses for cases, loans, parameters, rules, facts and firings
(what a run produces is in report.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .i18n import pick
from .errors import Location
from .expr import ast

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


# -- the negotiation journal (issue 17): what happened, dated, per lender -------------------------
ENTRY_KINDS = ("contact", "proposal", "answer", "agreement", "payment", "incident")


@dataclass(frozen=True)
class Entry:
    """One dated journal entry about one lender: `loan` is the index of the loan it names, `values` holds the
    entry's own fields as read (amounts as numbers, dates as dates), `location` the entry's place in the file."""

    index: int                   # position in the journal as written
    day: dt.date
    loan: int
    lender: str                  # the loan's name
    kind: str                    # one of ENTRY_KINDS
    values: Mapping[str, Any]
    location: Location
    origins: Mapping[str, Location] = field(default_factory=dict)


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
    journal: tuple[Entry, ...] = ()  # the negotiation journal in date order (issue 17); () when there is none


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


@dataclass(frozen=True)
class Text:
    """A text in Chinese and in English (English falls back to the Chinese)."""

    zh: str
    en: str = ""

    def get(self, lang: str) -> str:
        return pick(lang, self.zh, self.en or self.zh)


@dataclass(frozen=True)
class Rule:
    """One rule as written by a counsellor, with its parsed condition."""

    id: str
    title: Text
    sources: tuple[str, ...]
    when: str
    condition: ast.Expr                 # type-checked when the rules loaded
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
class Facts:
    """What a condition is evaluated against: engine-shaped fact dicts and parameter values."""

    case: Mapping[str, Any]
    loans: Sequence[Mapping[str, Any]] = ()
    derived: frozenset[str] = frozenset()
    params: Mapping[str, float] = field(default_factory=dict)
    loans_known: bool = True
    # Derived facts no rule derived but some rule still might, once an unknown input is known: read as
    # unknown (None) instead of absent. Empty for the engine's own view (agreement checks use that).
    maybe: frozenset[str] = frozenset()
