"""The word catalogue: every word the advisor's code shows a reader, in Chinese (zh, the default) and
English (en), looked up by key. Rule texts stay in the rule files; plan sentences, diagnostics, help texts
and the CLI's own lines carry both languages as `said(zh, en)` (a Said), resolved when shown. The language
is chosen here and nowhere else: `pick`, `t`, `words`, and `display_lang` (an explicit choice, else
ADVISOR_LANG, else Chinese) for what the CLI and diagnostics show."""
from __future__ import annotations

import inspect
import sys
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
    # The negotiation journal (issue 17): the timeline and the evidence list.
    "journal": {
        "zh": {"title": "协商日志", "none": "这个案例还没有日志。", "contact": "联系", "proposal": "提出方案",
               "answer": "答复", "agreement": "约定", "payment": "还款", "incident": "催收事件",
               "accepted": "接受", "refused": "拒绝", "counter_offer": "还价", "made": "已还", "missed": "未还",
               "call": "电话", "message": "短信/消息", "visit": "上门", "third_party": "联系第三方",
               "promise_broken": "承诺未兑现", "written": "有书面确认", "oral": "口头，未书面确认",
               "monthly": "每月", "months": "期", "deadline": "截止", "amount": "金额", "staff": "工号/工单",
               "reason": "理由", "promise": "承诺", "first_due": "第一期", "night": "夜间",
               "evidence_title": "催收情况证据清单", "evidence_none": "日志里没有催收事件。",
               "case": "案例", "as_of": "整理日期",
               "cols": "| 序号 | 日期 | 时间 | 出借方 | 方式 | 对方（号码/姓名） | 说了什么、做了什么 | 保存的证据 |",
               "evidence_note": "以上按日志整理，附原始录音、截图备查；可附在给出借方的书面投诉中，或向金融投诉热线 12378 投诉时提供。",
               "nights": "其中夜间（22:00–8:00）{n} 次。", "no_evidence": "（未保存）",
               "added": "已在 {file} 中加入一条记录（{kind}，{date}，{lender}）。",
               "refused_entry": "没有写入：这条记录有问题，文件保持不变。",
               "phone": "电话", "app": "App/在线客服", "letter": "信函", "email": "邮件", "in_person": "面谈",
               "other": "其他", "extend_term": "延期", "installments": "分期", "reduce_interest": "减免利息",
               "pause": "暂停", "lump_sum": "一次性结清", "waiver": "减免"},
        "en": {"title": "Negotiation journal", "none": "This case has no journal yet.", "contact": "contact",
               "proposal": "proposal", "answer": "answer", "agreement": "agreement", "payment": "payment",
               "incident": "collection incident", "accepted": "accepted", "refused": "refused",
               "counter_offer": "counter-offer", "made": "made", "missed": "missed", "call": "call",
               "message": "message", "visit": "visit", "third_party": "contacted a third party",
               "promise_broken": "promise not kept", "written": "confirmed in writing",
               "oral": "verbal, not in writing", "monthly": "a month", "months": "months", "deadline": "deadline",
               "amount": "amount", "staff": "agent/ticket", "reason": "reason", "promise": "promise",
               "first_due": "first payment", "night": "at night",
               "evidence_title": "Evidence list: collection conduct", "evidence_none": "The journal has no collection incidents.",
               "case": "case", "as_of": "compiled on",
               "cols": "| # | date | time | lender | how | who (number/name) | what was said or done | evidence kept |",
               "evidence_note": "Compiled from the journal; the original recordings and screenshots are kept. Attach it to a written complaint to the lender, or give it with a complaint to the 12378 line.",
               "nights": "Of these, {n} at night (22:00-08:00).", "no_evidence": "(none kept)",
               "added": "Added an entry to {file} ({kind}, {date}, {lender}).",
               "refused_entry": "Nothing written: the entry has a problem; the file is unchanged.",
               "phone": "phone", "app": "app/online service", "letter": "letter", "email": "email",
               "in_person": "in person", "other": "other", "extend_term": "extend the term",
               "installments": "installments", "reduce_interest": "reduce interest", "pause": "pause",
               "lump_sum": "lump-sum settlement", "waiver": "waiver"},
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
    "record": {        # `audit show`: a decision record's labels (render/records.py)
        "zh": {"record": "记录 #{id} · {case} · 记录于 {at}", "case": "案例      ", "rules": "规则      ",
               "fingerprint": "指纹", "versions": "版本      ", "as_of": "评估日期  ", "language": "语言",
               "row": "{label}：{value}（自 {start} 起）", "param": "参数      ", "because": "依据："},
        "en": {"record": "record #{id} · {case} · recorded {at}", "case": "case      ", "rules": "rules     ",
               "fingerprint": "fingerprint", "versions": "versions  ", "as_of": "as_of     ", "language": "language",
               "row": "{label}: {value} from {start}", "param": "param     ", "because": "because: "},
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
    # a rule's `because` lines: the conditions of its why-tree that held (explain/because.py)
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

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # pickled (batch workers, records): both languages kept
        return str(self), self.zh

    def __add__(self, other: str) -> Said:
        """Words joined in each language: another Said by its own language, plain text to both."""
        zh = other.zh if isinstance(other, Said) else other
        return Said(str(self) + str(other), self.zh + zh)


def display_lang(lang: str | None = None) -> str:
    """The language of the CLI's own lines and diagnostics: an explicit choice, else ADVISOR_LANG, else zh."""
    import os

    chosen = lang or os.environ.get("ADVISOR_LANG", "")
    return "en" if chosen.strip().lower().startswith("en") else "zh"


def said(zh: str, en: str) -> Said:
    """Words in both languages, Chinese first, for a diagnostic or a CLI line chosen at display time."""
    both = Said(en, zh)
    if sys._getframe(1).f_code.co_name == "<module>":
        # Written where a module is defined: a help text. click cleans help texts into plain str when the
        # option is made, so the Chinese is kept here, by the cleaned English, for the help page (cli/help.py).
        # Diagnostics are made inside functions and never kept here.
        _DEFINED[inspect.cleandoc(en)] = both
    return both


def chinese(text: str | Said) -> str:
    """The Chinese of words that may carry both languages (plain text is the same in both)."""
    return text.zh if isinstance(text, Said) else text


_DEFINED: dict[str, Said] = {}


def defined(text: str) -> Said | None:
    """The Said that a module defined (at import) with this English, once click has made it a plain str."""
    return text if isinstance(text, Said) else _DEFINED.get(inspect.cleandoc(text))


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
