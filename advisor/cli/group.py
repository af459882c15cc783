"""The command group and the one guard that turns errors into messages and exit codes."""
from __future__ import annotations

import sys
from typing import Callable

import click

from .. import __version__
from ..errors import EXIT_DIFFERS, EXIT_INTERNAL, AdvisorError
from ..i18n import display_lang, said
from ..inert import terminal
from .help import Group

EXIT_CODES_HELP = said("""\b
退出码：0 正常 · 1 有发现或有差异（lint、test、coverage、diff、replay）·
2 命令行有误 · 3 案例文件有误 · 4 规则、参数或模板文件有误 ·
5 规则引擎不可用或出错 · 6 决策记录数据库无法读取或拒绝了记录 ·
7 输出文件无法写入（文件夹不存在、磁盘已满）· 70 内部错误（程序缺陷）。""", """\b
Exit codes: 0 ok · 1 findings or differences (lint, test, coverage, diff, replay) · 2 bad command line ·
3 bad case file · 4 bad rule, parameter or template file · 5 rules engine unavailable or failed ·
6 decision-record database unreadable or refused the record · 7 an output file cannot be written
(missing folder, full disk) · 70 internal error (a bug).""")


def cli_lang() -> str:
    """The language of the CLI's own lines and diagnostics: the running command's --lang when it was given
    on the command line, else ADVISOR_LANG, else zh (a --lang left at its default does not count)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        lang = ctx.params.get("lang")
        if isinstance(lang, str) and ctx.get_parameter_source("lang") not in (
                None, click.core.ParameterSource.DEFAULT):
            return display_lang(lang)
        ctx = ctx.parent
    return display_lang()


def say(zh: str, en: str) -> str:
    """A line of the CLI's own, in the language of `cli_lang`."""
    return said(zh, en).get(cli_lang())


def guard(action: Callable[[], str | tuple[str, bool]]) -> None:
    """Run a command body; print its output, or the error and its exit code. Never a traceback.
    A body that checks something returns (text, found): found means exit 1 (findings, differences)."""
    try:
        output = action()
    except AdvisorError as exc:
        click.echo(terminal(exc.render(cli_lang())), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException:
        raise                                  # click prints usage errors itself (exit code 2)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly
        click.echo(say(f"内部错误：{type(exc).__name__}: {exc}\n"
                       "提示：这是 advisor 本身的缺陷；请连同所用的案例和规则一起报告",
                       f"internal error: {type(exc).__name__}: {exc}\n"
                       "hint: this is a bug in the advisor; please report it with the case and rules used"), err=True)
        sys.exit(EXIT_INTERNAL)
    text, found = output if isinstance(output, tuple) else (output, False)
    click.echo(terminal(text), nl=False)       # text from a case never drives the terminal (inert.py)
    if found:
        sys.exit(EXIT_DIFFERS)


@click.group(cls=Group, epilog=EXIT_CODES_HELP, help=said(
    "advisor：网贷协商还款建议（给无力按期还款的借款人和帮助他们的债务顾问）。",
    "advisor: advice for negotiating repayment of online loans (网贷协商还款)."))
@click.version_option(__version__, prog_name="advisor")
def main() -> None:
    pass
