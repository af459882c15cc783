"""Plan stage, the papers that go with an offer (issue 16): the budget sheet (a creditor-facing statement
like the UK Standard Financial Statement) and a lender's schedule table. Both only format the plan's own
numbers (plan/budget.py, plan/offers.py): nothing here works out a budget or a share a second time."""
from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

from ..format import cells, pad
from ..inert import one_line
from ..knowledge.vocabulary import label
from ..model import Case, Loan
from ..report import Budget, Offer, Plan
from .budget import FLEXIBLE, is_priority

REPLY_DAYS = 15          # the reply deadline a letter sets (domain.md A10: 15 days for a simple complaint)
REVIEW_MONTHS = 3        # a pause or reduced payment is reviewed after this many months (domain.md B6)
SHOWN_ROWS = 12          # a longer schedule shows its first rows, a summary line and its last row


def money(amount: float) -> str:
    """Yuan as a lender's statement shows them: whole yuan without decimals, else two decimals."""
    whole = math.isclose(amount, round(amount), abs_tol=1e-9)
    return f"{amount:,.0f}" if whole else f"{amount:,.2f}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reply_by(as_of: dt.date) -> dt.date:
    return as_of + dt.timedelta(days=REPLY_DAYS)


def first_payment(as_of: dt.date) -> dt.date:
    """A month after the letter: after the reply deadline, so the lender can answer before it falls due."""
    return add_months(as_of, 1)


def review_date(as_of: dt.date) -> dt.date:
    return add_months(first_payment(as_of), REVIEW_MONTHS - 1)


@dataclass(frozen=True)
class Schedule:
    """A lender's proposed periods: (number, date, amount). `covered` is what they add up to; it is the
    balance unless the plan's months run past the legal or plan limit `cap` (then `periods` is the cap)."""

    rows: tuple[tuple[int, dt.date, float], ...]
    covered: float
    capped: bool
    cap: int


def schedule(offer: Offer, as_of: dt.date, cap: int) -> Schedule:
    """Monthly periods at the plan's offer until the balance is cleared (interest frozen), never more than `cap`
    periods; the last period pays the remainder, so the rows add up to the balance exactly."""
    if offer.months is None or offer.offer <= 0:
        return Schedule((), 0.0, False, cap)
    start = first_payment(as_of)
    capped = offer.months > cap
    periods = cap if capped else offer.months
    rows = []
    for k in range(periods):
        amount = offer.offer if capped or k < periods - 1 else round(offer.balance - offer.offer * (periods - 1), 2)
        rows.append((k + 1, add_months(start, k), amount))
    return Schedule(tuple(rows), round(sum(a for _, _, a in rows), 2), capped, cap)


def schedule_table(plan: Schedule) -> str:
    """The schedule as text lines: every period when there are few, else the first ones, a line for the
    middle and the last."""
    def line(n: int, day: dt.date, amount: float) -> str:
        return f"  第 {n:>2} 期  {day.isoformat()}  {money(amount):>10} 元"

    rows = plan.rows
    shown = [line(*row) for row in rows] if len(rows) <= SHOWN_ROWS else [
        *(line(*row) for row in rows[:SHOWN_ROWS - 2]),
        f"  第 {SHOWN_ROWS - 1}–{len(rows) - 1} 期  每月同日  每期 {money(rows[SHOWN_ROWS - 2][2])} 元",
        line(*rows[-1])]
    return "\n".join(["  期数    还款日期          金额", *shown,
                      f"  合计 {len(rows)} 期，共 {money(plan.covered)} 元"])


def _row(name: str, amount: float, width: int = 26) -> str:
    return f"    {name}{' ' * max(1, width - cells(name))}{money(amount):>12} 元"


def _items(case: Case, block: str, leave_out: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    return [(label(name, "zh"), float(value)) for name, value in sorted(case.values.items())
            if name.startswith(block + ".") and name not in leave_out and isinstance(value, (int, float))]


def budget_sheet(case: Case, plan: Plan, total_lenders: tuple[Loan, ...], this: int | None = None) -> str:
    """Every line of the budget and of the sharing, so a lender can check each figure on the page."""
    budget: Budget | None = plan.budget
    if budget is None:
        return "附：每月收支表\n    （收支情况还不完整：【请填写：每月收入和必要开支】）"
    out = ["附：每月收支表（单位：元）", "  一、收入"]
    out += [_row(name, amount) for name, amount in _items(case, "income")]
    out += [_row("收入合计", budget.income), "  二、必要开支"]
    out += [_row(name, amount) for name, amount in _items(case, "expenses", FLEXIBLE)]
    out += [_row("必要开支合计", budget.essential), "  三、可调整开支（已尽量压缩）", _row("其他支出", budget.flexible),
            "  四、备用金（应急，防止再次逾期）", _row("备用金", budget.buffer),
            "  五、优先债务（法院判决、房车抵押，须先还）", _row("优先债务月供", budget.priority_payments)]
    left = budget.income - budget.essential - budget.flexible - budget.buffer - budget.priority_payments
    equation = (f"{money(budget.income)} − {money(budget.essential)} − {money(budget.flexible)} − "
                f"{money(budget.buffer)} − {money(budget.priority_payments)}")
    out.append("  六、每月可用于偿还其他借款")
    if left >= 0:
        out.append(f"    {equation} = {money(budget.available)} 元")
    else:
        out.append(f"    {equation} = −{money(-left)} 元，不足，按 0 元计")
    out += _sharing(plan, total_lenders, this)
    return "\n".join(out)


COLUMNS = ("欠款余额", "合同月供", "按比例份额", "本方案月供")


def _right(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (a CJK character takes two)."""
    return " " * max(0, width - cells(text)) + text


def lender_label(loan: Loan) -> str:
    """How a letter names a lender in its lists: its full name when the case gives it, else the loan's name."""
    full = loan.values.get("lender_name")
    return one_line(full) if isinstance(full, str) and full else one_line(loan.name)


def _sharing(plan: Plan, loans: tuple[Loan, ...], this: int | None) -> list[str]:
    """The share of each lender; the letter's own lender is the row marked 本笔."""
    if not plan.offers:
        return []
    total = sum(o.balance for o in plan.offers)
    out = ["  七、各出借方的分配（按欠款余额比例：可用金额 × 该笔余额 ÷ 余额合计）",
           "    " + pad("出借方", 26) + "".join(_right(h, 15 if i else 12) for i, h in enumerate(COLUMNS))]
    names = {loan.index: lender_label(loan) for loan in loans}
    label = {o.loan: "本笔借款" if o.loan == this else names.get(o.loan, one_line(o.name)) for o in plan.offers}
    for o in plan.offers:
        name = label[o.loan]
        share = "—" if o.share is None else f"{o.share:,.2f}"
        out.append(f"    {name}{' ' * max(1, 26 - cells(name))}{money(o.balance):>12}   {money(o.contractual):>12}   "
                   f"{share:>12}   {money(o.offer):>12}")
    out.append(f"    合计{' ' * 22}{money(total):>12}   {' ' * 12}   {' ' * 12}   {money(plan.total):>12}")
    out += [f"    · {label[o.loan]}：{o.note.get('zh')}" for o in plan.offers]
    if plan.budget is not None and plan.total < plan.budget.available:
        out.append(f"    分配合计 {money(plan.total)} 元，比可用金额少 {money(plan.budget.available - plan.total)} 元"
                   "（向下取整的余数，或合同月供已够）。")
    if any("pause" in o.proposals for o in plan.offers):
        out.append("    说明：可用金额不够给每家最低还款额，所以向每一家申请暂缓还款，期间只付象征性金额。")
    priority = [loan for loan in loans if is_priority(loan)]
    if priority:
        out.append("    优先债务：" + "、".join(lender_label(p) for p in priority) + "（按原合同先还，已在第五项扣除）")
    return out
