"""The word catalogue: every word the advisor's code shows a reader, in Chinese (zh, the default) and
English (en), looked up by key. Rule texts stay in the rule files; plan sentences carry both languages
(report.Said). The language is chosen here and nowhere else: `pick`, `t` and `words`."""
from __future__ import annotations

from typing import Any, Mapping, TypeVar

LANGS = ("zh", "en")
T = TypeVar("T")

# Groups of words a view uses together: words(group, lang)[key].
GROUPS: dict[str, dict[str, dict[str, str]]] = {
    "report": {
        "zh": {"title": "协商还款建议", "as_of": "评估日期", "numbers": "数字", "advice": "建议",
               "unknown": "尚不清楚（请补充）", "why": "依据", "findings": "从你的情况可以看出",
               "ask_next": "先补充这几项", "other_unknown": "其他还不清楚的", "sections": "指南章节", "none": "没有触发任何建议。",
               "safety": "人身安全与权益", "urgent": "紧急", "high": "重要", "normal": "一般", "low": "参考",
               "note": "本工具提供信息，不构成法律意见；具体问题请咨询律师或拨打 12348 公共法律服务热线（免费法律咨询）。"},
        "en": {"title": "Repayment negotiation advice", "as_of": "assessed on", "numbers": "Numbers",
               "advice": "Advice", "unknown": "Not known yet (please find out)", "why": "because",
               "findings": "What your situation shows", "ask_next": "Find out these first",
               "other_unknown": "Also not known yet",
               "sections": "guidance", "none": "No advice was triggered.", "safety": "Safety and rights",
               "urgent": "Urgent", "high": "High", "normal": "Normal", "low": "For reference",
               "note": "This tool gives information, not legal advice; for legal questions ask a lawyer "
                       "or the 12348 public legal-service line (free legal advice)."},
    },
    "states": {
        "zh": {"fired": "已触发", "failed": "条件不成立", "unknown": "缺少信息", "not_in_force": "不在适用期",
               "blocked": "被排除"},
        "en": {"fired": "fired", "failed": "failed", "unknown": "unknown input", "not_in_force": "not in force",
               "blocked": "blocked"},
    },
    "explain": {
        "zh": {"title": "为什么给出这些建议", "as_of": "评估日期", "rules": "规则集", "guidance": "指南",
               "see_above": "见上", "rule": "规则", "status": "状态", "all": "每条规则的状态",
               "legend": "✓ 成立  ✗ 不成立  ? 未知（案例没有写明）  · 数值及其来源"},
        "en": {"title": "Why this advice", "as_of": "assessed on", "rules": "ruleset", "guidance": "guidance",
               "see_above": "see above", "rule": "rule", "status": "status", "all": "Every rule's status",
               "legend": "✓ holds  ✗ does not hold  ? unknown (not in the case)  · a value and where it came from"},
    },
    "plan": {
        "zh": {"title": "协商方案：每家出借方每月提出多少", "income": "每月收入", "essential": "必要开支",
               "flexible": "可调整开支", "buffer": "备用金", "priority": "优先债务（法院判决/抵押）月供",
               "available": "每月可用于其他借款", "total": "方案每月合计", "within": "不超过可用的",
               "owed": "欠", "contract": "合同月供", "offer": "提出", "months": "个月还清", "apr": "真实年化",
               "warning": "注意", "missing": "还给不出具体方案，缺少", "per_month": "/月",
               "colon": "：", "comma": "，", "about": "，约 ", "open": "（", "close": "）"},
        "en": {"title": "The plan: what to offer each lender per month", "income": "monthly income",
               "essential": "essential costs", "flexible": "flexible costs", "buffer": "safety buffer",
               "priority": "priority debts (judgment/secured) payments", "available": "available for the other loans",
               "total": "plan total per month", "within": "within the available", "owed": "owes",
               "contract": "contract", "offer": "offer", "months": "months to clear", "apr": "true annual rate",
               "warning": "note", "missing": "no offers yet; the case lacks", "per_month": "/month",
               "colon": ": ", "comma": ", ", "about": ", about ", "open": " (", "close": ")"},
    },
    "proposals": {
        "zh": {"keep": "按合同继续还", "extension": "延长期限", "installments": "重新分期", "reduce_interest": "减免利息",
               "pause": "暂缓还款（象征性还款）"},
        "en": {"keep": "keep paying as agreed", "extension": "extend the term", "installments": "re-spread in installments",
               "reduce_interest": "reduce interest", "pause": "pause (token payment)"},
    },
}

# Single phrases, with {named} values: t(key, lang, **values).
PHRASES: dict[str, tuple[str, str]] = {       # key: (zh, en)
    # values (format.py)
    "unknown": ("未知", "unknown"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "cny": ("{value} 元", "¥{value}"),
    "days": ("{value} 天", "{value} days"),
    "months": ("{value} 个月", "{value} months"),
    "at_least": ("至少 {value}", "at least {value}"),
    "at_most": ("至多 {value}", "at most {value}"),
    "list_sep": ("、", ", "),
    "colon": ("：", ": "),
    "paired": ("{name}（{value}）", "{name} ({value})"),
    # a field the case lacks (knowledge/vocabulary.py)
    "field.loan": ("第{number}笔借款·{field}", "loan {number}: {field}"),
    "block.income": ("收入", "income"),
    "block.expenses": ("支出", "expenses"),
    "block.loans": ("借款清单", "the list of loans"),
    # where a value came from (explain/origins.py)
    "origin.not_stated": ("案例中没有写明", "not stated in the case file"),
    "origin.marked_unknown": ("案例中标为未知", "marked unknown in the case file"),
    "origin.computed": ("计算得出", "computed"),
    "origin.loans_listed": ("列出的借款", "loans listed at"),
    # why and why not (explain/why.py)
    "why.no_loans": ("案例没有列出借款", "the case does not list its loans"),
    "why.more_loans": ("……另有 {more} 笔借款", "… and {more} more loans"),
    "why.not_derived_yet": ("{name}：还推不出——要等案例缺少的信息（可由 {could} 推出）",
                            "{name}: not derived yet — it waits on information the case lacks (could be derived by "
                            "{could})"),
    "why.derived_by_none": ("{name}：没有规则推出（可由 {could} 推出）", "{name}: derived by no rule (could be derived by {could})"),
    "why.unknown_input": ("缺少信息：", "unknown input: "),
    "why.more_fields": ("另有 {more} 项", "and {more} more"),
    "why.fired": ("已触发", "fired"),
    "why.advice_rank": ("，第 {rank} 条建议", ", advice #{rank}"),
    "why.derives": ("（推出 {names}）", " (derives {names})"),
    "why.outranked": ("；排在 {names} 之后（它们声明优先）", "; shown after {names}, which outrank it"),
    "why.blocked": ("被排除：{reason}", "blocked: {reason}"),
    "why.not_in_force": ("{day} 不在适用期内：{reason}", "not in force on {day}: {reason}"),
    "why.failed": ("第 {number} 个条件不成立：{reason}", "failed at condition {number}: {reason}"),
    "why.in": ("属于", "in"),
    "why.not_in": ("不属于", "not in"),
    "why.is_known": ("{name} 已写明", "{name} is known"),
    "why.is_unknown": ("{name} 未知", "{name} is unknown"),
    # a rule's `because` lines, flattened from its why-tree (explain/because.py)
    "because.derived": ("已推出 {name}（由规则 {rule}）", "derived fact {name} (from rule {rule})"),
    "because.absent": ("没有推出 {name}", "derived fact {name} is absent"),
    "because.no_loan": ("没有一笔借款满足 {text}", "no loan has: {text}"),
    # the chart page (render/chart.py)
    "chart.title": ("还款计划", "Repayment plan"),
    "chart.no_params": ("没有方案参数", "no plan parameters"),
    "chart.head": ("借款|现在欠款|每月还|还清月数|预计还清", "loan|owed now|per month|months|cleared by"),
    "chart.label": ("按方案每月还款后，每笔借款的余额", "Balance of each debt, month by month, under the plan"),
    "chart.months": ("月份（从今天起）", "months from today"),
    "chart.cleared": ("{name} · 第 {months} 个月还清", "{name} · cleared in month {months}"),
}


class Said(str):
    """A sentence (of the plan, or a diagnostic's message or hint) in English (the str itself, so it reads
    and compares as text) that also carries its Chinese, for the reader's language: `said.get("zh")`."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Said:
        said = super().__new__(cls, en)
        said.zh = zh
        return said

    def get(self, lang: str) -> str:
        return pick(lang, self.zh, str(self))


def display_lang(lang: str | None = None) -> str:
    """The language of the CLI's own lines and diagnostics: an explicit choice, else ADVISOR_LANG, else zh."""
    import os

    chosen = lang or os.environ.get("ADVISOR_LANG", "")
    return "en" if chosen.strip().lower().startswith("en") else "zh"


def said(zh: str, en: str) -> Said:
    """Words in both languages, Chinese first, for a diagnostic or a CLI line chosen at display time."""
    return Said(en, zh)


def pick(lang: str, zh: T, en: T) -> T:
    """The reader's version of something that exists in both languages: English for "en", else Chinese."""
    return en if lang == "en" else zh


def t(key: str, lang: str, **values: Any) -> str:
    """The phrase `key` in the reader's language, with its {named} values filled in."""
    zh, en = PHRASES[key]
    text = pick(lang, zh, en)
    return text.format(**values) if values else text


def words(group: str, lang: str) -> Mapping[str, str]:
    """The words of one view (report, explain, states, plan, proposals) in the reader's language."""
    return GROUPS[group][pick(lang, "zh", "en")]
