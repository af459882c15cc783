"""The parts of a rule checked against what they name: its `sources:` against the guidance's sections, its
`when:` parsed and type-checked against the declared facts and parameters, and the {placeholders} of its
texts. Each problem is a diagnostic at its place in the rule file."""
from __future__ import annotations

from typing import Any

from ..errors import Diagnostic, suggest
from ..expr import ast, placeholders
from ..expr.check import check
from ..expr.parser import ParseError, parse
from ..i18n import chinese, said
from ..knowledge.sections import SECTIONS
from ..knowledge.vocabulary import BY_NAME
from .source import Node


def sources(node: Node, problems: list[Diagnostic]) -> tuple[str, ...]:
    """`sources:`: the guidance sections the rule encodes (E031 for an id OUTLINE.md does not have)."""
    items = node.value if node.is_seq() else [node]
    out = []
    for item in items:
        value = item.value
        text = item.raw if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        if not isinstance(text, str) or text not in SECTIONS:
            problems.append(item.at(said(f"没有 {text!r} 这个指南章节编号", f"unknown section id {text!r}"), "E031",
                                    suggest(str(text), tuple(SECTIONS)) + said("（章节编号见 OUTLINE.md）",
                                                                               " (section ids are in OUTLINE.md)")))
        else:
            out.append(text)
    if not items:
        problems.append(node.at(said("一条规则至少要引用指南的一个章节", "a rule must cite at least one section of the guidance"),
                                "E031", said('例如 sources: ["2.1"]', 'e.g. sources: ["2.1"]')))
    return tuple(out)


def condition(node: Node, params: dict[str, Any], derived: set[str],
               problems: list[Diagnostic]) -> ast.Expr | None:
    if not isinstance(node.value, str):
        problems.append(node.at(said("'when' 必须是写成文字的条件", "'when' must be a condition written as text"), "E005",
                                said("例如 when: monthly_shortfall > 0", "e.g. when: monthly_shortfall > 0")))
        return None
    text = node.value
    try:
        tree = parse(text)
    except ParseError as exc:
        problems.append(Diagnostic("E012", said(f"读不懂这个条件：{chinese(exc.message)}",
                                                f"cannot read condition: {exc.message}"),
                                   node.offset_location(exc.span[0], exc.span[1] - exc.span[0]), exc.hint))
        return None
    typed, errors = check(tree, params, derived)
    for err in errors:
        problems.append(Diagnostic(err.code, err.message,
                                   node.offset_location(err.span[0], err.span[1] - err.span[0]), err.hint))
    return typed if not errors else None


def placeholders_of(node: Node, params: dict[str, Any], derived: set[str], problems: list[Diagnostic]) -> None:
    for text, offset in placeholders.names(node.value):
        try:
            placeholders.compile_placeholder(text, params, derived)
        except placeholders.PlaceholderError as exc:
            choices = ["loans", *BY_NAME, *(f"params.{p}" for p in params)]
            problems.append(Diagnostic("E040", exc.message, node.offset_location(offset, len(text) + 2),
                                       exc.hint or suggest(text, choices) or said("要写花括号本身，请写 {{ 和 }}",
                                                                                  "write {{ and }} for literal braces")))
