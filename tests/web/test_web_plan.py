"""The action plan from the command line: advisor run CASE --format plan."""
from __future__ import annotations

import re
from pathlib import Path

from advisor.cli import main

CASES = Path(__file__).resolve().parents[2] / "cases"


def test_plan_format_is_one_printable_page_without_engine_words(runner):
    result = runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--format", "plan"])
    assert result.exit_code == 0
    page = result.output
    assert "这周先做的三件事" in page and "@media print" in page and "<svg" in page
    rows = re.findall(r'data-sign="(-?\d)" data-amount="([\d.]+)"', page)
    total = sum(float(a) * {"1": 1, "-1": -1, "3": 1}.get(s, 0) for s, a in rows)
    assert abs(total - next(float(a) for s, a in rows if s == "2")) < 0.01
    assert "timing." not in page and "params" not in page and "fingerprint" not in page


def test_plan_format_without_a_budget_says_what_to_find_out(runner):
    result = runner.invoke(main, ["run", str(CASES / "missing_info.yaml"), "--format", "plan"])
    assert result.exit_code == 0 and "还算不出预算" in result.output and "收入" in result.output
