"""Faults: memory that grows with every case read (issue 13, item 5)."""
from __future__ import annotations

import pytest

from advisor.load.cases import load_case_text

from conftest import CASES

pytestmark = pytest.mark.slow   # soak, batch and subprocess tests: `pytest -m 'not slow'` skips them


def _rss_kb() -> int:
    """The resident set size now (not the peak): what a long-running process holds."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    import resource
    return pages * resource.getpagesize() // 1024


@pytest.mark.slow
def test_memory_is_flat_over_ten_thousand_case_parses_and_advices(advisor):
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(CASES.glob("*.yaml"))]

    def evaluate(count: int) -> None:
        for i in range(count):
            text, name = texts[i % len(texts)]
            advisor.advise(load_case_text(text, name))      # parsed anew each time, as a worker does

    evaluate(1_000)
    after_1000 = _rss_kb()
    evaluate(9_000)
    after_10000 = _rss_kb()
    assert after_10000 <= after_1000 * 1.10, (
        f"RSS grew from {after_1000 / 1024:.1f} MB to {after_10000 / 1024:.1f} MB between 1,000 and 10,000 cases")
