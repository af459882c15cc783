"""JSON rendering: a stable document another tool can read (keys in a fixed order), carrying the
trace of the run, the explanation of every piece of advice and finding and, when the run built them
(`advisor run --format json --explain`, decision records), every rule's status."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..report import Report, Step
from ..knowledge.vocabulary import BY_NAME, missing_words
from . import journal as journal_view
from . import plan as plan_view


def step(node: Step) -> dict[str, Any]:
    return {"text": node.text, "holds": node.holds, "kind": node.kind, "origin": node.origin,
            "children": [step(c) for c in node.children]}


def _plain(fact: dict[str, Any], scope: str) -> dict[str, Any]:
    """Engine facts hold dates as day numbers; show them as dates."""
    out = {}
    for key, value in fact.items():
        decl = BY_NAME.get(("loan." if scope == "loan" else "") + key.replace("__", "."))
        if decl is not None and decl.type == "date" and isinstance(value, int):
            value = dt.date.fromordinal(value).isoformat()
        out[key] = value
    return out


def trace(report: Report) -> dict[str, Any]:
    t = report.trace
    assert t is not None
    params = {}
    for name, p in sorted(t.ruleset.params.items()):
        entry: dict[str, Any] = {"unit": p.unit, "source": p.source, "confidence": p.confidence,
                                 "file": f"{p.location.file}:{p.location.line}"}
        if p.dated:
            entry["in_force_on"] = p.on
            entry["values"] = {start.isoformat(): (v.isoformat() if isinstance(v, dt.date) else v)
                               for start, v in p.table}
        else:
            entry["value"] = p.value.isoformat() if isinstance(p.value, dt.date) else p.value
        params[name] = entry
    return {
        "facts": {"case": _plain(dict(t.facts.case), "case"),
                  "loans": [_plain(dict(loan), "loan") for loan in t.facts.loans] if t.facts.loans_known else None},
        "firings": [{"seq": f.seq, "rule": f.rule, "branch": f.branch,
                     "loans": [loan.get("name") for loan in f.loans], "derived_used": list(f.derived),
                     "asserted": list(f.asserted)} for f in t.firings],
        "params": params,
    }


def document(report: Report) -> dict[str, Any]:
    explanation = report.explained() if report.trace is not None else None
    doc: dict[str, Any] = {
        "as_of": report.as_of.isoformat(),
        "case": report.case,
        "summary": dict(report.summary),
        "bounds": {key: dict(b) for key, b in report.bounds.items()},
        "unknown": list(report.unknown),
        "ask_next": [{"field": q.field, "label": missing_words(q.field, report.lang), "rules": list(q.rules)}
                     for q in report.ask_next],
        "findings": [
            {"rule": f.rule, "text": f.text, "sources": list(f.sources), "because": list(f.because),
             "derived": list(f.derived), **({"explanation": step(explanation.why(f.rule))} if explanation else {})}
            for f in report.findings
        ],
        "advice": [
            {"rank": a.rank, "rule": a.rule, "priority": a.priority, "title": a.title, "text": a.text,
             "sources": list(a.sources), "because": list(a.because),
             **({"explanation": step(explanation.why(a.rule))} if explanation else {})}
            for a in report.advice
        ],
        "derived": list(report.derived),
        "ruleset": {"fingerprint": report.fingerprint, "rules": report.rule_count},
        "engine": dict(report.engine),
        "lang": report.lang,
        "loans": plan_view.costs(report),
        "plan": plan_view.document(report),
    }
    if report.trace is not None and report.trace.case.journal:     # issue 17: only a case with a journal
        doc["journal"] = journal_view.document(report)
    if explanation is not None:
        if explanation.statuses:           # every rule's status, when the run was asked for it (run --explain)
            doc["rules"] = [{"rule": s.rule, "status": s.state, "condition": s.condition, "summary": s.summary,
                             "outranked_by": list(s.outranked_by)} for s in explanation.statuses]
        doc["trace"] = trace(report)
    return doc


def render(report: Report) -> str:
    return json.dumps(document(report), ensure_ascii=False, indent=2) + "\n"
