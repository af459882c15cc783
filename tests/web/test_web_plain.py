"""The page's words for the conditions its why-trees quote (web/plain.py)."""
from __future__ import annotations

from advisor.load.cases import load_case
from advisor.web.plain import Plain

from conftest import CASES


def _plain(advisor, lang):
    return Plain(advisor.advise(load_case(CASES / "old_private_loans.yaml"), lang, explain=True), lang)


def test_a_condition_names_derived_facts_by_their_rules_titles_and_parameters_by_their_values(advisor):
    zh = _plain(advisor, "zh")
    assert zh.text("cannot_cover_payments or already_overdue") == "「按原合同每月还不上」 或者 「已有逾期」"
    assert zh.text("any (距最后一次还款天数 <= params.limitation_period_days)") == "有一笔借款：(距最后一次还款天数 <= 1095 天)"
    assert zh.text("借款笔数 = 4 >= 2 (params.many_loans_for_order)") == "借款笔数 = 4 >= 2"
    assert zh.text("出借方类型 in ['platform', 'bank']") == "出借方类型 属于 ['网贷平台/助贷', '银行']"
    assert zh.text("not known(x) and as_of >= 2026-01-01") == "不是 x 已知 并且 评估日期 >= 2026-01-01"
    assert zh.text("params.many_loans = 3") == "规则里的参考值：3"
    en = _plain(advisor, "en")
    assert en.text("not cannot_cover_payments and loan[某小贷]") == (
        "not “The contractual payments cannot be met” and loan “某小贷”")


def test_an_origins_prose_keeps_its_words(advisor):
    """A parameter's source is prose, not a condition: `and`, `or`, `no` stay as written (they were once
    turned into 并且, 或者 and 没有一笔借款 in the middle of a legal citation)."""
    zh = _plain(advisor, "zh")
    prose = "source domain.md A12: art. 195 and SPC art. 19: agreeing or paying with no last-payment date"
    assert zh.text(prose, condition=False) == prose
