"""Money stage: the true cost of a loan from the cash received and the payments (domain.md A6)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from ..format import percent, yuan

_BISECTIONS = 200          # halvings of the bracket; far more than double precision needs
_SAME = 1e-12              # payments within this relative distance of the cash mean a zero rate


@dataclass(frozen=True)
class Cost:
    """The true cost of a loan. `monthly` is the IRR r; `nominal` = 12·r (the PBoC's "simple"
    annualised rate, APR); `effective` = (1+r)^12 − 1 (its "compound" figure)."""

    monthly: float
    nominal: float
    effective: float
    method: str


def _number(value: Any) -> float | None:
    """A finite real number, or None (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _count(value: Any) -> int | None:
    """A whole number of installments ≥ 1, or None."""
    number = _number(value)
    if number is None or number < 1 or number != int(number):
        return None
    return int(number)


def _present_value(payment: float, rate: float, installments: int) -> float:
    """What n equal payments at the end of each month are worth today at monthly rate `rate` > 0."""
    return payment * -math.expm1(-installments * math.log1p(rate)) / rate


def annuity_payment(cash_received: float, monthly_rate: float, installments: int) -> float:
    """The equal monthly payment that repays `cash_received` over n months at the monthly rate r:
    A = P·r / (1 − (1+r)^−n); A = P/n when r = 0."""
    if monthly_rate == 0:
        return cash_received / installments
    return cash_received * (monthly_rate / -math.expm1(-installments * math.log1p(monthly_rate)))


def monthly_irr(cash_received: float, payment: float, installments: int) -> float | None:
    """The monthly rate r solving cash = payment·(1 − (1+r)^−n)/r, by bisection.

    None when there is no such r ≥ 0 (the payments total less than the cash received) or the inputs
    are not positive finite numbers; 0 when the payments total exactly the cash."""
    cash, pay, n = _number(cash_received), _number(payment), _count(installments)
    if cash is None or pay is None or n is None or cash <= 0 or pay <= 0:
        return None
    total = pay * n
    if abs(total - cash) <= _SAME * cash:
        return 0.0
    if total < cash:
        return None
    # The present value falls as r rises; it is below the cash at r = payment/cash, since the
    # present value of n payments is below payment/r. So the root lies in (0, payment/cash).
    low, high = 0.0, pay / cash
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _present_value(pay, middle, n) > cash:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def flat_fee_payment(cash_received: float, monthly_fee_rate: float, installments: int) -> float:
    """The installment of a flat-fee loan (等本等息): A = P/n + P·f, the fee always on the original P."""
    return cash_received / installments + cash_received * monthly_fee_rate


def cost(monthly: float, method: str) -> Cost:
    """The annual figures of a monthly rate."""
    return Cost(monthly, 12 * monthly, (1 + monthly) ** 12 - 1, method)


def loan_cost(values: Mapping[str, Any]) -> Cost | None:
    """The true cost of one loan from its stated fields, or None when they do not determine it.

    `principal` is the cash actually received (Civil Code art. 670: money deducted up front does not
    count). With `monthly_payment` and `installments`, the IRR of those cash flows; otherwise, with
    `monthly_fee_rate` and `installments`, the IRR of the flat-fee installment. A stated
    `annual_rate` alone is not recomputed: it does not say how it was annualised."""
    cash, n = _number(values.get("principal")), _count(values.get("installments"))
    if cash is None or n is None or cash <= 0:
        return None
    payment = _number(values.get("monthly_payment"))
    if payment is not None:
        method = f"IRR of {yuan(cash)} received and {n} × {yuan(payment)}"
    else:
        fee = _number(values.get("monthly_fee_rate"))
        if fee is None or fee < 0:
            return None
        payment = flat_fee_payment(cash, fee, n)
        method = (f"flat monthly fee {percent(fee, 4)} on {yuan(cash)} over {n} installments "
                  f"(IRR of {n} × {yuan(round(payment, 2))})")
    rate = monthly_irr(cash, payment, n)
    return None if rate is None else cost(rate, method)
