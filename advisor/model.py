"""The data passed between stages: frozen dataclasses for cases, rules, firings and reports."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import Location

PRIORITIES = ("urgent", "high", "normal", "low")


@dataclass(frozen=True)
class Loan:
    """One loan as the case file states it; `values` holds only what is known."""

    index: int
    name: str
    values: Mapping[str, Any]
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


@dataclass(frozen=True)
class Param:
    """A threshold the rules use, with its provenance."""

    name: str
    value: float
    unit: str
    source: str
    confidence: str
    note: str
    location: Location


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
