"""Text rendering for a terminal: the numbers first, then advice grouped by priority."""
from __future__ import annotations

from ..format import fmt_figure, pad
from ..model import PRIORITIES
from ..report import Report
from ..knowledge.sections import heading
from ..knowledge.vocabulary import BY_NAME, missing_words
from .plan import lines as plan_lines

_WORDS = {
    "zh": {"title": "协商还款建议", "as_of": "评估日期", "numbers": "数字", "advice": "建议",
           "unknown": "尚不清楚（请补充）", "why": "依据", "findings": "从你的情况可以看出",
           "ask_next": "先补充这几项", "other_unknown": "其他还不清楚的", "sections": "指南章节", "none": "没有触发任何建议。",
           "safety": "人身安全与权益", "urgent": "紧急", "high": "重要", "normal": "一般", "low": "参考",
           "note": "本工具提供信息，不构成法律意见；具体问题请咨询律师或拨打 12348 公共法律服务热线（免费法律咨询）。"},
    "en": {"title": "Repayment negotiation advice", "as_of": "assessed on", "numbers": "Numbers",
           "advice": "Advice", "unknown": "Not known yet (please find out)", "why": "because",
           "findings": "What your situation shows", "ask_next": "Find out these first",
           "other_unknown": "Also not known yet",
           "sections": "guidance", "none": "No advice was triggered.", "safety": "Safety and rights",
           "urgent": "Urgent", "high": "High", "normal": "Normal", "low": "For reference",
           "note": "This tool gives information, not legal advice; for legal questions ask a lawyer "
                   "or the 12348 public legal-service line (free legal advice)."},
}


def unknown_parts(report: Report, w: dict[str, str]) -> list[tuple[str, str]]:
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
    lang = report.lang if report.lang in _WORDS else "zh"
    w = _WORDS[lang]
    out = [f"{w['title']}  ·  {report.case}  ·  {w['as_of']} {report.as_of.isoformat()}", "",
           f"== {w['numbers']} =="]
    width = 28 if lang == "en" else 16
    for key, value in report.summary.items():
        fact = BY_NAME[key]
        label = fact.en if lang == "en" else fact.zh
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
