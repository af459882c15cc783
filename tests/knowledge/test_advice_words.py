"""What the advice tells a borrower to say to a lender (guidance 2.3, 5.2): offer the plan's own figure for
that lender; never hand over the whole monthly budget, never ask the lender to name the terms (issue 16:
"the advice on refusal invites the lender to name its minimum")."""
from __future__ import annotations

import pytest

from advisor.load.rules import load_rules

from conftest import RULES

INVITING = ("你们能接受怎样的安排", "你们能接受什么", "你们最低", "最低要还多少", "what arrangement could you accept",
            "what is the least you", "what would you accept")


@pytest.mark.parametrize("rule", load_rules(RULES).rules, ids=lambda r: r.id)
def test_no_advice_invites_the_lender_to_name_the_terms(rule):
    for words in (rule.advice, rule.finding):
        if words is None:
            continue
        for lang in ("zh", "en"):
            text = words.get(lang)
            assert not any(phrase in text for phrase in INVITING), (rule.id, lang, text)


def test_after_a_refusal_the_advice_does_not_quote_the_whole_budget_to_one_lender():
    rule = next(r for r in load_rules(RULES).rules if r.id == "mindset.adjust_after_rejection")
    assert rule.advice is not None
    assert "{monthly_disposable}" not in rule.advice.get("zh") and "{monthly_disposable}" not in rule.advice.get("en")
