"""Topic citations: each related topic (R1–R6) declares its defining situation once, and a rule may cite
the topic only when its condition requires that situation (lint W109).

"Requires" is checked on the conditions' structure with the lint's own reasoning (analysis.implies),
never by running cases: every alternative of the rule's condition must imply some alternative of the
topic's situation (`loan.lender_type == 'credit_card'` implies `loan.lender_type in ['credit_card', …]`,
`x > 7` implies `x > 0`, tests on one loan stay under one `any`), or need a derived fact every one of
whose deriving rules requires the situation. What cannot be shown to imply it is reported.
"""
from __future__ import annotations

from typing import Iterator, Mapping

from .analysis import implies
from ..expr import ast
from ..expr.check import check
from ..expr.literals import Alternative, Reader, TooComplex
from ..expr.parser import parse
from ..model import Param, Rule

# The defining situation of each related topic (../shared/seed/OUTLINE.md), written as a condition.
SITUATIONS: dict[str, tuple[str, str]] = {
    "R1": ("any loan.lender_type == 'credit_card'", "a credit card"),
    "R2": ("any loan.lender_type == 'pay_later'", "a pay-later product"),
    "R3": ("situation.debt_agency in ['considering', 'engaged'] or situation.agency_fee_paid > 0",
           "a paid agency considered, engaged or paid"),
    "R4": ("collection.third_party_contacted or collection.threatened_contacts",
           "collectors contacting third parties, or threatening to"),
    "R5": ("any (loan.overdue and loan.lender_type in ['platform', 'microloan', 'consumer_finance', 'bank']) "
           "or any (loan.overdue_days > 0 and loan.lender_type in ['platform', 'microloan', 'consumer_finance', "
           "'bank'])", "a platform loan overdue"),
    "R6": ("collection.home_visit or collection.entered_home or collection.threatened_visit",
           "a visit to the door, done or threatened"),
}
# The same situations in the words a Chinese message uses (lint W109).
SITUATIONS_ZH: dict[str, str] = {
    "R1": "一张信用卡", "R2": "一个先用后付（月付）产品", "R3": "考虑、已委托或已付费的代理协商机构",
    "R4": "催收联系第三方，或威胁要联系", "R5": "一笔逾期的平台类借款", "R6": "上门催收，已发生或被威胁",
}


def situation(topic: str, params: Mapping[str, Param]) -> ast.Expr:
    """A topic's situation as a typed condition (a test keeps the declarations valid)."""
    typed, errors = check(parse(SITUATIONS[topic][0]), params, set())
    if errors:
        raise ValueError(f"{topic}: {errors[0].message}")
    return typed


class Requirement:
    """Whether conditions require a topic's situation, following derived facts to the rules deriving them."""

    def __init__(self, rules: tuple[Rule, ...], params: Mapping[str, Param]):
        self.reader = Reader(params)
        self.params = params
        self.derivers: dict[str, list[Rule]] = {}
        for rule in rules:
            for name in rule.derive:
                self.derivers.setdefault(name, []).append(rule)
        self.memo: dict[tuple[str, str], bool] = {}

    def requires(self, condition: ast.Expr, topic: str) -> bool:
        try:
            alternatives = self.reader.alternatives(condition)
        except TooComplex:
            return True   # too large to reason about: not reported (the lint warns only on what it proves)
        need = self.reader.alternatives(situation(topic, self.params))
        return all(self._alt(alt, need, topic) for alt in alternatives)

    def _alt(self, alt: Alternative, need: list[Alternative], topic: str) -> bool:
        derived = [lit.key[len("derived:"):] for lit in alt.case
                   if lit.key.startswith("derived:") and lit.kind == "flag" and lit.op == "yes"]
        return any(self._derived(name, topic) for name in derived) or any(implies(alt, n) for n in need)

    def _derived(self, name: str, topic: str) -> bool:
        key = (name, topic)
        if key not in self.memo:
            self.memo[key] = False   # a cycle proves nothing
            rules = self.derivers.get(name, [])
            self.memo[key] = bool(rules) and all(self.requires(r.condition, topic) for r in rules)
        return self.memo[key]


def unsupported(rules: tuple[Rule, ...], params: Mapping[str, Param]) -> Iterator[tuple[Rule, str]]:
    """(rule, topic) for each topic a rule cites whose situation its condition does not require."""
    requirement = Requirement(rules, params)
    for rule in rules:
        for topic in rule.sources:
            if topic in SITUATIONS and not requirement.requires(rule.condition, topic):
                yield rule, topic
