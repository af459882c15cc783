"""A page a borrower can open: each debt's balance month by month under the proposed plan, as an
inline SVG chart (no scripts, no network), and when each debt ends."""
from __future__ import annotations

import datetime as dt
from html import escape

from ..i18n import t
from ..report import Report
from ..format import fmt

COLOURS = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30638e", "#b5651d")
W, H, LEFT, RIGHT, TOP, BOTTOM = 880, 420, 90, 170, 20, 50


def month_after(day: dt.date, months: int) -> str:
    """The year and month `months` after `day`: when a debt is cleared."""
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def page(report: Report) -> str:
    plan = report.plan
    lang = report.lang if report.lang in ("zh", "en") else "zh"
    title = f"{t('chart.title', lang)} · {report.case}"
    out = [f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>',
           "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}"
           "table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}"
           "td:first-child,th:first-child{text-align:left}.note{color:#555}</style></head><body>",
           f"<h1>{escape(title)}</h1>"]
    if plan is None or not plan.offers or not plan.schedule:
        why = plan.method.get(lang) if plan is not None else t("chart.no_params", lang)
        out += [f"<p>{escape(why)}</p>", "</body></html>"]
        return "\n".join(out) + "\n"
    out.append(f'<p class="note">{escape(plan.method.get(lang))}</p>')
    out.append(_svg(report, lang))
    head = t("chart.head", lang).split("|")
    out.append("<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
    for o in plan.offers:
        ends = month_after(report.as_of, o.months) if o.months else "—"
        out.append(f"<tr><td>{escape(o.name)}</td><td>{fmt(o.balance, 'cny', lang)}</td>"
                   f"<td>{fmt(o.offer, 'cny', lang)}</td><td>{o.months or '—'}</td><td>{ends}</td></tr>")
    out.append("</table>")
    out.extend(f'<p class="note">⚠ {escape(w.get(lang))}</p>' for w in plan.warnings)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _svg(report: Report, lang: str) -> str:
    plan = report.plan
    assert plan is not None, "page() draws a chart only for a plan with offers"
    months = len(plan.schedule) - 1
    top = max(max(row) for row in plan.schedule) or 1.0

    def x(m: int) -> float:
        return LEFT + (W - LEFT - RIGHT) * (m / max(months, 1))

    def y(v: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - v / top)

    label = t("chart.label", lang)
    parts = [f'<svg viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{escape(label)}">',
             f'<text x="{LEFT}" y="{H - 8}" font-size="12">{t("chart.months", lang)}</text>']
    for k in range(5):
        value = top * k / 4
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">'
                     f'{value:,.0f}</text>')
    step = max(1, round(months / 10))
    for m in range(0, months + 1, step):
        parts.append(f'<text x="{x(m):.1f}" y="{H - BOTTOM + 16}" font-size="11" text-anchor="middle">{m}</text>')
    for i, offer in enumerate(plan.offers):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{x(m):.1f},{y(row[i]):.1f}" for m, row in enumerate(plan.schedule))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{points}"/>')
        end = offer.months if offer.months is not None and offer.months <= months else months
        cleared = offer.months is not None and offer.months <= months
        text = offer.name if not cleared else (
            t("chart.cleared", lang, name=offer.name, months=offer.months))
        parts.append(f'<text x="{W - RIGHT + 6}" y="{TOP + 16 + 18 * i}" font-size="12" fill="{colour}">'
                     f'{escape(text)}</text><circle cx="{x(end):.1f}" cy="{y(plan.schedule[end][i]):.1f}" r="3.5" '
                     f'fill="{colour}"/>')
    parts.append("</svg>")
    return "\n".join(parts)
