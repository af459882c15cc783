"""Parse a condition such as `monthly_shortfall > 0 and any loan.overdue_days > 0` into an AST."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from . import ast
from ..i18n import Said, chinese, said

MAX_LENGTH = 4000
# Every later stage (checker, normal forms, compiler, explanations) walks the tree recursively, and so does
# this parser: nesting beyond this (`((((…`, `not not …`, `- - …`, `1 + 1 + … + 1`) would end in a
# RecursionError. Real conditions nest a few levels.
MAX_DEPTH = 40
_DEPTH_HINT = said("把它拆成几条更小的规则，让它们相互推导事实", "split it into smaller rules that derive facts for each other")
_COMPARE = said("比较用 '=='", "use '==' to compare")
_CHOICES = said("把选项写成列表：['bank', 'credit_card']", "write the choices as a list: ['bank', 'credit_card']")
_DATE_HINT = said('写成 date("2020-08-20")', 'write date("2020-08-20")')


def _too_deep() -> Said:
    return said(f"条件嵌套太深（超过 {MAX_DEPTH} 层）", f"the condition is nested too deeply (more than {MAX_DEPTH} levels)")


KEYWORDS = {"and", "or", "not", "any", "no", "in", "true", "false", "known", "unknown", "date"}
_ALIASES = {"≥": ">=", "≤": "<=", "≠": "!=", "＞": ">", "＜": "<", "（": "(", "）": ")"}
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?%?)
  | (?P<str>'[^'\n]*'|"[^"\n]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>>=|<=|==|!=|[<>+\-*/(),\[\]=]|[≥≤≠＞＜（）])
""", re.VERBOSE)


class ParseError(Exception):
    """A syntax error at a span of the condition text, with a hint."""

    def __init__(self, message: str | Said, span: ast.Span, hint: str | Said = ""):
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint


@dataclass(frozen=True)
class Token:
    kind: str  # num | str | name | op | kw | end
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ParseError(said(f"条件太长（{len(text)} 个字符；上限 {MAX_LENGTH}）",
                              f"condition is too long ({len(text)} characters; limit {MAX_LENGTH})"), (0, 1), _DEPTH_HINT)
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ParseError(said(f"这里不该出现字符 '{text[pos]}'", f"unexpected character '{text[pos]}'"), (pos, pos + 1),
                             said("条件里只能用名称、数字、'带引号的文字'，以及 > >= < <= == != + - * / ( )",
                                  "conditions use names, numbers, 'quoted text', and > >= < <= == != + - * / ( )"))
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "op":
            value = _ALIASES.get(value, value)
        elif kind == "name" and value in KEYWORDS:
            kind = "kw"
        if kind != "ws":
            tokens.append(Token(kind, value, match.start(), match.end()))
        pos = match.end()
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.depth = 0  # open (…), not, any/no and unary minus around the current token

    def nest(self, tok: Token, step: int) -> None:
        self.depth += step
        if self.depth > MAX_DEPTH:
            raise ParseError(_too_deep(), self.span(tok), _DEPTH_HINT)

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def accept(self, text: str) -> Token | None:
        if self.tok.kind in ("op", "kw") and self.tok.text == text:
            return self.take()
        return None

    def expect(self, text: str, hint: str | Said = "") -> Token:
        tok = self.accept(text)
        if tok is None:
            found = self.describe(self.tok)
            raise ParseError(said(f"这里应当是 '{text}'，却遇到了{chinese(found)}", f"expected '{text}' but found {found}"),
                             self.span(self.tok), hint)
        return tok

    def describe(self, tok: Token) -> Said:
        return said("条件的结尾",
                    "the end of the condition") if tok.kind == "end" else said(f" '{tok.text}'", f"'{tok.text}'")

    @staticmethod
    def span(tok: Token) -> ast.Span:
        return (tok.start, max(tok.end, tok.start + 1))

    def parse(self) -> ast.Expr:
        if self.tok.kind == "end":
            raise ParseError(said("条件是空的", "the condition is empty"), (0, 1),
                             said("写一个条件，例如 monthly_shortfall > 0", "write a condition, e.g. monthly_shortfall > 0"))
        node = self.or_expr()
        if self.tok.kind != "end":
            hint = said("几个条件之间用 'and' 或 'or' 连接", "join conditions with 'and' or 'or'")
            if self.tok.text == "=":
                hint = _COMPARE
            found = self.describe(self.tok)
            raise ParseError(said(f"这里不该出现{chinese(found)}", f"unexpected {found}"), self.span(self.tok), hint)
        return node

    def or_expr(self) -> ast.Expr:
        items = [self.and_expr()]
        while self.accept("or"):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else ast.BoolOp("or", tuple(items), (items[0].span[0], items[-1].span[1]))

    def and_expr(self) -> ast.Expr:
        items = [self.not_expr()]
        while self.accept("and"):
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else ast.BoolOp("and", tuple(items), (items[0].span[0], items[-1].span[1]))

    def not_expr(self) -> ast.Expr:
        tok = self.accept("not")
        if tok:
            self.nest(tok, 1)
            operand = self.not_expr()
            self.nest(tok, -1)
            return ast.Not(operand, (tok.start, operand.span[1]))
        for kind in ("any", "no"):
            tok = self.accept(kind)
            if tok:
                self.nest(tok, 1)
                body = self.not_expr()  # `any not loan.contract_read` reads as it is written
                self.nest(tok, -1)
                end = body.span[1]
                if self.pos and self.tokens[self.pos - 1].text == ")" and self.tokens[self.pos - 1].end > end:
                    end = self.tokens[self.pos - 1].end          # `any (…)`: the span includes the ')'
                return ast.Quant(kind, body, (tok.start, end))
        return self.comparison()

    def comparison(self) -> ast.Expr:
        left = self.sum()
        tok = self.tok
        if tok.kind == "op" and tok.text in ast.FLIP:
            self.take()
            right = self.sum()
            return ast.Compare(tok.text, left, right, (left.span[0], right.span[1]))
        if tok.kind == "op" and tok.text == "=":
            raise ParseError(said("'=' 不是比较", "'=' is not a comparison"), self.span(tok), _COMPARE)
        negated = False
        if tok.kind == "kw" and tok.text == "not" and self.tokens[self.pos + 1].text == "in":
            self.take()
            negated = True
        if self.accept("in"):
            choices = self.choices()
            return ast.In(left, choices, negated, (left.span[0], self.tokens[self.pos - 1].end))
        return left

    def choices(self) -> tuple[ast.Str, ...]:
        self.expect("[", _CHOICES)
        items = []
        while not self.accept("]"):
            tok = self.take()
            if tok.kind != "str":
                found = self.describe(tok)
                raise ParseError(said(f"列表里应当是带引号的文字，却遇到了{chinese(found)}",
                                      f"expected quoted text in the list, found {found}"), self.span(tok), _CHOICES)
            items.append(ast.Str(tok.text[1:-1], self.span(tok)))
            if not self.accept(","):
                self.expect("]", said("选项之间用 ',' 分开，列表用 ']' 结束",
                                      "separate choices with ',' and close the list with ']'"))
                break
        return tuple(items)

    def sum(self) -> ast.Expr:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take().text
            right = self.term()
            node = ast.Arith(op, node, right, (node.span[0], right.span[1]))
        return node

    def term(self) -> ast.Expr:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op = self.take().text
            right = self.unary()
            node = ast.Arith(op, node, right, (node.span[0], right.span[1]))
        return node

    def unary(self) -> ast.Expr:
        tok = self.accept("-")
        if tok:
            self.nest(tok, 1)
            operand = self.unary()
            self.nest(tok, -1)
            if isinstance(operand, ast.Num):
                return ast.Num(-operand.value, (tok.start, operand.span[1]))
            return ast.Neg(operand, (tok.start, operand.span[1]))
        return self.atom()

    def atom(self) -> ast.Expr:
        tok = self.take()
        span = self.span(tok)
        if tok.kind == "num":
            value = float(tok.text.rstrip("%")) / (100 if tok.text.endswith("%") else 1)
            if not math.isfinite(value):  # 400 digits read as infinity, which the engine cannot take
                raise ParseError(said(f"数字 {tok.text[:20]}… 太大了", f"the number {tok.text[:20]}… is too large"), span,
                                 said("写一个大小合理的数", "write a number of sensible size"))
            return ast.Num(value, span)
        if tok.kind == "str":
            return ast.Str(tok.text[1:-1], span)
        if tok.kind == "name":
            return ast.Name(tok.text, span)
        if tok.kind == "kw" and tok.text in ("true", "false"):
            return ast.Bool(tok.text == "true", span)
        if tok.kind == "kw" and tok.text in ("known", "unknown"):
            self.expect("(", said(f"写成 {tok.text}(事实名称)", f"write {tok.text}(fact_name)"))
            arg = self.take()
            if arg.kind != "name":
                found = self.describe(arg)
                raise ParseError(said(f"{tok.text}(…) 里要写一个事实的名称，却遇到了{chinese(found)}",
                                      f"{tok.text}(…) needs a fact name, found {found}"), self.span(arg))
            close = self.expect(")", said(f"写成 {tok.text}(事实名称)", f"write {tok.text}(fact_name)"))
            return ast.Known(ast.Name(arg.text, self.span(arg)), tok.text == "known", (tok.start, close.end))
        if tok.kind == "kw" and tok.text == "date":
            self.expect("(", _DATE_HINT)
            arg = self.take()
            close = self.expect(")", _DATE_HINT)
            day: dt.date | None
            try:
                day = dt.date.fromisoformat(arg.text[1:-1]) if arg.kind == "str" else None
            except ValueError:
                day = None
            if day is None:
                found = self.describe(arg)
                raise ParseError(said(f"date(…) 里要写一个带引号的 YYYY-MM-DD 日期，却遇到了{chinese(found)}",
                                      f"date(…) needs a quoted YYYY-MM-DD date, found {found}"), self.span(arg), _DATE_HINT)
            return ast.Date(day, (tok.start, close.end))
        if tok.kind == "op" and tok.text == "(":
            self.nest(tok, 1)
            node = self.or_expr()
            self.expect(")", said("每个 '(' 都要有对应的 ')'", "every '(' needs a matching ')'"))
            self.nest(tok, -1)
            return node
        if tok.kind == "kw":
            raise ParseError(said(f"'{tok.text}' 不能出现在这里", f"'{tok.text}' cannot stand here"), span,
                             said("这里应当是事实名称、数字或 '('", "a fact name, a number or '(' is expected"))
        found = self.describe(tok)
        raise ParseError(said(f"这里应当是事实、数字或 '('，却遇到了{chinese(found)}",
                              f"expected a fact, a number or '(' but found {found}"), span)


def parse(text: str) -> ast.Expr:
    """Parse one condition; raise ParseError with the span of the fault."""
    tree = _Parser(text).parse()
    _check_depth(tree)
    return tree


def _check_depth(tree: ast.Expr) -> None:
    """Refuse a tree deeper than MAX_DEPTH levels, measured without recursion: a chain such as
    `a + 1 + 1 + … + 1` is parsed by a loop but still nests one level per operator."""
    stack: list[tuple[ast.Expr, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(_too_deep(), node.span, _DEPTH_HINT)
        stack.extend((child, depth + 1) for child in _children(node))


def _children(node: ast.Expr) -> tuple[ast.Expr, ...]:
    if isinstance(node, (ast.Arith, ast.Compare)):
        return (node.left, node.right)
    if isinstance(node, (ast.Neg, ast.Not)):
        return (node.operand,)
    if isinstance(node, ast.BoolOp):
        return node.items
    if isinstance(node, ast.Quant):
        return (node.body,)
    if isinstance(node, ast.In):
        return (node.item,)
    return ()
