"""After a refusal (guidance 5.2): the adjusted proposal is the plan's own offer for that lender, never above
what the budget gives it, whatever was refused; a counter-offer is compared with the same figure (issue 17)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from advisor.load.cases import load_case_text
from advisor.plan import offers
from advisor.plan.adjust import adjusted
from advisor.plan.budget import values

CASE = """as_of: 2026-11-28
income: {{salary: {salary}}}
expenses: {{living: {living}}}
loans:
  - {{name: 甲, lender_type: platform, balance: {a}, monthly_payment: {pa}, annual_rate: 0.2, overdue_days: 0}}
  - {{name: 乙, lender_type: microloan, balance: {b}, monthly_payment: {pb}, annual_rate: 0.2, overdue_days: 0}}
journal:
  - {{date: 2026-11-20, lender: {who}, kind: proposal, monthly: {asked}, months: 12}}
  - {{date: 2026-11-21, lender: {who}, kind: answer, result: refused}}
  - {{date: 2026-11-22, lender: {who}, kind: answer, result: counter_offer, monthly: {counter}}}
"""


@settings(max_examples=120, deadline=None)
@given(salary=st.integers(0, 20000), living=st.integers(0, 15000), a=st.integers(1000, 200000),
       b=st.integers(1000, 200000), pa=st.integers(100, 9000), pb=st.integers(100, 9000), who=st.sampled_from([1, 2]),
       asked=st.integers(1, 9000), counter=st.integers(1, 12000))
def test_the_adjusted_offer_is_never_above_what_the_plan_gives_the_lender(ruleset, salary, living, a, b, pa, pb, who,
                                                                          asked, counter):
    case = load_case_text(CASE.format(salary=salary, living=living, a=a, b=b, pa=pa, pb=pb, who=who, asked=asked,
                                      counter=counter), "adjust.yaml")
    plan = offers.build(case, values(ruleset.params))
    facts = adjusted(case, plan)
    offer = next((o for o in plan.offers if o.loan == who - 1), None)
    if plan.affordable or offer is None:
        assert facts == {}                             # nothing to adjust: the contract is affordable
        return
    assert plan.budget is not None
    if "journal.adjusted_monthly" in facts:
        assert facts["journal.adjusted_monthly"] == offer.offer <= plan.budget.available
        assert abs(facts["journal.adjusted_monthly"] - asked) >= 1     # an adjustment, not the refused figure
        assert facts["journal.refused_at_capacity"] is False
    else:
        assert facts["journal.refused_at_capacity"] is True and abs(offer.offer - asked) < 1
    assert facts["journal.counter_capacity"] == offer.offer
    assert facts["journal.counter_over_capacity"] is (counter > offer.offer + 0.5)


def test_a_loan_held_for_the_limitation_check_gets_no_adjusted_offer(advisor):
    """A refusal logged for a debt untouched for over three years: no new amount is proposed for it (an offer
    could revive a time-barred debt); the limitation advice comes first."""
    text = """as_of: 2026-11-28
income: {salary: 6000}
expenses: {living: 2500}
loans:
  - {name: 老网贷, lender_type: platform, balance: 20000, monthly_payment: 2000, overdue_days: 1500,
     last_payment_date: 2022-09-01}
  - {name: 新平台, lender_type: platform, balance: 9000, monthly_payment: 2500, overdue_days: 0, next_due: 2026-12-20}
journal:
  - {date: 2026-11-20, lender: 老网贷, kind: proposal, monthly: 1500, months: 14}
  - {date: 2026-11-21, lender: 老网贷, kind: answer, result: refused}
"""
    report = advisor.advise(load_case_text(text, "held.yaml"))
    rules = [a.rule for a in report.advice]
    assert "law.limitation_check" in rules
    assert not {"journal.adjust_after_refusal", "journal.refused_at_capacity", "journal.pause_after_refusal"} & set(rules)
    assert "journal__adjusted_monthly" not in report.trace.facts.case
    assert [h.name for h in report.plan.held] == ["老网贷"]
    unheld = advisor.advise(load_case_text(text.replace("last_payment_date: 2022-09-01", "last_payment_date: 2026-07-01")
                                           .replace("overdue_days: 1500", "overdue_days: 150"), "held.yaml"))
    assert "journal.adjust_after_refusal" in [a.rule for a in unheld.advice]   # the same refusal, a recent debt
