"""A command line click could not parse, told in the reader's language (Chinese first, as every message).

click words its usage errors in English (`Error: Missing argument 'CASE'.`). The group shows them itself
(cli/help.py `Group.main`): the usage line, the error with click's message put into Chinese where its form
is known, and where to find help; exit code 2 as click gives. A message of unknown form keeps click's
words, after `错误：`.
"""
from __future__ import annotations

import re

import click

from ..i18n import pick
from ..inert import terminal

_KINDS = {"File": "文件", "Directory": "文件夹", "Path": "路径"}
# (click's message, the Chinese): a message is whole, or the part after "Invalid value for 'X': "
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(a), b) for a, b in (
    (r"^No such command '(.+)'\.$", "没有这个命令 '{0}'。"),
    (r"^No such option '(.+)'\.$", "没有这个选项 '{0}'。"),
    (r"^No such option '(.+)'\. Did you mean '(.+)'\?$", "没有这个选项 '{0}'。你是不是想写 '{1}'？"),
    (r"^No such option '(.+)'\. \(Possible options: (.+)\)$", "没有这个选项 '{0}'（可以用的有：{1}）。"),
    (r"^Missing argument '(.+)'\.$", "缺少参数 {0}。"),
    (r"^Missing option '(.+)'\.$", "缺少选项 {0}。"),
    (r"^Missing command\.$", "缺少命令。"),
    (r"^Option '(.+)' requires an argument\.$", "选项 {0} 后面要写一个值。"),
    (r"^Option '(.+)' requires (\d+) arguments\.$", "选项 {0} 后面要写 {1} 个值。"),
    (r"^Option '(.+)' does not take a value\.$", "选项 {0} 后面不能写值。"),
    (r"^Got unexpected extra arguments? \((.*)\)$", "多余的参数：{0}"),
    (r"^'(.*)' is not one of (.+)\.$", "'{0}' 不是可选的值（可选：{1}）。"),
    (r"^'(.*)' is not a valid integer\.$", "'{0}' 不是整数。"),
    (r"^'(.*)' is not a valid float\.$", "'{0}' 不是数字。"),
    (r"^(-?\d+) is not in the range (.+)\.$", "{0} 不在范围 {1} 内。"),
    (r"^(File|Directory|Path) '(.+)' does not exist\.$", "{0} '{1}' 不存在。"),
    (r"^(File|Directory|Path) '(.+)' is a directory\.$", "{0} '{1}' 是文件夹。"),
    (r"^(File|Directory|Path) '(.+)' is a file\.$", "{0} '{1}' 是文件，不是文件夹。"),
))
_INVALID = re.compile(r"^Invalid value for (.+?): (.*)$", re.S)


def chinese(message: str) -> str | None:
    """click's message in Chinese, or None when its form is not known."""
    found = _INVALID.match(message)
    if found:
        inner = chinese(found[2])
        return f"{found[1]} 的值无效：{inner if inner is not None else found[2]}"
    for pattern, words in _MESSAGES:
        match = pattern.match(message)
        if match:
            parts = [_KINDS.get(part, part) for part in match.groups()]
            return words.format(*parts)
    return None


def show(error: click.UsageError, lang: str) -> None:
    """What click's UsageError.show prints, in `lang`, on standard error."""
    ctx = error.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            command, option = ctx.command_path, ctx.help_option_names[0]
            lines.append(pick(lang, f"用 '{command} {option}' 查看帮助。", f"Try '{command} {option}' for help."))
        lines.append("")
    message = error.format_message()
    words = pick(lang, chinese(message), None)
    lines.append(pick(lang, f"错误：{words if words is not None else message}", f"Error: {message}"))
    click.echo(terminal("\n".join(lines)), err=True)
