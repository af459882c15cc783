"""Faults: a case larger than the rules engine survives is refused at load (issue 13, item 4).

durable_rules 2.0.28 aborts the process (`munmap_chunk(): invalid pointer`, `free(): invalid size`, in
`delete_state`) for a case of about 7,500 name-only loans (measured: 7,300 ran, 7,600 crashed); a
case of 29,400 such loans is 1.1 MB, under the 2 MB file limit. MAX_LOANS keeps a margin of 7x.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.load.cases import MAX_LOANS
from advisor.cli import main

from conftest import RULES


def _case(tmp_path: Path, loans: int) -> Path:
    rows = "".join(f"  - {{name: L{i}}}\n" for i in range(loans))
    path = tmp_path / f"loans-{loans}.yaml"
    path.write_text(f"as_of: 2026-11-28\nloans:\n{rows}", encoding="utf-8")
    return path


def test_a_case_with_more_loans_than_the_engine_survives_is_refused_with_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["run", str(_case(tmp_path, 29_400)), "--rules", str(RULES)])
    assert result.exit_code == 3, result.output
    assert "error[C022]" in result.output and f"{MAX_LOANS:,}" in result.output and "29,400" in result.output
    assert f"{tmp_path / 'loans-29400.yaml'}:{MAX_LOANS + 3}:5" in result.output   # the first loan too many


def test_batch_reports_the_oversized_case_as_an_error(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _case(folder, MAX_LOANS + 1)
    out = tmp_path / "out.jsonl"
    assert runner.invoke(main, ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES)]).exit_code == 1
    (row,) = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    assert row["status"] == "error" and row["errors"][0]["code"] == "C022"


@pytest.mark.slow
@pytest.mark.slow
def test_a_case_just_under_the_loan_limit_runs_in_the_engine(tmp_path):
    # In a process of its own: if the engine crashed, the test must fail, not take pytest down.
    done = subprocess.run([sys.executable, "-m", "advisor", "run", str(_case(tmp_path, MAX_LOANS)), "--format", "json",
                           "--rules", str(RULES)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert len(json.loads(done.stdout)["loans"]) == MAX_LOANS
