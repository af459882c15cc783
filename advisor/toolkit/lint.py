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

from pathlib import Path

from .analysis import Conflict, Knowledge, analyse
from ..errors import Diagnostic, RuleError
from ..model import Rule, RuleSet
from ..load.rules import load_rules
from ..load.source import Node
from .lint_sources import place_in_condition, rule_nodes
from .lint_unused import coverage, derived_facts, derivers_of, english, unused_params, warn
from .topics import SITUATIONS, SITUATIONS_ZH, unsupported
from ..i18n import Said, said

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
             *_unranked_contradictions(ruleset, knowledge, nodes), *derived_facts(ruleset, knowledge, nodes),
             *unused_params(ruleset), *english(ruleset, nodes), *_topics(ruleset, nodes)]
    if cases_dir is not None:
        found.extend(coverage(ruleset, cases_dir, knowledge))
    return sorted(found, key=Diagnostic.sort_key)


def _topics(ruleset: RuleSet, nodes: dict[str, Node]) -> list[Diagnostic]:
    out = []
    for rule, topic in unsupported(ruleset.rules, ruleset.params):
        item = nodes.get(rule.id)
        place = item.keys["sources"].location if item is not None and "sources" in item.keys else rule.location
        words = SITUATIONS[topic][1]
        out.append(warn("W109", said(f"规则 '{rule.id}' 引用了 {topic}（{SITUATIONS_ZH[topic]}），但它的条件并不要求这种情况",
                                      f"rule '{rule.id}' cites {topic} ({words}), but its condition does not require "
                                      f"that situation"), place,
                         said(f"把它加进 `when:`（{SITUATIONS[topic][0]}），或者把 {topic} 从 `sources:` 里删掉",
                              f"add it to `when:` ({SITUATIONS[topic][0]}), or remove {topic} from `sources:`")))
    return out


def _dead_rules(ruleset: RuleSet, knowledge: Knowledge, nodes: dict[str, Node]) -> list[Diagnostic]:
    derivers = derivers_of(ruleset)
    out = []
    for rule in ruleset.rules:
        reasons = knowledge.reasons(rule.id)
        if not reasons:
            continue
        whys = [_why(conflict, derivers) for conflict in reasons]
        if len(whys) == 1:
            message = said(f"规则 '{rule.id}' 永远不会触发：{whys[0].zh}", f"rule '{rule.id}' can never fire: {whys[0]}")
        else:
            more = "; …" if len(whys) > 4 else ""
            listed = "; ".join(f"({n}) {why}" for n, why in enumerate(whys[:4], 1)) + more
            listed_zh = "；".join(f"（{n}）{why.zh}" for n, why in enumerate(whys[:4], 1)) + more.replace("; ", "；")
            message = said(f"规则 '{rule.id}' 永远不会触发：它的 {len(whys)} 个分支没有一个能成立：{listed_zh}",
                           f"rule '{rule.id}' can never fire: none of its {len(whys)} alternatives can hold: {listed}")
        first = reasons[0]
        hint = (said(f"修正推导 '{first.dead}' 的规则，或者这里不再要求它",
                     f"fix the rules deriving '{first.dead}', or stop requiring it here") if first.dead else
                said("这几项检验互相排斥：检查数字、比较符号和 and/or",
                     "these tests exclude each other: check the numbers, the comparison signs and the and/or"))
        out.append(warn("W101", message, place_in_condition(rule, first.spans[-1], nodes), hint))
    return out


def _why(conflict: Conflict, derivers: dict[str, list[str]]) -> Said:
    if conflict.dead:
        dead = ", ".join(sorted(derivers.get(conflict.dead, ())))
        return said(f"它需要 '{conflict.dead}'，而这个事实永远推导不出来：推导它的规则（{dead}）永远不会触发",
                    f"it needs '{conflict.dead}', which is never derived: the rules deriving it ({dead}) never fire")
    tests = [f"`{text}`" for text in conflict.texts]
    if len(tests) == 1:
        return said(f"{tests[0]} 不可能成立", f"{tests[0]} cannot hold")
    return said(f"{'、'.join(tests[:-1])} 和 {tests[-1]} 不可能同时成立",
                f"{', '.join(tests[:-1])} and {tests[-1]} cannot all hold")


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
            same = said("给出的建议相同", "gives the same advice") if rule.advice else said(
                f"推导出的事实相同（{', '.join(rule.derive)}）", f"derives the same ({', '.join(rule.derive)})")
            out.append(warn("W102", said(f"规则 '{rule.id}' 是多余的：它每次触发时，'{other.id}' 也会触发，而且{same.zh}",
                                          f"rule '{rule.id}' adds nothing: whenever it fires, '{other.id}' fires "
                                          f"too and {same}"), rule.location,
                             said(f"删掉 '{rule.id}'；如果它另有含义，就给它一个自己的结论",
                                  f"delete '{rule.id}', or give it a conclusion of its own if it means something else")))
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
            out.append(warn("W103", said(f"规则 '{rule.id}' 和 '{other}' 相互矛盾，又可能同时触发，但没有一条声明排在另一条之前",
                                          f"rules '{rule.id}' and '{other}' contradict each other and can fire "
                                          "together, but neither outranks the other"), place,
                             said(f"给 '{rule.id}' 加上 `outranks: [{other}]`（或给 '{other}' 加上 `outranks: [{rule.id}]`），"
                                  "说明先显示哪一条，或者让它们的条件互相排斥",
                                  f"add `outranks: [{other}]` to '{rule.id}' (or `outranks: [{rule.id}]` to '{other}') "
                                  "to say which is shown first, or make their conditions exclusive")))
    return out
