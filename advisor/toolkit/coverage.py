"""Coverage stage: which rules the cases exercise, and whether each condition was seen both ways.

For every case the run's trace is read by the reference evaluator (as for `advisor explain`):
a rule counts as exercised when it fired in at least one case; a condition (the parts of a rule's
`when` joined by a top-level `and`) is covered when some case made it true and another made it
false. A rule nobody exercises is listed with the reason the cases give (their why-not statuses).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..expr.evaluate import truth
from ..i18n import pick
from ..model import RuleSet
from ..report import Report
from ..explain.why import Auditor, conditions


@dataclass(frozen=True)
class ConditionCoverage:
    number: int
    text: str
    true_in: int
    false_in: int
    unknown_in: int

    @property
    def covered(self) -> bool:
        return self.true_in > 0 and self.false_in > 0


@dataclass(frozen=True)
class RuleCoverage:
    rule: str
    location: str
    fired_in: tuple[str, ...]            # the cases that fired it
    conditions: tuple[ConditionCoverage, ...]
    reasons: tuple[tuple[str, int], ...]  # why it did not fire: (an example status, number of cases alike)


@dataclass(frozen=True)
class Coverage:
    cases: tuple[str, ...]
    rules: tuple[RuleCoverage, ...]

    @property
    def rule_percent(self) -> float:
        return 100.0 * sum(1 for r in self.rules if r.fired_in) / len(self.rules) if self.rules else 100.0

    @property
    def condition_percent(self) -> float:
        every = [c for r in self.rules for c in r.conditions]
        return 100.0 * sum(1 for c in every if c.covered) / len(every) if every else 100.0


def measure(ruleset: RuleSet, reports: dict[str, Report]) -> Coverage:
    """Coverage of `ruleset` by the reports of a set of cases (name -> report with its trace)."""
    auditors = {name: Auditor(report) for name, report in reports.items()}
    rules = []
    for rule in ruleset.rules:
        fired = tuple(name for name, report in reports.items()
                      if any(f.rule == rule.id for f in report.trace.firings))
        parts = []
        for number, cond in enumerate(conditions(rule), 1):
            seen = Counter(truth(cond, report.trace.facts) for report in reports.values())
            text = " ".join(rule.when[cond.span[0]:cond.span[1]].split())
            parts.append(ConditionCoverage(number, text, seen[True], seen[False], seen[None]))
        reasons: Counter[tuple[str, int]] = Counter()
        example: dict[tuple[str, int], str] = {}
        if not fired:
            for auditor in auditors.values():
                status = auditor.status(rule.id)
                key = (status.state, status.condition)
                reasons[key] += 1
                example.setdefault(key, status.summary)
        ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        rules.append(RuleCoverage(rule.id, f"{rule.location.file}:{rule.location.line}", fired, tuple(parts),
                                  tuple((example[key], n) for key, n in ranked)))
    return Coverage(tuple(reports), tuple(rules))


def render(cov: Coverage, lang: str = "en") -> str:
    """The coverage table and what it misses, in `lang` (the CLI passes the reader's language)."""
    out = [pick(lang, f"{len(cov.cases)} 个案例对 {len(cov.rules)} 条规则的覆盖情况",
                f"coverage of {len(cov.rules)} rules by {len(cov.cases)} cases"), "",
           f"{'rule':<42} {'cases':>5}  " + pick(lang, "条件（成立/不成立/未知）", "conditions (true/false/unknown)")]
    for r in cov.rules:
        conds = "  ".join(f"{c.number}:{c.true_in}/{c.false_in}/{c.unknown_in}{'' if c.covered else '!'}"
                          for c in r.conditions)
        out.append(f"{r.rule:<42} {len(r.fired_in):>5}  {conds}")
    never = [r for r in cov.rules if not r.fired_in]
    if never:
        out += ["", pick(lang, "没有任何案例触发的规则（以及案例显示的原因）：",
                         "rules no case fires (and why the cases say it does not):")]
        for r in never:
            out.append(f"  {r.rule}  [{r.location}]")
            out.extend(pick(lang, f"      {n} 个案例，例如 {reason}", f"      {n} case(s), e.g. {reason}")
                       for reason, n in r.reasons)
    one_way = [(r, c) for r in cov.rules for c in r.conditions if not c.covered]
    if one_way:
        out += ["", pick(lang, "从没见过既成立又不成立的条件（加一个让它反过来的案例）：",
                         "conditions never seen both true and false (add a case where it goes the other way):")]
        for r, c in one_way:
            how = pick(lang, "从未成立", "never true") if not c.true_in else pick(lang, "从未不成立", "never false")
            out.append(pick(lang, f"  {r.rule} 第 {c.number} 个条件{how}：{c.text}",
                            f"  {r.rule} condition {c.number} {how}: {c.text}"))
    out += ["", pick(lang, f"触发过的规则：{cov.rule_percent:.1f}% · 两种结果都见过的条件：{cov.condition_percent:.1f}%",
                     f"rules exercised: {cov.rule_percent:.1f}% · conditions seen both ways: {cov.condition_percent:.1f}%")]
    return "\n".join(out) + "\n"
