"""Audit rendering: explanation trees and rule statuses as text a non-programmer can follow."""
from __future__ import annotations

from ..i18n import pick, t, words
from ..knowledge.article import passage
from ..model import RuleSet
from ..report import Report, Step
from ..knowledge.sections import heading

MARK = {True: "✓", False: "✗", None: "?"}


def tree_lines(step: Step, indent: str = "   ", seen: set[str] | None = None) -> list[str]:
    """A step and its children, one per line; a value explained once is not explained again."""
    seen = set() if seen is None else seen
    mark = "·" if step.kind == "value" else MARK[step.holds]
    origin = f"   ‹{step.origin}›" if step.origin else ""
    key = f"{step.text}|{step.origin}"
    repeated = step.kind in ("value", "rule") and bool(step.children) and key in seen
    lines = [f"{indent}{mark} {step.text}{origin}" + ("   (…)" if repeated else "")]
    if repeated:
        return lines
    seen.add(key)
    for child in step.children:
        lines.extend(tree_lines(child, indent + "  ", seen))
    return lines


def sources_lines(sources: tuple[str, ...], lang: str, indent: str = "   ") -> list[str]:
    label = words("explain", lang)["guidance"]
    colon = t("colon", lang)
    return [f"{indent}{label} {s} {heading(s, lang)}{colon}“{passage(s, 'zh')}”" +
            pick(lang, "", f" ({passage(s, 'en')})") for s in sources]


def _ruleset(report: Report) -> RuleSet:
    assert report.trace is not None, "a report made by Advisor.advise carries its trace"
    return report.trace.ruleset


def header(report: Report) -> list[str]:
    w = words("explain", report.lang)
    return [f"{w['title']}  ·  {report.case}  ·  {w['as_of']} {report.as_of.isoformat()}",
            f"{w['rules']} {report.fingerprint[:16]} ({report.rule_count})  ·  {w['legend']}", ""]


def explain_advice(report: Report) -> str:
    """Every piece of advice: the rule, its place, the article's words, and the full tree."""
    explanation, ruleset = report.explained(), _ruleset(report)
    out = header(report)
    for advice in report.advice:
        rule = ruleset.rule(advice.rule)
        out.append(f"{advice.rank}. {advice.title}  [{rule.id} · {rule.location.file}:{rule.location.line}]")
        out.extend(sources_lines(rule.sources, report.lang))
        out.extend(tree_lines(explanation.why(rule.id)))
        out.append("")
    return "\n".join(out) + "\n"


def explain_rule(report: Report, rule_id: str) -> str:
    """One rule, fired or not: its status in one line, then the tree behind it."""
    status = report.explained().status(rule_id)
    rule = _ruleset(report).rule(rule_id)
    w = words("explain", report.lang)
    out = header(report)
    out.append(f"{w['rule']} {rule.id} — {rule.title.get(report.lang)}  [{rule.location.file}:{rule.location.line}]")
    out.append(f"{w['status']}: {words('states', report.lang)[status.state]} — {status.summary}")
    out.extend(sources_lines(rule.sources, report.lang))
    out.extend(tree_lines(status.detail))
    return "\n".join(out) + "\n"


def explain_all(report: Report) -> str:
    """Every rule with its status, in the order of the rule files."""
    statuses = report.explained().statuses
    out = header(report) + [f"== {words('explain', report.lang)['all']} =="]
    width = max(len(s.rule) for s in statuses) if statuses else 0
    for status in statuses:
        state = words("states", report.lang)[status.state]
        out.append(f"  {status.rule:<{width}}  {state}  {status.summary}")
    return "\n".join(out) + "\n"
