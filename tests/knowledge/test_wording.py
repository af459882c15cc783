"""Words the borrower reads (issue 12): no promise of legal aid, '平台' only for platforms, the footer."""
from __future__ import annotations

import re

from advisor.load.rules import load_rules

from conftest import RULES

PLATFORM_WORDS = ("网贷平台", "平台贷款", "调解平台", "投诉平台")     # where a platform is meant


def _texts():
    for rule in load_rules(RULES).rules:
        for text in (rule.title.zh, rule.title.en or "", *(() if rule.advice is None else
                                                            (rule.advice.zh, rule.advice.en or "")),
                     *(() if rule.finding is None else (rule.finding.zh, rule.finding.en or ""))):
            yield rule, text


def test_12348_is_a_consultation_line_never_a_promise_of_aid():
    for rule, text in _texts():
        assert "12348 法律援助" not in text and "12348 legal-aid" not in text, rule.id
        assert "申请法律援助" not in text, rule.id


def test_platform_only_for_platforms():
    for rule, text in _texts():
        rest = text
        for word in PLATFORM_WORDS:
            rest = rest.replace(word, "")
        assert "平台" not in rest, f"{rule.id}: say 出借方 (or the lender's kind) unless a platform is meant"


def test_footer_names_the_consultation_line(runner):
    from advisor.cli import main
    from conftest import CASES
    out = runner.invoke(main, ["run", str(CASES / "three_loans_plan.yaml"), "--rules", str(RULES)]).output
    assert "12348 公共法律服务热线（免费法律咨询）" in out and "法律援助热线" not in out
    assert re.search(r"12348 public legal-service line", runner.invoke(
        main, ["run", str(CASES / "three_loans_plan.yaml"), "--lang", "en", "--rules", str(RULES)]).output)


def test_paired_placeholder_needs_a_loan_field():
    import pytest
    from advisor.expr.placeholders import PlaceholderError, compile_placeholder
    params = load_rules(RULES).params
    assert compile_placeholder("loans: loan.annual_rate", params, set()).paired
    with pytest.raises(PlaceholderError, match="not a loan field"):
        compile_placeholder("loans: monthly_income", params, set())
