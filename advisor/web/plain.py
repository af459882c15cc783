"""Page words for what a why-tree quotes of a rule's condition: no engine words on the page.

A tree quotes conditions as the rule file writes them (`cannot_cover_payments or already_overdue`,
`距最后一次还款天数 <= params.limitation_period_days`, `出借方类型 in ['platform', 'bank']`). On the page
a derived fact is named by the title of the rule that derives it, a parameter by its value with its unit,
a choice by its words, and (in Chinese) the condition language's keywords by Chinese ones. `explain` and
the JSON keep the rule file's own words.
"""
from __future__ import annotations

import re

from ..format import fmt
from ..i18n import pick
from ..knowledge.vocabulary import BY_NAME
from ..report import Report
from .words import CHOICES, UI, label

_PARAM_AFTER_VALUE = re.compile(r" \(params\.(\w+)\)")       # `5 天 <= 7 天 (params.x)`: the value is shown
_PARAM = re.compile(r"\bparams\.(\w+)\b")
_PARAM_VALUE = re.compile(r"^params\.\w+ = (.*)$")              # a value step: the parameter and its value
_QUOTED = re.compile(r"'([a-z_]+)'")
_KNOWN = re.compile(r"(?<![\w.])(unknown|known)\(([^()]*)\)")
_LOAN = re.compile(r"\bloan\[([^\]]*)\](?!\.)")          # a quantifier's loan: `loan[某小贷]`
_IDENTIFIER = re.compile(r"(?<![\w.\[])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|as_of)(?![\w\[])")
_ZH_KEYWORDS = ((re.compile(r"(?<![\w.])any (?=\S)"), "有一笔借款："), (re.compile(r"(?<![\w.])no (?=\S)"), "没有一笔借款："),
                (re.compile(r" not in \["), " 不属于 ["), (re.compile(r" in \["), " 属于 ["),
                (re.compile(r"(?<![\w.])not (?=\S)"), "不是 "), (re.compile(r" and "), " 并且 "),
                (re.compile(r" or "), " 或者 "), (re.compile(r"(?<![\w.'])true(?![\w'])"), "是"),
                (re.compile(r"(?<![\w.'])false(?![\w'])"), "否"))


_RULES_VALUE = ("规则里的参考值：", "the rules' reference value: ")     # (zh, en)
_LOAN_WORD = ("借款", "loan ")
_REFERENCE = ("参考值", "the reference value")   # a parameter whose value depends on the loan


class Plain:
    """Rewrites the quoted condition text of one report's trees in the page's words."""

    def __init__(self, report: Report, lang: str):
        self.lang = lang
        ruleset = report.trace.ruleset
        self.titles: dict[str, str] = {}          # derived fact -> the title of the (first) rule deriving it
        for rule in ruleset.rules:
            for name in rule.derive:
                self.titles.setdefault(name, rule.title.get(lang))
        self.values: dict[str, str] = {}
        for name, param in ruleset.params.items():
            value = param.at(report.as_of) if param.dated and param.on == "as_of" else param.value
            if value is not None and not (param.dated and param.on != "as_of"):
                self.values[name] = fmt(value, param.unit, lang)
        self.choices = {value: pick(lang, words[0], words[1]) for options in CHOICES.values()
                        for value, words in options.items()}

    def text(self, text: str, condition: bool = True) -> str:
        """`condition`: the text quotes a condition (its keywords are translated); else it is an origin, whose
        words (a parameter's source, say) are prose and stay as written."""
        text = _PARAM_AFTER_VALUE.sub("", text)
        text = _PARAM_VALUE.sub(lambda m: f"{pick(self.lang, *_RULES_VALUE)}{m[1]}", text)
        text = _PARAM.sub(lambda m: self.values.get(m[1], pick(self.lang, *_REFERENCE)), text)
        text = _QUOTED.sub(lambda m: f"'{self.choices.get(m[1], m[1])}'", text)
        known = pick(self.lang, ("已知", "未知"), ("is known", "is unknown"))
        text = _KNOWN.sub(lambda m: f"{m[2]} {known[0] if m[1] == 'known' else known[1]}", text)
        if pick(self.lang, condition, False):
            for pattern, words in _ZH_KEYWORDS:
                text = pattern.sub(words, text)
        quote = pick(self.lang, ("「", "」"), ("“", "”"))
        text = _LOAN.sub(lambda m: f"{pick(self.lang, *_LOAN_WORD)}{quote[0]}{m[1]}{quote[1]}", text)
        return _IDENTIFIER.sub(lambda m: self._named(m[1], quote), text)

    def _named(self, name: str, quote: tuple[str, str]) -> str:
        if name == "as_of":
            return UI[self.lang]["as_of"]
        title = self.titles.get(name)
        if title:
            return f"{quote[0]}{title}{quote[1]}"
        path = name if name in BY_NAME else f"loan.{name}"             # a figure named in a formula
        return label(path, self.lang) if path in BY_NAME else name
