"""Batch runs: one result line per case, errors as lines, parallel workers, resumable without loss."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.cli import main

from conftest import CASES, RULES
from case_folders import case_folder


pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("english")]   # soak, batch and subprocess tests: `pytest -m 'not slow'` skips them (and asserts English words)




def _lines(out: Path) -> list[dict]:
    """The complete result rows (a line torn by a kill stays in the file, skipped by every reader)."""
    from advisor.toolkit.batch import complete_rows

    return list(complete_rows(out))


def test_folder_batch_gives_one_line_per_case_with_errors_as_lines(runner, tmp_path):
    folder = case_folder(tmp_path, 1)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES)])
    assert result.exit_code == 1, result.output                  # one case has errors
    lines = _lines(out)
    assert len(lines) == len(list(folder.glob("*.yaml")))
    bad = [r for r in lines if r["status"] == "error"]
    assert len(bad) == 1 and bad[0]["errors"][0]["code"] == "C021" and bad[0]["exit_code"] == 3
    good = {Path(r["key"]).stem: r for r in lines if r["status"] == "ok"}
    assert good["three_loans_plan-0"]["summary"]["monthly_shortfall"] == 1400


def test_jsonl_input_and_parallel_workers_give_the_same_results(runner, tmp_path):
    source = tmp_path / "cases.jsonl"
    case = {"as_of": "2026-11-28", "income": {"salary": 5000}, "expenses": {"living": 4000},
            "loans": [{"name": "A", "balance": 9000, "monthly_payment": 1500, "overdue_days": 3}]}
    rows = [json.dumps({**case, "name": f"c{i}"}, ensure_ascii=False) for i in range(30)] + ["{not json"]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, jobs in ((one, "1"), (two, "2")):
        runner.invoke(main, ["batch", str(source), "--out", str(out), "--jobs", jobs, "--quiet", "--rules", str(RULES)])
    assert _lines(one) == _lines(two) and len(_lines(one)) == 31
    assert _lines(one)[-1]["status"] == "error" and _lines(one)[0]["advice"][0]["rule"] == "timing.overdue_contact_now"


def test_a_torn_last_line_is_cut_and_the_batch_resumes_without_duplicates(runner, tmp_path):
    folder = case_folder(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    full = tmp_path / "full.jsonl"
    runner.invoke(main, ["batch", str(folder), "--out", str(full), "--quiet", "--rules", str(RULES)])
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:10]) + lines[10][: len(lines[10]) // 2], encoding="utf-8")   # killed mid-line
    result = runner.invoke(main, ["batch", str(folder), "--out", str(out), "--quiet", "--rules", str(RULES)])
    assert "10 already done" in result.output
    resumed = _lines(out)
    assert sorted(r["key"] for r in resumed) == sorted(r["key"] for r in _lines(full))
    assert sorted(map(json.dumps, resumed)) == sorted(map(json.dumps, _lines(full)))


def test_a_killed_batch_process_resumes_to_the_same_results(tmp_path):
    folder = case_folder(tmp_path, 12)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "advisor", "batch", str(folder), "--out", str(out), "--quiet",
           "--rules", str(RULES)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and (not out.exists() or out.read_text(encoding="utf-8").count("\n") < 20):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = out.read_text(encoding="utf-8").count("\n")
    total = len(list(folder.glob("*.yaml")))
    assert 0 < done_before < total
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    keys = [r["key"] for r in _lines(out)]
    assert len(keys) == len(set(keys)) == total
