"""Letters stage: a negotiation request (协商还款申请) and a phone script per lender, rendered from
templates counsellors edit (templates/*.j2, Jinja2 in a sandbox), with the case's numbers from the plan."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..i18n import said, words
from ..errors import Diagnostic, Location, RuleError, suggest
from ..model import Loan
from ..report import Report
from ..load.read import reason
from ..load.shipped import shipped
from .library import BY_ID, KINDS
from .papers import context

# "letter" and "phone" are the names of the first two templates, kept for `--templates` folders and the web page.
ALIASES = {"letter": "hardship"}
TEMPLATES = {"letter": "letter.zh.txt.j2", "phone": "phone.zh.txt.j2",
             **{kind.id: kind.file for kind in KINDS}}


def default_templates() -> Path:
    """./templates, else the shipped templates (load/shipped.py)."""
    here = Path("templates")
    return here if (here / TEMPLATES["letter"]).exists() else shipped("templates")


def choose(loans: tuple[Loan, ...], wanted: str) -> Loan:
    """The loan `--loan` names: by its name when one loan has it, else by its number (1 = the first).
    A name two loans share, or no such loan, is a ValueError saying what to give instead."""
    named = [loan for loan in loans if loan.name == wanted]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        numbers = ", ".join(str(loan.index + 1) for loan in named)
        raise ValueError(said(f"借款名称 '{wanted}' 不唯一：第 {numbers.replace(', ', '、')} 笔都叫这个名字；请改用借款的编号，"
                              f"例如 --loan {named[0].index + 1}",
                              f"loans {numbers} are all named '{wanted}': "
                              f"give the loan's number instead, e.g. --loan {named[0].index + 1}"))
    if wanted.isdigit() and 1 <= int(wanted) <= len(loans):
        return loans[int(wanted) - 1]
    listed = ", ".join(f"{loan.index + 1} {loan.name}" for loan in loans)
    hint = suggest(wanted, tuple(loan.name for loan in loans)) if loans else said("", "")
    raise ValueError(said(f"案例里没有借款 '{wanted}'。{hint.zh}借款（编号和名称）：{listed or '无'}",
                          f"no loan '{wanted}' in the case. {hint}".strip() + f" Loans (number and name): {listed or 'none'}"))


def slug(name: str) -> str:
    """A name made safe for a file name that cannot leave its folder (letters, digits and CJK kept;
    anything else, '/', '..', NUL, becomes '_'; at most 40 characters); 'loan' when nothing is left."""
    return re.sub(r"_+", "_", "".join(ch if ch.isalnum() else "_" for ch in name)).strip("_")[:40] or "loan"


def file_name(loan: int, name: str, kind: str = "hardship") -> str:
    """A letter's file name: the loan's number, the slug of its name and the letter's kind (its Chinese title)."""
    kind = ALIASES.get(kind, kind)
    title = slug(BY_ID[kind].zh) if kind in BY_ID else slug(kind)
    return f"{loan + 1:02d}-{slug(name)}-{title}.txt"


def render(report: Report, index: int, kind: str = "letter", folder: Path | None = None) -> str:
    """One letter or phone script of the library (`kind`: library.KINDS, or "letter" for the hardship
    application). A template mistake is a RuleError (T001) at its file and line."""
    from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateSyntaxError

    path = (folder or default_templates()) / TEMPLATES[kind]
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        shipped = default_templates() / TEMPLATES[kind]
        hint = (said(f"这个文件夹里没有 {TEMPLATES[kind]}：从 {shipped} 复制一份过去改，或者不用 --templates",
                     f"this folder has no {TEMPLATES[kind]}: copy {shipped} there and edit it, or leave out --templates")
                if folder is not None and path != shipped else
                said("用 --templates DIR 指定放信件模板的文件夹", "--templates DIR names the folder holding the letter templates"))
        why = reason(exc)
        raise RuleError([Diagnostic("T001", said(f"无法读取模板 {path}：{why.zh}", f"cannot read the template {path}: {why}"),
                                    hint=hint)]) from None
    env = _sandbox()(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
                     loader=FunctionLoader(_no_other_files))
    try:
        return _bounded(env.from_string(source).generate(context(report, index)), path)
    except TemplateSyntaxError as exc:
        line = source.splitlines()[exc.lineno - 1] if 0 < exc.lineno <= len(source.splitlines()) else ""
        raise RuleError([Diagnostic("T001", said(f"模板语法有误：{exc.message}", f"template syntax: {exc.message}"),
                                    Location(str(path), exc.lineno, 1, line, max(1, len(line))),
                                    said("检查这一行的 {{ }}、{% %} 和 {# #} 标记",
                                         "check the {{ }}, {% %} and {# #} marks on this line"))]) from None
    except TemplateError as exc:
        raise RuleError([Diagnostic("T002", said(f"模板 {path.name}：{exc.message}",
                                                 f"template {path.name}: {exc.message}"), None,
                                    said("模板能用的变量列在 templates/letter.zh.txt.j2 的开头",
                                         "the variables a template can use are listed at the top of "
                                         "templates/letter.zh.txt.j2"))]) from None


MAX_LETTER = 200_000        # characters: a letter is one or two pages
MAX_SECONDS = 5.0           # to render one letter


def _no_other_files(name: str) -> None:
    from jinja2 import TemplateError

    raise TemplateError(f"a letter template cannot include or import other files ('{name}')")


def _bounded(chunks: Any, path: Path) -> str:
    """Join a template's output, stopping it when it grows too large or takes too long (T003)."""
    import time

    out, size, start = [], 0, time.monotonic()
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_LETTER or time.monotonic() - start > MAX_SECONDS:
            raise _too_much(path)
        out.append(chunk)
    return "".join(out)


def _too_much(path: Path) -> RuleError:
    return RuleError([Diagnostic("T003", said(f"模板 {path.name}：信太长或生成得太慢（上限 {MAX_LETTER:,} 个字符、{MAX_SECONDS:g} 秒）",
                                              f"template {path.name}: the letter is too large or takes too long "
                                              f"(limit {MAX_LETTER:,} characters, {MAX_SECONDS:g} s)"),
                                 hint=said("找一找循环里套循环，或者用 '*' 重复的文字",
                                           "look for loops inside loops, or a text repeated with '*'"))])


def _sandbox() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        """The sandbox, with `*` on text and lists bounded: 'a' * 10**10 would take 10 GB."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*" and isinstance(left, (str, list, tuple)) and isinstance(right, int) or (
                    operator == "*" and isinstance(right, (str, list, tuple)) and isinstance(left, int)):
                count, seq = (right, left) if isinstance(right, int) else (left, right)
                if isinstance(count, int) and isinstance(seq, (str, list, tuple)) and count * len(seq) > MAX_LETTER:
                    raise _too_much(Path("letter"))
            if operator == "**" and isinstance(right, int) and right > 64:
                raise _too_much(Path("letter"))
            return super().call_binop(context, operator, left, right)

    return Sandbox
