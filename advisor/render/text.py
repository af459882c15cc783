"""Text rendering for a terminal: the numbers first, then advice grouped by priority."""
from __future__ import annotations

from typing import Mapping

from ..i18n import pick, words
from ..format import fmt_figure, pad
from ..model import PRIORITIES
from ..report import Report
from ..knowledge.sections import heading
from ..knowledge.vocabulary import BY_NAME, missing_words
from .plan import lines as plan_lines



def unknown_parts(report: Report, w: Mapping[str, str]) -> list[tuple[str, str]]:
    """What the case lacks, as (heading, fields): the fields that would change the most advice first
    (ask next), then the rest."""
    if not report.unknown:
        return []
    lang = report.lang
    first = [q.field for q in report.ask_next]
    if not first:
        return [(w["unknown"], "; ".join(missing_words(path, lang) for path in report.unknown))]
    rest = [p for p in report.unknown if p not in first]
    out = [(w["ask_next"], "; ".join(missing_words(p, lang) for p in first))]
    if rest:
        out.append((w["other_unknown"], "; ".join(missing_words(p, lang) for p in rest)))
    return out


def render(report: Report) -> str:
    lang = report.lang
    w = words("report", lang)
    out = [f"{w['title']}  ·  {report.case}  ·  {w['as_of']} {report.as_of.isoformat()}", "",
           f"== {w['numbers']} =="]
    width = pick(lang, 16, 28)
    for key, value in report.summary.items():
        fact = BY_NAME[key]
        label = pick(lang, fact.zh, fact.en)
        out.append(f"  {pad(label, width)} {fmt_figure(value, report.bounds.get(key), fact.unit, lang)}")
    out.extend(f"  {heading_}: {fields}" for heading_, fields in unknown_parts(report, w))
    if report.findings:
        out += ["", f"== {w['findings']} =="]
        for f in report.findings:
            out.append(f"  · {f.text}")
            out.append(f"     {w['why']}: {'; '.join(f.because)}")
            out.append(f"     [{f.rule} · {w['sections']} {', '.join(f'{s} {heading(s, lang)}' for s in f.sources)}]")
    out += ["", f"== {w['advice']} =="]
    if not report.advice:
        out.append(f"  {w['none']}")
    for priority in PRIORITIES:
        items = [a for a in report.advice if a.priority == priority]
        if not items:
            continue
        out += ["", f"【{w[priority]}】"]
        for a in items:
            sections = ", ".join(f"{s} {heading(s, lang)}" for s in a.sources)
            out.append(f" {a.rank:>2}. {a.title}")
            out.extend(f"     {line}" for line in a.text.splitlines())
            out.append(f"     {w['why']}: {'; '.join(a.because)}")
            out.append(f"     [{a.rule} · {w['sections']} {sections}]")
    plan = plan_lines(report)
    if plan:
        out += [""] + plan
    out += ["", w["note"]]
    return "\n".join(out) + "\n"
