"""Agreement stage: the reference evaluator runs the same rules on the same facts, independently of
durable_rules, and the two must agree on which rules fire and which facts are derived.

The reference derives facts itself, stratum by stratum (a rule that needs a fact to be absent runs
after every rule that could derive it), so it shares nothing with the engine but the facts it starts
from. A disagreement is an engine error (X007), never silent output: the explanations the advisor
prints come from the reference, so they are only true if both agree.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic, EngineError
from ..i18n import said
from ..expr import ast
from ..expr import closure
from ..model import Facts, Firing, Rule, RuleSet
from ..expr.strata import stratify


@dataclass(frozen=True)
class Reference:
    """The rules in the order the reference runs them, prepared once per rule set."""

    layers: tuple[tuple[Rule, ...], ...]            # by stratum
    uses: dict[str, frozenset[str]]                 # rule id -> derived facts its condition reads
    conditions: dict[str, closure.Truth]            # rule id -> its condition, compiled once
    parts: dict[int, closure.Truth]                 # id(node) -> every condition and part of one, compiled

    @classmethod
    def of(cls, ruleset: RuleSet, strata: dict[str, int] | None = None) -> Reference:
        """`strata`: stratify(ruleset.rules) when at hand (the rule-set cache keeps it with the rules)."""
        strata = strata if strata is not None else stratify(ruleset.rules)
        layers = tuple(tuple(r for r in ruleset.rules if strata[r.id] == level)
                       for level in sorted(set(strata.values())))
        uses = {r.id: frozenset(ref.key for ref in ast.refs(r.condition) if ref.kind == "derived")
                for r in ruleset.rules}
        parts: dict[int, closure.Truth] = {}
        for r in ruleset.rules:
            closure.every(r.condition, parts)
        return cls(layers, uses, {r.id: parts[id(r.condition)] for r in ruleset.rules}, parts)

    def run(self, facts: Facts) -> tuple[frozenset[str], frozenset[str]]:
        """(rules that fire, facts derived) by the reference meaning, ignoring facts.derived. Within a
        stratum a rule is evaluated again only when a fact it reads has just been derived."""
        derived: set[str] = set()
        fired: set[str] = set()
        now = Facts(facts.case, facts.loans, derived, facts.params, facts.loans_known)  # type: ignore[arg-type]
        for layer in self.layers:
            pending = list(layer)
            fresh: set[str] | None = None               # None: the first pass looks at every rule
            while pending:
                added: set[str] = set()
                for rule in pending:
                    if fresh is not None and not (self.uses[rule.id] & fresh):
                        continue
                    if self.conditions[rule.id](now, None) is True:
                        fired.add(rule.id)
                        added.update(name for name in rule.derive if name not in derived)
                        derived.update(rule.derive)
                pending = [r for r in pending if r.id not in fired]
                if not added:
                    break
                fresh = added
        return frozenset(fired), frozenset(derived)


def check_agreement(reference: Reference, facts: Facts, firings: tuple[Firing, ...]) -> None:
    """Raise EngineError X007 if durable_rules and the reference disagree for this case."""
    fired, derived = reference.run(facts)
    engine_fired = frozenset(f.rule for f in firings)
    if fired == engine_fired and derived == facts.derived:
        return
    only_engine = sorted(engine_fired - fired)
    only_reference = sorted(fired - engine_fired)
    raise EngineError([Diagnostic(
        "X007", said("规则引擎和参照求值器对这个案例的结论不一致："
                     f"只有引擎触发的 {only_engine or '—'}，只有参照触发的 {only_reference or '—'}",
                     "the rules engine and the reference evaluator disagree on this case: "
                     f"fired only by the engine {only_engine or '—'}, only by the reference {only_reference or '—'}"),
        hint=said("不给出建议，因为它的解释可能是错的；请连同案例和规则一起报告（这是 advisor 或 durable_rules 的缺陷）",
                  "no advice is given, because its explanation could be wrong; please report this with the case "
                  "and the rules (it is a bug in the advisor or in durable_rules)"))])
