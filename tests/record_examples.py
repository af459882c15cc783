"""A decision record to store in tests (the records stage's tests and the fault tests share it)."""
from __future__ import annotations

import hashlib

from advisor.records.store import Record, report_digest


def make_record(n: int = 1, case_name: str = "张三") -> Record:
    case_text = f"as_of: 2026-11-28\nname: {case_name}\nincome: {5000 + n}\n"
    report = {
        "as_of": "2026-11-28", "case": case_name, "lang": "zh", "summary": {"income": 5000 + n, "expenses": 4200.5},
        "advice": [{"rank": 1, "rule": "timing.contact_now", "priority": "urgent", "text": "到期前尽快联系平台",
                    "sources": ["2"], "because": ["timing.due_soon"]}],
        "unknown": ["loan[0].penalty"], "ruleset": {"fingerprint": "f" * 16, "rules": 79},
    }
    return Record(
        id=None, created_at=f"2026-11-28T10:00:{n:02d}Z", case_name=case_name, case_path=f"cases/{n}.yaml",
        case_sha256=hashlib.sha256(case_text.encode("utf-8")).hexdigest(), case_text=case_text,
        rules_dir="rules", ruleset_fingerprint="f" * 16,
        params={"lpr_1y": {"value": 0.031, "effective": "2024-10-21"}, "contact_days_before_due": {"value": 7}},
        advisor_version="0.1.0", engine_name="durable_rules", engine_version="2.0.28", lang="zh",
        report=report, report_sha256=report_digest(report),
    )
