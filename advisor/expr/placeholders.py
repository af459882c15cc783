"""Numbers inside advice text: `{monthly_shortfall}`, `{params.high_rate_line}`, `{loans}`, `{loan.next_due}`,
and small sums such as `{loan.next_due - params.contact_days_before_due}` (the date to call by) or
`{loan.balance / params.credit_card_max_term_months}` (a monthly amount). `{loans: loan.annual_rate}` pairs
each matched loan's name with its own value: 某小贷（28%）、某银行（6%）.

A placeholder is an expression of the condition language. It is parsed and type-checked when the rules
load (an unknown name is a rule error, E040), and evaluated on the facts the rule fired on: a loan field
gives one value per loan the rule matched.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from ..i18n import Said, chinese, said, t
from . import ast
from . import closure
from .evaluate import value
from ..model import Facts
from ..format import fmt
from ..knowledge.vocabulary import BY_NAME

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SPECIAL = {"loans": "the names of the loans that matched the rule"}


@dataclass(frozen=True)
class Placeholder:
    """A placeholder of a rule text (`{monthly_disposable}`), parsed and checked: what it shows and how."""

    text: str
    expr: ast.Expr
    unit: str          # how the result is shown: cny, rate, ratio, days, months, count, date, ""
    per_loan: bool     # one value per matched loan
    paired: bool = False   # `{loans: loan.x}`: each matched loan's name with its own value
    # `expr` compiled (closure.value: the same value as evaluate.value, faster); None: evaluate `expr`
    compute: closure.Value | None = field(default=None, compare=False, repr=False)


class PlaceholderError(Exception):
    def __init__(self, message: str | Said, hint: str | Said = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def names(template: str) -> list[tuple[str, int]]:
    """The placeholder texts in a template with their offsets; `{{` and `}}` are literal braces."""
    text = template.replace("{{", "\0\0").replace("}}", "\0\0")
    return [(m.group(1).strip(), m.start()) for m in PLACEHOLDER.finditer(text)]


def compile_placeholder(text: str, params: Mapping[str, Any], derived: set[str]) -> Placeholder:
    """Parse and check one placeholder; raise PlaceholderError saying what is wrong."""
    from .check import check_value           # only here: a start whose placeholders are kept needs neither
    from .parser import ParseError, parse

    if text in SPECIAL:
        return Placeholder(text, ast.Name(text, (0, len(text))), "", True)
    if text.startswith("loans:"):
        inner = compile_placeholder(text.removeprefix("loans:").strip(), params, derived)
        if not inner.per_loan:
            raise PlaceholderError(said(f"占位符 '{{{text}}}' 把每笔借款和一个值配对，但这个值不是借款的字段",
                                        f"placeholder '{{{text}}}' pairs each loan with a value, but the value is not "
                                        "a loan field"), said("写成 {loans: loan.annual_rate}",
                                                              "write {loans: loan.annual_rate}"))
        return Placeholder(text, inner.expr, inner.unit, True, paired=True, compute=inner.compute)
    try:
        tree = parse(text)
    except ParseError as exc:
        raise PlaceholderError(said(f"读不懂占位符 '{{{text}}}'：{chinese(exc.message)}",
                                    f"cannot read placeholder '{{{text}}}': {exc.message}"), exc.hint) from None
    typed, kind, errors = check_value(tree, params, derived)
    if errors:
        raise PlaceholderError(said(f"占位符 '{{{text}}}'：{chinese(errors[0].message)}",
                                    f"placeholder '{{{text}}}': {errors[0].message}"), errors[0].hint)
    if kind not in ("number", "date", "enum", "text", "bool"):
        raise PlaceholderError(said(f"占位符 '{{{text}}}' 不是一个值", f"placeholder '{{{text}}}' is not a value"),
                               said("用一个事实、一个参数，或者它们的和", "use a fact, a parameter or a sum of them"))
    refs = ast.refs(typed)
    return Placeholder(text, typed, unit_of(typed, params), any(r.kind == "loan" for r in refs),
                       compute=closure.value(typed))


def revived(kept: Placeholder) -> Placeholder:
    """A placeholder kept without its compiled value (a closure is not kept, load/cache.py), compiled again:
    what compile_placeholder gave."""
    if kept.text in SPECIAL:
        return kept
    return replace(kept, compute=closure.value(kept.expr))


def unit_of(node: ast.Expr, params: Mapping[str, Any]) -> str:
    """The unit of a value expression, so it is shown as money, a rate, a date or a count."""
    if isinstance(node, ast.Ref):
        if node.type == "date":
            return "date"
        if node.kind == "param" or node.name.startswith("params."):
            return getattr(params.get(node.name.removeprefix("params.")), "unit", "")
        fact = BY_NAME.get(node.name)
        return fact.unit if fact else ""
    if isinstance(node, ast.Neg):
        return unit_of(node.operand, params)
    if isinstance(node, ast.Arith):
        left, right = unit_of(node.left, params), unit_of(node.right, params)
        if node.op in "+-":
            if left == right == "date":
                return "days"
            return "date" if "date" in (left, right) else (left or right)
        if node.op == "*":
            for money in ("cny", "date"):
                if money in (left, right):
                    return money
            return left or right
        if left == right:           # cny / cny
            return "ratio"
        return left
    return ""


class OffCalendar(ValueError):
    """A placeholder's date sum lands outside the calendar (before year 1 or after 9999) for this case."""

    def __init__(self, text: str, day: float, loan: str | None):
        super().__init__(f"{{{text}}} is day {day:g}, outside the calendar")
        self.text, self.day, self.loan = text, day, loan


LAST_DAY = dt.date.max.toordinal()


def render(ph: Placeholder, facts: Facts, matched: list[Mapping[str, Any]], lang: str) -> str:
    """A placeholder's text for one firing: one value, or one per matched loan."""
    sep = t("list_sep", lang)
    if ph.text == "loans":
        return sep.join(str(loan.get("name")) for loan in matched)
    sources: list[Mapping[str, Any] | None] = list(matched) if ph.per_loan else [None]
    shown = []
    for loan in sources:
        result = value(ph.expr, facts, loan) if ph.compute is None else ph.compute(facts, loan)
        if ph.unit == "date" and isinstance(result, (int, float)) and not 1 <= result <= LAST_DAY:
            raise OffCalendar(ph.text, result, None if loan is None else str(loan.get("name")))
        if isinstance(result, float) and ph.unit in ("cny",):
            result = round(result, 2)
        text = fmt(result, ph.unit, lang)
        if ph.paired and loan is not None:     # 某小贷（28%）、某银行（6%）: never a list of names, then of values
            text = t("paired", lang, name=loan.get("name"), value=text)
        if text not in shown:
            shown.append(text)
    return sep.join(shown)


def fill(template: str, lookup: Callable[[str], str]) -> str:
    """Replace each placeholder with lookup(text); braces doubled in the template stay single."""
    out = []
    for piece, is_placeholder in _pieces(template):
        if is_placeholder:
            piece = lookup(piece)
            if "\0" in piece:        # as when the whole text was marked up: a marker in a value is a brace
                piece = piece.replace("\0L", "{").replace("\0R", "}")
        out.append(piece)
    return "".join(out)


@functools.lru_cache(maxsize=4096)    # the templates are the rules' texts: a bounded set
def _pieces(template: str) -> tuple[tuple[str, bool], ...]:
    """A template cut into literal text (braces undoubled) and placeholder texts, once per template."""
    text = template.replace("{{", "\0L").replace("}}", "\0R")
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append((text[at:match.start()].replace("\0L", "{").replace("\0R", "}"), False))
        pieces.append((match.group(1).strip(), True))
        at = match.end()
    pieces.append((text[at:].replace("\0L", "{").replace("\0R", "}"), False))
    return tuple(pieces)
