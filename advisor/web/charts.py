"""Pictures as inline SVG (no scripts, no network): the budget as a waterfall from income down to what
is available, against what the contracts ask, with the shortfall marked."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..report import Report
from ..format import fmt
from ..i18n import pick

W, H, LEFT, TOP, BOTTOM = 640, 260, 70, 16, 64
# The printed plan draws the charts half a page wide: a narrower drawing with larger type, so the labels
# stay readable when scaled to the column (about 90 mm), and short step names that fit under their bars.
COMPACT = {"W": 420, "H": 168, "LEFT": 62, "TOP": 16, "BOTTOM": 44, "axis": 13, "label": 14}
FULL = {"W": W, "H": H, "LEFT": LEFT, "TOP": TOP, "BOTTOM": BOTTOM, "axis": 11, "label": 12}
SHORT = {"zh": ("收入", "必要", "可调整", "备用金", "优先债", "可用"),
         "en": ("income", "essential", "flexible", "buffer", "priority", "available")}
KINDS = {"income": "#1b6ca8", "cost": "#8d6a9f", "buffer": "#edae49", "priority": "#d1495b", "available": "#00798c"}


def waterfall(report: Report, compact: bool = False) -> Markup:
    """Income, then each deduction as a step down, then what is available; a dashed line at the other
    loans' contractual payments, the gap between the two marked as the shortfall. Empty without a budget.
    `compact`: the printed plan's narrower drawing (larger type, short step names)."""
    plan = report.plan
    if plan is None or plan.budget is None:
        return Markup("")
    zh = pick(report.lang, True, False)
    g = COMPACT if compact else FULL
    w_, h_, left, top_, bottom_, axis = g["W"], g["H"], g["LEFT"], g["TOP"], g["BOTTOM"], g["axis"]
    b = plan.budget
    due = sum(o.contractual for o in plan.offers)
    names = SHORT["zh" if zh else "en"] if compact else (
        ("每月收入", "必要开支", "可调整开支", "备用金", "优先债务", "可用") if zh else
        ("income", "essential", "flexible", "buffer", "priority debts", "available"))
    steps = [(names[0], b.income, "income"), (names[1], -b.essential, "cost"), (names[2], -b.flexible, "cost"),
             (names[3], -b.buffer, "buffer"), (names[4], -b.priority_payments, "priority")]
    top = max(b.income, due, 1.0)
    bottom = min(0.0, b.income - b.essential - b.flexible - b.buffer - b.priority_payments)
    span = top - bottom
    def y(v: float) -> float:
        return top_ + (h_ - top_ - bottom_) * (top - v) / span
    slot = (w_ - left - 10) / (len(steps) + 1)
    pad = 5 if compact else 8
    bar = slot - 2 * pad
    title = "每月预算：从收入到可用于还款的钱" if zh else "The month's budget: from income to what is available"
    parts = [f'<svg class="chart waterfall" viewBox="0 0 {w_} {h_}" width="100%" role="img" aria-label="{escape(title)}">',
             f'<title>{escape(title)}</title>']
    for k in range(5 if not compact else 3):
        value = bottom + span * k / (4 if not compact else 2)
        parts.append(f'<line x1="{left}" x2="{w_ - 10}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="{axis}" text-anchor="end">'
                     f'{escape(fmt(value, "cny", report.lang))}</text>')
    level = 0.0
    for i, (words, change, kind) in enumerate(steps):
        start, level = level, level + change
        high, low = max(start, level), min(start, level)
        x = left + slot * i + pad
        parts.append(f'<rect x="{x:.1f}" y="{y(high):.1f}" width="{bar:.1f}" height="{max(1.0, y(low) - y(high)):.1f}" '
                     f'fill="{KINDS[kind]}"><title>{escape(words)} {escape(fmt(abs(change), "cny", report.lang))}</title></rect>')
        parts.append(_label(x + bar / 2, words, change, report.lang, g))
    x = left + slot * len(steps) + pad
    parts.append(f'<rect x="{x:.1f}" y="{y(b.available):.1f}" width="{bar:.1f}" '
                 f'height="{max(1.0, y(0) - y(b.available)):.1f}" fill="{KINDS["available"]}"/>')
    parts.append(_label(x + bar / 2, names[5], b.available, report.lang, g))
    if due > 0:
        parts.append(f'<line x1="{left}" x2="{w_ - 10}" y1="{y(due):.1f}" y2="{y(due):.1f}" stroke="#222" '
                     f'stroke-dasharray="6 4"/><text x="{w_ - 12}" y="{y(due) - 4:.1f}" font-size="{axis}" text-anchor="end">'
                     f'{escape(("合同每月应还 " if zh else "contracts ask ") + fmt(due, "cny", report.lang))}</text>')
        if due > b.available:
            # the gap's label sits between the two levels, but never within a line of type of the contracts'
            # label above the dashed line (a small gap put one over the other), nor on the step names below
            gap_y = min(max((y(due) + y(b.available)) / 2, y(due) + axis + 6), h_ - bottom_ - 4)
            parts.append(f'<rect x="{x:.1f}" y="{y(due):.1f}" width="{bar:.1f}" height="{y(b.available) - y(due):.1f}" '
                         f'fill="none" stroke="#d1495b" stroke-width="2" stroke-dasharray="3 3"/>'
                         f'<text x="{(w_ - 4) if compact else x + bar / 2:.1f}" y="{gap_y:.1f}" '
                         f'font-size="{axis}" text-anchor="{"end" if compact else "middle"}" fill="#d1495b">{escape(("缺口 " if zh else "short ") + fmt(due - b.available, "cny", report.lang))}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _label(x: float, words: str, amount: float, lang: str, g: dict[str, int] = FULL) -> str:
    base = g["H"] - g["BOTTOM"]
    return (f'<text x="{x:.1f}" y="{base + g["label"] + 4}" font-size="{g["label"]}" text-anchor="middle">{escape(words)}</text>'
            f'<text x="{x:.1f}" y="{base + g["label"] + g["axis"] + 9}" font-size="{g["axis"]}" text-anchor="middle">'
            f'{"−" if amount < 0 else ""}{escape(fmt(abs(amount), "cny", lang))}</text>')


# The true cost of each loan against the reference lines

PALETTE = ("#1b6ca8", "#edae49", "#00798c", "#d1495b", "#8d6a9f", "#66a182", "#2e4057", "#b5651d")
HATCH = (45, -45, 0, 90)            # loans 9-16 hatched one way, 17-24 another, …: fills stay distinct
ROW, NAME_W, OWED_W, CW = 26, 150, 110, 640
TC_FULL = {"row": ROW, "name": NAME_W, "owed": OWED_W, "width": CW, "font": 11, "chars": 11, "head": 34}
TC_COMPACT = {"row": 24, "name": 118, "owed": 84, "width": 420, "font": 13, "chars": 7, "head": 48}


def fill(i: int) -> str:
    """Loan i's fill: a palette colour for the first eight, then the colours again with a hatch."""
    return PALETTE[i % len(PALETTE)] if i < len(PALETTE) else f"url(#tc-{i})"


def _pattern(i: int) -> str:
    angle = HATCH[(i // len(PALETTE) - 1) % len(HATCH)]
    return (f'<pattern id="tc-{i}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate({angle})"><rect width="6" height="6" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2.5"/></pattern>')


def _lpr_line(report: Report, contract: object) -> float | None:
    """4 × the one-year LPR in force on the contract date (None without a date or the parameters)."""
    import datetime as dt

    params = report.trace.ruleset.params if report.trace else {}
    lpr, multiple = params.get("lpr_1y"), params.get("private_lending_lpr_multiple")
    if not isinstance(contract, dt.date) or lpr is None or multiple is None or not lpr.table:
        return None
    rate = lpr.at(contract)
    return None if not isinstance(rate, float) or not isinstance(multiple.value, (int, float)) else rate * multiple.value


def true_cost(report: Report, compact: bool = False) -> Markup:
    """One bar per loan: its true annual cost (the report's loans[].apr, nominal) against the 24% and 36%
    lines and, on its own row, 4 × LPR on its contract date; each bar labelled directly with its name,
    rate and balance. Empty when no loan's true cost can be worked out. `compact`: the printed plan's
    narrower drawing with larger type."""
    from ..render.plan import costs

    zh = pick(report.lang, True, False)
    rows = costs(report)
    if not any(r["apr"] for r in rows):
        return Markup("")
    params = report.trace.ruleset.params if report.trace else {}
    lines = [(p.value, name) for key, name in (("licensed_review_line", "24%"), ("old_private_lending_void_line", "36%"))
             if (p := params.get(key)) is not None and isinstance(p.value, float)]
    loans = {loan.name: loan for loan in (report.trace.case.loans or ())} if report.trace else {}
    lprs = [_lpr_line(report, loans[r["name"]].values.get("contract_date")) if r["name"] in loans else None
            for r in rows]
    top = max([r["apr"]["nominal"] for r in rows if r["apr"]] + [v for v, _ in lines] + [x for x in lprs if x])
    step = 0.1 if top <= 0.9 else (0.2 if top <= 1.8 else 0.5)
    xmax = step * (int(top * 1.08 / step) + 1)
    g = TC_COMPACT if compact else TC_FULL
    row, cw, f, foot = g["row"], g["width"], g["font"], 36 + (g["font"] - 11) * 2
    left, right, head = g["name"], g["width"] - g["owed"], g["head"]
    height = head + row * len(rows) + foot
    def x(v: float) -> float:
        return left + (right - left) * v / xmax

    def pct(v: float) -> str:
        return f"{v * 100:.1f}%".replace(".0%", "%")
    title = "每笔借款的真实年化成本，与 24%、36% 和 4 倍 LPR 参考线对比" if zh else \
        "Each loan's true annual cost against the 24%, 36% and 4 × LPR reference lines"
    parts = [f'<svg class="chart true-cost" viewBox="0 0 {cw} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             "<defs>" + "".join(_pattern(i) for i in range(len(PALETTE), len(rows))) + "</defs>"]
    ticks = int(round(xmax / step))
    for k in range(ticks + 1):
        v = step * k
        parts.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{head}" y2="{height - foot + 6}" stroke="#e4e4e4"/>'
                     f'<text class="tick" x="{x(v):.1f}" y="{height - f - 5}" font-size="{f}" text-anchor="middle">'
                     f'{pct(v)}</text>')
    parts.append(f'<text x="{(left + right) / 2:.0f}" y="{height - 2}" font-size="{f}" text-anchor="middle">'
                 f'{escape("真实年化成本（%）" if zh else "true annual cost (%)")}</text>'
                 f'<text x="{cw - 4}" y="{head - 6}" font-size="{f}" text-anchor="end">'
                 f'{escape("欠款（元）" if zh else "owed (yuan)")}</text>')
    for i, (r, lpr) in enumerate(zip(rows, lprs)):
        y0 = head + row * i
        name = r["name"] if len(r["name"]) <= g["chars"] else r["name"][:g["chars"] - 1] + "…"
        parts.append(f'<text class="name" x="{left - 6}" y="{y0 + 17}" font-size="{f + 1}" text-anchor="end">'
                     f'<title>{escape(r["name"])}</title>{escape(name)}</text>')
        if r["apr"]:
            v = r["apr"]["nominal"]
            parts.append(f'<rect class="bar" x="{left}" y="{y0 + 5}" width="{max(1.0, x(v) - left):.1f}" height="{row - 10}" '
                         f'fill="{fill(i)}" stroke="{PALETTE[i % len(PALETTE)]}"><title>{escape(r["name"])} '
                         f'{pct(v)}</title></rect><text class="rate" x="{x(v) + 4:.1f}" y="{y0 + 17}" font-size="{f}">'
                         f'{pct(v)}</text>')
        else:
            parts.append(f'<text class="rate" x="{left + 4}" y="{y0 + 17}" font-size="{f if not compact else f - 2}" fill="#555">'
                         f'{escape("算不出（缺少到手金额、期数或月供）" if zh else "cannot tell (cash received, installments or payment missing)")}</text>')
        if lpr:
            parts.append(f'<line class="lpr" x1="{x(lpr):.1f}" x2="{x(lpr):.1f}" y1="{y0 + 2}" y2="{y0 + row - 2}" '
                         f'stroke="#111" stroke-width="2"><title>{escape("4 倍 LPR" if zh else "4 × LPR")} {pct(lpr)}'
                         f'</title></line>')
        if isinstance(r["balance"], (int, float)):
            parts.append(f'<text class="owed" x="{cw - 4}" y="{y0 + 17}" font-size="{f}" text-anchor="end">'
                         f'{escape(fmt(r["balance"], "cny", report.lang))}</text>')
    for v, words in lines:
        parts.append(f'<line class="ref" x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{head - 4}" y2="{height - foot + 6}" '
                     f'stroke="#b00020" stroke-dasharray="5 3" stroke-width="1.5"/>'
                     f'<text class="ref" x="{x(v):.1f}" y="{head - 8}" font-size="{f}" text-anchor="middle" '
                     f'fill="#b00020">{escape(words)}</text>')
    if any(lprs):
        parts.append(f'<line x1="{left}" x2="{left + 14}" y1="{12}" y2="{12}" stroke="#111" stroke-width="2" '
                     f'transform="rotate(90 {left + 7} 12)"/><text x="{left + 14}" y="16" font-size="{f}">'
                     f'{escape("4 倍 LPR（按合同日期）" if zh else "4 × LPR on the contract date")}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
