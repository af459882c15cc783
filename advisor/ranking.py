"""Ranking stage: one total, documented sort key for advice; a pure function of the advice."""
from __future__ import annotations

from typing import Sequence

from .model import PRIORITIES, Rule
from .sections import FLOW


def sort_key(rule: Rule) -> tuple[int, int, int, str]:
    return (
        PRIORITIES.index(rule.priority or "low"),       # safety before urgent before high before normal before low
        min(FLOW[s] for s in rule.sources),              # then the article's flow (section 7): capacity → … → review
        rule.order,                                      # then the order the counsellor wrote the rules in
        rule.id,                                         # ids are unique, so the order is total
    )


def rank(rules: Sequence[Rule]) -> list[Rule]:
    return sorted(rules, key=sort_key)
