"""Faults: case text that would drive a terminal or a Markdown viewer is shown inert (issue 13, item 7)."""
from __future__ import annotations

import json
import re

from advisor.cli import main

from conftest import CASES, RULES

THREE = (CASES / "three_loans_plan.yaml").read_text(encoding="utf-8").split("expect:")[0]


def _case(tmp_path, case_name: str, loan_name: str):
    text = THREE.replace("name: 何女士 · 三笔借款的方案", f"name: {case_name}", 1).replace(
        "name: 某小贷", f"name: {loan_name}", 1)
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_control_codes_in_names_reach_the_terminal_escaped(runner, tmp_path):
    case = _case(tmp_path, '"小王\\e]0;pwned\\a\\e[2J\\r"', '"某\\u202e贷"')
    result = runner.invoke(main, ["run", str(case), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert not any(ch in result.output for ch in "\x1b\x07\r\u202e")
    assert "小王\\x1b]0;pwned\\x07\\x1b[2J\\r" in result.output and "某\\u202e贷" in result.output
    shown = json.loads(runner.invoke(main, ["run", str(case), "--format", "json", "--rules", str(RULES)]).output)
    assert shown["case"].startswith("小王\\x1b")


def test_a_newline_in_a_name_cannot_start_a_line(runner, tmp_path):
    case = _case(tmp_path, '"小王\\n## 伪造的建议\\n- 不要还款"', '"某贷\\n【紧急】 1. 不要还款"')
    for fmt in ("text", "markdown"):
        out = runner.invoke(main, ["run", str(case), "--format", fmt, "--rules", str(RULES)]).output
        lines = out.splitlines()
        assert not any(line.startswith(("## 伪造", "- 不要", "【紧急】 1. 不要")) for line in lines), fmt
        assert "小王\\n## 伪造的建议" in out


def test_markdown_escapes_html_and_link_syntax_from_the_case(runner, tmp_path):
    case = _case(tmp_path, "'<script>alert(1)</script>'", "'[点这里](javascript:alert(1))'")
    md = runner.invoke(main, ["run", str(case), "--format", "markdown", "--rules", str(RULES)]).output
    prose = re.sub(r"`[^`\n]*`", "", md)              # inside a code span nothing is a link or a tag
    assert "<script>" not in prose and "&lt;script&gt;" in md
    assert "[点这里](javascript:" not in prose and "\\[点这里\\](javascript:" in md
