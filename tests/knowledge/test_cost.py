"""The true cost of a loan: IRR, nominal and effective annual rates, flat monthly fees (domain.md A6)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from advisor.knowledge.cost import Cost, annuity_payment, flat_fee_payment, loan_cost, monthly_irr


def _pct(rate: float) -> float:
    return round(rate * 100, 2)


def test_money_pboc_announcement_example():
    """PBoC 〔2021〕No. 3: 100,000 lent, 1,000 fee up front, 12 × 8,833.3 -> 12.80% simple, 13.58% compound."""
    cost = loan_cost({"principal": 99000, "monthly_payment": 8833.3, "installments": 12})
    assert cost is not None
    assert (_pct(cost.nominal), _pct(cost.effective)) == (12.80, 13.58)
    assert cost.nominal == pytest.approx(12 * cost.monthly)
    assert cost.effective == pytest.approx((1 + cost.monthly) ** 12 - 1)
    assert cost.method == "IRR of 99,000 received and 12 × 8,833.3"


@pytest.mark.parametrize("fee, n, nominal, effective", [
    (0.008, 12, 17.27, 18.71),
    (0.008, 6, 16.27, 17.54),
    (0.008, 24, 17.47, 18.93),
    (0.006, 12, 13.03, 13.84),
    (0.0075, 24, 16.43, 17.72),
    (0.005, 36, 11.08, 11.66),
])
def test_money_flat_monthly_fee_table_of_a6(fee, n, nominal, effective):
    cost = loan_cost({"principal": 30000, "monthly_fee_rate": fee, "installments": n})
    assert cost is not None
    assert (_pct(cost.nominal), _pct(cost.effective)) == (nominal, effective)


def test_money_flat_fee_payment_and_method():
    assert flat_fee_payment(30000, 0.008, 12) == pytest.approx(2740)
    cost = loan_cost({"principal": 30000, "monthly_fee_rate": 0.008, "installments": 12})
    assert cost is not None and cost.method.startswith("flat monthly fee 0.8% on 30,000 over 12 installments")


def test_money_payment_is_used_before_the_fee_rate():
    values = {"principal": 99000, "monthly_payment": 8833.3, "monthly_fee_rate": 0.05, "installments": 12}
    cost = loan_cost(values)
    assert cost is not None and _pct(cost.nominal) == 12.80 and cost.method.startswith("IRR")


def test_money_zero_interest_loan():
    assert monthly_irr(12000, 1000, 12) == 0
    assert loan_cost({"principal": 12000, "monthly_payment": 1000, "installments": 12}) == \
        Cost(0.0, 0.0, 0.0, "IRR of 12,000 received and 12 × 1,000")
    zero_fee = loan_cost({"principal": 12000, "monthly_fee_rate": 0, "installments": 12})
    assert zero_fee is not None and zero_fee.nominal == 0


def test_money_one_installment_is_exact():
    assert monthly_irr(1000, 1100, 1) == pytest.approx(0.1, abs=1e-12)


@pytest.mark.parametrize("cash, payment, n", [
    (1000, 90, 10),          # the payments total less than the cash received
    (0, 100, 10),
    (-1000, 100, 12),
    (1000, 0, 12),
    (1000, -100, 12),
    (1000, 100, 0),
    (1000, 100, 2.5),        # not a whole number of installments
    (1000, 100, True),
    (math.nan, 100, 12),
    (1000, math.inf, 12),
    ("1000", 100, 12),
])
def test_money_impossible_inputs_have_no_rate(cash, payment, n):
    assert monthly_irr(cash, payment, n) is None


@pytest.mark.parametrize("values", [
    {"annual_rate": 0.18},                                            # stated rate alone: not recomputed
    {"principal": 10000, "annual_rate": 0.18, "installments": 12},
    {"principal": 10000, "monthly_payment": 900},                     # no number of installments
    {"monthly_payment": 900, "installments": 12},                     # no cash received
    {"principal": 10000, "monthly_payment": 800, "installments": 12},  # pays back less than received
    {"principal": 0, "monthly_payment": 800, "installments": 12},
    {"principal": 10000, "monthly_fee_rate": -0.01, "installments": 12},
    {},
])
def test_money_loan_cost_needs_cash_flows(values):
    assert loan_cost(values) is None


@given(rate=st.floats(0, 0.2), n=st.integers(1, 360), cash=st.floats(100, 10_000_000))
def test_money_irr_of_the_payment_for_a_rate_gives_the_rate_back(rate, n, cash):
    payment = annuity_payment(cash, rate, n)
    found = monthly_irr(cash, payment, n)
    assert found is not None and found == pytest.approx(rate, abs=1e-9)


@given(fee=st.floats(0, 0.05), n=st.integers(1, 60))
def test_money_flat_fee_costs_more_than_it_looks(fee, n):
    """A flat fee on the original principal always costs at least 12·f a year (domain.md A6)."""
    cost = loan_cost({"principal": 10000, "monthly_fee_rate": fee, "installments": n})
    assert cost is not None and cost.nominal >= 12 * fee - 1e-9 and cost.effective >= cost.nominal - 1e-12
