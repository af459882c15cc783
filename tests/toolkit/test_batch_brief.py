"""A batch line comes from Advisor.brief: the very line the full `advise` gives (issue 18)."""
from __future__ import annotations

import random

import pytest

from advisor.advise import Advisor
from advisor.errors import AdvisorError
from advisor.load.cases import load_case_text
from advisor.load.rules import load_rules

from conftest import CASES, write_rules
from random_cases import random_case


def _full(advisor, text, name):
    """What the batch line held before: from the full report."""
    try:
        report = advisor.advise(load_case_text(text, name))
    except AdvisorError as exc:
        return ("error", exc.exit_code, [(d.code, str(d.message)) for d in exc.diagnostics])
    return (report.case, dict(report.summary), [(a.rank, a.rule, a.priority) for a in report.advice], report.fingerprint)


def _brief(advisor, text, name):
    try:
        brief = advisor.brief(load_case_text(text, name))
    except AdvisorError as exc:
        return ("error", exc.exit_code, [(d.code, str(d.message)) for d in exc.diagnostics])
    return (brief.case, brief.summary, [tuple(a) for a in brief.advice], brief.fingerprint)


def test_brief_gives_what_advise_gives_on_every_shipped_and_many_random_cases(advisor, tmp_path):
    rng = random.Random(600)
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(CASES.glob("*.yaml"))]
    for n in range(150):
        random_case(rng, tmp_path, n)                        # writes random{n}.yaml (and may refuse it)
        path = tmp_path / f"random{n}.yaml"
        texts.append((path.read_text(encoding="utf-8"), str(path)))
    outcomes = [(_brief(advisor, t, n), _full(advisor, t, n)) for t, n in texts]
    assert all(brief == full for brief, full in outcomes)
    assert sum(1 for _, full in outcomes if full[0] != "error" and full[2]) > 100   # most gave advice


@pytest.mark.parametrize("days", [5, 999_999])
def test_brief_fails_exactly_where_advise_fails_on_a_text_it_cannot_show(tmp_path, days):
    rules = write_rules(tmp_path, 'rules:\n  - id: t.x\n    title: 测试\n    sources: ["1"]\n    priority: low\n'
                        '    when: any loan.overdue_days > 0\n    advice: "到 {as_of - loan.overdue_days}"\n')
    advisor = Advisor.build(load_rules(rules))
    text = f"as_of: 2026-11-28\nloans:\n  - name: A\n    balance: 1000\n    overdue_days: {days}\n"
    assert _brief(advisor, text, "c.yaml") == _full(advisor, text, "c.yaml")
    assert (_full(advisor, text, "c.yaml")[0] == "error") == (days > 10_000)
