"""Stratification: order rules so a rule that needs a fact to be absent runs after all who could derive it.

durable_rules keeps an activation of a `not` pattern even if the fact appears later (no truth
maintenance), so a rule with a negation waits for a phase fact that the engine asserts only
when every rule of the lower strata has fired.
"""
from __future__ import annotations

from ..errors import Diagnostic, RuleError
from ..i18n import said
from .normal import NotDerived, negations, nnf, positives
from ..model import Rule


def stratify(rules: list[Rule] | tuple[Rule, ...]) -> dict[str, int]:
    """Stratum per rule id (0: no negation of derived facts). Raise RuleError on a cycle through `not`."""
    normal = {r.id: nnf(r.condition) for r in rules}
    fact_stratum: dict[str, int] = {}
    rule_stratum: dict[str, int] = {r.id: 0 for r in rules}
    limit = len(rules) + 2
    for _ in range(limit + 1):
        changed = False
        for rule in rules:
            cond = normal[rule.id]
            level = 0
            for ref in positives(cond):
                level = max(level, fact_stratum.get(ref.key, 0))
            for neg in negations(cond):
                if isinstance(neg, NotDerived):
                    level = max(level, fact_stratum.get(neg.ref.key, 0) + 1)
                else:
                    level = max(level, 1)
            if level > limit:
                raise RuleError([Diagnostic(
                    "E050", said(f"规则 '{rule.id}' 依赖于某个事实不成立，而那个事实本身又依赖于这条规则",
                                 f"rule '{rule.id}' depends on the absence of a fact that itself depends on this rule"),
                    rule.location, said("一串推导事实经过 'not' 绕回了自己：把这个圈断开",
                                        "a chain of derived facts loops back through 'not': break the loop"))])
            if level != rule_stratum[rule.id]:
                rule_stratum[rule.id] = level
                changed = True
            for name in rule.derive:
                if fact_stratum.get(name, 0) < level:
                    fact_stratum[name] = level
                    changed = True
        if not changed:
            return rule_stratum
    raise RuleError([Diagnostic("E050", said("推导事实经过 'not' 绕回了自己", "derived facts loop back through 'not'"), None,
                                said("把推导这些事实和否定这些事实的规则之间的圈断开",
                                     "break the loop between the rules that derive and negate these facts"))])


def has_negation(rule: Rule) -> bool:
    return bool(negations(nnf(rule.condition)))

