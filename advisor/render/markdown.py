"""Markdown rendering: a report a counsellor can print or attach, with the numbers and the reasons."""
from __future__ import annotations

from ..i18n import pick, words
from .. import inert
from ..format import fmt_figure
from ..report import Report
from ..knowledge.vocabulary import BY_NAME
from .explain import sources_lines, tree_lines
from .plan import markdown as plan_markdown
from .text import unknown_parts


def render(report: Report, explain: bool = False) -> str:
    lang = report.lang
    w = words("report", lang)
    assert report.trace is not None, "a report made by Advisor.advise carries its trace"
    ruleset = report.trace.ruleset
    out = [f"# {w['title']} · {report.case}", "",
           f"{w['as_of']} {report.as_of.isoformat()} · ruleset `{report.fingerprint[:16]}` · "
           f"{report.engine.get('name')} {report.engine.get('version')}", "", f"## {w['numbers']}", "",
           "| | |", "|---|---:|"]
    for key, value in report.summary.items():
        fact = BY_NAME[key]
        shown = fmt_figure(value, report.bounds.get(key), fact.unit, lang)
        out.append(f"| {pick(lang, fact.zh, fact.en)} | {shown} |")
    unknown = unknown_parts(report, w)
    if unknown:
        out += [""] + [f"**{heading}**: {fields}" for heading, fields in unknown]
    if report.findings:
        out += ["", f"## {w['findings']}", ""]
        for f in report.findings:
            out.append(f"- {f.text}")
            out.append(f"  - **{w['why']}**: " + "; ".join(f"`{line}`" for line in f.because))
    out += ["", f"## {w['advice']}", ""]
    if not report.advice:
        out.append(w["none"])
    for a in report.advice:
        rule = ruleset.rule(a.rule)
        out += [f"### {a.rank}. {a.title} ({w[a.priority]})", "", a.text, ""]
        out.append(f"- **{w['why']}**: " + "; ".join(f"`{line}`" for line in a.because))
        out.extend(f"- {line.strip()}" for line in sources_lines(a.sources, lang, ""))
        out.append(f"- `{rule.id}` · {rule.location.file}:{rule.location.line}")
        if explain:
            out += ["", "```"] + tree_lines(report.explained().why(rule.id), "") + ["```"]
        out.append("")
    out += plan_markdown(report)
    out += ["---", "", w["note"]]
    return inert.markdown("\n".join(out)) + "\n"   # no HTML or link from a case's names
