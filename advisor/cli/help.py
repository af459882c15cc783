"""`--help` in the reader's language: help texts written as `said(zh, en)` are resolved when click formats
the help, not when the command is defined. The language is `--lang` on the command line (looked for before
click parses it, since `--help` is answered while parsing), else ADVISOR_LANG, else Chinese."""
from __future__ import annotations

import importlib
import re
import sys
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

import click

from ..format import cells
from ..i18n import defined, display_lang, pick

_META = "advisor.help_lang"
# click's own words on a help page (the options it adds itself, the headings, the usage line)
_CLICK_WORDS = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Usage: ": "用法：",
}


def help_lang(ctx: click.Context | None) -> str:
    """The language of a help page: `--lang` seen on the command line, else ADVISOR_LANG, else zh."""
    lang = ctx.meta.get(_META) if ctx is not None else None
    return display_lang(lang if isinstance(lang, str) else None)


def _scan(args: Sequence[str]) -> str | None:
    """The value of `--lang` in raw arguments (`--lang en` or `--lang=en`), if any."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _without_lang(args: list[str]) -> list[str]:
    """The arguments without `--lang X`: for `advisor check --help --lang en`, where check has no --lang."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--lang" and i + 1 < len(args):
            skip = True
        elif not arg.startswith("--lang="):
            out.append(arg)
    return out


def _words(text: Any, lang: str) -> Any:
    """A help text in `lang`: a Said, or a str that click made from one (i18n.defined), or click's own words."""
    if not isinstance(text, str):
        return text
    if text in _CLICK_WORDS:
        return pick(lang, _CLICK_WORDS[text], text)
    both = defined(text)
    return both.get(lang) if both is not None else text


@contextmanager
def _resolved(command: click.Command, ctx: click.Context, lang: str) -> Iterator[None]:
    """Every Said of `command` (its help, short help and epilog, its options' help, and for a group its
    commands' help) replaced by the words in `lang` while the help is formatted, then put back."""
    saved: list[tuple[object, str, Any]] = []

    def swap(owner: object, name: str) -> None:
        value = getattr(owner, name, None)
        words = _words(value, lang)
        if words is not value:
            saved.append((owner, name, value))
            setattr(owner, name, words)

    for name in ("help", "short_help", "epilog"):
        swap(command, name)
    for param in command.get_params(ctx):
        swap(param, "help")
    if isinstance(command, click.Group):
        command.list_commands(ctx)           # a lazy group imports its commands' modules: all are listed
    for sub in getattr(command, "commands", {}).values():
        original = sub.help
        swap(sub, "help")
        swap(sub, "short_help")
        if pick(lang, True, False) and sub.help is not original and sub.short_help is None and sub.help:
            saved.append((sub, "short_help", None))
            sub.short_help = short(sub.help)
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


def short(text: str, room: int = 48) -> str:
    """A Chinese help text's first sentence, at most `room` cells, for the list of commands."""
    first = " ".join(text.split()).split("。", 1)[0]
    if cells(first) <= room:
        return first
    cut = ""
    for ch in first:
        if cells(cut + ch) > room - 1:
            break
        cut += ch
    pause = max(cut.rfind(mark) for mark in "，；：")     # end at a pause in the sentence when one is near
    return (cut[:pause] if pause >= len(cut) * 0.6 else cut).rstrip("，、；： ") + "…"


_TOKEN = r"[^\x00-\u2dff]|[^\s\u2e00-\U0010ffff]+\s*|\s+"     # compiled when help is first wrapped
_NO_LINE_START = set("，。；：、）」』！？…,.;:)")


def wrap(text: str, width: int, indent: str = "", first_indent: str | None = None) -> str:
    """click's wrap_text for text with Chinese in it: lines broken between wide characters as well as at
    spaces, measured in terminal cells; a paragraph after a '\\b' line is kept as written (click's rule)."""
    first = indent if first_indent is None else first_indent
    if cells(text) == len(text):
        return click.formatting.wrap_text(text, width, initial_indent=first, subsequent_indent=indent,
                                          preserve_paragraphs=True)
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip("\n")):
        lines = para.splitlines()
        if lines and lines[0].strip() == "\b":
            out.append("\n".join((first if not out else indent) + line.strip() for line in lines[1:]))
            continue
        joined = ""
        for line in (line.strip() for line in lines):
            wide = joined and cells(joined[-1]) == 2 and line and cells(line[0]) == 2
            joined += line if not joined or wide else " " + line
        rows: list[str] = []
        row = first if not out else indent
        start = len(row)
        for token in re.findall(_TOKEN, joined):
            if len(row) > start and cells(row.rstrip()) + cells(token.rstrip()) > width \
                    and token[0] not in _NO_LINE_START:
                rows.append(row.rstrip())
                row = indent + token.lstrip()
            else:
                row += token
        rows.append(row.rstrip())
        out.append("\n".join(rows))
    return "\n\n".join(out)


def _extras(text: str, lang: str) -> str:
    """click's own '[default: …]' and '[required]' after an option's help, in the help's language."""
    if pick(lang, False, True):
        return text
    return text.replace("[default: ", "[默认：").replace("[required]", "[必填]")


class Formatter(click.HelpFormatter):
    """click's formatter with its headings and usage prefix in the help's language, and Chinese text
    wrapped by terminal cells."""

    lang = "zh"

    def write_text(self, text: str) -> None:
        self.write(wrap(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _extras(second, self.lang)) for first, second in rows]
        if all(cells(second) == len(second) for _, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((cells(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _words("Usage: ", self.lang) if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_words(heading, self.lang)}{pick(self.lang, '：', ':')}\n")


class Context(click.Context):
    formatter_class = Formatter

    def make_formatter(self) -> click.HelpFormatter:
        formatter = super().make_formatter()
        if isinstance(formatter, Formatter):
            formatter.lang = help_lang(self)
        return formatter


class _SaidHelp:
    """What a command and a group share: note `--lang` before parsing, resolve Said when formatting help."""

    context_class: type[click.Context] = Context

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lang = _scan(args)
        if lang is not None and _META not in ctx.meta:
            ctx.meta[_META] = lang
        if lang is not None and "--help" in args and not any(p.name == "lang" for p in ctx.command.params):
            args = _without_lang(args)
        parsed: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        return parsed

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert isinstance(self, click.Command)
        with _resolved(self, ctx, help_lang(ctx)):
            super().format_help(ctx, formatter)  # type: ignore[misc]


class Command(_SaidHelp, click.Command):
    """A command whose help may be written as said(zh, en)."""


class Group(_SaidHelp, click.Group):
    """A group whose help, and whose commands' help, may be written as said(zh, en); `lazy` names the module
    that defines each command, imported when the command is looked up (all of them to list them)."""

    command_class = Command
    group_class = type          # a group's sub-groups are Groups too
    lazy: dict[str, str] = {}   # command name -> the module that registers it on this group

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            importlib.import_module(self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(self.lazy.values())):
            importlib.import_module(module)
        return super().list_commands(ctx)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """click's main, but a command line it cannot parse is told in the reader's language (cli/usage.py);
        otherwise what click's standalone mode does: exit with the code, 1 after an abort."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            from . import usage            # only for a command line click cannot parse: not on every start

            usage.show(error, display_lang(_scan(argv)))
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo(pick(display_lang(_scan(argv)), "已中止。", "Aborted!"), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
