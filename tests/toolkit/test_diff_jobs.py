"""advisor diff --jobs N: the same report as one process, from worker processes (issue 18)."""
from __future__ import annotations

import shutil

import pytest

from advisor.cli import main

from conftest import CASES, RULES

pytestmark = pytest.mark.slow   # worker processes


def _old_rules(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(RULES, old)
    params = old / "params.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("value: 7\n", "value: 10\n", 1), encoding="utf-8")
    return old


def test_diff_with_two_jobs_says_exactly_what_one_process_says(runner, tmp_path):
    old = _old_rules(tmp_path)
    one = runner.invoke(main, ["diff", str(CASES), "--old", str(old), "--rules", str(RULES)])
    two = runner.invoke(main, ["diff", str(CASES), "--old", str(old), "--rules", str(RULES), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1, two.output
    assert two.output == one.output and "~ " in one.output


def test_diff_with_jobs_stops_at_a_bad_case_with_its_own_error(runner, tmp_path):
    old = _old_rules(tmp_path)
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(CASES / "due_soon_shortfall.yaml", folder / "a.yaml")
    (folder / "b.yaml").write_text("as_of: 2026-02-30\n", encoding="utf-8")
    one = runner.invoke(main, ["diff", str(folder), "--old", str(old), "--rules", str(RULES)])
    two = runner.invoke(main, ["diff", str(folder), "--old", str(old), "--rules", str(RULES), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 3 and two.output == one.output and "b.yaml:1" in one.output
