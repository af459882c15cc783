"""Memory stays flat in a batch worker and in `advisor diff` (issue 18): every case different, each parsed
from its JSON line and advised as the real thing does it. The 1k/10k/100k run is benchmarks/memory.py."""
from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
import yaml

from advisor.advise import Advisor
from advisor.load.rules import load_rules
from advisor.toolkit import batch
from advisor.toolkit.diff import case_change

from conftest import CASES, RULES

pytestmark = pytest.mark.slow   # thousands of cases


def _rss_mb() -> float:
    gc.collect()
    import resource
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _lines(count: int):
    shipped = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))]
    for i in range(count):
        case = {k: v for k, v in shipped[i % len(shipped)].items() if k != "expect"}
        case["name"] = f"case {i:06d}"                      # a new string every case
        case.setdefault("income", {})
        if isinstance(case["income"], dict) and isinstance(case["income"].get("salary"), (int, float)):
            case["income"] = {**case["income"], "salary": case["income"]["salary"] + i % 500}
        yield json.dumps(case, ensure_ascii=False, default=str)


def _growth(run_one, small: int = 300, large: int = 3_000) -> tuple[float, float]:
    lines = _lines(large)
    for n in range(1, small + 1):
        run_one(n, next(lines))
    at_small = _rss_mb()
    for n in range(small + 1, large + 1):
        run_one(n, next(lines))
    return at_small, _rss_mb()


def test_a_batch_worker_holds_no_more_after_3000_cases_than_after_300():
    batch.start(str(RULES))

    def one(n, line):
        row = json.loads(batch.evaluate(batch.Item(f"in.jsonl:{n}", "in.jsonl", line.encode("utf-8"), line=n)))
        assert row["status"] == "ok", row

    small, large = _growth(one)
    assert large <= small * 1.10, f"RSS grew from {small:.1f} MB (300 cases) to {large:.1f} MB (3,000)"


def test_diff_holds_no_more_after_3000_cases_than_after_300():
    rules = load_rules(RULES)
    old, new = Advisor.build(rules), Advisor.build(rules)
    small, large = _growth(lambda n, line: case_change(old, new, Path(f"c{n}.yaml"), line))
    assert large <= small * 1.10, f"RSS grew from {small:.1f} MB (300 cases) to {large:.1f} MB (3,000)"
