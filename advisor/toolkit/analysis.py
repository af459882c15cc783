"""Lint reasoning: a condition as alternatives of per-fact constraints, to prove it can never hold,
that it implies another, or that two conditions can hold together.

Each alternative (an AND of tests) is read into literals on one key (expr/literals.py). The literals
on a key combine into an interval (numbers and dates, strict or not, with excluded points), a set of
allowed values (choices, text, yes/no), known/unknown, or present/absent (derived facts). Tests inside
one `any (…)` speak of one loan; each `any` is a loan of its own. A `no …` contradicts an `any` whose
tests imply it; otherwise `no` is assumed possible.

Sound, not complete: whatever is not understood is assumed possible, so the lint never claims that a
rule is dead or redundant on a guess.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from ..expr import ast
from ..expr.literals import Alternative, Lit, Reader, TooComplex
from ..model import Param, Rule


@dataclass(frozen=True)
class Conflict:
    """Why an alternative can never hold: the spans of the tests that exclude each other (the last is
    where it shows), or the derived fact it needs that is never derived."""

    spans: tuple[ast.Span, ...]
    texts: tuple[str, ...]
    dead: str = ""


class State:
    """What the literals on one key allow."""

    def __init__(self) -> None:
        self.known: bool | None = None
        self.lo, self.lo_strict, self.hi, self.hi_strict = -math.inf, False, math.inf, False
        self.ne: set[float] = set()
        self.allowed: frozenset[Any] | None = None
        self.excluded: frozenset[Any] = frozenset()
        self.flag: str | None = None
        self.empty = False
        self.lits: list[Lit] = []

    def add(self, lit: Lit) -> bool:
        """Add a literal; False once no value satisfies them all."""
        self.lits.append(lit)
        if lit.kind == "flag":
            self.empty = self.empty or (self.flag is not None and self.flag != lit.op)
            self.flag = lit.op
            return not self.empty
        known = lit.op != "unknown"     # every test but unknown(x) needs a value to be true
        self.empty = self.empty or (self.known is not None and self.known != known)
        self.known = known
        if lit.kind == "num":
            self._bound(lit.op, lit.value)
        elif lit.kind == "set" and lit.op == "in":
            self.allowed = lit.value if self.allowed is None else self.allowed & lit.value
        elif lit.kind == "set":
            self.excluded = self.excluded | lit.value
        self.empty = self.empty or self._no_value()
        return not self.empty

    def _bound(self, op: str, c: float) -> None:
        if op in (">", ">=", "=="):
            strict = op == ">"
            if c > self.lo or (c == self.lo and strict):
                self.lo, self.lo_strict = c, strict
        if op in ("<", "<=", "=="):
            strict = op == "<"
            if c < self.hi or (c == self.hi and strict):
                self.hi, self.hi_strict = c, strict
        if op == "!=":
            self.ne.add(c)

    def _no_value(self) -> bool:
        if self.lo > self.hi:
            return True
        if self.lo == self.hi and (self.lo_strict or self.hi_strict or self.lo in self.ne):
            return True
        return self.allowed is not None and not self.allowed - self.excluded

    def entails(self, lit: Lit) -> bool:
        """Whether every value these literals allow makes `lit` true."""
        if lit.kind == "flag":
            return self.flag == lit.op
        if lit.kind == "known":
            return self.known is (lit.op == "known")
        if lit.kind == "set":
            left = None if self.allowed is None else self.allowed - self.excluded
            if lit.op == "in":
                return left is not None and left <= lit.value
            return lit.value <= self.excluded or (left is not None and not left & lit.value)
        c = float(lit.value)
        above = self.lo > c or (self.lo == c and (self.lo_strict or c in self.ne))
        below = self.hi < c or (self.hi == c and (self.hi_strict or c in self.ne))
        return {">": above, ">=": self.lo >= c, "<": below, "<=": self.hi <= c,
                "==": self.lo == self.hi == c, "!=": above or below or c in self.ne}[lit.op]


def settle(lits: tuple[Lit, ...]) -> tuple[dict[str, State], Conflict | None]:
    """Combine literals per key; the first key left without a value is the conflict."""
    states: dict[str, State] = {}
    for lit in lits:
        state = states.setdefault(lit.key, State())
        if not state.add(lit):
            return states, Conflict(tuple(x.span for x in state.lits), tuple(x.text for x in state.lits))
    return states, None


def entails_all(states: dict[str, State], lits: tuple[Lit, ...]) -> bool:
    return all(lit.key in states and states[lit.key].entails(lit) for lit in lits)

# -- questions about alternatives ------------------------------------------------------------------
def conflict(alt: Alternative, live: set[str] | None = None) -> Conflict | None:
    """Why `alt` can never hold, or None if it may. `live`: the derived facts some rule may derive."""
    if live is not None:
        for lit in alt.case + tuple(lit for store in alt.anys for lit in store.lits):
            if lit.kind == "flag" and lit.op == "yes" and lit.key.startswith("derived:") and lit.key[8:] not in live:
                return Conflict((lit.span,), (lit.text,), lit.key[8:])
    states, found = settle(alt.case)
    if found:
        return found
    for store in alt.anys:
        loan, found = settle(store.lits)
        if found:
            return found
        for no in alt.nos:       # any A and no B, where A implies B on the same loan
            if entails_all(loan, no.lits):
                return Conflict((store.span, no.span), (store.text, no.text))
    return None


def implies(a: Alternative, b: Alternative) -> bool:
    """Whether `a` true makes `b` true (three-valued: unknown facts make tests neither true nor false)."""
    states, _ = settle(a.case)
    if not entails_all(states, b.case):
        return False
    loans = [settle(store.lits)[0] for store in a.anys]
    if not all(any(entails_all(loan, store.lits) for loan in loans) for store in b.anys):
        return False
    # `no X` implies `no Y` only if Y repeats X's tests: an unknown loan field makes X neither true nor false
    return all(any(set(mine.lits) <= set(theirs.lits) for mine in a.nos) for theirs in b.nos)


@dataclass
class Knowledge:
    """The alternatives of every rule, the rules that may fire, and the derived facts they may derive."""

    alternatives: dict[str, list[Alternative] | None]   # None: too complex, assumed to fire
    live_rules: set[str]
    live_facts: set[str]

    def reasons(self, rule_id: str) -> list[Conflict]:
        """For a rule that can never fire: why each of its alternatives cannot hold (else [])."""
        alts = self.alternatives.get(rule_id)
        if rule_id in self.live_rules or not alts:
            return []
        found = [conflict(alt, self.live_facts) for alt in alts]
        return [c for c in found if c is not None]

    def may_fire_together(self, a: str, b: str) -> bool:
        first, second = self.alternatives.get(a), self.alternatives.get(b)
        if first is None or second is None:
            return True
        return any(conflict(x + y, self.live_facts) is None for x in first for y in second)

    def implied_by(self, a: str, b: str) -> bool:
        """Whether rule `a` firing proves rule `b` fires (every possible alternative of a implies one of b)."""
        first, second = self.alternatives.get(a), self.alternatives.get(b)
        if first is None or second is None:
            return False
        return all(conflict(x, self.live_facts) or any(implies(x, y) for y in second) for x in first)


def analyse(rules: tuple[Rule, ...], params: Mapping[str, Param]) -> Knowledge:
    """Read every rule; then find, as a least fixpoint, the rules that may fire given the facts that may
    be derived (a rule needing a fact that only itself derives never fires)."""
    reader = Reader(params)
    alternatives: dict[str, list[Alternative] | None] = {}
    for rule in rules:
        try:
            alternatives[rule.id] = reader.alternatives(rule.condition)
        except TooComplex:
            alternatives[rule.id] = None
    live_rules: set[str] = set()
    live_facts: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in rules:
            alts = alternatives[rule.id]
            if rule.id in live_rules:
                continue
            if alts is None or any(conflict(alt, live_facts) is None for alt in alts):
                live_rules.add(rule.id)
                live_facts.update(rule.derive)
                changed = True
    return Knowledge(alternatives, live_rules, live_facts)
