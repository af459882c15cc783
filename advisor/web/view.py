"""Page view: a Report as what the page shows — advice by priority with its why-tree in the page's words,
the findings, the numbers, the budget and the offers. Formats only; every figure comes from the Report."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..format import fmt, fmt_figure
from ..model import PRIORITIES
from ..report import Explanation, Report, Step
from ..i18n import words as catalogue
from ..knowledge.vocabulary import missing_words
from ..knowledge.sections import heading
from ..knowledge.vocabulary import BY_NAME
from .form import DISPLAY
from .plain import Plain
from .words import UI, label
from ..i18n import pick

_ORIGIN_LINE = re.compile(rf"^{re.escape(DISPLAY)}:(\d+)$")
_IN_ORIGIN = re.compile(rf"{re.escape(DISPLAY)}:(\d+)")
_FILE_LINE = re.compile(r"^[^\s·]+\.ya?ml:\d+(?: · )?")
_LOAN_REF = re.compile(r"loan\[([^\]]*)\]\.(\w+)")
# "(could be derived by timing.overdue)" after a fact no rule derived: the rules that could are explain's.
_COULD = re.compile(r"（可由 [^）]*推出）| \(could be derived by [^)]*\)")
_NAME = re.compile(r"\b(?<![\w.])([a-z_]+(?:\.[a-z_]+)?)\b(?![\w\[])")
_LOAN_PATH = re.compile(r"^loans\[(\d+)\]\.(\w+)$")


def key_of(path: str) -> str:
    """A case path as the page's input key: loans[2].balance -> loans-2-balance."""
    match = _LOAN_PATH.match(path)
    return f"loans-{match[1]}-{match[2]}" if match else path


def input_label(key: str, lang: str, names: list[str]) -> str:
    """What the page calls an input: 第2笔借款（某小贷）·剩余欠款, 每月收入·工资收入."""
    w = UI[lang]
    if key.startswith("loans-"):
        _, index, name = key.split("-", 2)
        row = int(index)
        who = f"{w['loan'].format(n=row + 1)}" + (f"（{names[row]}）" if row < len(names) and names[row] else "")
        return f"{who}·{label(f'loans[{row}].{name}', lang)}"
    if "." in key:
        block, _ = key.split(".", 1)
        return f"{w[block]}·{label(key, lang)}"
    return w.get(key, key) if key in w else label(key, lang)


class Relabel:
    """Rewrites a why-tree for the page: case lines become the inputs they came from, fact names the
    vocabulary's words; parameter and rule file lines are dropped (explain and JSON keep them)."""

    def __init__(self, where: dict[int, str], lang: str, names: list[str], plain: Plain | None = None):
        self.where, self.lang, self.names, self.plain = where, lang, names, plain

    def step(self, node: Step) -> Step:
        text = node.text
        if node.kind == "rule":
            # a rule is named by its title here ("id — title", "fact ← id — title"); explain and JSON keep ids
            if node.rule:
                text = text.replace(f"{node.rule} — ", "").replace(f"← {node.rule}", "← ").rstrip(" ←")
                if node.name and text.startswith(f"{node.name} ← "):   # a derived fact: the rule's title says it
                    text = text.removeprefix(f"{node.name} ← ")
            text = _COULD.sub("", text)
        return Step(self.text(text, True), node.holds, self.origin(node.origin),
                    tuple(self.step(c) for c in node.children), node.kind)

    def origin(self, origin: str) -> str:
        match = _ORIGIN_LINE.match(origin)
        if match:
            key = self.where.get(int(match[1]))
            return f"{UI[self.lang]['form_origin']}：{input_label(key, self.lang, self.names)}" if key else ""
        return self.text(_IN_ORIGIN.sub(self._line, _FILE_LINE.sub("", origin)))

    def _line(self, match: re.Match[str]) -> str:
        key = self.where.get(int(match[1]))
        return f"{UI[self.lang]['form_origin']}：{input_label(key, self.lang, self.names)}" if key else \
            UI[self.lang]["form_origin"]

    def text(self, text: str, condition: bool = False) -> str:
        """`condition`: a step's own words, quoting a condition; else an origin's (web/plain.py)."""
        text = _LOAN_REF.sub(lambda m: f"{m[1]}·{label('loan.' + m[2], self.lang) if ('loan.' + m[2]) in BY_NAME else m[2]}",
                             text)
        text = _NAME.sub(lambda m: label(m[1], self.lang) if m[1] in BY_NAME and "." in m[1] or (
            m[1] in BY_NAME and BY_NAME[m[1]].computed) else m[1], text)
        return text if self.plain is None else self.plain.text(text, condition)


@dataclass(frozen=True)
class Shown:
    """One piece of advice or finding as the page shows it."""

    rank: int
    rule: str
    title: str
    text: str
    tree: Step
    sections: str


def advice_groups(report: Report, relabel: Relabel) -> list[tuple[str, str, list[Shown]]]:
    """(priority, its words, the advice) in priority order; the ranks stay the report's."""
    explanation = _explanation(report)
    lang = report.lang
    out = []
    for priority in PRIORITIES:
        items = [Shown(a.rank, a.rule, a.title, a.text, relabel.step(explanation.why(a.rule)), _sections(a.sources, lang))
                 for a in report.advice if a.priority == priority]
        if items:
            out.append((priority, UI[lang][priority], items))
    return out


def findings(report: Report, relabel: Relabel) -> list[Shown]:
    explanation = _explanation(report)
    return [Shown(0, f.rule, "", f.text, relabel.step(explanation.why(f.rule)), _sections(f.sources, report.lang))
            for f in report.findings]


def _explanation(report: Report) -> Explanation:
    """The why-trees the pipeline built (the page asks for them: Advisor.advise(…, explain=True))."""
    if report.explanation is None:
        raise ValueError("the page needs a report made with explain=True")
    return report.explanation


def _sections(sources: tuple[str, ...], lang: str) -> str:
    return ", ".join(f"{s} {heading(s, lang)}" for s in sources)


def numbers(report: Report) -> list[tuple[str, str]]:
    lang = report.lang
    return [(pick(lang, BY_NAME[k].zh, BY_NAME[k].en),
             fmt_figure(v, report.bounds.get(k), BY_NAME[k].unit, lang)) for k, v in report.summary.items()]


@dataclass(frozen=True)
class Ask:
    """An ask-next question: the input that answers it (None: add a loan row), and what it decides."""

    label: str
    key: str | None
    decides: int
    plan: bool


_BLOCK_INPUT = {"income": "income.salary", "expenses": "expenses.living"}


def asks(report: Report) -> list[Ask]:
    out = []
    for q in report.ask_next:
        key = None if q.field == "loans" else _BLOCK_INPUT.get(q.field, key_of(q.field))
        rules = [r for r in q.rules if r != "plan"]
        out.append(Ask(missing_words(q.field, report.lang), key, len(rules), "plan" in q.rules))
    return out


def money(value: Any, lang: str) -> str:
    return fmt(value, "cny", lang)


def offers(report: Report) -> list[dict[str, Any]]:
    plan = report.plan
    lang = report.lang
    if plan is None:
        return []
    return [{"loan": o.loan, "name": o.name, "balance": money(o.balance, lang), "contractual": money(o.contractual, lang),
             "offer": money(o.offer, lang), "months": o.months, "note": o.note.get(lang),
             "steps": " + ".join(catalogue("proposals", lang)[p] for p in o.proposals)} for o in plan.offers]
