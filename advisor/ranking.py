"""Ranking stage: one total, documented sort key for advice; a pure function of the advice."""
from __future__ import annotations

from typing import Sequence

from .model import PRIORITIES, Rule
from .knowledge.sections import FLOW


def sort_key(rule: Rule) -> tuple[int, int, int, str]:
    return (
        PRIORITIES.index(rule.priority or "low"),       # safety before urgent before high before normal before low
        min(FLOW[s] for s in rule.sources),              # then the article's flow (section 7): capacity → … → review
        rule.order,                                      # then the order the counsellor wrote the rules in
        rule.id,                                         # ids are unique, so the order is total
    )


def rank(rules: Sequence[Rule]) -> list[Rule]:
    """Sort by sort_key, then honour declared precedence: just before a rule is placed, every fired
    rule that `outranks` it is placed (in sort order). The rules loader refuses cycles."""
    ordered = sorted(rules, key=sort_key)
    above: dict[str, list[Rule]] = {}                   # rule id -> the fired rules that outrank it, in sort order
    for other in ordered:
        for below in other.outranks:
            above.setdefault(below, []).append(other)
    out: list[Rule] = []
    placed: set[str] = set()

    def place(rule: Rule) -> None:
        if rule.id in placed:
            return
        placed.add(rule.id)
        for other in above.get(rule.id, ()):
            place(other)
        out.append(rule)

    for rule in ordered:
        place(rule)
    return out
