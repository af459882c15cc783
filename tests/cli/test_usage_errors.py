"""A command line click cannot parse is told in Chinese first (cli/usage.py), with click's exit code 2."""
from __future__ import annotations

import pytest

from advisor.cli import main
from advisor.cli.usage import chinese


@pytest.mark.parametrize("args, words", [
    (["run"], "错误：缺少参数 CASE。"),
    (["run", "x.yaml", "--format", "bad"], "错误：'--format' 的值无效：'bad' 不是可选的值（可选：'text', 'json', 'markdown', 'plan'）。"),
    (["run", "--bogus"], "错误：没有这个选项 '--bogus'。"),
    (["nosuch"], "错误：没有这个命令 'nosuch'。"),
    (["batch", "cases", "--jobs", "0"], "0 不在范围 1<=x<=64 内。"),
])
def test_usage_errors_are_in_chinese_with_the_usage_line_and_where_help_is(runner, args, words):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert words in result.output
    assert "用法：" in result.output and "查看帮助。" in result.output
    assert "Error:" not in result.output and "Try '" not in result.output


def test_with_lang_en_or_advisor_lang_they_stay_in_clicks_english(runner, monkeypatch):
    result = runner.invoke(main, ["run", "--lang", "en"])
    assert result.exit_code == 2 and "Error: Missing argument 'CASE'." in result.output
    monkeypatch.setenv("ADVISOR_LANG", "en")
    result = runner.invoke(main, ["nosuch"])
    assert result.exit_code == 2 and "Error: No such command 'nosuch'." in result.output


def test_a_message_of_unknown_form_keeps_clicks_words_after_the_chinese_label():
    assert chinese("Something click says one day.") is None
    assert chinese("Invalid value for 'X': a new reason.") == "'X' 的值无效：a new reason."


def test_help_version_and_a_good_run_exit_as_before(runner):
    assert runner.invoke(main, ["--help"]).exit_code == 0
    assert runner.invoke(main, ["--version"]).exit_code == 0
    from conftest import CASES

    assert runner.invoke(main, ["run", str(CASES / "due_soon_shortfall.yaml")]).exit_code == 0
    assert runner.invoke(main, ["run", "no-such-case.yaml"]).exit_code == 3          # the guard's own codes


def test_a_bad_value_reaches_the_terminal_inert(runner):
    result = runner.invoke(main, ["run", "x.yaml", "--format", "\x1b[2Jbad"])
    assert result.exit_code == 2 and "\x1b" not in result.output
