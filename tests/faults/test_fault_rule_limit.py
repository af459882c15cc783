"""Faults: a rule set larger than durable_rules survives (issue 13, item 4). durable refuses a ruleset
with error 106 (ERR_RULE_LIMIT_EXCEEDED) above about 3,700-4,100 rules, depending on their shape
(benchmarks/rule_limit.py); the advisor refuses more than MAX_RULES when the rules load, at `check` too."""
from __future__ import annotations

import time

import pytest

from advisor.load import rules as rules_module
from advisor.cli import main

from conftest import CASES, write_rules

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


def generated(n: int) -> str:
    lines = ["rules:"]
    for i in range(n):
        lines += [f"  - id: g.r{i}", f"    title: 规则{i}", '    sources: ["1"]', f"    when: monthly_due > {i}",
                  "    priority: low", f"    advice: 建议{i}"]
    return "\n".join(lines) + "\n"


def test_the_limit_has_margin_below_what_durable_survives():
    measured = 3717                                   # the fewest rules durable failed on, less one (generated mix)
    assert rules_module.MAX_RULES <= measured * 0.6


def test_a_rule_set_above_the_limit_is_refused_at_check_with_the_place_and_a_hint(runner, tmp_path):
    folder = write_rules(tmp_path, generated(rules_module.MAX_RULES + 1))
    start = time.perf_counter()
    result = runner.invoke(main, ["check", str(folder)])
    assert time.perf_counter() - start < 30
    assert result.exit_code == 4, result.output[-2000:]
    line = 2 + 6 * rules_module.MAX_RULES             # the id of the first rule over the limit
    assert f"test.yaml:{line}:9: error[E037]:" in result.output, result.output[-2000:]
    assert f"- id: g.r{rules_module.MAX_RULES}" in result.output and "^" in result.output
    assert f"{rules_module.MAX_RULES:,}" in result.output and "hint:" in result.output
    assert "error 106" not in result.output and "bug" not in result.output
    run = runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--rules", str(folder)])
    assert run.exit_code == 4 and "E037" in run.output


@pytest.mark.slow
def test_a_rule_set_at_the_limit_checks_and_runs(runner, tmp_path):
    folder = write_rules(tmp_path, generated(rules_module.MAX_RULES))
    assert runner.invoke(main, ["check", str(folder)]).exit_code == 0
    result = runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml"), "--rules", str(folder),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output[-2000:]
