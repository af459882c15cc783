"""Pictures as inline SVG (no scripts, no network): the budget as a waterfall from income down to what
is available, against what the contracts ask, with the shortfall marked."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..model import Report
from ..placeholders import fmt

W, H, LEFT, TOP, BOTTOM = 640, 260, 70, 16, 64
KINDS = {"income": "#1b6ca8", "cost": "#8d6a9f", "buffer": "#edae49", "priority": "#d1495b", "available": "#00798c"}


def waterfall(report: Report) -> Markup:
    """Income, then each deduction as a step down, then what is available; a dashed line at the other
    loans' contractual payments, the gap between the two marked as the shortfall. Empty without a budget."""
    plan = report.plan
    if plan is None or plan.budget is None:
        return Markup("")
    zh = report.lang != "en"
    b = plan.budget
    due = sum(o.contractual for o in plan.offers)
    steps = [("每月收入" if zh else "income", b.income, "income"),
             ("必要开支" if zh else "essential", -b.essential, "cost"),
             ("可调整开支" if zh else "flexible", -b.flexible, "cost"),
             ("备用金" if zh else "buffer", -b.buffer, "buffer"),
             ("优先债务" if zh else "priority debts", -b.priority_payments, "priority")]
    top = max(b.income, due, 1.0)
    bottom = min(0.0, b.income - b.essential - b.flexible - b.buffer - b.priority_payments)
    span = top - bottom
    y = lambda v: TOP + (H - TOP - BOTTOM) * (top - v) / span  # noqa: E731
    slot = (W - LEFT - 10) / (len(steps) + 1)
    title = "每月预算：从收入到可用于还款的钱" if zh else "The month's budget: from income to what is available"
    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{escape(title)}">',
             f'<title>{escape(title)}</title>']
    for k in range(5):
        value = bottom + span * k / 4
        parts.append(f'<line x1="{LEFT}" x2="{W - 10}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">'
                     f'{escape(fmt(value, "cny", report.lang))}</text>')
    level = 0.0
    for i, (words, change, kind) in enumerate(steps):
        start, level = level, level + change
        high, low = max(start, level), min(start, level)
        x = LEFT + slot * i + 8
        parts.append(f'<rect x="{x:.1f}" y="{y(high):.1f}" width="{slot - 16:.1f}" height="{max(1.0, y(low) - y(high)):.1f}" '
                     f'fill="{KINDS[kind]}"><title>{escape(words)} {escape(fmt(abs(change), "cny", report.lang))}</title></rect>')
        parts.append(_label(x + (slot - 16) / 2, words, change, report.lang))
    x = LEFT + slot * len(steps) + 8
    parts.append(f'<rect x="{x:.1f}" y="{y(b.available):.1f}" width="{slot - 16:.1f}" '
                 f'height="{max(1.0, y(0) - y(b.available)):.1f}" fill="{KINDS["available"]}"/>')
    parts.append(_label(x + (slot - 16) / 2, "可用" if zh else "available", b.available, report.lang))
    if due > 0:
        parts.append(f'<line x1="{LEFT}" x2="{W - 10}" y1="{y(due):.1f}" y2="{y(due):.1f}" stroke="#222" '
                     f'stroke-dasharray="6 4"/><text x="{W - 12}" y="{y(due) - 4:.1f}" font-size="11" text-anchor="end">'
                     f'{escape(("合同每月应还 " if zh else "contracts ask ") + fmt(due, "cny", report.lang))}</text>')
        if due > b.available:
            parts.append(f'<rect x="{x:.1f}" y="{y(due):.1f}" width="{slot - 16:.1f}" height="{y(b.available) - y(due):.1f}" '
                         f'fill="none" stroke="#d1495b" stroke-width="2" stroke-dasharray="3 3"/>'
                         f'<text x="{x + (slot - 16) / 2:.1f}" y="{(y(due) + y(b.available)) / 2:.1f}" font-size="11" '
                         f'text-anchor="middle" fill="#d1495b">{escape(("缺口 " if zh else "short ") + fmt(due - b.available, "cny", report.lang))}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _label(x: float, words: str, amount: float, lang: str) -> str:
    return (f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" font-size="12" text-anchor="middle">{escape(words)}</text>'
            f'<text x="{x:.1f}" y="{H - BOTTOM + 32}" font-size="11" text-anchor="middle">'
            f'{"−" if amount < 0 else ""}{escape(fmt(abs(amount), "cny", lang))}</text>')
