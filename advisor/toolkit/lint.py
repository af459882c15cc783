"""Lint stage: every problem in a rules folder at once: load errors, then warnings about the knowledge.

Load errors (E…, P…, Y…) and malformed cases (C…) keep their own codes and severity "error".
The warnings (severity "warning"), each with what to do:

code  meaning
      → what to do
W101  the rule can never fire: in every alternative some tests exclude each other (`x > 5 and x < 3`,
      two values of one choice, `known(x) and unknown(x)`, a yes/no fact both true and false, a derived
      fact both required and absent, `any loan.x > 3 and no loan.x > 0`), or it needs a derived fact
      that only rules which can never fire derive
      → fix the numbers, the comparison signs or the and/or; or make a rule deriving the fact able to fire
W102  the rule adds nothing: whenever it fires, another rule with the same conclusion (the same `derive`
      and no advice, or the same advice text) fires too
      → delete it, or give it a conclusion of its own
W103  two rules declared `contradicts` can fire together, and neither outranks the other
      → add `outranks:` to the one to show first, or make their conditions exclusive
W104  a derived fact that no condition uses
      → use it in a condition, or remove it from `derive:`
W105  a condition tests a derived fact that only rules which can never fire derive, so the test never holds
      → fix the rules deriving it (see their W101), or stop testing it
W106  a parameter in params.yaml that no condition, no advice text and no module of the advisor uses
      → use it as `params.<name>`, or remove it
W107  a title or an advice text without its English version
      → add `title_en:` / `advice_en:`
W108  (with a cases folder) a rule that fires in none of the cases
      → add or extend a case in which it fires, with the advice it must give under `expect:`
W109  a rule cites a related topic (R1–R6) whose situation its condition does not require (the topics'
      situations are declared once, in advisor/toolkit/topics.py: R1 a credit card, R6 a door visit, …)
      → add the situation to the condition, or remove the topic from `sources:`

W101–W105 rest on advisor/toolkit/analysis.py, which warns only on what it can prove.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from ..expr import placeholders
from .analysis import Conflict, Knowledge, analyse
from ..errors import AdvisorError, CaseError, Diagnostic, Location, RuleError
from ..expr import ast
from ..model import Rule, RuleSet
from ..load.rules import load_rules
from ..load.source import Node
from .lint_sources import place_in_condition, quoted_in_code, rule_nodes
from .topics import SITUATIONS, unsupported

CODES = {
    "W101": "rule can never fire",
    "W102": "rule made redundant by another with the same conclusion",
    "W103": "contradicting rules can fire together without precedence",
    "W104": "derived fact never used",
    "W105": "derived fact only derived by rules that can never fire",
    "W106": "parameter never used",
    "W107": "English text missing",
    "W108": "rule fired by no case",
    "W109": "topic cited without its situation",
}


def lint(rules_dir: Path, cases_dir: Path | None = None) -> list[Diagnostic]:
    """Every problem with the rules in `rules_dir` (and, given cases, the rules no case fires), sorted by place."""
    try:
        ruleset = load_rules(rules_dir)
    except RuleError as exc:
        return sorted(exc.diagnostics, key=Diagnostic.sort_key)
    nodes = rule_nodes(ruleset.rules)
    knowledge = analyse(ruleset.rules, ruleset.params)
    found = [*_dead_rules(ruleset, knowledge, nodes), *_redundant(ruleset, knowledge),
             *_unranked_contradictions(ruleset, knowledge, nodes), *_derived_facts(ruleset, knowledge, nodes),
             *_unused_params(ruleset), *_english(ruleset, nodes), *_topics(ruleset, nodes)]
    if cases_dir is not None:
        found.extend(_coverage(ruleset, cases_dir, knowledge))
    return sorted(found, key=Diagnostic.sort_key)


def _topics(ruleset: RuleSet, nodes: dict[str, Node]) -> list[Diagnostic]:
    out = []
    for rule, topic in unsupported(ruleset.rules, ruleset.params):
        item = nodes.get(rule.id)
        place = item.keys["sources"].location if item is not None and "sources" in item.keys else rule.location
        words = SITUATIONS[topic][1]
        out.append(_warn("W109", f"rule '{rule.id}' cites {topic} ({words}), but its condition does not require "
                         f"that situation", place,
                         f"add it to `when:` ({SITUATIONS[topic][0]}), or remove {topic} from `sources:`"))
    return out


def _warn(code: str, message: str, location: Location, hint: str) -> Diagnostic:
    return Diagnostic(code, message, location, hint, "warning")


def _dead_rules(ruleset: RuleSet, knowledge: Knowledge, nodes: dict[str, Node]) -> list[Diagnostic]:
    derivers = _derivers(ruleset)
    out = []
    for rule in ruleset.rules:
        reasons = knowledge.reasons(rule.id)
        if not reasons:
            continue
        whys = [_why(conflict, derivers) for conflict in reasons]
        if len(whys) == 1:
            message = f"rule '{rule.id}' can never fire: {whys[0]}"
        else:
            listed = "; ".join(f"({n}) {why}" for n, why in enumerate(whys[:4], 1)) + ("; …" if len(whys) > 4 else "")
            message = f"rule '{rule.id}' can never fire: none of its {len(whys)} alternatives can hold: {listed}"
        first = reasons[0]
        hint = (f"fix the rules deriving '{first.dead}', or stop requiring it here" if first.dead else
                "these tests exclude each other: check the numbers, the comparison signs and the and/or")
        out.append(_warn("W101", message, place_in_condition(rule, first.spans[-1], nodes), hint))
    return out


def _why(conflict: Conflict, derivers: dict[str, list[str]]) -> str:
    if conflict.dead:
        dead = ", ".join(sorted(derivers.get(conflict.dead, ())))
        return f"it needs '{conflict.dead}', which is never derived: the rules deriving it ({dead}) never fire"
    tests = [f"`{text}`" for text in conflict.texts]
    if len(tests) == 1:
        return f"{tests[0]} cannot hold"
    return f"{', '.join(tests[:-1])} and {tests[-1]} cannot all hold"


def _derivers(ruleset: RuleSet) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        for name in rule.derive:
            out.setdefault(name, []).append(rule.id)
    return out


def _conclusion(rule: Rule) -> tuple[frozenset[str], str | None]:
    return frozenset(rule.derive), rule.advice.zh if rule.advice else None


def _redundant(ruleset: RuleSet, knowledge: Knowledge) -> list[Diagnostic]:
    """A rule whose every firing comes with a firing of another rule concluding the same."""
    out = []
    rules = [r for r in ruleset.rules if r.id in knowledge.live_rules]
    for rule in rules:
        for other in rules:
            if other is rule or _conclusion(other) != _conclusion(rule):
                continue
            if not knowledge.implied_by(rule.id, other.id):
                continue
            if other.order > rule.order and knowledge.implied_by(other.id, rule.id):
                continue            # the two say the same: warn on the later one only
            same = "gives the same advice" if rule.advice else f"derives the same ({', '.join(rule.derive)})"
            out.append(_warn("W102", f"rule '{rule.id}' adds nothing: whenever it fires, '{other.id}' fires "
                             f"too and {same}", rule.location,
                             f"delete '{rule.id}', or give it a conclusion of its own if it means something else"))
            break
    return out


def _outranks(ruleset: RuleSet) -> dict[str, set[str]]:
    """Each rule -> every rule it is shown before (outranks, followed through)."""
    direct = {r.id: set(r.outranks) for r in ruleset.rules}
    closure: dict[str, set[str]] = {}
    for rid in direct:
        seen: set[str] = set()
        todo = list(direct[rid])
        while todo:
            nxt = todo.pop()
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(direct.get(nxt, ()))
        closure[rid] = seen
    return closure


def _unranked_contradictions(ruleset: RuleSet, knowledge: Knowledge, nodes: dict[str, Node]) -> list[Diagnostic]:
    order = _outranks(ruleset)
    done: set[frozenset[str]] = set()
    out = []
    for rule in ruleset.rules:
        for index, other in enumerate(rule.contradicts):
            pair = frozenset((rule.id, other))
            if pair in done or other in order.get(rule.id, ()) or rule.id in order.get(other, ()):
                continue
            done.add(pair)
            if not knowledge.may_fire_together(rule.id, other):
                continue
            item = nodes.get(rule.id)
            node = item.value.get("contradicts") if item else None
            place = rule.location
            if node is not None:
                place = (node.value[index] if node.is_seq() and index < len(node.value) else node).location
            out.append(_warn("W103", f"rules '{rule.id}' and '{other}' contradict each other and can fire "
                             "together, but neither outranks the other", place,
                             f"add `outranks: [{other}]` to '{rule.id}' (or `outranks: [{rule.id}]` to '{other}') "
                             "to say which is shown first, or make their conditions exclusive"))
    return out


def _derived_facts(ruleset: RuleSet, knowledge: Knowledge, nodes: dict[str, Node]) -> list[Diagnostic]:
    used: dict[str, list[tuple[Rule, ast.Ref]]] = {}
    for rule in ruleset.rules:
        seen: set[str] = set()
        for ref in ast.refs(rule.condition):
            if ref.kind == "derived" and ref.name not in seen:
                seen.add(ref.name)
                used.setdefault(ref.name, []).append((rule, ref))
    out = []
    derivers = _derivers(ruleset)
    for rule in ruleset.rules:
        item = nodes.get(rule.id)
        node = item.value.get("derive") if item else None
        items = (node.value if node.is_seq() else [node]) if node is not None else []
        for index, name in enumerate(rule.derive):
            if name in used:
                continue
            place = items[index].location if index < len(items) else rule.location
            close = difflib.get_close_matches(name, sorted(used), n=1, cutoff=0.85)   # a slip of the pen only
            hint = f"use '{name}' in a condition, or remove it from derive:"
            out.append(_warn("W104", f"derived fact '{name}' is used by no condition", place,
                             f"did you mean '{close[0]}'? (conditions use it) Else {hint}" if close else hint))
    for name, uses in used.items():
        if name in knowledge.live_facts:
            continue
        dead = ", ".join(derivers.get(name, ()))
        for rule, ref in uses:
            if rule.id not in knowledge.live_rules:
                continue     # the rule's own W101 says why
            out.append(_warn("W105", f"'{name}' is never derived: the rules deriving it ({dead}) can never fire, "
                             f"so this test never holds", place_in_condition(rule, ref.span, nodes),
                             f"fix the condition of {dead} (see its W101), or stop testing '{name}' here"))
    return out


def _unused_params(ruleset: RuleSet) -> list[Diagnostic]:
    derived = {name for rule in ruleset.rules for name in rule.derive}
    used: set[str] = set()
    for rule in ruleset.rules:
        refs = ast.refs(rule.condition)
        for text in (rule.advice.zh, rule.advice.en) if rule.advice else ():
            for name, _ in placeholders.names(text):
                try:
                    refs.extend(ast.refs(placeholders.compile_placeholder(name, ruleset.params, derived).expr))
                except placeholders.PlaceholderError:
                    continue        # a load error, reported by the loader
        used.update(r.name if r.kind == "param" else r.name.removeprefix("params.") for r in refs)
    used |= quoted_in_code()
    return [_warn("W106", f"parameter '{name}' is used by no condition, no advice text and no code", param.location,
                  f"use it as params.{name} in a rule, or remove it from params.yaml")
            for name, param in ruleset.params.items() if name not in used]


def _english(ruleset: RuleSet, nodes: dict[str, Node]) -> list[Diagnostic]:
    out = []
    for rule in ruleset.rules:
        item = nodes.get(rule.id)
        if not rule.title.en:
            place = item.keys["title"].location if item and "title" in item.keys else rule.location
            out.append(_warn("W107", f"rule '{rule.id}' has no English title", place,
                             "add `title_en:` under `title:` (shown with --lang en)"))
        if rule.advice and not rule.advice.en:
            place = item.keys["advice"].location if item and "advice" in item.keys else rule.location
            out.append(_warn("W107", f"rule '{rule.id}' has advice but no English advice", place,
                             "add `advice_en:`, the same advice with the same {placeholders} (shown with --lang en)"))
    return out


def _coverage(ruleset: RuleSet, cases_dir: Path, knowledge: Knowledge) -> list[Diagnostic]:
    """Run every case; each rule that fires in none of them (and could fire) is a warning."""
    from ..advise import Advisor
    from ..load.cases import load_case

    if not cases_dir.is_dir():
        return [Diagnostic("E001", f"cases folder '{cases_dir}' does not exist",
                           hint="pass the folder holding the case files (*.yaml)")]
    paths = sorted(cases_dir.glob("*.yaml"))
    if not paths:
        return [Diagnostic("E002", f"no case files (*.yaml) in '{cases_dir}'",
                           hint="add cases (see docs/cases.md), or lint without a cases folder")]
    try:
        advisor = Advisor.build(ruleset)
    except AdvisorError as exc:
        return list(exc.diagnostics)
    out: list[Diagnostic] = []
    fired: set[str] = set()
    ran = 0
    for path in paths:
        try:
            _, firings = advisor.evaluate(load_case(path))
        except (CaseError, AdvisorError) as exc:
            out.extend(exc.diagnostics)
            continue
        ran += 1
        fired.update(f.rule for f in firings)
    for rule in ruleset.rules:
        if rule.id not in fired and rule.id in knowledge.live_rules:
            out.append(_warn("W108", f"rule '{rule.id}' fires in none of the {ran} cases in {cases_dir}",
                             rule.location, f"add or extend a case in {cases_dir} in which it fires, and list what "
                             "it must produce under `expect:` (see docs/cases.md)"))
    return out
