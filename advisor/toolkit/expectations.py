"""Test stage: a case's `expect:` block checked against the advice it gets.

The same checks serve `advisor test` and pytest (tests/load/test_cases.py), so the two always agree.
A missing piece of advice comes with the why-not explanation of its rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..advise import Advisor
from ..load.cases import load_case
from ..model import Case
from ..report import Advice, Finding, Report
from ..explain.why import Auditor

KEYS = ("advice", "forbid", "before", "says", "summary", "bounds", "ask_next", "plan")
PLAN_KEYS = ("available", "total", "offers", "months", "proposals", "held")


@dataclass(frozen=True)
class Failure:
    """One unmet expectation: what was expected, what came out, and why (for missing advice)."""

    kind: str               # missing | forbidden | order | says | summary | unknown_rule | malformed
    expected: str
    got: str
    why_not: str = ""


@dataclass(frozen=True)
class Outcome:
    path: Path
    case: Case
    report: Report
    failures: tuple[Failure, ...]
    checked: int            # how many expectations were checked


def check(advisor: Advisor, path: Path) -> Outcome:
    """Run one case file and check its expectations (CaseError propagates: the file is malformed)."""
    case = load_case(path)
    report = advisor.advise(case)
    return Outcome(path, case, report, tuple(failures(advisor, case, report)), count(case.expect))


def count(expect: Mapping[str, Any]) -> int:
    return sum(len(expect.get(key) or ()) for key in KEYS)


def failures(advisor: Advisor, case: Case, report: Report) -> list[Failure]:
    expect = case.expect
    ids = {r.id for r in advisor.ruleset.rules}
    # what the reader is told: the advice, then what was inferred (a finding is named like advice)
    fired = [a.rule for a in report.advice] + [f.rule for f in report.findings]
    told: tuple[Advice | Finding, ...] = (*report.advice, *report.findings)
    texts = {item.rule: item.text for item in told}
    auditor = Auditor(report)
    out: list[Failure] = []
    for key in expect:
        if key not in KEYS:
            out.append(Failure("malformed", f"expect.{key}", "unknown key", f"expect keys: {', '.join(KEYS)}"))
    named = [*_list(expect, "advice"), *_list(expect, "forbid"), *(r for pair in _list(expect, "before")
                                                                    for r in _pair(pair) if r),
             *(expect.get("says") or {})]
    for rule in dict.fromkeys(named):
        if rule not in ids:
            out.append(Failure("unknown_rule", f"a rule '{rule}'", "no such rule in the rules folder"))
    for rule in _list(expect, "advice"):
        if rule in ids and rule not in fired:
            out.append(Failure("missing", f"advice {rule}", "not given", auditor.status(rule).summary))
    for rule in _list(expect, "forbid"):
        if rule in fired:
            out.append(Failure("forbidden", f"no advice {rule}", f"given as #{fired.index(rule) + 1}",
                               auditor.status(rule).summary))
    for pair in _list(expect, "before"):
        first, second = _pair(pair)
        if not second:
            out.append(Failure("malformed", f"expect.before: {pair!r}", "not a pair",
                               "write each order constraint as [first rule, second rule]"))
            continue
        if first in fired and second in fired and fired.index(first) > fired.index(second):
            out.append(Failure("order", f"{first} before {second}",
                               f"#{fired.index(first) + 1} after #{fired.index(second) + 1}"))
    for rule, wanted in (expect.get("says") or {}).items():
        for piece in [wanted] if isinstance(wanted, (str, int, float)) else wanted:
            if rule in texts and str(piece) not in texts[rule]:
                out.append(Failure("says", f"{rule} to say {piece!r}", texts[rule]))
            elif rule in ids and rule not in texts:
                out.append(Failure("says", f"{rule} to say {piece!r}", "not given",
                                   auditor.status(rule).summary))
    for key, value in (expect.get("summary") or {}).items():
        got: float | str | None = report.summary.get(key, "no such figure")
        if got != value:
            out.append(Failure("summary", f"{key} = {value}", f"{key} = {got}"))
    for key, value in (expect.get("bounds") or {}).items():
        bound = dict(report.bounds.get(key) or {})
        want = {"min": None, "max": None, **(value if isinstance(value, dict) else {})}
        if bound != want and not (bound == {} and want == {"min": None, "max": None}):
            out.append(Failure("summary", f"{key} bounds {want}", f"{key} bounds {bound or 'none'}"))
    wanted_first = _list(expect, "ask_next")
    asked = [q.field for q in report.ask_next]
    if wanted_first and asked[:len(wanted_first)] != wanted_first:
        out.append(Failure("summary", f"ask next {wanted_first}", f"ask next {asked}"))
    out.extend(_plan_failures(expect.get("plan") or {}, report))
    return out


def _plan_failures(wanted: dict[str, Any], report: Report) -> list[Failure]:
    """expect.plan: the money available, the total offered, and per loan name its offer, months, proposals."""
    negotiation_plan = report.plan
    if not wanted:
        return []
    if negotiation_plan is None or negotiation_plan.budget is None:
        lacking = ", ".join(getattr(negotiation_plan, "missing", ()))
        return [Failure("plan", f"a plan {wanted}", f"no plan ({lacking})")]
    out = []
    got = {"available": negotiation_plan.budget.available, "total": negotiation_plan.total}
    for key in ("available", "total"):
        if key in wanted and wanted[key] != got[key]:
            out.append(Failure("plan", f"plan {key} = {wanted[key]}", f"plan {key} = {got[key]}"))
    by_name = {o.name: o for o in negotiation_plan.offers}
    fields = {"offers": "offer", "months": "months", "proposals": "proposals"}
    for key, attr in fields.items():
        for name, value in (wanted.get(key) or {}).items():
            offer = by_name.get(name)
            seen = None if offer is None else getattr(offer, attr)
            if key == "proposals" and seen is not None:
                seen, value = sorted(seen), sorted([value] if isinstance(value, str) else value)
            if seen != value:
                out.append(Failure("plan", f"plan {key}[{name}] = {value}", f"plan {key}[{name}] = {seen}"))
    if "held" in wanted:
        held, seen_held = sorted(_list(wanted, "held")), sorted(h.name for h in negotiation_plan.held)
        if held != seen_held:
            out.append(Failure("plan", f"plan held = {held}", f"plan held = {seen_held}"))
    for key in wanted:
        if key not in PLAN_KEYS:
            out.append(Failure("malformed", f"expect.plan.{key}", "unknown key", f"plan keys: {', '.join(PLAN_KEYS)}"))
    return out


def _list(expect: Mapping[str, Any], key: str) -> list[Any]:
    found = expect.get(key) or []
    return found if isinstance(found, list) else [found]


def _pair(pair: Any) -> tuple[str, str]:
    if isinstance(pair, list) and len(pair) == 2:
        return str(pair[0]), str(pair[1])
    return str(pair), ""
