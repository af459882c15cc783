"""The negotiation plan: budget, pro-rata offers, pauses with token payments, schedule (domain.md B1, B4–B6, C2)."""
from __future__ import annotations

import datetime as dt
import math
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from advisor.model import Case, Loan
from advisor.plan.budget import PARAMS, budget, values
from advisor.plan.offers import PROPOSALS, Plan, build, shares

from conftest import RULES

AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def params():
    from advisor.load.rules import load_rules
    return values(load_rules(RULES).params)


def _case(income: float | None, expenses: dict[str, float] | None, loans: list[dict[str, Any]] | None) -> Case:
    """A case built directly: income as salary, expenses by item, loans by their fields."""
    case_values: dict[str, Any] = {}
    given_blocks = []
    if income is not None:
        case_values["income.salary"] = income
        given_blocks.append("income")
    if expenses is not None:
        case_values.update({f"expenses.{k}": v for k, v in expenses.items()})
        given_blocks.append("expenses")
    loan_tuple = None if loans is None else tuple(
        Loan(i, str(fields.get("name", f"借款{i + 1}")), {"name": f"借款{i + 1}", **fields})
        for i, fields in enumerate(loans))
    return Case("t", AS_OF, case_values, loan_tuple, given=tuple(given_blocks))


def _with(params, **changes):
    return {**params, **changes}


def _debts(balances, payment=200.0):
    return [{"balance": b, "monthly_payment": payment} for b in balances]


# --- example tests, numbers worked out by hand -------------------------------------------------------------

def test_plan_shipped_parameters_are_all_there(params):
    assert set(PARAMS) <= set(params)


def test_plan_b6_example_pro_rata_rounded_down(params):
    """domain.md B6: 100 available, balances 500/1000/233/200 (1,933) -> 25.87/51.73/12.05/10.35 -> 25/51/12/10."""
    case = _case(100, {"living": 0}, _debts([500, 1000, 233, 200]))
    plan = build(case, _with(params, safety_buffer_share=0, min_offer_per_lender=10))
    assert plan.budget is not None and plan.budget.available == 100
    assert [o.offer for o in plan.offers] == [25, 51, 12, 10]
    assert plan.total == 98 and not plan.affordable
    assert plan.offers[0].note == "pro-rata share 25.87, rounded down"
    assert [o.months for o in plan.offers] == [20, 20, 20, 20]          # ceil(500/25), ceil(1000/51) …
    assert "freezes interest" in plan.method
    assert plan.schedule[0] == (500, 1000, 233, 200)
    assert plan.schedule[1] == (475, 949, 221, 190)
    assert len(plan.schedule) == 21 and plan.schedule[-1] == (0, 0, 0, 0)


def test_plan_b6_example_with_the_shipped_minimum_asks_for_a_pause(params):
    """100 cannot give four lenders 50 each: every lender is asked to pause, with a token of 10."""
    plan = build(_case(100, {"living": 0}, _debts([500, 1000, 233, 200])), _with(params, safety_buffer_share=0))
    assert [o.offer for o in plan.offers] == [10, 10, 10, 10]
    assert all(o.proposals == ("pause",) for o in plan.offers)
    assert [o.months for o in plan.offers] == [50, 100, 24, 20]
    assert "pause" in plan.method and not plan.warnings


def test_plan_tokens_that_are_not_affordable_become_zero_with_a_warning(params):
    plan = build(_case(30, {"living": 0}, _debts([500, 1000, 233, 200])), _with(params, safety_buffer_share=0))
    assert [o.offer for o in plan.offers] == [0, 0, 0, 0]
    assert all(o.months is None for o in plan.offers)
    assert plan.schedule == ((500, 1000, 233, 200),)
    assert any("token" in w and "30" in w for w in plan.warnings)


def test_plan_offer_never_exceeds_the_contractual_payment(params):
    """1,000 shared by equal balances gives 500 each; loan 1 only owes 100 a month, so loan 2 gets 900."""
    loans = [{"balance": 5000, "monthly_payment": 100}, {"balance": 5000, "monthly_payment": 2000}]
    plan = build(_case(1000, {"living": 0}, loans), _with(params, safety_buffer_share=0))
    first, second = plan.offers
    assert (first.offer, second.offer) == (100, 900)
    assert first.proposals == ("keep",)
    assert second.months == 6 and second.proposals == ("installments",)   # 6 months vs 3 under contract


def test_plan_small_lender_is_raised_to_the_minimum(params):
    """Pro rata 990.10 / 9.90; the small lender gets the minimum 50 and the large one the remaining 950."""
    loans = [{"balance": 100000, "monthly_payment": 5000}, {"balance": 1000, "monthly_payment": 500}]
    plan = build(_case(1000, {"living": 0}, loans), _with(params, safety_buffer_share=0))
    assert [o.offer for o in plan.offers] == [950, 50]
    assert plan.offers[1].note == "raised to the minimum of 50 per lender"


def test_plan_extension_when_the_term_stays_close(params):
    """10,000 at 1,000 takes 10 months; at 800, 13 months (1.3 × ≤ 1.5): ask for an extension."""
    loans = [{"balance": 10000, "monthly_payment": 1000}]
    plan = build(_case(800, {"living": 0}, loans), _with(params, safety_buffer_share=0))
    assert plan.offers[0].offer == 800 and plan.offers[0].months == 13
    assert plan.offers[0].proposals == ("extension",)


def test_plan_budget_takes_priority_debts_and_the_buffer_first(params):
    """8,000 − 3,000 − 500 = 4,500 disposable; buffer min(5% = 225, 200) = 200; a secured loan's 1,500
    comes out before the others: 2,800 left for them, which covers 1,000 + 800."""
    loans = [{"name": "车贷", "balance": 40000, "monthly_payment": 1500, "secured": True},
             {"balance": 10000, "monthly_payment": 1000}, {"balance": 8000, "monthly_payment": 800}]
    case = _case(8000, {"living": 3000, "other": 500}, loans)
    b = budget(case, params)
    assert b is not None
    assert (b.income, b.essential, b.flexible, b.buffer, b.priority_payments, b.available) == \
        (8000, 3000, 500, 200, 1500, 2800)
    plan = build(case, params)
    assert plan.affordable and [o.loan for o in plan.offers] == [1, 2]
    assert [(o.offer, o.proposals) for o in plan.offers] == [(1000, ("keep",)), (800, ("keep",))]
    assert plan.schedule[0] == (10000, 8000) and len(plan.schedule) == 11


def test_plan_court_judgment_is_a_priority_and_can_leave_nothing(params):
    loans = [{"balance": 30000, "monthly_payment": 3000, "court_judgment": True},
             {"balance": 10000, "monthly_payment": 1000}]
    plan = build(_case(5000, {"living": 3000}, loans), params)
    assert plan.budget is not None and plan.budget.available == 0
    assert plan.offers[0].offer == 0 and plan.offers[0].proposals == ("pause",)
    assert any("priority debts" in w for w in plan.warnings)
    assert any("token" in w for w in plan.warnings)


def test_plan_high_cost_loans_ask_to_reduce_interest(params):
    """A stated 36% rate, and a flat 1.5% monthly fee over 12 months (true cost ≈ 32%/yr). 666 each:
    16 months instead of 10 (1.6 ×: installments), 16 instead of 11 (1.45 ×: extension)."""
    loans = [{"balance": 10000, "monthly_payment": 1000, "annual_rate": 0.36},
             {"balance": 10000, "monthly_payment": 983.33, "principal": 10000, "monthly_fee_rate": 0.015,
              "installments": 12},
             {"balance": 10000, "monthly_payment": 1000, "annual_rate": 0.12}]
    plan = build(_case(2000, {"living": 0}, loans), _with(params, safety_buffer_share=0))
    assert [o.proposals for o in plan.offers] == [
        ("installments", "reduce_interest"), ("extension", "reduce_interest"), ("installments",)]
    assert [o.offer for o in plan.offers] == [666, 666, 666]


def test_plan_credit_card_beyond_sixty_months_is_flagged(params):
    loans = [{"name": "某行信用卡", "lender_type": "credit_card", "balance": 100000, "monthly_payment": 5000},
             {"name": "某平台", "balance": 61000, "monthly_payment": 3000}]
    plan = build(_case(1610, {"living": 0}, loans), _with(params, safety_buffer_share=0))
    assert [o.offer for o in plan.offers] == [1000, 610]
    assert [o.months for o in plan.offers] == [100, 100]
    assert "某行信用卡: 100 months needed at 1,000 a month, beyond the 60-month cap for a credit card's " \
           "personalised installments" in plan.warnings
    assert any(w.startswith("某平台: 100 months") and "60-month cap for a repayment plan" in w
               for w in plan.warnings)
    assert len(plan.schedule) == 101


def test_plan_schedule_stops_at_the_horizon(params):
    plan = build(_case(100, {"living": 0}, _debts([50000])), _with(params, safety_buffer_share=0))
    assert plan.offers[0].months == 500 and len(plan.schedule) == 121


@pytest.mark.parametrize("income, expenses, loans, missing", [
    (None, {"living": 100}, _debts([500]), ("income",)),
    (1000, None, _debts([500]), ("expenses",)),
    (1000, {"living": 100}, None, ("loans",)),
    (1000, {"living": 100}, [{"secured": True}], ("loans[0].monthly_payment",)),
])
def test_plan_incomplete_case_lists_what_is_missing(params, income, expenses, loans, missing):
    plan = build(_case(income, expenses, loans), params)
    assert plan.missing == missing and plan.offers == () and plan.schedule == () and not plan.affordable
    assert plan.method.startswith("No offers: the case lacks")


def test_plan_a_loan_with_an_unknown_payment_is_left_to_confirm_and_the_others_get_offers(params):
    """One blank payment used to cancel the plan for every lender (issue 11): now only that lender waits."""
    loans = [{"balance": 6000, "monthly_payment": 800}, {"balance": 4000}, {"balance": 2000, "monthly_payment": 500}]
    plan = build(_case(1500, {"living": 1000}, loans), _with(params, safety_buffer_share=0))
    assert plan.missing == () and plan.budget is not None and plan.budget.available == 500
    assert plan.to_confirm == ((1, "借款2", ("monthly_payment",)),)
    assert [o.loan for o in plan.offers] == [0, 2]                  # the loan to confirm has no offer, not 0
    assert plan.total == 500 and [o.offer for o in plan.offers] == [375, 125]   # 500 pro rata on 6,000 : 2,000
    assert any("借款2" in w.get("zh") and "查清后重新计算" in w.get("zh") for w in plan.warnings)


def test_plan_with_every_lender_to_confirm_offers_nothing_and_says_why(params):
    plan = build(_case(1500, {"living": 1000}, [{"balance": 4000}, {"monthly_payment": 90}]), params)
    assert plan.offers == () and not plan.affordable and len(plan.to_confirm) == 2
    assert plan.method.startswith("No offers yet") and "都还要先查清" in plan.method.get("zh")


def test_plan_an_aggregate_line_needs_the_minimum_for_each_lender(params):
    """`lenders: 20` on one line: the pause/share floor is 20 × the minimum per lender."""
    loans = [{"balance": 100000, "monthly_payment": 5000, "lenders": 20}, {"balance": 1000, "monthly_payment": 300}]
    plan = build(_case(3000, {"living": 1000}, loans), _with(params, safety_buffer_share=0))
    minimum = params["min_offer_per_lender"]
    assert plan.offers[0].offer >= 20 * minimum and plan.offers[1].offer >= minimum
    assert plan.total <= 2000


def test_plan_unknown_item_counts_as_missing(params):
    case = _case(1000, {"living": 100}, _debts([500]))
    case = Case(case.name, case.as_of, case.values, case.loans, given=case.given, unknown=("expenses.medical",))
    plan = build(case, params)
    assert plan.missing == ("expenses.medical",) and plan.budget is None


def test_plan_no_loans_is_affordable(params):
    plan = build(_case(1000, {"living": 100}, []), params)
    assert plan.affordable and plan.offers == () and plan.schedule == () and plan.missing == ()


def test_plan_missing_parameter_is_named(params):
    with pytest.raises(ValueError, match="token_payment"):
        build(_case(100, {"living": 0}, _debts([500, 1000])), {k: v for k, v in params.items() if k != "token_payment"})


# --- properties ---------------------------------------------------------------------------------------------

money = st.integers(0, 5_000_000).map(lambda fen: fen / 100)
loan_fields = st.fixed_dictionaries(
    {"balance": money, "monthly_payment": st.integers(0, 2_000_000).map(lambda fen: fen / 100)},
    optional={"lender_type": st.sampled_from(["credit_card", "microloan", "bank"]),
              "annual_rate": st.floats(0, 0.5), "secured": st.booleans(), "court_judgment": st.booleans()})
cases = st.builds(
    _case,
    income=st.integers(0, 3_000_000).map(lambda fen: fen / 100),
    expenses=st.fixed_dictionaries({"living": money.map(lambda m: m / 10), "other": money.map(lambda m: m / 20)}),
    loans=st.lists(loan_fields, max_size=7))
knobs = st.fixed_dictionaries({"min_offer_per_lender": st.sampled_from([0, 5, 50, 300]),
                               "token_payment": st.sampled_from([0, 1, 10, 60]),
                               "safety_buffer_share": st.sampled_from([0, 0.05, 0.2])})


def _check(plan: Plan, case: Case, params) -> None:
    b = plan.budget
    assert b is not None and not plan.missing
    left = b.income - b.essential - b.flexible - b.buffer - b.priority_payments
    assert 0 <= b.available <= max(0.0, left) + 1e-9 and b.available >= left - 0.01
    offered = [case.loans[o.loan] for o in plan.offers]
    assert all(not (loan.values.get("secured") or loan.values.get("court_judgment")) for loan in offered)
    for o in plan.offers:
        assert 0 <= o.offer <= o.contractual and set(o.proposals) <= set(PROPOSALS)
        assert o.months is None if o.offer == 0 else o.months == math.ceil(round(o.balance / o.offer, 9))
    contractual = sum(o.contractual for o in plan.offers)
    if plan.affordable:
        assert contractual <= b.available
        assert all(o.offer == o.contractual and o.proposals == ("keep",) for o in plan.offers)
    else:
        assert contractual > b.available
        assert plan.total <= b.available
        assert all(o.offer == int(o.offer) for o in plan.offers)
    assert math.isclose(plan.total, sum(o.offer for o in plan.offers))
    if plan.offers:
        assert plan.schedule[0] == tuple(o.balance for o in plan.offers)
        horizon = params["schedule_horizon_months"]
        assert len(plan.schedule) == 1 + min(max((o.months or 0) for o in plan.offers), horizon)
        for before, after in pairwise(plan.schedule):
            assert all(0 <= a <= x for x, a in zip(before, after, strict=True))
            paid = sum(x - a for x, a in zip(before, after, strict=True))
            assert paid <= plan.total + 0.01          # a month never repays more than the offers
        first = sum(min(o.offer, o.balance) for o in plan.offers)
        if len(plan.schedule) > 1:                    # month 1 repays exactly the offers (the last bit capped)
            assert sum(plan.schedule[0]) - sum(plan.schedule[1]) == pytest.approx(first, abs=0.01 * len(plan.offers))
        for i, o in enumerate(plan.offers):
            if o.months is not None and o.months < len(plan.schedule):
                assert plan.schedule[o.months][i] == 0 and plan.schedule[o.months - 1][i] > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases, knob=knobs)
def test_plan_invariants_over_generated_cases(params, case, knob):
    p = _with(params, **knob)
    plan = build(case, p)
    _check(plan, case, p)
    if not plan.affordable and plan.offers and "pause" not in plan.offers[0].proposals:
        floors = [min(p["min_offer_per_lender"], math.floor(o.contractual)) for o in plan.offers]
        assert all(o.offer >= f for o, f in zip(plan.offers, floors, strict=True))
        assert plan.budget is not None and plan.total > plan.budget.available - len(plan.offers)  # < 1 yuan each


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10_000_000), st.integers(0, 5000), st.integers(0, 100_000)),
                min_size=1, max_size=8),
       st.integers(0, 400_000))
def test_plan_shares_are_pro_rata_between_floor_and_cap(rows, available):
    balances = [b / 100 for b, _, _ in rows]
    floors = [float(min(f, c)) for _, f, c in rows]
    caps = [float(c) for _, _, c in rows]
    if sum(floors) > available:
        return
    out = shares(balances, floors, caps, available)
    assert all(f - 1e-9 <= o <= c + 1e-9 for o, f, c in zip(out, floors, caps, strict=True))
    assert sum(out) == pytest.approx(min(available, sum(caps)), abs=1e-6)
    inside = [o / b for o, b, f, c in zip(out, balances, floors, caps, strict=True) if f + 1e-6 < o < c - 1e-6]
    assert max(inside, default=0) - min(inside, default=0) <= 1e-9 * max(1.0, max(inside, default=0))


def test_plan_held_loan_gets_no_offer_and_no_share(params):
    from advisor.plan.offers import build_holding
    loans = [{"name": "旧债", "balance": 50000.0, "monthly_payment": 1500.0},
             {"name": "新债", "balance": 20000.0, "monthly_payment": 1000.0}]
    case = _case(4000, {"living": 2400}, loans)
    whole = build(case, params)
    assert [o.name for o in whole.offers] == ["旧债", "新债"] and not whole.affordable
    held = build_holding(case, params, {0: "law.limitation_check"})
    assert [o.name for o in held.offers] == ["新债"] and held.affordable   # 1,520 available covers 1,000
    assert [(h.loan, h.name) for h in held.held] == [(0, "旧债")]
    assert "第一百九十二条" in held.held[0].reason.get("zh") and "art. 192" in held.held[0].reason.get("en")
    assert build_holding(case, params, {}) == whole


def test_plan_limitation_rules_are_shipped():
    """plan.LIMITATION_RULES names rules: renaming one would silently give time-barred debts an offer again."""
    from advisor.plan.offers import LIMITATION_RULES
    from advisor.load.rules import load_rules
    ids = {rule.id for rule in load_rules(RULES).rules}
    assert set(LIMITATION_RULES) <= ids
