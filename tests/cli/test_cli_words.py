"""The CLI speaks Chinese to counsellors by default: diagnostics, --help and its own lines; English with
--lang en (on the command line) or ADVISOR_LANG=en. Codes and file:line:col are the same in both."""
from __future__ import annotations

import shutil

import click
import pytest

from advisor.cli import main
from advisor.cli.help import Group
from advisor.i18n import said

from conftest import CASES, FIXTURES, RULES

EN = {"ADVISOR_LANG": "en"}
DUE_SOON = str(CASES / "due_soon_shortfall.yaml")


def _first_line(output: str) -> str:
    return output.splitlines()[0].split("]: ")[0]


def test_a_case_error_is_chinese_by_default_and_english_with_advisor_lang(runner):
    case = str(FIXTURES / "bad_cases" / "bad_date.yaml")
    zh = runner.invoke(main, ["run", case, "--rules", str(RULES)])
    en = runner.invoke(main, ["run", case, "--rules", str(RULES)], env=EN)
    assert zh.exit_code == en.exit_code == 3
    assert "不是一个真实存在的日期" in zh.output and "提示: 日期写成 YYYY-MM-DD" in zh.output
    assert "is not a real date" in en.output and "hint: write a date as YYYY-MM-DD" in en.output
    assert "hint:" not in zh.output and "提示" not in en.output
    assert _first_line(zh.output) == _first_line(en.output) and ":2:8: error[C021" in zh.output


def test_lang_on_the_command_line_beats_advisor_lang(runner):
    case = str(FIXTURES / "bad_cases" / "bad_date.yaml")
    zh = runner.invoke(main, ["run", case, "--lang", "zh", "--rules", str(RULES)], env=EN)
    en = runner.invoke(main, ["run", case, "--lang", "en", "--rules", str(RULES)])
    assert "不是一个真实存在的日期" in zh.output
    assert "is not a real date" in en.output


def test_a_rule_error_is_chinese_by_default_and_english_with_advisor_lang(runner, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    shutil.copy(FIXTURES / "bad_rules" / "unknown_fact.yaml", folder / "unknown_fact.yaml")
    zh = runner.invoke(main, ["check", str(folder)])
    en = runner.invoke(main, ["check", str(folder)], env=EN)
    assert zh.exit_code == en.exit_code == 4
    assert "error[E010]" in zh.output and "这个事实" in zh.output and "提示: " in zh.output
    assert "error[E010]: unknown fact" in en.output and "hint: " in en.output
    assert _first_line(zh.output) == _first_line(en.output)


def test_a_lint_warning_and_the_summary_are_chinese_by_default(runner, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULES / "params.yaml", folder / "params.yaml")
    shutil.copy(FIXTURES / "lint" / "no_english.yaml", folder / "no_english.yaml")
    zh = runner.invoke(main, ["lint", str(folder), "--no-cases"])
    en = runner.invoke(main, ["lint", str(folder), "--no-cases"], env=EN)
    assert zh.exit_code == en.exit_code == 1
    assert "warning[W107]" in zh.output and "没有英文标题" in zh.output and "个警告" in zh.output
    assert "has no English title" in en.output and "warning(s)" in en.output


def test_a_record_error_is_chinese_by_default_and_english_with_advisor_lang(runner, tmp_path):
    db = str(tmp_path / "records.sqlite3")
    assert runner.invoke(main, ["run", DUE_SOON, "--record", "--db", db, "--rules", str(RULES)]).exit_code == 0
    zh = runner.invoke(main, ["audit", "show", "7", "--db", db])
    en = runner.invoke(main, ["audit", "show", "7", "--db", db], env=EN)
    assert zh.exit_code == en.exit_code == 6
    assert "error[R004]" in zh.output and "没有第 7 号记录" in zh.output and "advisor audit list" in zh.output
    assert "no record with id 7" in en.output


def test_the_cli_own_lines_follow_the_language(runner):
    zh = runner.invoke(main, ["test", DUE_SOON, "--rules", str(RULES)])
    en = runner.invoke(main, ["test", DUE_SOON, "--rules", str(RULES)], env=EN)
    assert zh.exit_code == en.exit_code == 0
    assert "共 1 个案例：1 个通过，0 个未通过" in zh.output and "1 cases: 1 passed, 0 failed" in en.output
    assert runner.invoke(main, ["check", str(RULES)]).output.startswith("ok：")
    assert runner.invoke(main, ["check", str(RULES)], env=EN).output.startswith("ok: ")


def test_a_general_word_for_a_lender_lists_the_chinese_words_a_counsellor_may_write(runner, tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("as_of: 2026-11-28\nloans:\n  - name: 某App\n    lender_type: 网贷\n    balance: 1000\n",
                    encoding="utf-8")
    zh = runner.invoke(main, ["run", str(case), "--rules", str(RULES)])
    assert zh.exit_code == 3 and "error[C021]" in zh.output
    hint = next(line for line in zh.output.splitlines() if line.startswith("提示: "))
    assert "'网贷' 泛指网上的借款" in hint and "网贷平台" in hint        # listed with its kind, not suggested
    for word in ("bank（银行）", "microloan（小贷、小额贷款、网络小贷）", "platform（助贷、网贷平台、平台）", "unknown（不清楚）"):
        assert word in hint
    assert "你是不是想写" not in hint
    en = runner.invoke(main, ["run", str(case), "--rules", str(RULES)], env=EN)
    assert "names no kind of lender" in en.output and "microloan (小贷、小额贷款、网络小贷)" in en.output


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"]], ids=["group", "run"])
def test_help_is_chinese_by_default_and_english_with_advisor_lang(runner, args):
    zh = runner.invoke(main, args)
    en = runner.invoke(main, args, env=EN)
    assert zh.exit_code == en.exit_code == 0
    assert zh.output.startswith("用法：") and "选项：" in zh.output and "显示本帮助并退出。" in zh.output
    assert "退出码：0 正常" in zh.output
    assert en.output.startswith("Usage: ") and "Options:" in en.output and "Exit codes: 0 ok" in en.output
    assert "Usage" not in zh.output and "退出码" not in en.output
    if args == ["run", "--help"]:
        assert "评估 CASE（一个案例 YAML 文件）" in zh.output and "输出格式：" in zh.output
        assert "[默认：" in zh.output and "[default: " not in zh.output and "[default: text]" in en.output
        assert "Evaluate CASE (a case YAML file)" in en.output and "Output format:" in en.output
    else:
        assert "命令：" in zh.output and "评估 CASE" in zh.output     # each command's help in Chinese
        assert "Commands:" in en.output and "Evaluate CASE" in en.output


def test_help_reads_lang_on_the_command_line_even_for_a_command_without_it(runner):
    run = runner.invoke(main, ["run", "--help", "--lang", "en"])
    check = runner.invoke(main, ["check", "--help", "--lang", "en"])
    group = runner.invoke(main, ["--lang=en", "--help"])
    assert run.exit_code == check.exit_code == group.exit_code == 0, check.output + group.output
    assert run.output.startswith("Usage: ") and "run [OPTIONS] CASE" in run.output and check.output.startswith("Usage: ")
    assert group.output.startswith("Usage: ") and "Commands:" in group.output
    zh = runner.invoke(main, ["run", "--help", "--lang", "zh"], env=EN)
    assert zh.output.startswith("用法：") and "选项：" in zh.output


def test_chinese_help_lines_fit_the_terminal(runner):
    from advisor.format import cells

    out = runner.invoke(main, ["lint", "--help"], terminal_width=80).output
    assert all(cells(line) <= 80 for line in out.splitlines()), out


@click.group(cls=Group)
def _group() -> None:
    pass


@_group.command("new", help=said("新命令的帮助。", "A new command's help."))
@click.option("--flag", is_flag=True, help=said("新选项的帮助。", "A new option's help."))
def _new(flag: bool) -> None:
    pass


def test_help_written_by_any_command_as_said_is_shown_in_both_languages(runner):
    """Another module's command with `help=said(zh, en)` (click keeps option help as a plain str) shows both."""
    zh = runner.invoke(_group, ["new", "--help"]).output
    en = runner.invoke(_group, ["new", "--help"], env=EN).output
    assert "新命令的帮助。" in zh and "新选项的帮助。" in zh
    assert "A new command's help." in en and "A new option's help." in en
