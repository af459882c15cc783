"""Faults: a letter template cannot hang the advisor, fill its memory or read other files (issue 13, Low list)."""
from __future__ import annotations

import pytest

from advisor.cli import main

from conftest import CASES, RULES

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines

THREE = str(CASES / "three_loans_plan.yaml")


@pytest.mark.parametrize("template, words", [
    ("{{ 'a' * 10**10 }}", "too large"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}", "too large"),
    ("{% include 'letter.zh.txt.j2' %}", "include"),
    ("{% import 'x.j2' as x %}", "include"),
])
def test_a_runaway_or_including_template_is_a_template_error(runner, tmp_path, template, words):
    (tmp_path / "letter.zh.txt.j2").write_text(template + "\n", encoding="utf-8")
    result = runner.invoke(main, ["letter", THREE, "--loan", "某小贷", "--templates", str(tmp_path),
                                  "--rules", str(RULES)])
    assert result.exit_code == 4 and "error[T00" in result.output and words in result.output, result.output
