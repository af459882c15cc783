"""JSON rendering: a stable document another tool can read (keys in a fixed order)."""
from __future__ import annotations

import json
from typing import Any

from ..model import Report


def document(report: Report) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "case": report.case,
        "summary": dict(report.summary),
        "unknown": list(report.unknown),
        "advice": [
            {"rank": a.rank, "rule": a.rule, "priority": a.priority, "title": a.title, "text": a.text,
             "sources": list(a.sources), "because": list(a.because)}
            for a in report.advice
        ],
        "derived": list(report.derived),
        "ruleset": {"fingerprint": report.fingerprint, "rules": report.rule_count},
        "engine": dict(report.engine),
        "lang": report.lang,
    }


def render(report: Report) -> str:
    return json.dumps(document(report), ensure_ascii=False, indent=2) + "\n"
