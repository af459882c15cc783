"""Type check a parsed condition against the declared facts, parameters and derived facts."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from ..errors import suggest
from ..i18n import Said, said
from ..knowledge.vocabulary import BY_NAME
from . import ast


@dataclass(frozen=True)
class CheckError:
    message: str | Said
    span: ast.Span
    hint: str | Said = ""
    code: str = "E020"


class _Checker:
    def __init__(self, params: Mapping[str, Any], derived: set[str]):
        self.params = params
        self.derived = derived
        self.errors: list[CheckError] = []

    def fail(self, message: str | Said, span: ast.Span, hint: str | Said = "", code: str = "E020") -> None:
        self.errors.append(CheckError(message, span, hint, code))

    # -- names -------------------------------------------------------------------------------
    def resolve(self, name: ast.Name, in_loan: bool | None) -> ast.Ref | None:
        text = name.text
        if text.startswith("params."):
            key = text[len("params."):]
            param = self.params.get(key)
            if param is None:
                self.fail(said(f"没有 '{key}' 这个参数", f"unknown parameter '{key}'"), name.span,
                          suggest(key, tuple(self.params)), "E011")
                return None
            kind = "date" if getattr(param, "unit", "") == "date" else "number"
            on = getattr(param, "on", "")
            if not on:
                return ast.Ref("param", key, kind, key, name.span)
            # A dated parameter is the value in force on a date of the case (as_of) or of each loan
            # (its contract date): the facts stage puts it on that fact, so it is checked like one.
            if on == "loan.contract_date" and in_loan is False:
                self.fail(said(f"'{text}' 按每笔借款的合同日期取值；请说明是哪些借款",
                               f"'{text}' is looked up on each loan's contract date; say which loans"), name.span,
                          said(f"把它写在 `any (…)` 里，例如 any loan.annual_rate > {text}",
                               f"write it inside `any (…)`, e.g. any loan.annual_rate > {text}"), "E022")
            if on == "as_of" and in_loan is True:
                self.fail(said(f"'{text}' 按案例的评估日期（as_of）取值，不能用在 `any`/`no` 里",
                               f"'{text}' is looked up on the case's as_of date and cannot be used inside `any`/`no`"),
                          name.span, said("在借款条件外面比较它，用 'and' 连接",
                                          "compare it outside the loan condition, joined with 'and'"), "E023")
            scope = "loan" if on == "loan.contract_date" else "case"
            return ast.Ref(scope, text, kind, param.key, name.span)
        fact = BY_NAME.get(text)
        if fact is not None:
            if fact.scope == "loan" and in_loan is False:
                self.fail(said(f"'{text}' 是每笔借款的字段；请说明是哪些借款", f"'{text}' is a field of each loan; say which loans"),
                          name.span, said(f"写成 `any {text} …`（至少一笔借款）或 `no {text} …`（没有一笔借款）",
                                          f"write `any {text} …` (at least one loan) or `no {text} …` (none of the loans)"),
                          "E022")
            if fact.scope == "case" and in_loan is True:
                self.fail(said(f"'{text}' 是案例的事实，不能在 `any`/`no` 里比较",
                               f"'{text}' is a case fact and cannot be compared inside `any`/`no`"), name.span,
                          said("在那里只把借款字段与数字或 params.* 比较；案例的条件放在外面，用 'and' 连接",
                               "compare loan fields there with numbers or params.*; put case conditions outside, "
                               "joined with 'and'"), "E023")
            return ast.Ref(fact.scope, fact.name, fact.type, fact.key, name.span, fact.values)
        if text in self.derived:
            return ast.Ref("derived", text, "bool", text, name.span)
        names = [f.name for f in BY_NAME.values()] + sorted(self.derived) + [f"params.{p}" for p in self.params]
        self.fail(said(f"没有 '{text}' 这个事实", f"unknown fact '{text}'"), name.span, suggest(text, names) or
                  said("条件能用哪些事实，见 docs/rules.md", "see docs/rules.md for the facts a condition can use"), "E010")
        return None

    # -- values ------------------------------------------------------------------------------
    def value(self, node: ast.Expr, in_loan: bool | None) -> tuple[ast.Expr, str]:
        """Check a value expression; return it resolved with its type."""
        if isinstance(node, ast.Name):
            ref = self.resolve(node, in_loan)
            return (ref, ref.type) if ref else (node, "?")
        if isinstance(node, ast.Num):
            return node, "number"
        if isinstance(node, ast.Str):
            return node, "string"
        if isinstance(node, ast.Bool):
            return node, "bool"
        if isinstance(node, ast.Date):
            return node, "date"
        if isinstance(node, ast.Neg):
            operand, kind = self.value(node.operand, in_loan)
            self.need_number(operand, kind)
            return replace(node, operand=operand), "number"
        if isinstance(node, ast.Arith):
            left, lt = self.value(node.left, in_loan)
            right, rt = self.value(node.right, in_loan)
            if node.op in "+-" and "date" in (lt, rt):
                # dates count in days: date ± days is a date, date − date is a number of days
                if node.op == "-" and lt == rt == "date":
                    return replace(node, left=left, right=right), "number"
                if lt == "date" and rt in ("number", "?"):
                    return replace(node, left=left, right=right), "date"
                if node.op == "+" and rt == "date" and lt in ("number", "?"):
                    return replace(node, left=left, right=right), "date"
            self.need_number(left, lt)
            self.need_number(right, rt)
            if node.op == "/" and isinstance(right, ast.Num) and right.value == 0:
                self.fail(said("除数是零", "division by zero"), right.span)
            return replace(node, left=left, right=right), "number"
        self.fail(said("这里不能把条件当作值来用", "a condition cannot be used as a value here"), node.span,
                  said("用 > < == … 比较两个值", "compare values with > < == …"))
        return node, "?"

    def need_number(self, node: ast.Expr, kind: str) -> None:
        if kind not in ("number", "?"):
            self.fail(said(f"算术要用数字，但这是{_article(kind).zh}", f"arithmetic needs numbers, but this is {_article(kind)}"),
                      node.span, code="E021")

    # -- conditions --------------------------------------------------------------------------
    def cond(self, node: ast.Expr, in_loan: bool = False) -> ast.Expr:
        if isinstance(node, ast.BoolOp):
            return replace(node, items=tuple(self.cond(i, in_loan) for i in node.items))
        if isinstance(node, ast.Not):
            return replace(node, operand=self.cond(node.operand, in_loan))
        if isinstance(node, ast.Quant):
            if in_loan:
                self.fail(said(f"'{node.kind}' 不能套在另一个 any/no 里面",
                               f"'{node.kind}' cannot be nested inside another any/no"),
                          node.span)
                return node
            body = self.cond(node.body, in_loan=True)
            if not any(r.kind == "loan" for r in ast.refs(body)):
                self.fail(said(f"'{node.kind}' 后面要写关于借款字段的条件", f"'{node.kind}' needs a condition on loan fields"),
                          node.body.span, said(f"例如 {node.kind} loan.overdue_days > 0",
                                               f"e.g. {node.kind} loan.overdue_days > 0"))
            return replace(node, body=body)
        if isinstance(node, ast.Known):
            ref = self.resolve(node.ref, in_loan) if isinstance(node.ref, ast.Name) else None
            if ref is not None and ref.kind not in ("case", "loan"):
                self.fail(said(f"known()/unknown() 只能用于案例和借款的事实，不能用于 {ref.kind} '{ref.name}'",
                               f"known()/unknown() apply to case and loan facts, not to {ref.kind} '{ref.name}'"),
                          node.span)
            return replace(node, ref=ref or node.ref)
        if isinstance(node, ast.Compare):
            return self.compare(node, in_loan)
        if isinstance(node, ast.In):
            item, kind = self.value(node.item, in_loan)
            if kind not in ("enum", "text", "?"):
                self.fail(said(f"'in' 要用于文字或选项类的事实，但这是{_article(kind).zh}",
                               f"'in' needs a text or choice fact, but this is {_article(kind)}"), node.item.span,
                          code="E021")
            if isinstance(item, ast.Ref) and item.values:
                for choice in node.choices:
                    self.check_choice(item, choice)
            return replace(node, item=item)
        if isinstance(node, ast.Name):
            ref = self.resolve(node, in_loan)
            if ref is not None and ref.type != "bool":
                self.fail(said(f"'{ref.name}' 是{_article(ref.type).zh}，不是是/否类的事实",
                               f"'{ref.name}' is {_article(ref.type)}, not a yes/no fact"), node.span,
                          said(f"拿它做比较，例如 {ref.name} > 0", f"compare it, e.g. {ref.name} > 0"), "E021")
            return ref or node
        if isinstance(node, ast.Bool):
            self.fail(said("这个条件永远成立或永远不成立", "a condition that is always true or always false"), node.span,
                      said("规则必须检验案例；删掉它，或者比较一个事实", "a rule must test the case; remove it or compare a fact"),
                      "E024")
            return node
        self.fail(said("这是一个值，不是条件", "this is a value, not a condition"), node.span,
                  said("拿它做比较，例如 … > 0", "compare it, e.g. … > 0"), "E021")
        return node

    def compare(self, node: ast.Compare, in_loan: bool) -> ast.Expr:
        left, lt = self.value(node.left, in_loan)
        right, rt = self.value(node.right, in_loan)
        out = replace(node, left=left, right=right)
        if "?" in (lt, rt):
            return out
        fields = [r for r in ast.refs(left) + ast.refs(right) if r.kind in ("case", "loan")]
        if not fields:
            self.fail(said("这个比较没有用到案例或借款的任何事实，所以永远成立或永远不成立",
                           "this comparison uses no case or loan fact, so it is always true or always false"),
                      node.span, said("把一个事实与参数或数字比较", "compare a fact with a parameter or a number"), "E024")
            return out
        if not (isinstance(left, ast.Ref) and left.kind in ("case", "loan")) and not (
                isinstance(right, ast.Ref) and right.kind in ("case", "loan")):
            self.fail(said("比较的一边必须是单独一个事实", "one side of a comparison must be a single fact"), node.span,
                      said("例如 monthly_due > monthly_disposable * 1.5",
                           "e.g. monthly_due > monthly_disposable * 1.5"), "E025")
        kinds = {lt, rt}
        if kinds <= {"number"} or kinds == {"date"}:
            return out
        if node.op not in ("==", "!="):
            self.fail(said(f"'{node.op}' 用来比较数字或日期，但这里比较的是{_article(lt).zh}和{_article(rt).zh}",
                           f"'{node.op}' compares numbers or dates, but this compares {_article(lt)} with "
                           f"{_article(rt)}"), node.span,
                      said("文字、选项和是/否类的事实用 == 或 != 比较", "use == or != for text, choices and yes/no facts"), "E021")
            return out
        if kinds in ({"enum", "string"}, {"text", "string"}, {"bool"}):
            ref, lit = (left, right) if isinstance(left, ast.Ref) else (right, left)
            if isinstance(ref, ast.Ref) and ref.values and isinstance(lit, ast.Str):
                self.check_choice(ref, lit)
            return out
        self.fail(said(f"不能把{_article(lt).zh}和{_article(rt).zh}比较",
                       f"cannot compare {_article(lt)} with {_article(rt)}"),
                  node.span, code="E021")
        return out

    def check_choice(self, ref: ast.Ref, lit: ast.Str) -> None:
        if lit.value not in ref.values:
            self.fail(said(f"'{lit.value}' 不是 {ref.name} 的可选值",
                           f"'{lit.value}' is not a value of {ref.name}"), lit.span,
                      suggest(lit.value, ref.values), "E026")


def _article(kind: str) -> Said:
    """A kind of value, as a message names it."""
    zh, en = {"number": ("数字", "a number"), "bool": ("是/否类的事实", "a yes/no fact"), "enum": ("选项", "a choice"),
              "text": ("文字", "text"), "string": ("带引号的文字", "quoted text"), "date": ("日期", "a date")}.get(kind, (kind, kind))
    return said(zh, en)


def check_value(expr: ast.Expr, params: Mapping[str, Any],
                derived: set[str]) -> tuple[ast.Expr, str, list[CheckError]]:
    """Resolve and type a value expression (an advice placeholder): case and loan facts may mix."""
    checker = _Checker(params, derived)
    typed, kind = checker.value(expr, None)
    return typed, kind, checker.errors


def check(expr: ast.Expr, params: Mapping[str, Any], derived: set[str]) -> tuple[ast.Expr, list[CheckError]]:
    """Resolve names and check types; return the typed AST and every problem found."""
    checker = _Checker(params, derived)
    typed = checker.cond(expr)
    return typed, checker.errors
