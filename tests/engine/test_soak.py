"""Many cases in one process: no leak between cases, no drift, memory that stays flat.

The full 100,000-evaluation soak is `benchmarks/soak.py --count 100000`; CI runs this smaller one.
"""
from __future__ import annotations

import resource

import pytest

from advisor.load.cases import load_case
from advisor.render import json as render_json

from conftest import CASES

pytestmark = pytest.mark.slow   # soak, batch and subprocess tests: `pytest -m 'not slow'` skips them

COUNT = 3_000


def test_a_case_gives_the_same_output_first_or_after_thousands_of_others(advisor):
    cases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))]
    probe = cases[0]
    first = render_json.render(advisor.advise(probe, explain=True))
    for i in range(COUNT):
        advisor.advise(cases[i % len(cases)])
    assert render_json.render(advisor.advise(probe, explain=True)) == first


def test_memory_stays_flat_over_thousands_of_evaluations(advisor):
    # Each evaluation parses its case anew, as a batch worker or a server does: parsing leaked before.
    paths = sorted(CASES.glob("*.yaml"))
    for i in range(500):                                    # warm caches first
        advisor.advise(load_case(paths[i % len(paths)]))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for i in range(COUNT):
        advisor.advise(load_case(paths[i % len(paths)]))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 8, f"max RSS grew by {grown_mb:.1f} MB over {COUNT} evaluations"


def test_no_case_sees_another_cases_facts(advisor, tmp_path):
    """An overdue case, then an empty one: the second must not inherit the first's loans or derived facts."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("as_of: 2026-11-28\n", encoding="utf-8")
    alone = advisor.advise(load_case(empty))
    for path in sorted(CASES.glob("*.yaml")):
        advisor.advise(load_case(path))
        after = advisor.advise(load_case(empty))
        assert after.advice == alone.advice and after.derived == alone.derived
