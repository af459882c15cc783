"""Plan stage, the offers: a case -> the monthly offer to each lender from its budget (domain.md B1, B4–B6, C2)."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Mapping

from ..model import Case, Loan
from ..knowledge.cost import loan_cost
from ..format import yuan as _yuan
from ..i18n import Said
from ..report import Budget, Held, Offer, Plan
from .budget import _missing, _param, _to_confirm, _zh, budget, is_priority

PROPOSALS = ("keep", "extension", "installments", "reduce_interest", "pause")
# The rules whose loans get no offer and no letter: on a debt that may be time-barred, an offer or a request
# for installments counts as agreeing to pay and revives it (Civil Code 192; SPC limitation rules 14, 19).
# law.old_debt_dates_unknown: an old debt whose last payment date is not known yet (find it out first).
LIMITATION_RULES = ("law.limitation_check", "law.old_debt_dates_unknown")


def shares(balances: list[float], floors: list[float], caps: list[float], available: float) -> list[float]:
    """Pro rata by balance between a floor and a cap: offerᵢ = min(capᵢ, max(floorᵢ, λ·balanceᵢ)), with
    the one λ (yuan a month per yuan owed) that makes the offers add up to `available`.

    Needs balances > 0, floors ≤ caps and Σ floors ≤ available. The total is piecewise linear in λ
    with corners at floorᵢ/balanceᵢ and capᵢ/balanceᵢ, so λ is found exactly between two corners."""
    def level(lam: float) -> list[float]:
        return [min(c, max(f, lam * b)) for b, f, c in zip(balances, floors, caps, strict=True)]

    if sum(caps) <= available:
        return list(caps)
    before, total_before = 0.0, sum(floors)
    corners = {x / b for b, f, c in zip(balances, floors, caps, strict=True) for x in (f, c)}
    for corner in sorted(corners):
        total = sum(level(corner))
        if total >= available:
            rise = total - total_before
            lam = corner if rise <= 0 else before + (available - total_before) * (corner - before) / rise
            return level(lam)
        before, total_before = corner, total
    return list(caps)


def _round_down(amounts: list[float], available: float) -> list[float]:
    """Whole yuan, rounded down; a hair of tolerance keeps 25.9999999 at 26 unless that overshoots."""
    whole = [float(math.floor(a + 1e-7)) for a in amounts]
    return whole if sum(whole) <= available else [float(math.floor(a)) for a in amounts]


def _months(balance: float, offer: float) -> int | None:
    return None if offer <= 0 else max(1, math.ceil(round(balance / offer, 9)))


def _high_rate(loan: Loan, line: float) -> bool:
    """The stated annual rate or the true cost (12·IRR) is at or above the line; the higher is used."""
    rates = [loan.values["annual_rate"]] if isinstance(loan.values.get("annual_rate"), (int, float)) else []
    cost = loan_cost(loan.values)
    if cost is not None:
        rates.append(cost.nominal)
    return any(rate >= line for rate in rates)


def build(case: Case, params: Mapping[str, float]) -> Plan:
    """The negotiation plan; never raises on incomplete data (the gaps go to `missing`, no offers)."""
    missing = _missing(case)
    plan_budget = budget(case, params)
    warnings = _budget_warnings(plan_budget) if plan_budget is not None else []
    if missing or plan_budget is None or case.loans is None:
        gaps = ", ".join(missing)
        method = Said(f"No offers: the case lacks {gaps}.", f"暂时给不出具体方案：案例缺少 {gaps}。")
        return Plan(budget=plan_budget, affordable=False, method=method, offers=(), schedule=(),
                    warnings=tuple(warnings), missing=missing)
    confirm = _to_confirm(case)
    if confirm:
        names = "、".join(name for _, name, _ in confirm)
        warnings.append(Said(f"{', '.join(name for _, name, _ in confirm)}: balance or monthly payment not known, so "
                             f"left out of the shares below; confirm the figures, then work out the offer again",
                             f"{names}：欠款余额或每月还款额还不清楚，暂不参与下面的分配；查清后重新计算"))
    unsure = {index for index, _, _ in confirm}
    debts = [loan for loan in case.loans if not is_priority(loan) and loan.index not in unsure
             and loan.values["balance"] > 0]
    if not debts and confirm:
        method = Said("No offers yet: every lender's balance or monthly payment still needs confirming.",
                      "暂时给不出具体金额：每一家的欠款余额或每月还款额都还要先查清。")
        return Plan(budget=plan_budget, affordable=False, method=method, offers=(), schedule=(),
                    warnings=tuple(warnings), missing=(), to_confirm=confirm)
    available = plan_budget.available
    due = sum(float(d.values["monthly_payment"]) for d in debts)
    if due <= available:
        offers = [_offer(d, float(d.values["monthly_payment"]), ("keep",),
                         Said("the contractual payment is affordable", "按合同还款在能力范围内")) for d in debts]
        method = Said(f"The contractual payments ({_yuan(due)} a month) fit in the {_yuan(available)} left after "
                      f"essentials, a {_yuan(plan_budget.buffer)} buffer and priority debts: every loan keeps its "
                      f"contract (months count the balance only).",
                      f"按合同每月应还 {_zh(due)}，在扣除必要开支、{_zh(plan_budget.buffer)} 备用金和优先债务后"
                      f"剩下的 {_zh(available)} 以内：每笔借款照合同按时还即可（还清月数只按余额估算）。")
        return _plan(plan_budget, True, method, debts, offers, warnings, params, confirm)
    caps = [float(math.floor(d.values["monthly_payment"])) for d in debts]   # offers are whole yuan
    # a line standing for several lenders (`lenders: 20`) needs the minimum for each of them
    floors = [min(_param(params, "min_offer_per_lender") * d.lenders, cap) for d, cap in zip(debts, caps, strict=True)]
    if sum(floors) > available:
        offers, method = _pause(debts, caps, available, params, warnings)
    else:
        offers, method = _pro_rata(debts, floors, caps, available, params)
    return _plan(plan_budget, False, method, debts, offers, warnings, params, confirm)


def _budget_warnings(plan_budget: Budget) -> list[Said]:
    disposable = plan_budget.income - plan_budget.essential - plan_budget.flexible
    out: list[Said] = []
    if disposable < 0:
        out.append(Said(f"expenses exceed income by {_yuan(-disposable)} a month",
                        f"每月支出比收入多 {_zh(-disposable)}"))
    if plan_budget.priority_payments > max(0.0, disposable - plan_budget.buffer):
        out.append(Said(f"the priority debts' payments ({_yuan(plan_budget.priority_payments)} a month) exceed what "
                        f"is left after expenses and the buffer: get advice on them first",
                        f"优先债务（法院判决/抵押）每月要还 {_zh(plan_budget.priority_payments)}，超过了扣除开支和"
                        f"备用金后剩下的钱：请先就这些债务咨询律师或 12348"))
    return out


def _pause(debts: list[Loan], caps: list[float], available: float, params: Mapping[str, float],
           warnings: list[Said]) -> tuple[list[Offer], Said]:
    """Not enough for every lender's minimum: ask each to pause, with a token payment (domain.md B6)."""
    minimum = _param(params, "min_offer_per_lender")
    tokens = [min(_param(params, "token_payment"), cap) for cap in caps]
    if sum(tokens) > available:
        warnings.append(Said(f"even token payments ({_yuan(sum(tokens))} a month) exceed the {_yuan(available)} "
                             f"available: the offer is 0 to every lender while the pause lasts",
                             f"连象征性还款（每月共 {_zh(sum(tokens))}）也超过了可用的 {_zh(available)}："
                             f"暂停期间对每家都先不还款"))
        tokens = [0.0] * len(caps)
    offers = [_offer(d, token, ("pause", *_extra(d, params)),
                     Said(f"token payment of {_zh(token)} while paused", f"暂停期间每月象征性还 {_zh(token)}")
                     if token > 0 else Said("no payment while paused", "暂停期间先不还款"))
              for d, token in zip(debts, tokens, strict=True)]
    method = Said(f"The {_yuan(available)} a month available cannot give each of the {len(debts)} lenders the "
                  f"minimum of {_yuan(minimum)}, so every lender is asked to pause, freeze interest and accept a "
                  f"token payment.",
                  f"每月可用的 {_zh(available)} 不够给 {len(debts)} 家出借方每家至少 {_zh(minimum)}，"
                  f"所以向每一家申请暂缓还款、停止计息，先接受象征性的小额还款。")
    return offers, method


def _pro_rata(debts: list[Loan], floors: list[float], caps: list[float], available: float,
              params: Mapping[str, float]) -> tuple[list[Offer], Said]:
    """Share what is available in proportion to the balances (domain.md B6), between floor and cap."""
    minimum = _param(params, "min_offer_per_lender")
    balances = [float(d.values["balance"]) for d in debts]
    exact = shares(balances, floors, caps, available)
    offers = []
    for i, (debt, whole) in enumerate(zip(debts, _round_down(exact, available), strict=True)):
        if whole >= caps[i]:
            offers.append(replace(_offer(debt, whole, ("keep", *_extra(debt, params)),
                                         Said("the contractual payment fits within its pro-rata share",
                                              "按比例分到的金额够还合同月供，照合同还")), share=exact[i]))
            continue
        ratio = (_months(balances[i], whole) or math.inf) / (_months(balances[i], caps[i]) or 1)
        step = "extension" if ratio <= _param(params, "extension_max_ratio") else "installments"
        note = (Said(f"raised to the minimum of {_yuan(floors[i])} per lender", f"提高到每家最低 {_zh(floors[i])}")
                if exact[i] <= floors[i] else
                Said(f"pro-rata share {exact[i]:.2f}, rounded down", f"按比例应分 {exact[i]:.2f}，向下取整"))
        offers.append(replace(_offer(debt, whole, (step, *_extra(debt, params)), note), share=exact[i]))
    per_100 = sum(exact) / sum(balances) * 100
    method = Said(f"The {_yuan(available)} a month available is shared in proportion to each balance (on average "
                  f"{per_100:.2f} yuan per 100 owed), at least {_yuan(minimum)} and at most the contractual "
                  f"payment per lender, rounded down to whole yuan; months to clear assume the lender freezes "
                  f"interest.",
                  f"每月可用的 {_zh(available)} 按各笔欠款余额的比例分配（平均每欠 100 元每月还 {per_100:.2f} 元），"
                  f"每家至少 {_zh(minimum)}、最多不超过合同月供，金额向下取整到元；还清月数按对方同意停息估算。")
    return offers, method


def _extra(debt: Loan, params: Mapping[str, float]) -> tuple[str, ...]:
    return ("reduce_interest",) if _high_rate(debt, _param(params, "high_rate_line")) else ()


def _offer(debt: Loan, offer: float, proposals: tuple[str, ...], note: Said) -> Offer:
    balance, contractual = float(debt.values["balance"]), float(debt.values["monthly_payment"])
    return Offer(loan=debt.index, name=debt.name, balance=balance, contractual=contractual, offer=offer,
                 months=_months(balance, offer), proposals=proposals, note=note)


def _plan(plan_budget: Budget, affordable: bool, method: Said, debts: list[Loan], offers: list[Offer],
          warnings: list[Said], params: Mapping[str, float],
          to_confirm: tuple[tuple[int, str, tuple[str, ...]], ...] = ()) -> Plan:
    """Warn about loans whose plan runs beyond its cap, and lay out the month-by-month balances."""
    for debt, o in zip(debts, offers, strict=True):
        card = debt.values.get("lender_type") == "credit_card"
        cap = _param(params, "credit_card_max_term_months" if card else "max_plan_months")
        if not affordable and "pause" not in o.proposals and o.months is not None and o.months > cap:
            kind = "a credit card's personalised installments" if card else "a repayment plan"
            kind_zh = "信用卡个性化分期" if card else "还款计划"
            warnings.append(Said(f"{o.name}: {o.months} months needed at {_yuan(o.offer)} a month, beyond the "
                                 f"{cap:.0f}-month cap for {kind}",
                                 f"{o.name}：每月 {_zh(o.offer)} 需要 {o.months} 个月才能还清，超过了"
                                 f"{kind_zh}最长 {cap:.0f} 个月的上限：需要请求减免利息，或寻求专业帮助"))
    horizon = int(_param(params, "schedule_horizon_months"))
    months = min(max((o.months for o in offers if o.months is not None), default=0), horizon)
    schedule = tuple(tuple(round(max(0.0, o.balance - k * o.offer), 2) for o in offers) for k in range(months + 1))
    return Plan(budget=plan_budget, affordable=affordable, method=method, offers=tuple(offers),
                schedule=schedule if offers else (), warnings=tuple(warnings), missing=(), to_confirm=to_confirm)

HELD_REASON = Said(
    "no offer yet. The last payment was more than three years ago, so the limitation period may have run out. "
    "Asking for installments or more time, proposing a repayment plan or paying part counts as agreeing to pay "
    "(SPC limitation rules art. 14), and agreeing to pay or paying after the period has run out gives up the "
    "limitation defence (Civil Code art. 192; SPC limitation rules art. 19). So the plan offers nothing on this "
    "loan and drafts no letter for it: ask a lawyer or the 12348 public legal-service line first, before any "
    "contact, promise or payment about it.",
    "先不提出任何还款方案。最后一次还款已超过三年，诉讼时效可能已经届满。申请分期或延期、提出还款计划、"
    "还一部分，都算“同意履行”（最高人民法院关于诉讼时效的规定第十四条）；时效届满后同意履行或者还款，"
    "就不能再以时效已过为由拒绝（民法典第一百九十二条；同一规定第十九条）。所以方案不给这笔借款出价，"
    "也不起草申请信：请先咨询律师或 12348 公共法律服务热线，再决定要不要就这笔借款联系对方、承诺或付款。")


DATES_UNKNOWN_REASON = Said(
    "no offer yet. The debt is old and the date of the last payment is not known, so the limitation period may "
    "have run out. Asking for installments or more time, proposing a repayment plan or paying part counts as "
    "agreeing to pay (SPC limitation rules art. 14), and agreeing to pay or paying after the period has run out "
    "gives up the limitation defence (Civil Code art. 192; SPC limitation rules art. 19). Find the dates of the "
    "last payment and the last demand first; if more than three years have passed, ask a lawyer or the 12348 "
    "public legal-service line before any contact, promise or payment about it.",
    "先不提出任何还款方案。这笔欠款时间较久，又不知道最后一次还款的日期，诉讼时效可能已经届满。申请分期或延期、"
    "提出还款计划、还一部分，都算“同意履行”（最高人民法院关于诉讼时效的规定第十四条）；时效届满后同意履行或者"
    "还款，就不能再以时效已过为由拒绝（民法典第一百九十二条；同一规定第十九条）。请先查清最后一次还款和最后一次"
    "催收的日期；已经超过三年的，先咨询律师或 12348 公共法律服务热线，再决定要不要就这笔借款联系对方、承诺或付款。")
REASONS = {"law.limitation_check": HELD_REASON, "law.old_debt_dates_unknown": DATES_UNKNOWN_REASON}


def build_holding(case: Case, params: Mapping[str, float], held: Mapping[int, str]) -> Plan:
    """The plan without the loans in `held` (loan index -> the limitation rule that flagged it): no offer
    for them, no share of the money, and the reason for each in `Plan.held`."""
    if not held or case.loans is None:
        return build(case, params)
    kept = replace(case, loans=tuple(loan for loan in case.loans if loan.index not in held))
    reasons = tuple(Held(loan=loan.index, name=loan.name, reason=REASONS.get(held[loan.index], HELD_REASON))
                    for loan in case.loans if loan.index in held)
    return replace(build(kept, params), held=reasons)
